"""The authors' discretisation (``mode='paper'``), for comparison only.

Dissanayake et al. (AISTATS 2025) row-L2-normalise each representation,
project it to 5 principal components and cluster T and S separately with
k-means (3-5 clusters). Nothing ties the result to the class information:
an invertible linear map of T changes the clusters, and so the atoms
(docs/pid.md shows the size of the effect).
"""
import numpy as np

from .codebook import assign, kmeans

PAPER_DIMENSIONS = 5
PAPER_K = 5


def paper_codes(x: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Cluster index (N,) of features (N, d): L2 rows, PCA(5), k-means."""
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    x = x - x.mean(0)
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    reduced = x @ vt[:PAPER_DIMENSIONS].T
    return assign(reduced, kmeans(reduced, k, seed))
