"""Streaming class-conditional statistics of a classifier's softmax output.

One pass over a split accumulates, in float64,

* ``prob_sums[y] = sum_x w_y(x) P_x``   (C, C)
* ``class_mass[y] = sum_x w_y(x)``      (C,)
* ``entropy_sum = sum_x H(P_x)``        ()

where ``w_y(x)`` is the target weight of class ``y`` for sample ``x`` (one-hot
for hard labels, the label distribution for mixup / cutmix / smoothing). From
these, exactly and in O(C^2) memory (all in nats):

* centroids ``Q_y = prob_sums[y] / class_mass[y]``;
* ``CMI = E[KL(P_X || Q_Y)] = sum_y pi_y H(Q_y) - E[H(P_X)]``;
* ``NCMI = CMI / Gamma`` with ``Gamma`` the pi-weighted mean pairwise
  ``KL(Q_y || Q_y')`` over classes ``y != y'`` (centroid separation), in
  O(C^2) too: the diagonal terms ``KL(Q_y || Q_y)`` are 0, so the double
  sum factors into sums over classes. NCMI is undefined (NaN) when
  ``Gamma = 0``: every centroid equal, e.g. a collapsed model.

Sums add across batches and across ranks (:meth:`all_reduce`), so a sharded
pass equals a single-process pass over the same samples. The sums live on
the device of the probabilities (float64 where the device has it) and no
update reads a value back to the host: labels are range-checked once, when
the statistics are reduced or read.
"""
from typing import Optional

import numpy as np
import torch
from mmengine import dist

from .label_targets import LabelTargets

_TINY = 1e-30
# The additive statistics: merged and all-reduced by summing.
_SUMS = ('prob_sums', 'class_mass', 'entropy_sum', 'nll_sum', 'num_samples')
# relative size below which a difference of float64 sums counts as zero
_ROUNDING = 1e-12


def check_labels(label: torch.Tensor, num_classes: int) -> torch.Tensor:
    """Return labels (N,) as int64 after checking they lie in [0, C).

    Raises:
        ValueError: naming the first label outside ``[0, num_classes)``.
    """
    label = label.reshape(-1).long()
    if label.numel() and (label.min() < 0 or label.max() >= num_classes):
        bad = label[(label < 0) | (label >= num_classes)][0].item()
        raise ValueError(
            f'Label {bad} is outside [0, {num_classes}): set num_classes of '
            'the head, the MCMI loss and the CMI metric to the number of '
            'classes of the dataset.')
    return label


def to_soft_targets(label: torch.Tensor, num_classes: int) -> torch.Tensor:
    """Return class weights (N, C) from labels (N,) or label scores (N, C).

    Raises:
        ValueError: a label outside ``[0, num_classes)`` or a score matrix
            whose width is not ``num_classes``.
    """
    if label.ndim == 2:
        if label.size(1) != num_classes:
            raise ValueError(
                f'Soft labels have {label.size(1)} classes but num_classes '
                f'is {num_classes}: make num_classes of the loss / metric '
                'equal to the dataset\'s number of classes.')
        return label.float()
    return torch.nn.functional.one_hot(check_labels(label, num_classes),
                                       num_classes).float()


