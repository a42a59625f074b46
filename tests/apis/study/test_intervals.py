"""Paired differences and their 95% t-interval."""
import math
import statistics

import pytest

from mcmi_razor.apis.study import (
    format_interval,
    paired_differences,
    paired_interval,
    t_975,
)


def test_interval_is_mean_plus_minus_t_times_standard_error():
    diffs = [0.5, 1.5, 1.0, 2.0]
    mean, low, high = paired_interval(diffs)
    half = 3.182 * statistics.stdev(diffs) / math.sqrt(4)   # t(0.975, 3)
    assert (mean, low, high) == pytest.approx((1.25, 1.25 - half,
                                               1.25 + half))
    assert paired_interval([1.0])[0] == 1.0
    assert math.isnan(paired_interval([1.0])[1])
    assert math.isnan(paired_interval([])[0])


def test_t_quantile_is_the_table_to_30_dof_then_an_expansion():
    assert (t_975(1), t_975(30)) == (12.706, 2.042)
    # exact quantiles (scipy.stats.t.ppf(0.975, dof)) beyond the table
    for dof, exact in ((31, 2.03951), (60, 2.00030), (120, 1.97993)):
        assert abs(t_975(dof) - exact) < 2e-4
    with pytest.raises(ValueError, match='dof must be >= 1'):
        t_975(0)


def test_runs_pair_by_key_and_a_missing_value_drops_its_pair():
    runs = {(0, 0): dict(top1=81.0), (0, 1): dict(top1=None),
            (1, 0): dict(top1=85.0), (1, 1): dict(top1=90.0)}
    control = {(0, 0): dict(top1=80.0), (0, 1): dict(top1=70.0),
               (1, 0): dict(top1=82.0)}
    assert paired_differences(runs, control, 'top1') == [1.0, 3.0]


def test_interval_text_signs_both_bounds_and_dashes_a_missing_one():
    assert format_interval(-0.314, 0.336) == '[-0.31, +0.34]'
    assert format_interval(math.nan, math.nan) == '-'
    assert format_interval(None, 1.0) == '-'
