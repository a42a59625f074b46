"""The exact BROJA solver on tables with known decompositions."""
import itertools

import numpy as np
import pytest

from mcmi_razor.evaluation.pid import broja_pid, union_information
from mcmi_razor.evaluation.pid.information import mutual_information_bits


def gate(function) -> np.ndarray:
    """P(y, t, s) of y = f(t, s) with independent uniform bits t, s."""
    outputs = [function(t, s) for t, s in itertools.product((0, 1), (0, 1))]
    table = np.zeros((max(outputs) + 1, 2, 2))
    for (t, s), y in zip(itertools.product((0, 1), (0, 1)), outputs):
        table[y, t, s] += 0.25
    return table


def independent_source(y_to_t) -> np.ndarray:
    """T = f(Y) for a uniform bit Y; S an independent uniform bit."""
    table = np.zeros((2, 2, 2))
    for y, s in itertools.product((0, 1), (0, 1)):
        table[y, y_to_t(y), s] = 0.25
    return table


REDUNDANT = np.zeros((2, 2, 2))
REDUNDANT[0, 0, 0] = REDUNDANT[1, 1, 1] = 0.5

CASES = {
    'xor': (gate(lambda t, s: t ^ s), (0, 0, 0, 1)),
    'and': (gate(lambda t, s: t & s), (0.3112781, 0, 0, 0.5)),
    'redundant bit': (REDUNDANT, (1, 0, 0, 0)),
    'unique bit': (independent_source(lambda y: y), (0, 1, 0, 0)),
    'two-bit copy': (gate(lambda t, s: 2 * t + s), (0, 1, 1, 0)),
}


@pytest.mark.parametrize('name', CASES)
def test_gate_tables_give_their_known_atoms(name):
    table, expected = CASES[name]
    atoms = broja_pid(table)
    got = (atoms.red, atoms.uni_t, atoms.uni_s, atoms.syn)
    np.testing.assert_allclose(got, expected, atol=1e-6)


def brute_force_union(table: np.ndarray, steps: int = 121) -> float:
    """min I_Q(Y;T,S) over Delta_P for binary T, S and two classes: each
    class has one free cell Q(y, 0, 0); a grid search over both."""
    p = table / table.sum()
    grids = []
    for y in range(2):
        rows, cols = p[y].sum(1), p[y].sum(0)
        low, high = max(0, rows[0] - cols[1]), min(rows[0], cols[0])
        grids.append([np.array([[q, rows[0] - q],
                                [cols[0] - q, rows[1] - cols[0] + q]])
                      for q in np.linspace(low, high, steps)])
    return min(mutual_information_bits(np.stack([a, b]).reshape(2, -1))
               for a in grids[0] for b in grids[1])


@pytest.mark.parametrize('seed', [0, 1, 2])
def test_union_information_matches_a_brute_force_search(seed):
    table = np.random.default_rng(seed).random((2, 2, 2)) ** 2
    assert union_information(table) == pytest.approx(
        brute_force_union(table), abs=1e-3)
    # the solver is a minimum: never above the grid's best point
    assert union_information(table) <= brute_force_union(table) + 1e-9


@pytest.mark.parametrize('seed', range(5))
def test_random_tables_satisfy_the_identities_and_bounds(seed):
    rng = np.random.default_rng(seed)
    table = rng.random((4, 3, 5)) ** 3
    a = broja_pid(table)
    assert a.red + a.uni_t == pytest.approx(a.i_yt, abs=1e-9)
    assert a.red + a.uni_s == pytest.approx(a.i_ys, abs=1e-9)
    assert a.red + a.uni_t + a.uni_s + a.syn == pytest.approx(a.i_yts,
                                                              abs=1e-9)
    assert a.red <= min(a.i_yt, a.i_ys) + 1e-12
    # Red and Uni depend only on the pair marginals: replacing the table by
    # the conditionally independent coupling leaves them unchanged
    p = table / table.sum()
    coupling = p.sum(2)[:, :, None] * p.sum(1)[:, None, :] / p.sum(
        (1, 2))[:, None, None]
    b = broja_pid(coupling)
    assert (b.red, b.uni_t, b.uni_s) == pytest.approx(
        (a.red, a.uni_t, a.uni_s), abs=1e-5)


def test_a_table_that_is_not_three_dimensional_is_refused():
    with pytest.raises(ValueError, match='shape'):
        broja_pid(np.ones((2, 2)))
    with pytest.raises(ValueError, match='non-negative'):
        broja_pid(-np.ones((2, 2, 2)))