def entropy(probs: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """Shannon entropy in nats along ``dim``; ``0 log 0 = 0``."""
    return torch.special.entr(probs).sum(dim)


def accumulation_dtype(device: Optional[torch.device]) -> torch.dtype:
    """float64, or float32 on devices without it (Apple MPS)."""
    device = torch.device('cpu') if device is None else torch.device(device)
    return torch.float32 if device.type == 'mps' else torch.float64


def _lazy_zeros(num_classes: int, dtype: torch.dtype,
                device: Optional[torch.device]) -> torch.Tensor:
    """Zeros (C, C). On the CPU from calloc'ed memory, which the OS maps
    on first touch: a pass pays for the rows it fills, not for writing
    C^2 zeros up front (3.8 GB, seconds, at C = 21,841)."""
    if device is None or torch.device(device).type == 'cpu':
        numpy_dtype = np.float64 if dtype == torch.float64 else np.float32
        return torch.from_numpy(
            np.zeros((num_classes, num_classes), dtype=numpy_dtype))
    return torch.zeros(num_classes, num_classes, dtype=dtype, device=device)


class ClassConditionalStats:
    """Accumulator of the sums above for ``num_classes`` classes.

    Args:
        num_classes (int): C.
        device (torch.device, optional): where the sums live; the model's
            device for a pass, so that batches never go to the host.
    """

    def __init__(self, num_classes: int,
                 device: Optional[torch.device] = None) -> None:
        self.num_classes = num_classes
        kw = dict(dtype=accumulation_dtype(device), device=device)
        self.prob_sums = _lazy_zeros(num_classes, **kw)
        self.class_mass = torch.zeros(num_classes, **kw)
        self.entropy_sum = torch.zeros((), **kw)
        self.nll_sum = torch.zeros((), **kw)    # sum of -log P_x(y)
        self.num_samples = torch.zeros((), **kw)
        # (-min, max) of the hard labels seen; checked when read.
        self.label_bounds = torch.tensor([0, num_classes - 1], device=device)

    def update(self, probs: torch.Tensor, targets: torch.Tensor) -> None:
        """Add a batch, on the device of the sums, without a host sync.

        Args:
            probs (Tensor): softmax outputs, (N, C).
            targets (Tensor): labels (N,), or per-class weights (N, C) for
                soft labels (a row of zeros excludes its sample).
        """
        probs = probs.detach().to(self.prob_sums)
        if targets.ndim == 1:   # hard labels: scatter-add, no matmul
            labels = targets.to(probs.device).long()
            if labels.numel():
                self.label_bounds = torch.maximum(
                    self.label_bounds, torch.stack([-labels.min(),
                                                    labels.max()]))
            labels = labels.clamp(0, self.num_classes - 1)
            self.prob_sums.index_add_(0, labels, probs)
            # index_add_, not bincount: bincount reads max() to the host
            self.class_mass.index_add_(0, labels, torch.ones_like(
                labels, dtype=self.class_mass.dtype))
            self.entropy_sum += entropy(probs).sum()
            # no floor: a label given probability 0 costs +inf, not a
            # made-up finite number
            self.nll_sum -= probs.gather(1, labels.unsqueeze(1)).log().sum()
            self.num_samples += len(labels)
            return
        weights = to_soft_targets(targets, self.num_classes).to(probs)
        sample_weight = weights.sum(1)
        classes, sums, mass = LabelTargets.from_label(
            weights, self.num_classes).class_sums(probs)
        self.prob_sums.index_add_(0, classes, sums.to(probs))
        self.class_mass.index_add_(0, classes, mass.to(probs))
        self.entropy_sum += (sample_weight * entropy(probs)).sum()
        self.nll_sum -= torch.xlogy(weights, probs).sum()   # 0 log 0 = 0
        self.num_samples += sample_weight.sum()

    def merge(self, other: 'ClassConditionalStats') -> None:
        """Add the sums of ``other`` to these."""
        for name in _SUMS:
            getattr(self, name).add_(getattr(other, name).to(self.prob_sums))
        self.label_bounds = torch.maximum(
            self.label_bounds, other.label_bounds.to(self.label_bounds))

    def all_reduce(self) -> None:
        """Sum the statistics over all ranks (a no-op without DDP), then
        check the labels (every rank raises alike)."""
        for name in _SUMS:
            dist.all_reduce(getattr(self, name), op='sum')
        dist.all_reduce(self.label_bounds, op='max')
        self.check_labels()

    def check_labels(self) -> None:
        """Raise naming the first kind of label outside ``[0, C)`` seen."""
        neg_low, high = self.label_bounds.tolist()
        if neg_low > 0 or high >= self.num_classes:
            bad = -neg_low if neg_low > 0 else high
            raise ValueError(
                f'Label {bad} is outside [0, {self.num_classes}): set '
                'num_classes of the head, the MCMI loss and the CMI metric '
                'to the number of classes of the dataset.')

    @property
    def seen(self) -> torch.Tensor:
        """Classes with positive mass, (C,) bool."""
        return self.class_mass > 0

    def centroid_rows(self, rows: torch.Tensor) -> torch.Tensor:
        """Centroids Q of the given classes, (len(rows), C)."""
        self.check_labels()
        rows = rows.to(self.prob_sums.device)
        mass = self.class_mass[rows].unsqueeze(1)
        return torch.where(mass > 0, self.prob_sums[rows]
                           / mass.clamp_min(_TINY), 0.0)

    def centroids(self) -> torch.Tensor:
        """Class centroids Q, (C, C); rows of unseen classes are zero."""
        return self.centroid_rows(torch.arange(self.num_classes))

    def cmi(self) -> float:
        """Conditional mutual information I(X; Yhat | Y) in nats."""
        if self.num_samples <= 0:
            raise ValueError('CMI of an empty split: no sample was seen.')
        prior = self.class_mass / self.num_samples
        centroid_entropy = (prior * entropy(self.centroids())).sum()
        cmi = (centroid_entropy - self.entropy_sum / self.num_samples).item()
        return max(cmi, 0.0)   # >= 0 in exact arithmetic; drop rounding

    def cross_entropy(self) -> float:
        """Mean cross-entropy -log P_x(y) of the labels, nats."""
        if self.num_samples <= 0:
            raise ValueError('Cross-entropy of an empty split: no sample '
                             'was seen.')
        return (self.nll_sum / self.num_samples).item()

    def separation(self) -> float:
        """Gamma: pi-weighted mean of KL(Q_y || Q_y') over y != y'.

        ``sum_{a,b} pi_a pi_b KL(Q_a || Q_b) = S sum_a pi_a (-H(Q_a))
        - sum_c (pi Q)_c (pi log Q)_c`` with ``S = sum pi``: O(C^2).
        """
        q = self.centroids()[self.seen]
        prior = self.class_mass[self.seen] / self.num_samples
        if q.size(0) < 2:
            raise ValueError('Centroid separation needs at least two '
                             'classes with samples.')
        log_q = q.clamp_min(_TINY).log()
        total = prior.sum()
        first = total * (prior * (q * log_q).sum(1)).sum()
        second = ((prior @ q) * (prior @ log_q)).sum()
        # a difference of two sums: below rounding of their size it is 0
        if first - second <= _ROUNDING * (first.abs() + second.abs()):
            return 0.0
        pair_weight = total ** 2 - (prior ** 2).sum()
        return ((first - second) / pair_weight).item()

    def ncmi(self) -> float:
        """Normalised CMI: CMI / separation; NaN when the separation is 0
        (all centroids equal, e.g. a collapsed model)."""
        separation = self.separation()
        return self.cmi() / separation if separation > 0 else float('nan')
