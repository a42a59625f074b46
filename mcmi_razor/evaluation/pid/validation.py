"""Input checks of the PID estimator and its sample-size rule.

Rule: the ``C x k x k`` table of ``(y, t', s')`` needs about ten samples per
cell, ``N >= 10 C k^2``; the automatic k is the largest that fits, clipped
to ``[2, 2C]``.
"""
import math
import warnings
from typing import Optional, Tuple, Union

import numpy as np

from mcmi_razor.utils.arguments import choice_argument, integer_argument


class PIDSampleSizeWarning(UserWarning):
    """Too few samples for the requested codebook size."""


def largest_k(num_samples: int, num_classes: int) -> int:
    """Largest k with ``N >= 10 C k^2`` (may be < 2)."""
    return math.isqrt(num_samples // (10 * num_classes))


def check_k(owner: str, k: Union[int, str]) -> Union[int, str]:
    """``k`` after checking it is ``'auto'`` or an int >= 2."""
    if isinstance(k, str):
        return choice_argument(owner, 'k', k, ('auto', ),
                               hint='Or give an integer >= 2.')
    return integer_argument(owner, 'k', k, 2, hint="Or give k='auto'.")


def resolve_k(k: Union[int, str], num_samples: int, num_classes: int,
              auto: Optional[int] = None) -> int:
    """The codebook size to use; warns when N is below the rule.

    Args:
        k: an int >= 2, or ``'auto'``.
        auto: what ``'auto'`` means; defaults to
            ``clip(floor(sqrt(N / (10 C))), 2, 2 C)``.
    """
    allowed = largest_k(num_samples, num_classes)
    if check_k('PID', k) == 'auto':
        k = auto if auto is not None else min(max(allowed, 2), 2 * num_classes)
    if k > allowed:
        fix = (f'use k <= {allowed}' if allowed >= 2 else
               f'use at least {40 * num_classes} samples (k = 2)')
        warnings.warn(
            f'N = {num_samples} samples is below the rule N >= 10 C k^2 = '
            f'{10 * num_classes * k * k} for C = {num_classes}, k = {k}: the '
            f'plug-in table is too sparse and the atoms are biased; {fix}, '
            'or group classes.', PIDSampleSizeWarning, stacklevel=3)
    return int(k)


def check_labels(y) -> Tuple[np.ndarray, int]:
    """Labels as codes ``0..C-1`` (N,) and C; needs >= 2 classes."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f'y must be a 1-D array of N labels, got shape '
                         f'{y.shape}: pass class indices, not one-hot rows.')
    if y.dtype.kind == 'f' and not np.isfinite(y).all():
        raise ValueError('y contains NaN or inf: pass integer class labels.')
    classes, codes = np.unique(y, return_inverse=True)
    if len(classes) < 2:
        raise ValueError(
            f'y holds {len(classes)} class(es); information about Y needs at '
            'least 2: evaluate on a split with several classes.')
    return codes.astype(np.int64), len(classes)


def check_features(name: str, x, num_samples: int) -> np.ndarray:
    """Features as a finite float64 ``(N, d)`` array (1-D becomes (N, 1))."""
    if hasattr(x, 'detach'):
        x = x.detach().cpu().numpy()
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2:
        raise ValueError(
            f'{name} must be (N, d) features, got shape {x.shape}: pool or '
            'flatten feature maps first (e.g. global average pooling).')
    if len(x) != num_samples:
        raise ValueError(
            f'{name} has {len(x)} rows but y has {num_samples} labels: T, S '
            'and y must come from the same images in the same order.')
    bad = ~np.isfinite(x)
    if bad.any():
        rows = np.flatnonzero(bad.any(1))
        raise ValueError(
            f'{name} has NaN/inf in {len(rows)} rows (first: {rows[:5]}): a '
            'diverged model or a broken feature hook; fix the features or '
            'drop those samples from y, T and S alike.')
    return x


def check_class_counts(y: np.ndarray, num_classes: int, folds: int) -> None:
    """Each class needs a sample in every fold of the cross-fitted probe."""
    counts = np.bincount(y, minlength=num_classes)
    if counts.min() < folds:
        raise ValueError(
            f'Class index {int(counts.argmin())} has {int(counts.min())} '
            f'sample(s); the {folds}-fold cross-fitted probe needs >= {folds} '
            'per class: use a larger split or drop that class.')
