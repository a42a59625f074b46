from .cmi_metric import CMIMetric

__all__ = ['CMIMetric']
