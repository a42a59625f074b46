"""Label targets as (sample, class, weight) triples, checked once.

A hard label is one triple per sample; a mixup / cutmix score row has k
non-zero classes (2 for a mix of two images). Keeping only the non-zero
entries lets the MCMI loss and the online centroid update touch k rows of
the C x C centroid matrix per sample instead of all C.
"""
from dataclasses import dataclass
from typing import Optional

import torch

# A score matrix with more non-zero entries per sample than this is used
# densely: gathering k centroid rows per sample costs k (N, C) tensors.
SPARSE_MAX_CLASSES = 8


def row_sum_tolerance(dtype: torch.dtype) -> float:
    """How far a row of probabilities or label weights stored in ``dtype``
    may sum from 1: 1e-3, or 8 ulps of 1 where that is coarser
    (bfloat16: 0.0625, float16: 0.0078)."""
    return max(1e-3, 8 * torch.finfo(dtype).eps)


@dataclass
class LabelTargets:
    """Non-zero target weights of a batch of N samples over C classes.

    Attributes:
        rows (Tensor): sample index of each entry, (M,) int64.
        cols (Tensor): class index of each entry, (M,) int64.
        weights (Tensor): target weight of each entry, (M,) float32.
        num_samples (int): N.
        num_classes (int): C.
        hard (bool): one entry per sample, ``rows == arange(N)``.
        top (Tensor): class of largest weight per sample, (N,) int64.
        dense (Tensor, optional): the (N, C) score matrix when it has more
            than ``SPARSE_MAX_CLASSES`` non-zero entries per sample.
    """

    rows: torch.Tensor
    cols: torch.Tensor
    weights: torch.Tensor
    num_samples: int
    num_classes: int
    hard: bool
    top: torch.Tensor
    dense: Optional[torch.Tensor] = None

    @classmethod
    def from_label(cls, label: torch.Tensor,
                   num_classes: int) -> 'LabelTargets':
        """Targets from class indices (N,) or label scores (N, C).

        The caller checks values (range, sign, sums); this only reshapes.
        """
        if label.ndim == 1:
            label = label.long()
            rows = torch.arange(len(label), device=label.device)
            ones = torch.ones(len(label), device=label.device)
            return cls(rows, label, ones, len(label), num_classes,
                       hard=True, top=label)
        scores = label.float()
        rows, cols = scores.nonzero(as_tuple=True)
        dense = (scores if len(rows) > SPARSE_MAX_CLASSES * len(scores)
                 else None)
        return cls(rows, cols, scores[rows, cols], len(scores), num_classes,
                   hard=False, top=scores.argmax(1), dense=dense)

    def mass(self) -> torch.Tensor:
        """Total target weight per sample, (N,)."""
        if self.hard:
            return self.weights
        return torch.zeros(self.num_samples, device=self.weights.device
                           ).index_add_(0, self.rows, self.weights)

    def weighted_sum(self, values: torch.Tensor) -> torch.Tensor:
        """``sum_y t_y values[n, y]`` for values (N, C); returns (N,)."""
        if self.hard:
            return values.gather(1, self.cols.unsqueeze(1)).squeeze(1)
        picked = values[self.rows, self.cols]
        return torch.zeros(self.num_samples, dtype=values.dtype,
                           device=values.device).index_add_(
                               0, self.rows, picked * self.weights)

    def mix_rows(self, table: torch.Tensor) -> torch.Tensor:
        """``sum_y t_y table[y]`` per sample for a (C, D) table; (N, D).

        Hard labels gather one row per sample; sparse scores gather k rows
        and add them up: O(N k D) instead of the O(N C D) product.
        """
        if self.dense is not None:
            return self.dense @ table.float()
        picked = table.index_select(0, self.cols).float()
        if self.hard:
            return picked
        return torch.zeros(self.num_samples, table.size(1),
                           device=table.device).index_add_(
                               0, self.rows, picked * self.weights[:, None])

    def class_sums(self, values: torch.Tensor):
        """Per present class: its id, ``sum_n t_ny values[n]`` and mass.

        Args:
            values (Tensor): (N, D), e.g. probabilities; sets the dtype.

        Returns:
            (classes (U,) int64, sums (U, D), mass (U,)) for the U distinct
            classes with a non-zero weight.
        """
        weights = self.weights.to(values.dtype)
        if self.dense is not None:
            dense = self.dense.to(values.dtype)
            mass = dense.sum(0)
            classes = mass.nonzero().flatten()
            return classes, dense[:, classes].T @ values, mass[classes]
        classes, slot = torch.unique(self.cols, return_inverse=True)
        sums = values.new_zeros(len(classes), values.size(1)).index_add_(
            0, slot, values.index_select(0, self.rows) * weights[:, None])
        mass = values.new_zeros(len(classes)).index_add_(0, slot, weights)
        return classes, sums, mass
