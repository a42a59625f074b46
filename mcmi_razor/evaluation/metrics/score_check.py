"""Checks that a stream of predicted scores are probability rows, without
a host read per batch."""
import math

import torch
from mmengine import dist

from mcmi_razor.models.utils import accumulation_dtype, row_sum_tolerance

_LOGITS_FIX = ("these look like logits; pass softmax probabilities (the "
               "head's pred_score, i.e. logits.softmax(1))")


class ProbabilityRowCheck:
    """Counts, on the scores' device, the rows of (N, C) score batches that
    are not finite probability distributions; :meth:`raise_if_bad` reads
    the counts once, at the end.

    A row passes if every entry is finite and >= 0 and the row sums to 1
    within :func:`~mcmi_razor.models.utils.row_sum_tolerance` of its dtype
    (1e-3 for float32 and float64, 0.0625 for bfloat16).

    Args:
        owner (str): names the caller in the error.
    """

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.batches = 0
        self.rows = 0
        # rows with NaN/inf, with a negative entry, with |sum - 1| > tol;
        # each count is exact when the kinds before it are 0
        self._counts = None
        # largest |row sum - 1|; index of the first bad batch (inf: none)
        self._worst = None
        self._first_bad = None

    def update(self, scores: torch.Tensor) -> None:
        """Count the bad rows of ``scores`` (N, C); no host read."""
        if self._counts is None:
            self._start(scores.device)
        off = (scores.sum(1, dtype=self._counts.dtype) - 1).abs_()
        counts = torch.stack([
            ~off.isfinite(),        # any NaN or inf entry makes it so
            scores.amin(1) < 0,
            off > row_sum_tolerance(scores.dtype)]).sum(1)
        self._counts += counts
        self._worst = torch.maximum(self._worst, off.amax())
        self._first_bad = torch.where(
            counts.any(), self._first_bad.clamp(max=self.batches),
            self._first_bad)
        self.batches += 1
        self.rows += len(scores)

    def _start(self, device: torch.device) -> None:
        kw = dict(dtype=accumulation_dtype(device), device=device)
        self._counts = torch.zeros(3, **kw)
        self._worst = torch.zeros((), **kw)
        self._first_bad = torch.full((), math.inf, **kw)

    def raise_if_bad(self) -> None:
        """Sum over ranks (every rank raises alike), read once, and raise
        a ValueError naming the first kind of bad row found."""
        if self._counts is None:    # no batch on this rank
            self._start(torch.device('cpu'))
        rows = torch.tensor(float(self.rows), dtype=self._counts.dtype)
        for value, op in ((self._counts, 'sum'), (rows, 'sum'),
                          (self._worst, 'max'), (self._first_bad, 'min')):
            dist.all_reduce(value, op=op)
        non_finite, negative, off_sum, rows, worst, first = torch.cat([
            self._counts, rows.view(1).to(self._counts),
            self._worst.view(1), self._first_bad.view(1)]).tolist()
        if not (non_finite or negative or off_sum):
            return
        where = f'(first in batch {int(first)})'
        if non_finite:
            raise ValueError(
                f'{self.owner} pred_score must be finite probabilities, but '
                f'{non_finite:.0f} of {rows:.0f} rows hold NaN or inf '
                f'{where}: the model diverged or its checkpoint is broken. '
                'Evaluate an earlier checkpoint (FiniteOutputsHook stops '
                'such runs at the first batch).')
        if negative:
            raise ValueError(
                f'{self.owner} pred_score must be probabilities, but '
                f'{negative:.0f} of {rows:.0f} rows have negative entries '
                f'{where}: {_LOGITS_FIX}.')
        raise ValueError(
            f'{self.owner} pred_score rows must sum to 1, but {off_sum:.0f} '
            f'of {rows:.0f} rows do not {where}; the largest |sum - 1| is '
            f'{worst:g}. Normalise them (scores / scores.sum(1, '
            'keepdim=True)), or, if they are raw model outputs, '
            f'{_LOGITS_FIX}.')
