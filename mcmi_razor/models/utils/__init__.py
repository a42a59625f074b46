from .class_centroids import ClassCentroids
from .class_stats import ClassConditionalStats, entropy, to_soft_targets

__all__ = ['ClassCentroids', 'ClassConditionalStats', 'entropy',
           'to_soft_targets']
