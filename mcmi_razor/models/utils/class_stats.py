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
  ``KL(Q_y || Q_y')`` over classes ``y != y'`` (centroid separation).

Sums add across batches and across ranks (:meth:`all_reduce`), so a sharded
pass equals a single-process pass over the same samples.
"""
from typing import Optional

import torch
from mmengine import dist

_TINY = 1e-30


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


class ClassConditionalStats:
    """Accumulator of the sums above for ``num_classes`` classes."""

    def __init__(self, num_classes: int,
                 device: Optional[torch.device] = None) -> None:
        self.num_classes = num_classes
        kw = dict(dtype=torch.float64, device=device)
        self.prob_sums = torch.zeros(num_classes, num_classes, **kw)
        self.class_mass = torch.zeros(num_classes, **kw)
        self.entropy_sum = torch.zeros((), **kw)
        self.num_samples = torch.zeros((), **kw)

    def update(self, probs: torch.Tensor, targets: torch.Tensor) -> None:
        """Add a batch.

        Args:
            probs (Tensor): softmax outputs, (N, C).
            targets (Tensor): labels (N,), or per-class weights (N, C) for
                soft labels (a row of zeros excludes its sample).
        """
        probs = probs.detach().to(self.prob_sums)
        if targets.ndim == 1:   # hard labels: scatter-add, no matmul
            labels = check_labels(targets, self.num_classes).to(
                probs.device)
            self.prob_sums.index_add_(0, labels, probs)
            self.class_mass += torch.bincount(labels,
                                              minlength=self.num_classes)
            self.entropy_sum += entropy(probs).sum()
            self.num_samples += len(labels)
            return
        weights = to_soft_targets(targets, self.num_classes).to(probs)
        sample_weight = weights.sum(1)
        self.prob_sums += weights.T @ probs
        self.class_mass += weights.sum(0)
        self.entropy_sum += (sample_weight * entropy(probs)).sum()
        self.num_samples += sample_weight.sum()

    def merge(self, other: 'ClassConditionalStats') -> None:
        """Add the sums of ``other`` to these."""
        for name in ('prob_sums', 'class_mass', 'entropy_sum', 'num_samples'):
            getattr(self, name).add_(getattr(other, name).to(self.prob_sums))

    def all_reduce(self) -> None:
        """Sum the statistics over all ranks (a no-op without DDP)."""
        for name in ('prob_sums', 'class_mass', 'entropy_sum', 'num_samples'):
            dist.all_reduce(getattr(self, name), op='sum')

    @property
    def seen(self) -> torch.Tensor:
        """Classes with positive mass, (C,) bool."""
        return self.class_mass > 0

    def centroids(self) -> torch.Tensor:
        """Class centroids Q, (C, C); rows of unseen classes are zero."""
        mass = self.class_mass.clamp_min(_TINY).unsqueeze(1)
        return torch.where(self.seen.unsqueeze(1), self.prob_sums / mass,
                           torch.zeros_like(self.prob_sums))

    def cmi(self) -> float:
        """Conditional mutual information I(X; Yhat | Y) in nats."""
        if self.num_samples <= 0:
            raise ValueError('CMI of an empty split: no sample was seen.')
        prior = self.class_mass / self.num_samples
        centroid_entropy = (prior * entropy(self.centroids())).sum()
        cmi = (centroid_entropy - self.entropy_sum / self.num_samples).item()
        return max(cmi, 0.0)   # >= 0 in exact arithmetic; drop rounding

    def separation(self) -> float:
        """Gamma: pi-weighted mean of KL(Q_y || Q_y') over y != y'."""
        q = self.centroids()[self.seen]
        prior = self.class_mass[self.seen] / self.num_samples
        if q.size(0) < 2:
            raise ValueError('Centroid separation needs at least two '
                             'classes with samples.')
        log_q = q.clamp_min(_TINY).log()
        neg_entropy = (q * log_q).sum(1, keepdim=True)
        pairwise_kl = neg_entropy - q @ log_q.T
        pair_weight = prior.unsqueeze(1) * prior.unsqueeze(0)
        pair_weight.fill_diagonal_(0)
        return ((pair_weight * pairwise_kl).sum() / pair_weight.sum()).item()

    def ncmi(self) -> float:
        """Normalised CMI: CMI / separation (dimensionless)."""
        return self.cmi() / self.separation()
