"""k-means codebooks of class posteriors, and the teacher's frozen one.

The default estimator quantises the teacher's and the student's posteriors
with ONE codebook fitted on the teacher's: a student equal to the teacher
then has the same codes (zero unique information), and I(Y; T') is a fixed
ruler for every student checkpoint measured against it.
"""
from dataclasses import dataclass
from typing import Optional

import numpy as np

from .probe import cross_fitted_posteriors
from .validation import check_class_counts


def _plus_plus(x: np.ndarray, k: int, rng: np.random.Generator):
    centres = [x[rng.integers(len(x))]]
    closest = ((x - centres[0]) ** 2).sum(1)
    for _ in range(1, k):
        total = closest.sum()
        pick = rng.choice(len(x), p=closest / total) if total > 0 else \
            rng.integers(len(x))
        centres.append(x[pick])
        closest = np.minimum(closest, ((x - x[pick]) ** 2).sum(1))
    return np.array(centres)


def assign(x: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Index (N,) of the nearest centroid (squared Euclidean)."""
    distance = (x ** 2).sum(1)[:, None] - 2 * x @ centroids.T \
        + (centroids ** 2).sum(1)[None]
    return distance.argmin(1)


def kmeans(x: np.ndarray, k: int, seed: int = 0, n_init: int = 4,
           max_iter: int = 100) -> np.ndarray:
    """Centroids (k, d) of the best of ``n_init`` k-means++ / Lloyd runs.

    An empty cluster keeps its centroid (it then holds no codes).
    """
    rng = np.random.default_rng(seed)
    best, best_cost = None, np.inf
    for _ in range(n_init):
        centroids = _plus_plus(x, k, rng)
        for _ in range(max_iter):
            codes = assign(x, centroids)
            members = np.eye(k)[codes]            # (N, k) one-hot
            sums, counts = members.T @ x, members.sum(0)
            moved = np.where(counts[:, None] > 0,
                             sums / np.maximum(counts, 1)[:, None], centroids)
            if np.allclose(moved, centroids, rtol=0, atol=1e-12):
                break
            centroids = moved
        cost = ((x - centroids[assign(x, centroids)]) ** 2).sum()
        if cost < best_cost:
            best, best_cost = centroids, cost
    return best


@dataclass(frozen=True)
class TeacherCodebook:
    """The teacher side of the estimator, frozen for a run.

    Attributes:
        labels: (N,) class codes ``0..C-1`` it was fitted on.
        num_classes: C.
        centroids: (k, C) codebook of the teacher's held-out posteriors.
        teacher_codes: (N,) the teacher's codes.
        probe_bits: the teacher's probe bound ``H(Y) - CE`` (bits).
        seed: seed of the probe folds and of k-means.
        folds: cross-fitting folds of the probe.
        null: the same fitted on permuted labels (``labels`` permuted), for
            the permutation-null floor; None if not requested.
    """

    labels: np.ndarray
    num_classes: int
    centroids: np.ndarray
    teacher_codes: np.ndarray
    probe_bits: float
    seed: int
    folds: int
    null: Optional['TeacherCodebook'] = None

    @property
    def k(self) -> int:
        return len(self.centroids)

    def encode(self, x: np.ndarray, labels: np.ndarray):
        """A student's codes (N,) and probe bound: its held-out posteriors
        (probe fitted on ``labels`` with this codebook's folds) assigned to
        the teacher's centroids."""
        probe = cross_fitted_posteriors(labels, x, self.num_classes,
                                        self.folds, self.seed)
        return assign(probe.posteriors, self.centroids), probe.probe_bits


def fit_teacher_codebook(y: np.ndarray, t: np.ndarray, num_classes: int,
                         k: int, seed: int = 0, folds: int = 2,
                         null: bool = True) -> TeacherCodebook:
    """Probe the teacher features ``t`` (N, d_T), fit k centroids on its
    posteriors; with ``null``, also on labels permuted with ``seed``."""
    check_class_counts(y, num_classes, folds)
    probe = cross_fitted_posteriors(y, t, num_classes, folds, seed)
    centroids = kmeans(probe.posteriors, k, seed)
    permuted = None
    if null:
        shuffled = np.random.default_rng(seed).permutation(y)
        permuted = fit_teacher_codebook(shuffled, t, num_classes, k, seed,
                                        folds, null=False)
    return TeacherCodebook(y, num_classes, centroids,
                           assign(probe.posteriors, centroids),
                           probe.probe_bits, seed, folds, permuted)
