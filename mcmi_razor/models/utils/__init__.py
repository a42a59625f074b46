from .class_centroids import ClassCentroids
from .class_stats import (ClassConditionalStats, check_labels, entropy,
                          to_soft_targets)

__all__ = ['ClassCentroids', 'ClassConditionalStats', 'check_labels',
           'entropy', 'to_soft_targets']
