"""Accuracy, NLL, ECE and CMI of a classifier's logits, and their
dependence on the softmax temperature (the paper's Figure 1 analogue)."""
from typing import Dict, Iterable, List

import torch

from mcmi_razor.models.utils import ClassConditionalStats


def negative_log_likelihood(logits: torch.Tensor, labels: torch.Tensor,
                            temperature: float = 1.0) -> float:
    """Mean ``-log softmax(z / T)[y]`` in nats.

    Args:
        logits: (N, C). labels: (N,) class indices.
    """
    log_probs = (logits.double() / temperature).log_softmax(1)
    return -log_probs.gather(1, labels.long().view(-1, 1)).mean().item()


def expected_calibration_error(probs: torch.Tensor, labels: torch.Tensor,
                               num_bins: int = 15) -> float:
    """ECE = sum_b |B_b| / N * |acc(B_b) - conf(B_b)|, in [0, 1].

    Samples are binned by their confidence ``max_c P(c|x)`` into
    ``num_bins`` equal-width bins ``(k/B, (k+1)/B]`` (Guo et al., 2017).

    Args:
        probs: (N, C) softmax outputs. labels: (N,) class indices.
    """
    confidence, prediction = probs.double().max(1)
    correct = (prediction == labels.long()).double()
    # bin k holds confidences in (k/B, (k+1)/B]; confidence 0 goes to bin 0
    bins = (confidence * num_bins).ceil().long().clamp(1, num_bins) - 1
    count = torch.zeros(num_bins, dtype=torch.float64)
    count.index_add_(0, bins, torch.ones_like(confidence))
    gap = torch.zeros(num_bins, dtype=torch.float64)
    gap.index_add_(0, bins, correct - confidence)
    return (gap.abs().sum() / len(labels)).item()


def logit_summary(logits: torch.Tensor, labels: torch.Tensor,
                  temperature: float = 1.0,
                  num_bins: int = 15) -> Dict[str, float]:
    """Top-1 (%), NLL and CMI/NCMI (nats), ECE of ``softmax(z / T)``.

    CMI and NCMI use the class centroids of this same split
    (:class:`ClassConditionalStats`), as ``CMIMetric`` does.

    Args:
        logits: (N, C). labels: (N,) class indices.
    """
    if not temperature > 0:
        raise ValueError(f'temperature must be > 0, got {temperature!r}.')
    logits, labels = logits.double(), labels.long().view(-1)
    probs = (logits / temperature).softmax(1)
    stats = ClassConditionalStats(logits.size(1))
    stats.update(probs, labels)
    return dict(
        temperature=float(temperature),
        top1=100.0 * (logits.argmax(1) == labels).double().mean().item(),
        nll=negative_log_likelihood(logits, labels, temperature),
        ece=expected_calibration_error(probs, labels, num_bins),
        cmi=stats.cmi(),
        ncmi=stats.ncmi())


def temperature_sweep(logits: torch.Tensor, labels: torch.Tensor,
                      temperatures: Iterable[float]) -> List[Dict[str, float]]:
    """:func:`logit_summary` at each temperature (top-1 does not change)."""
    return [logit_summary(logits, labels, t) for t in temperatures]
