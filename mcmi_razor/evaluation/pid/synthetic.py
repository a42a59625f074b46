"""Synthetic teacher/student pairs with a known PID, for checks and docs.

Gaussian classes: ``T = mu_y + noise`` in d dimensions. Each case builds a
student from T whose decomposition is known in principle: a copy and an
invertible linear map (pure redundancy, Uni = 0), an independent student
(Red = 0, Uni_T = I(Y;T)), and a noisy garbling (Uni_S = 0).
"""
from typing import Dict, List, Sequence

import numpy as np

from .estimator import pid

CASES = ('copy', 'invertible map', 'independent', 'noisy garbling')


def gaussian_classes(num_samples: int = 10000, num_classes: int = 10,
                     dim: int = 32, separation: float = 0.6,
                     seed: int = 0):
    """Labels (N,), teacher features (N, d) and the generator used."""
    rng = np.random.default_rng(seed)
    y = rng.integers(num_classes, size=num_samples)
    means = rng.normal(size=(num_classes, dim)) * separation
    return y, means[y] + rng.normal(size=(num_samples, dim)), rng


def student(case: str, teacher: np.ndarray,
            rng: np.random.Generator) -> np.ndarray:
    """The student features (N, d_S) of ``case`` (one of CASES)."""
    n, dim = teacher.shape
    if case == 'copy':
        return teacher.copy()
    if case == 'invertible map':
        return teacher @ rng.normal(size=(dim, dim))
    if case == 'independent':
        return rng.normal(size=(n, dim // 2))
    if case == 'noisy garbling':
        return teacher[:, :dim // 4] + rng.normal(size=(n, dim // 4))
    raise ValueError(f'Unknown case {case!r}: use one of {CASES}.')


def mode_comparison(num_samples: int = 10000, num_classes: int = 10,
                    seeds: Sequence[int] = (0, 1, 2)) -> List[Dict]:
    """Rows (case, mode, seed, atoms) of ``probe`` (default) and ``paper``
    (plug-in, no correction, as the authors) on the same data; the
    estimator seed varies, the data do not."""
    y, teacher, rng = gaussian_classes(num_samples, num_classes)
    rows = []
    for case in CASES:
        features = student(case, teacher, rng)
        for mode, correct in (('probe', True), ('paper', False)):
            for seed in seeds:
                r = pid(y, teacher, features, mode=mode, bias_correct=correct,
                        seed=seed, null=False)
                rows.append(dict(case=case, mode=mode, seed=seed, k=r.k,
                                 red=r.red, uni_t=r.uni_t, uni_s=r.uni_s,
                                 syn=r.syn, i_yt=r.i_yt))
    return rows
