"""The project's one way to evaluate a checkpoint.

The pipeline's test stages, the studies' runners and the analysis tools all
call :func:`evaluate_checkpoint`: the checkpoint's logits on the test split
of its config (:func:`collect_logits`), summarised by
:func:`logit_summary` (top-1, NLL, ECE, CMI, NCMI at T=1) and per class.
"""
from typing import Dict, Optional, Sequence

import torch

from .calibration import logit_summary
from .per_class import per_class_accuracy
from .predictions import collect_logits


def evaluate_checkpoint(config,
                        checkpoint: str,
                        cfg_options: Optional[dict] = None,
                        logits_file: Optional[str] = None,
                        omitted: Sequence[int] = ()) -> Dict:
    """Test-split metrics of ``checkpoint``.

    Args:
        config (str | Config): A classifier config, or a distillation config
            (its student is evaluated).
        checkpoint (str): A checkpoint of that config.
        cfg_options (dict, optional): Overrides, as ``--cfg-options``.
        logits_file (str, optional): Also save ``dict(logits, labels)``
            there, for the analysis tools' ``--logits``.
        omitted (sequence of int): Classes left out of training (zero-shot);
            adds ``omitted_top1`` and ``seen_top1``, the mean per-class
            accuracy on them and on the others.

    Returns:
        dict: ``top1`` (%), ``nll``, ``ece``, ``cmi``, ``ncmi`` (nats),
        ``temperature`` (1.0) and ``per_class`` (% per class, 2 decimals).
    """
    logits, labels = collect_logits(config, checkpoint, cfg_options)
    if logits_file:
        torch.save(dict(logits=logits, labels=labels), logits_file)
    metrics = logit_summary(logits, labels)
    per_class = per_class_accuracy(logits, labels)
    metrics['per_class'] = [round(float(a), 2) for a in per_class]
    if omitted:
        omitted = list(omitted)
        seen = [c for c in range(len(per_class)) if c not in omitted]
        metrics['omitted_top1'] = float(per_class[omitted].mean())
        metrics['seen_top1'] = float(per_class[seen].mean())
    return metrics
