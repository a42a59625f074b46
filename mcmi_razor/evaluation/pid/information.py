"""Entropies and mutual informations of discrete tables, in bits.

Plug-in values from a probability or count table, and the Miller-Madow
correction of a mutual information computed from counts.
"""
import numpy as np

LN2 = float(np.log(2.0))


def entropy_bits(p: np.ndarray) -> float:
    """Shannon entropy (bits) of a probability table of any shape."""
    p = np.asarray(p, dtype=np.float64).ravel()
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def mutual_information_bits(joint: np.ndarray) -> float:
    """Plug-in I(A; B) in bits of a joint table ``(|A|, |B|)``.

    The table may hold counts or probabilities (it is normalised).
    """
    joint = np.asarray(joint, dtype=np.float64)
    joint = joint / joint.sum()
    return max(0.0, entropy_bits(joint.sum(1)) + entropy_bits(joint.sum(0))
               - entropy_bits(joint))


def miller_madow_bits(counts: np.ndarray) -> float:
    """Miller-Madow correction (bits) to add to the plug-in I(A; B).

    Each plug-in entropy is biased low by about ``(m - 1) / (2 N)`` nats,
    ``m`` being the number of occupied cells; with
    ``I = H(A) + H(B) - H(A, B)`` the correction is
    ``(m_A + m_B - m_AB - 1) / (2 N)`` nats, negative for any table with
    more occupied joint cells than rows plus columns minus one.

    Args:
        counts: ``(|A|, |B|)`` integer counts (not probabilities).
    """
    counts = np.asarray(counts, dtype=np.float64)
    total = counts.sum()
    m_a = np.count_nonzero(counts.sum(1))
    m_b = np.count_nonzero(counts.sum(0))
    m_ab = np.count_nonzero(counts)
    return (m_a + m_b - m_ab - 1) / (2.0 * total) / LN2
