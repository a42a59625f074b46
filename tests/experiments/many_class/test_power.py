"""The power simulation behind the protocol's run counts."""
from experiments.many_class.power import pairs_needed, power, t_975


def test_no_effect_is_rejected_at_the_tests_level():
    assert abs(power(6, 0.0, 1.0) - 0.05) < 0.005


def test_more_pairs_and_larger_effects_give_more_power():
    assert power(12, 1.0, 1.0) > power(6, 1.0, 1.0)
    assert power(6, 2.0, 1.0) > power(6, 1.0, 1.0)


def test_power_matches_the_exact_noncentral_t_value():
    # delta / sd = 1 with 10 pairs: 0.8031 (noncentral t, G*Power)
    assert abs(power(10, 1.0, 1.0) - 0.8031) < 0.006
    assert pairs_needed(1.0, 1.0) in ('10', '11')   # 20k-draw search


def test_t_quantile_beyond_the_table_approaches_the_normal():
    assert abs(t_975(60) - 2.000) < 0.002
    assert t_975(30) == 2.042
