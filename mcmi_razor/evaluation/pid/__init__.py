"""Partial information decomposition of a teacher and a student about Y.

``pid(y, T, S)`` returns Red (already distilled), Uni(Y:T\\S) (still
distillable), Uni(Y:S\\T) and Syn in bits; ``broja_pid(table)`` decomposes a
discrete table exactly. See docs/pid.md.
"""
from .broja import PIDAtoms, broja_pid, union_information
from .codebook import TeacherCodebook, fit_teacher_codebook
from .estimator import decompose_counts, joint_counts, pid
from .result import PIDResult
from .validation import PIDSampleSizeWarning, largest_k, resolve_k

__all__ = [
    'PIDAtoms', 'PIDResult', 'PIDSampleSizeWarning', 'TeacherCodebook',
    'broja_pid', 'decompose_counts', 'fit_teacher_codebook', 'joint_counts',
    'largest_k', 'pid', 'resolve_k', 'union_information'
]
