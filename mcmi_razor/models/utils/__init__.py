from .class_centroids import STORAGE_DTYPES, ClassCentroids
from .class_stats import (
                          ClassConditionalStats,
                          accumulation_dtype,
                          check_labels,
                          entropy,
                          to_soft_targets,
)
from .label_targets import LabelTargets, row_sum_tolerance

__all__ = ['ClassCentroids', 'ClassConditionalStats', 'LabelTargets',
           'STORAGE_DTYPES', 'accumulation_dtype', 'check_labels', 'entropy',
           'row_sum_tolerance', 'to_soft_targets']
