"""The classifier's conditional mutual information I(X; Yhat | Y)."""
import math
import warnings
from typing import Optional, Sequence, Tuple

import torch
from mmengine import dist
from mmengine.evaluator import BaseMetric

from mcmi_razor.models.utils import ClassConditionalStats, accumulation_dtype
from mcmi_razor.registry import METRICS
from mcmi_razor.utils.arguments import (
    choice_argument,
    integer_argument,
    real_argument,
    text_argument,
)

from .score_check import ProbabilityRowCheck


@METRICS.register_module()
class CMIMetric(BaseMetric):
    """CMI (nats), NCMI and cross-entropy of the predictions, exact,
    streaming.

    ``CMI = sum_y pi_y H(Q_y) - E[H(P_X)]`` with ``Q_y`` the mean softmax of
    class y on this split (see :mod:`mcmi_razor.models.utils.class_stats`).
    Memory is O(C^2) whatever the split size: batches are summed as they
    arrive on the device of the predictions (no per-batch host copy), and
    the sums are all-reduced across ranks at the end. NCMI is reported as
    NaN, with a warning, when it is undefined (all class centroids equal,
    as for a collapsed model); CMI is then still reported. The one
    sample per rank that a distributed sampler may repeat to pad the last
    round (MMEngine's ``DefaultSampler`` order) is dropped, so the result
    equals a single-process evaluation.

    Checked: the arguments, when the metric is built; each batch's shapes
    and dtypes, in :meth:`process`; and that every ``pred_score`` row is a
    finite probability distribution (entries >= 0, summing to 1 within
    1e-3, 0.0625 for bfloat16: softmax outputs, not logits). That check
    runs on the device as batches arrive and is read once, in
    :meth:`evaluate`, which raises a ValueError counting the bad rows
    (:class:`~.score_check.ProbabilityRowCheck`); no host read per batch.

    Use beside ``Accuracy``::

        val_evaluator = [dict(type='Accuracy', topk=(1, 5)),
                         dict(type='mcmi_razor.CMIMetric', num_classes=100)]

    Args:
        num_classes (int): C >= 2.
        temperature (float): evaluate softmax(z / T) instead of softmax(z);
            computed exactly from the stored scores. Defaults to 1. Set it
            to an ``MCMILoss``'s ``temperature`` to measure the CMI that
            loss maximises.
        collect_device (str): ``'cpu'`` or ``'gpu'``, MMEngine's.
        prefix (str, optional): metric name prefix. Defaults to ``'cmi'``,
            giving ``cmi/cmi``, ``cmi/ncmi`` and ``cmi/ce``: the mean
            cross-entropy of the labels under the same predictions (the
            likelihood that raising CMI must not give away).
    """

    default_prefix = 'cmi'

    def __init__(self, num_classes: int, temperature: float = 1.0,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        collect_device = choice_argument(
            'CMIMetric', 'collect_device', collect_device, ('cpu', 'gpu'),
            hint="MMEngine names the CUDA device 'gpu' here.")
        if prefix is not None:
            text_argument('CMIMetric', 'prefix', prefix,
                          hint="Leave it unset for 'cmi'.")
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.num_classes = integer_argument(
            'CMIMetric', 'num_classes', num_classes, 2,
            hint="Set it to the head's num_classes, e.g. num_classes=100.")
        self.temperature = real_argument(
            'CMIMetric', 'temperature', temperature, 0.0,
            low_inclusive=False, hint='1.0 measures softmax(z) itself.')
        self._reset()

    def _reset(self) -> None:
        self._stats: Optional[ClassConditionalStats] = None
        self._pending: Optional[Tuple[torch.Tensor, torch.Tensor]] = None
        self._count = 0
        self._scores_check = ProbabilityRowCheck('CMIMetric')

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Add a batch of predictions on their device (no host copy).

        Each sample holds ``pred_score`` (C,) probabilities and
        ``gt_label`` (1,) or ``gt_score`` (C,). An empty
        ``data_samples`` adds nothing. The batch's last sample is held back
        until the next batch or :meth:`evaluate`, which drops it if it was
        sampler padding.
        """
        if not data_samples:
            return
        scores = torch.stack([s['pred_score'] for s in data_samples])
        if 'gt_score' in data_samples[0]:
            targets = torch.stack([s['gt_score'] for s in data_samples])
        else:
            targets = torch.cat([s['gt_label'] for s in data_samples])
        self._check_batch(scores, targets)
        self._scores_check.update(scores)
        if self.temperature != 1:
            scores = scores.to(accumulation_dtype(scores.device))
            scores = (scores.clamp_min(torch.finfo(scores.dtype).tiny).log()
                      / self.temperature).softmax(1)
        targets = targets.to(scores.device)
        if self._stats is None:
            self._stats = ClassConditionalStats(self.num_classes,
                                                scores.device)
        if self._pending is not None:
            scores = torch.cat([self._pending[0].to(scores), scores])
            targets = torch.cat([self._pending[1], targets])
        self._stats.update(scores[:-1], targets[:-1])
        # clones: a view would keep the whole batch alive
        self._pending = (scores[-1:].clone(), targets[-1:].clone())
        self._count += len(data_samples)

    def evaluate(self, size: int) -> dict:
        """CMI and NCMI over all ranks' samples (padding dropped).

        Raises:
            ValueError: a label outside ``[0, num_classes)``, or
                ``pred_score`` rows that are not probabilities (counted).
        """
        rank, world_size = dist.get_rank(), dist.get_world_size()
        stats = self._stats or ClassConditionalStats(self.num_classes)
        last_position = rank + world_size * (self._count - 1)
        if self._pending is not None and last_position < size:
            stats.update(*self._pending)
        stats.all_reduce()
        scores_check = self._scores_check
        self._reset()
        scores_check.raise_if_bad()
        self.results.clear()
        metrics = self.compute_metrics([stats])
        if self.prefix:
            metrics = {f'{self.prefix}/{k}': v for k, v in metrics.items()}
        return metrics

    def compute_metrics(self, results: list) -> dict:
        """``results`` holds the summed statistics of the whole split.

        NCMI needs two classes with samples; it is NaN (with a warning)
        when all centroids are equal, e.g. for a collapsed model.
        """
        stats = results[0]
        metrics = dict(cmi=stats.cmi(), ce=stats.cross_entropy())
        if int(stats.seen.sum()) >= 2:
            metrics['ncmi'] = stats.ncmi()
            if math.isnan(metrics['ncmi']):
                warnings.warn(
                    'CMIMetric: NCMI is undefined (reported as NaN): every '
                    'class centroid is the same distribution, so their '
                    'separation is 0. The model predicts alike for all '
                    'classes (collapsed?); check its accuracy.',
                    RuntimeWarning, stacklevel=2)
        return metrics

    def _check_batch(self, scores: torch.Tensor,
                     targets: torch.Tensor) -> None:
        """Shapes and dtypes of a batch's scores (N, C) and targets (N,)
        or (N, C); host only."""
        if scores.ndim != 2 or scores.size(1) != self.num_classes:
            raise ValueError(
                f'CMIMetric(num_classes={self.num_classes}) got pred_score '
                f'of shape {tuple(scores.shape[1:])} per sample; expected '
                f'({self.num_classes},): set num_classes to the head\'s.')
        if not scores.is_floating_point():
            raise TypeError(
                f'CMIMetric pred_score must be float probabilities, got '
                f'dtype {scores.dtype}: pass the head\'s pred_score, not '
                'pred_label.')
        if len(targets) != len(scores):
            raise ValueError(
                f'CMIMetric got {len(targets)} labels for {len(scores)} '
                'samples: gt_label must be one class index per sample '
                '(single-label classification).')
