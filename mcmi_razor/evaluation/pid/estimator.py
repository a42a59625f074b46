"""``pid(y, T, S)``: the partial information decomposition of a teacher and
a student representation about the labels, in bits.

Default (``mode='probe'``): cross-fitted linear posterior probe on each
representation, one k-means codebook fitted on the teacher's posteriors and
used for both, plug-in table ``p(y, t', s')``, exact BROJA, Miller-Madow.
See docs/pid.md for the choices and their limits.
"""
from typing import Union

import numpy as np

from mcmi_razor.utils.arguments import (
    bool_argument,
    choice_argument,
    integer_argument,
)

from .broja import PIDAtoms, atoms_from_union, union_information
from .codebook import TeacherCodebook, assign, fit_teacher_codebook, kmeans
from .information import (
    entropy_bits,
    miller_madow_bits,
    mutual_information_bits,
)
from .paper import PAPER_K, paper_codes
from .probe import cross_fitted_posteriors
from .result import PIDResult
from .validation import (
    check_class_counts,
    check_features,
    check_k,
    check_labels,
    resolve_k,
)

MODES = ('probe', 'paper')
# BROJA sweeps per estimate: near-independent tables (the null) converge
# slowly; at 5000 sweeps U* was within 2e-5 bits of a 50,000-sweep solve in
# our check (benchmarks/bench_pid.py's null), far below sampling error.
ESTIMATOR_SWEEPS = 5000
CODEBOOKS = ('teacher', 'separate')


def joint_counts(y: np.ndarray, t: np.ndarray, s: np.ndarray,
                 shape: tuple) -> np.ndarray:
    """Counts ``(C, K_T, K_S)`` of the code triples (each (N,))."""
    cells = np.ravel_multi_index((y, t, s), shape)
    return np.bincount(cells, minlength=int(np.prod(shape))).reshape(shape)


def decompose_counts(counts: np.ndarray, bias_correct: bool = True) -> \
        PIDAtoms:
    """BROJA atoms of a count table ``(C, K_T, K_S)``, in bits.

    With ``bias_correct`` the three MIs get the Miller-Madow correction
    (clipped at 0) and ``U*`` is rescaled by the corrected/plain ratio of
    I(Y; T, S) before the atoms are formed (:func:`atoms_from_union`).
    """
    by_t, by_s = counts.sum(2), counts.sum(1)
    by_ts = counts.reshape(counts.shape[0], -1)
    i_yt, i_ys, i_yts = (mutual_information_bits(c)
                         for c in (by_t, by_s, by_ts))
    union = union_information(counts, max_iter=ESTIMATOR_SWEEPS)
    if bias_correct:
        corrected = max(0.0, i_yts + miller_madow_bits(by_ts))
        union = union * corrected / i_yts if i_yts > 0 else 0.0
        i_yt = i_yt + miller_madow_bits(by_t)
        i_ys = i_ys + miller_madow_bits(by_s)
        i_yts = corrected
    return atoms_from_union(i_yt, i_ys, i_yts, union)


def _bootstrap(y, t, s, shape, bias_correct, draws, seed) -> dict:
    rng = np.random.default_rng([seed, 1])
    samples = []
    for _ in range(draws):
        pick = rng.integers(len(y), size=len(y))
        samples.append(decompose_counts(
            joint_counts(y[pick], t[pick], s[pick], shape), bias_correct))
    return {name: tuple(float(v) for v in np.percentile(
        [getattr(a, name) for a in samples], [2.5, 97.5]))
        for name in ('red', 'uni_t', 'uni_s', 'syn', 'i_yt', 'i_ys',
                     'i_yts')}


def _probe_codes(y, t, s, num_classes, k, codebook, seed, null):
    """Teacher codes, student codes (N,) and their probe bounds (bits)."""
    if isinstance(codebook, TeacherCodebook):
        if codebook.labels.shape != y.shape or \
                not np.array_equal(codebook.labels, y):
            raise ValueError(
                'The TeacherCodebook was fitted on other labels: pass the '
                'same y (same images, same order) it was fitted with.')
        reference = codebook
    elif codebook == 'teacher':
        reference = fit_teacher_codebook(y, t, num_classes, k, seed,
                                         null=null)
    else:
        check_class_counts(y, num_classes, 2)
        post_t = cross_fitted_posteriors(y, t, num_classes, seed=seed)
        post_s = cross_fitted_posteriors(y, s, num_classes, seed=seed)
        codes_t = assign(post_t.posteriors, kmeans(post_t.posteriors, k, seed))
        codes_s = assign(post_s.posteriors, kmeans(post_s.posteriors, k, seed))
        return codes_t, codes_s, post_t.probe_bits, post_s.probe_bits
    codes_s, probe_s = reference.encode(s, y)
    return reference.teacher_codes, codes_s, reference.probe_bits, probe_s


