"""Paired differences between the runs of two arms of a study and their
95% t-interval.

Runs are paired by a key both arms share (e.g. ``(teacher seed, student
seed)``): the difference of a metric between the two runs of one key is
one pair.
"""
import math
import statistics
from typing import Hashable, List, Mapping, Optional, Sequence, Tuple

#: Two-sided 95% quantiles of Student's t for 1-30 degrees of freedom.
T_975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262,
         2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101,
         2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052,
         2.048, 2.045, 2.042)


Z_975 = 1.959964


def t_975(dof: int) -> float:
    """The 97.5% quantile of Student's t with ``dof`` >= 1 degrees of
    freedom: the table above, and beyond 30 the normal quantile ``z`` with
    the first two terms of its Cornish-Fisher expansion (within 0.0002 of
    the exact value there)."""
    if dof < 1:
        raise ValueError(f'dof must be >= 1, got {dof}.')
    if dof <= len(T_975):
        return T_975[dof - 1]
    z = Z_975
    return (z + (z**3 + z) / (4 * dof)
            + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * dof**2))


def paired_interval(differences: Sequence[float]
                    ) -> Tuple[float, float, float]:
    """Mean and 95% t-interval (low, high) of paired differences; NaN
    bounds for fewer than two pairs, NaN mean for none."""
    n = len(differences)
    if n == 0:
        return math.nan, math.nan, math.nan
    mean = statistics.fmean(differences)
    if n < 2:
        return mean, math.nan, math.nan
    half = t_975(n - 1) * statistics.stdev(differences) / math.sqrt(n)
    return mean, mean - half, mean + half


def paired_differences(runs: Mapping[Hashable, Mapping],
                       baseline: Mapping[Hashable, Mapping],
                       metric: str) -> List[float]:
    """``runs[k][metric] - baseline[k][metric]`` for every key ``k`` of
    both, in sorted key order; a pair with a None value is left out."""
    pairs = []
    for key in sorted(runs.keys() & baseline.keys()):
        value, other = runs[key][metric], baseline[key][metric]
        if value is not None and other is not None:
            pairs.append(value - other)
    return pairs


def format_interval(low: Optional[float], high: Optional[float],
                    digits: int = 2) -> str:
    """``'[-0.31, +0.34]'``; ``'-'`` for a missing (None or NaN) bound."""
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return '-'
    return f'[{low:+.{digits}f}, {high:+.{digits}f}]'
