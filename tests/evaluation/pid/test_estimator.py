"""Acceptance properties of pid(y, T, S) on synthetic Gaussian classes."""
import numpy as np
import pytest

from mcmi_razor.evaluation.pid import (
    PIDSampleSizeWarning,
    fit_teacher_codebook,
    largest_k,
    pid,
)

N, C, D = 2000, 4, 6


@pytest.fixture(scope='module')
def data():
    rng = np.random.default_rng(0)
    y = rng.integers(C, size=N)
    means = rng.normal(size=(C, D)) * 1.2
    teacher = means[y] + rng.normal(size=(N, D))
    return rng, y, teacher


def test_a_copy_and_an_invertible_map_of_the_teacher_are_pure_redundancy(
        data):
    rng, y, teacher = data
    mixing = rng.normal(size=(D, D)) + 3 * np.eye(D)
    for student in (teacher.copy(), teacher @ mixing + 5.0):
        r = pid(y, teacher, student, null=False)
        assert (r.uni_t, r.uni_s, r.syn) == (0.0, 0.0, 0.0)
        assert r.red == r.i_yt > 0.5
        assert r.i_yt <= r.h_y


def test_an_independent_student_leaves_all_information_unique_to_teacher(
        data):
    rng, y, teacher = data
    r = pid(y, teacher, rng.normal(size=(N, 3)))
    assert r.red <= max(r.null_floor, 0.01)
    assert r.uni_s <= max(r.null_floor, 0.01)
    assert r.uni_t == pytest.approx(r.i_yt, abs=0.01)


def test_a_noisy_garbling_has_no_unique_information_of_its_own(data):
    rng, y, teacher = data
    student = teacher[:, :3] + rng.normal(size=(N, 3))
    r = pid(y, teacher, student, null=False)
    assert r.uni_s <= 0.01
    assert r.red == pytest.approx(r.i_ys, abs=0.01)
    assert 0.05 < r.red < r.i_yt


def test_identities_hold_and_the_probe_bound_is_reported(data):
    rng, y, teacher = data
    r = pid(y, teacher, teacher[:, :2] + rng.normal(size=(N, 2)), null=False)
    assert r.red + r.uni_t == pytest.approx(r.i_yt, abs=1e-9)
    assert r.red + r.uni_s == pytest.approx(r.i_ys, abs=1e-9)
    assert r.red + r.uni_t + r.uni_s + r.syn == pytest.approx(r.i_yts,
                                                              abs=1e-9)
    assert r.probe_t > r.probe_s > 0


def test_permuted_labels_give_a_null_below_a_hundredth_of_a_bit(data):
    rng, y, teacher = data
    shuffled = rng.permutation(y)
    r = pid(shuffled, teacher, teacher[:, :3] + rng.normal(size=(N, 3)))
    assert max(r.red, r.uni_t, r.uni_s, r.syn) <= 0.01
    assert r.null_floor <= 0.01


def test_paper_mode_is_not_invariant_to_an_invertible_map(data):
    rng, y, teacher = data
    mixing = rng.normal(size=(D, D))
    r = pid(y, teacher, teacher @ mixing, mode='paper', bias_correct=False,
            null=False)
    assert r.uni_t + r.uni_s > 0.05   # the default gives exactly 0 here


def test_a_frozen_codebook_gives_the_same_result_as_fitting_it(data):
    rng, y, teacher = data
    student = teacher[:, :3] + rng.normal(size=(N, 3))
    codebook = fit_teacher_codebook(y, teacher, C, k=5, seed=3)
    frozen = pid(y, None, student, codebook=codebook, seed=3)
    fitted = pid(y, teacher, student, k=5, seed=3)
    assert frozen == fitted
    with pytest.raises(ValueError, match='other labels'):
        pid(np.roll(y, 1), None, student, codebook=codebook)


def test_bootstrap_intervals_bracket_the_estimate(data):
    rng, y, teacher = data
    r = pid(y, teacher, teacher[:, :3] + rng.normal(size=(N, 3)),
            bootstrap=8, null=False)
    low, high = r.intervals['red']
    assert low <= r.red <= high and high - low < 0.2


def test_bad_inputs_are_refused_with_the_fix(data):
    rng, y, teacher = data
    with pytest.raises(ValueError, match='same images in the same order'):
        pid(y[:-1], teacher, teacher)
    broken = teacher.copy()
    broken[3, 1] = np.nan
    with pytest.raises(ValueError, match='NaN/inf'):
        pid(y, teacher, broken)
    with pytest.raises(ValueError, match='at least 2'):
        pid(np.zeros(N), teacher, teacher)
    with pytest.raises(ValueError, match="'auto'"):
        pid(y, teacher, teacher, k=1)


def test_too_few_samples_for_k_warns_with_the_largest_k_allowed(data):
    rng, y, teacher = data
    assert largest_k(N, C) == 7
    with pytest.warns(PIDSampleSizeWarning, match='use k <= 7'):
        pid(y, teacher, teacher, k=8, null=False)
