"""The classifier's conditional mutual information I(X; Yhat | Y)."""
import math
import warnings
from typing import Optional, Sequence, Tuple

import torch
from mmengine import dist
from mmengine.evaluator import BaseMetric

from mcmi_razor.models.utils import ClassConditionalStats, accumulation_dtype
from mcmi_razor.registry import METRICS


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

    Use beside ``Accuracy``::

        val_evaluator = [dict(type='Accuracy', topk=(1, 5)),
                         dict(type='mcmi_razor.CMIMetric', num_classes=100)]

    Args:
        num_classes (int): C.
        temperature (float): evaluate softmax(z / T) instead of softmax(z);
            computed exactly from the stored scores. Defaults to 1. Set it
            to an ``MCMILoss``'s ``temperature`` to measure the CMI that
            loss maximises.
        prefix (str, optional): metric name prefix. Defaults to ``'cmi'``,
            giving ``cmi/cmi``, ``cmi/ncmi`` and ``cmi/ce``: the mean
            cross-entropy of the labels under the same predictions (the
            likelihood that raising CMI must not give away).
    """

    default_prefix = 'cmi'

    def __init__(self, num_classes: int, temperature: float = 1.0,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if not 0 < temperature < math.inf:
            raise ValueError(
                f'CMIMetric temperature must be a finite number > 0, got '
                f'{temperature!r}: 1.0 measures softmax(z) itself.')
        self.num_classes = num_classes
        self.temperature = temperature
        self._reset()

    def _reset(self) -> None:
        self._stats: Optional[ClassConditionalStats] = None
        self._pending: Optional[Tuple[torch.Tensor, torch.Tensor]] = None
        self._count = 0

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Add a batch of predictions on their device (no host copy).

        The batch's last sample is held back until the next batch or
        :meth:`evaluate`, which drops it if it was sampler padding.
        """
        scores = torch.stack([s['pred_score'] for s in data_samples])
        if 'gt_score' in data_samples[0]:
            targets = torch.stack([s['gt_score'] for s in data_samples])
        else:
            targets = torch.cat([s['gt_label'] for s in data_samples])
        if scores.size(1) != self.num_classes:
            raise ValueError(
                f'CMIMetric(num_classes={self.num_classes}) got scores for '
                f'{scores.size(1)} classes: set num_classes to the head\'s.')
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
        """CMI and NCMI over all ranks' samples (padding dropped)."""
        rank, world_size = dist.get_rank(), dist.get_world_size()
        stats = self._stats or ClassConditionalStats(self.num_classes)
        last_position = rank + world_size * (self._count - 1)
        if self._pending is not None and last_position < size:
            stats.update(*self._pending)
        stats.all_reduce()
        self._reset()
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
