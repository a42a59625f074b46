"""Offline analysis of a classifier's test-set outputs.

Small functions on logits and labels (tensors), used by
``tools/analysis/*.py``; :func:`collect_logits` produces their input from a
config and a checkpoint, and :func:`evaluate_checkpoint` is the project's
one way to evaluate a checkpoint. :mod:`.tool_args` is the analysis tools'
shared command line, :mod:`.plots` their figures.
"""
from .calibration import (
                          expected_calibration_error,
                          logit_summary,
                          negative_log_likelihood,
                          temperature_sweep,
)
from .evaluate import evaluate_checkpoint
from .per_class import per_class_accuracy, per_class_rows
from .predictions import collect_logits
from .tables import format_mean_std, markdown_table, mean_std, write_csv

__all__ = [
    'collect_logits', 'evaluate_checkpoint', 'expected_calibration_error',
    'format_mean_std', 'logit_summary', 'markdown_table', 'mean_std',
    'negative_log_likelihood', 'per_class_accuracy', 'per_class_rows',
    'temperature_sweep', 'write_csv'
]