def _null_atoms(y, t, s, num_classes, k, codebook, seed,
                bias_correct) -> PIDAtoms:
    """The probe pipeline again with labels permuted (seeded)."""
    if isinstance(codebook, TeacherCodebook):
        if codebook.null is None:
            raise ValueError('This TeacherCodebook has no null: fit it with '
                             'null=True, or call pid(..., null=False).')
        shuffled, codebook = codebook.null.labels, codebook.null
    else:
        shuffled = np.random.default_rng(seed).permutation(y)
    codes_t, codes_s, _, _ = _probe_codes(shuffled, t, s, num_classes, k,
                                          codebook, seed, null=False)
    return decompose_counts(joint_counts(shuffled, codes_t, codes_s, (
        num_classes, k, k)), bias_correct)


def pid(y, T, S, k: Union[int, str] = 'auto',
        codebook: Union[str, TeacherCodebook] = 'teacher',
        mode: str = 'probe', bias_correct: bool = True, bootstrap: int = 0,
        seed: int = 0, null: bool = True) -> PIDResult:
    """Red, Uni and Syn of teacher T and student S about labels y, in bits.

    Args:
        y: (N,) class labels (any hashable values; >= 2 classes).
        T: (N, d_T) teacher features, or None when ``codebook`` is a
            :class:`TeacherCodebook` (it holds the teacher's codes).
        S: (N, d_S) student features of the same images, same order.
        k: codebook size, or ``'auto'``: ``clip(floor(sqrt(N / (10 C))),
            2, 2C)`` (``5`` in paper mode). Warns when ``N < 10 C k^2``.
        codebook: ``'teacher'`` (one codebook fitted on the teacher's
            posteriors, the default), ``'separate'`` (one per
            representation, an ablation), or a frozen
            :class:`TeacherCodebook` from :func:`fit_teacher_codebook`
            (then ``k`` is its own).
        mode: ``'probe'`` (default) or ``'paper'`` (the authors'
            L2 + PCA(5) + separate k-means; ``codebook`` is ignored).
        bias_correct: Miller-Madow correction of the MIs. Defaults to True.
        bootstrap: number of bootstrap draws of the samples (codes fixed)
            for 95% percentile intervals; 0 for none.
        seed: seeds the probe folds, k-means, the permutation and the
            bootstrap; an int >= 0.
        null: also estimate the atoms with permuted labels (doubles the
            cost). Defaults to True.

    Raises:
        TypeError, ValueError: an argument of the wrong type or value,
            named in the message (checked before any work is done).

    Returns:
        PIDResult: the atoms, the MIs, H(Y), probe bounds, null, intervals.
    """
    owner = 'pid()'
    choice_argument(owner, 'mode', mode, MODES)
    frozen = isinstance(codebook, TeacherCodebook)
    if not frozen:
        choice_argument(owner, 'codebook', codebook, CODEBOOKS,
                        hint='Or pass a TeacherCodebook from '
                        'fit_teacher_codebook.')
        check_k(owner, k)
    bias_correct = bool_argument(owner, 'bias_correct', bias_correct)
    bootstrap = integer_argument(owner, 'bootstrap', bootstrap, 0,
                                 hint='0 for no intervals; 1000 is usual.')
    seed = integer_argument(owner, 'seed', seed, 0)
    null = bool_argument(owner, 'null', null)
    if frozen and mode == 'paper':
        raise ValueError("mode='paper' clusters T and S separately: pass "
                         "codebook='teacher' (ignored) or use mode='probe'.")
    y, num_classes = check_labels(y)
    if frozen and T is None:
        t = None
    else:
        t = check_features('T', T, len(y))
    s = check_features('S', S, len(y))
    if frozen:
        k = codebook.k   # checked when it was fitted
    else:
        k = resolve_k(k, len(y), num_classes,
                      auto=PAPER_K if mode == 'paper' else None)
    if mode == 'paper':
        codes_t, codes_s = paper_codes(t, k, seed), paper_codes(s, k, seed)
        probe_t = probe_s = None
    else:
        codes_t, codes_s, probe_t, probe_s = _probe_codes(
            y, t, s, num_classes, k, codebook, seed, null)
    shape = (num_classes, k, k)
    atoms = decompose_counts(joint_counts(y, codes_t, codes_s, shape),
                             bias_correct)
    null_atoms = None
    if null and mode == 'paper':
        shuffled = np.random.default_rng(seed).permutation(y)
        null_atoms = decompose_counts(
            joint_counts(shuffled, codes_t, codes_s, shape), bias_correct)
    elif null:
        null_atoms = _null_atoms(y, t, s, num_classes, k, codebook, seed,
                                 bias_correct)
    intervals = _bootstrap(y, codes_t, codes_s, shape, bias_correct,
                           bootstrap, seed) if bootstrap else {}
    h_y = entropy_bits(np.bincount(y) / len(y))
    return PIDResult(**atoms.as_dict(), h_y=h_y, probe_t=probe_t,
                     probe_s=probe_s, null=null_atoms, k=k,
                     num_samples=len(y), num_classes=num_classes, mode=mode,
                     bias_corrected=bias_correct, intervals=intervals)
