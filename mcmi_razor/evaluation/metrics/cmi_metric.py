"""The classifier's conditional mutual information I(X; Yhat | Y) on a split."""
from typing import Optional, Sequence

import torch
from mmengine import dist
from mmengine.evaluator import BaseMetric

from mcmi_razor.models.utils import ClassConditionalStats
from mcmi_razor.registry import METRICS


@METRICS.register_module()
class CMIMetric(BaseMetric):
    """CMI (nats) and NCMI of the predicted distribution, exact, streaming.

    ``CMI = sum_y pi_y H(Q_y) - E[H(P_X)]`` with ``Q_y`` the mean softmax of
    class y on this split (see :mod:`mcmi_razor.models.utils.class_stats`).
    Memory is O(C^2) whatever the split size: batches are summed as they
    arrive, and the sums are all-reduced across ranks at the end. The one
    sample per rank that a distributed sampler may repeat to pad the last
    round (MMEngine's ``DefaultSampler`` order) is dropped, so the result
    equals a single-process evaluation.

    Use beside ``Accuracy``::

        val_evaluator = [dict(type='Accuracy', topk=(1, 5)),
                         dict(type='mcmi_razor.CMIMetric', num_classes=100)]

    Args:
        num_classes (int): C.
        temperature (float): evaluate softmax(z / T) instead of softmax(z);
            computed exactly from the stored scores. Defaults to 1.
        prefix (str, optional): metric name prefix. Defaults to ``'cmi'``,
            giving ``cmi/cmi`` and ``cmi/ncmi``.
    """

    default_prefix = 'cmi'

    def __init__(self, num_classes: int, temperature: float = 1.0,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if not temperature > 0:
            raise ValueError(f'temperature must be > 0, got {temperature!r}.')
        self.num_classes = num_classes
        self.temperature = temperature
        self._reset()

    def _reset(self) -> None:
        self._stats = ClassConditionalStats(self.num_classes)
        self._last = ClassConditionalStats(self.num_classes)
        self._count = 0

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Add a batch of predictions; keeps the latest sample apart."""
        scores = torch.stack([s['pred_score'] for s in data_samples]).cpu()
        if 'gt_score' in data_samples[0]:
            targets = torch.stack([s['gt_score'] for s in data_samples])
        else:
            targets = torch.cat([s['gt_label'] for s in data_samples])
        if scores.size(1) != self.num_classes:
            raise ValueError(
                f'CMIMetric(num_classes={self.num_classes}) got scores for '
                f'{scores.size(1)} classes: set num_classes to the head\'s.')
        if self.temperature != 1:
            scores = (scores.double().clamp_min(1e-300).log()
                      / self.temperature).softmax(1)
        targets = targets.cpu()
        self._stats.merge(self._last)
        self._last = ClassConditionalStats(self.num_classes)
        self._stats.update(scores[:-1], targets[:-1])
        self._last.update(scores[-1:], targets[-1:])
        self._count += len(scores)

    def evaluate(self, size: int) -> dict:
        """CMI and NCMI over all ranks' samples (padding dropped)."""
        rank, world_size = dist.get_rank(), dist.get_world_size()
        last_position = rank + world_size * (self._count - 1)
        if self._count and last_position < size:
            self._stats.merge(self._last)
        stats = self._stats
        stats.all_reduce()
        self._reset()
        self.results.clear()
        metrics = self.compute_metrics([stats])
        if self.prefix:
            metrics = {f'{self.prefix}/{k}': v for k, v in metrics.items()}
        return metrics

    def compute_metrics(self, results: list) -> dict:
        """``results`` holds the summed statistics of the whole split."""
        stats = results[0]
        metrics = dict(cmi=stats.cmi())
        if int(stats.seen.sum()) >= 2:
            metrics['ncmi'] = stats.ncmi()
        return metrics
