"""Fault cases: arguments of the wrong type or range given to the hooks,
RIDLoss and ``pid()``. Each used to be accepted (a bool as a count, a
string as a number) or to fail later with a bare Python error; now it is
refused where it is given, naming the argument and what is expected."""
import numpy as np
import pytest

from mcmi_razor.engine.hooks import (
    ClassCentroidHook,
    CMIBudgetHook,
    CollapseGuardHook,
    PIDHook,
    RegimeReportHook,
    RIDPhaseHook,
)
from mcmi_razor.evaluation.pid import pid
from mcmi_razor.models.losses import RIDLoss

ERRORS = (TypeError, ValueError)


@pytest.mark.parametrize('build, mentions', [
    (lambda: ClassCentroidHook(interval=True), ['interval', 'integer']),
    (lambda: ClassCentroidHook(momentum='0.1'), ['momentum', 'real number']),
    (lambda: ClassCentroidHook(recompute_missing_centroids='False'),
     ['recompute_missing_centroids', 'True or False']),
    (lambda: CMIBudgetHook(ce_budget='0.05'), ['ce_budget', 'real number']),
    (lambda: CMIBudgetHook(window=20.0), ['window', 'decimal point']),
    (lambda: CMIBudgetHook(init_weight=float('nan')),
     ['init_weight', 'finite']),
    (lambda: CollapseGuardHook(window=True), ['window', 'integer']),
    (lambda: CollapseGuardHook(ce_rise='0.5'), ['ce_rise', 'real number']),
    (lambda: RegimeReportHook(threshold='0.85'),
     ['threshold', 'real number']),
    (lambda: RIDPhaseHook(filter_epochs=True, student_epochs=3),
     ['filter_epochs', 'integer']),
    (lambda: PIDHook(k='8'), ['k', "'auto'"]),
    (lambda: PIDHook(seed=1.0), ['seed', 'integer']),
    (lambda: PIDHook(null='no'), ['null', 'True or False']),
    (lambda: PIDHook(student_layer=None), ['student_layer', 'string']),
    (lambda: RIDLoss(True, 4, 10), ['student_channels', 'integer']),
    (lambda: RIDLoss(4, 4, 10, loss_weight='10'),
     ['loss_weight', 'real number']),
], ids=['centroid_interval_bool', 'centroid_momentum_str',
        'centroid_recompute_str', 'budget_ce_budget_str',
        'budget_window_float', 'budget_init_weight_nan',
        'collapse_window_bool', 'collapse_ce_rise_str',
        'regime_threshold_str', 'rid_phase_epochs_bool', 'pid_hook_k_str',
        'pid_hook_seed_float', 'pid_hook_null_str', 'pid_hook_layer_none',
        'rid_loss_channels_bool', 'rid_loss_weight_str'])
def test_hook_and_loss_arguments(fault, build, mentions):
    fault.expect_error(build, mentions, ERRORS)


@pytest.fixture(scope='module')
def pid_data():
    rng = np.random.default_rng(0)
    y = rng.integers(3, size=300)
    return y, rng.normal(size=(300, 2)) + y[:, None]


@pytest.mark.parametrize('kwargs, mentions', [
    (dict(bootstrap=True), ['bootstrap', 'integer']),
    (dict(bootstrap=-1), ['bootstrap', '>= 0']),
    (dict(seed='0'), ['seed', 'integer']),
    (dict(null='yes'), ['null', 'True or False']),
    (dict(bias_correct=1), ['bias_correct', 'True or False']),
    (dict(k=2.0), ['k', 'decimal point']),
    (dict(mode='papr'), ['mode', "'paper'"]),
    (dict(codebook=None), ['codebook', "'teacher'"]),
], ids=['bootstrap_bool', 'bootstrap_negative', 'seed_str', 'null_str',
        'bias_correct_int', 'k_float', 'mode_typo', 'codebook_none'])
def test_pid_arguments(fault, pid_data, kwargs, mentions):
    y, features = pid_data
    fault.expect_error(lambda: pid(y, features, features, **kwargs),
                       ['pid()'] + mentions, ERRORS)
