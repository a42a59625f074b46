"""CMIBudgetHook: the dual update, and real runs that would collapse."""
import copy
import textwrap
from pathlib import Path

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.logging import MessageHub
from mmengine.runner import Runner
from torch import nn

from mcmi_razor.engine.hooks import CMIBudgetHook, TeacherCollapseError
from mcmi_razor.engine.hooks.cmi_budget_hook import CHECKPOINT_KEY, dual_step
from mcmi_razor.engine.regime_pass import measure_regime
from mcmi_razor.fileio import load_checkpoint
from mcmi_razor.models.losses import MCMILoss
from mcmi_razor.testing import write_cifar

REPO = Path(__file__).resolve().parents[3]

STEP = dict(ce_budget=0.05, step=0.1, max_weight=5.0)


# ---- the update --------------------------------------------------------

def test_weight_rises_by_at_most_step_while_ce_is_under_budget():
    assert dual_step(0.2, ce=1.0, reference=1.0, **STEP) == \
        pytest.approx(0.3)
    # Far under budget: still one step, not more.
    assert dual_step(0.2, ce=0.1, reference=1.0, **STEP) == \
        pytest.approx(0.3)
    # Just under the limit: a smaller rise.
    assert 0.2 < dual_step(0.2, ce=1.04, reference=1.0, **STEP) < 0.3


def test_weight_is_divided_by_one_plus_the_excess_over_budget():
    one_budget_over = dual_step(1.0, ce=1.10, reference=1.0, **STEP)
    three_budgets_over = dual_step(1.0, ce=1.20, reference=1.0, **STEP)
    assert one_budget_over == pytest.approx(0.5)
    assert three_budgets_over == pytest.approx(0.25)
    # The fall scales with the weight: a large weight falls faster than
    # `step` could ever make it rise.
    assert 4.0 - dual_step(4.0, ce=1.10, reference=1.0, **STEP) == \
        pytest.approx(2.0)
    assert dual_step(1.0, ce=1.05, reference=1.0, **STEP) == 1.0


def test_weight_stays_in_zero_to_max():
    assert 0.0 < dual_step(0.05, ce=3.0, reference=1.0, **STEP) < 0.002
    assert dual_step(0.0, ce=3.0, reference=1.0, **STEP) == 0.0
    assert dual_step(4.95, ce=0.5, reference=1.0, **STEP) == 5.0


@pytest.mark.parametrize('kwargs, match', [
    (dict(ce_budget=0), 'ce_budget > 0'),
    (dict(ce_budget=-0.1), 'ce_budget > 0'),
    (dict(max_weight=0), 'max_weight > 0'),
    (dict(step=0), 'step > 0'),
    (dict(window=0), 'window'),
    (dict(window=20, reference_window=10), 'reference_window'),
    (dict(init_weight=2.0), r'init_weight must be finite and in \[0, 1\]'),
])
def test_bad_arguments_are_refused_with_the_fix(kwargs, match):
    with pytest.raises(ValueError, match=match):
        CMIBudgetHook(**kwargs)


@pytest.mark.parametrize('kwargs, match', [
    (dict(ce_budget='0.05'), 'ce_budget must be a real number'),
    (dict(step=True), 'step must be a real number'),
    (dict(window=20.0), 'window must be an integer'),
    (dict(reference_window=True), 'reference_window must be an integer'),
])
def test_arguments_of_the_wrong_type_are_refused(kwargs, match):
    with pytest.raises(TypeError, match=match):
        CMIBudgetHook(**kwargs)


class _FakeRunner:
    """What the hook reads of a runner: the model and the message hub."""

    def __init__(self):
        self.model = nn.Module()
        self.model.head = nn.Module()
        self.model.head.loss_module = MCMILoss(num_classes=10, cmi_weight=0.1)
        self.message_hub = MessageHub(f'budget_{id(self)}')


def _iterate(hook, runner, ces):
    loss = runner.model.head.loss_module
    used = []
    for ce in ces:
        used.append(loss.cmi_weight)
        loss.last_terms = dict(loss_ce=ce)
        hook.after_train_iter(runner, 0)
    return used


def test_weight_in_use_is_logged_held_in_warm_up_and_set_in_the_loss():
    hook = CMIBudgetHook(ce_budget=0.05, step=0.1, window=3,
                         reference_window=3)
    runner = _FakeRunner()
    hook.before_run(runner)
    hook.load_state(dict(weight=0.0, ce_ema=None, ce_slow=1.0,
                         reference=1.0, steps=0))
    used = _iterate(hook, runner, [1.0] * 6)
    logged = runner.message_hub.get_scalar('train/cmi_weight').data[0]
    assert list(logged) == used
    assert used[:3] == [0.0, 0.0, 0.0]               # warm-up
    assert used[3:] == pytest.approx([0.1, 0.2, 0.3])
    assert runner.model.head.loss_module.cmi_weight == pytest.approx(0.4)


def test_reference_follows_a_lower_ce_so_a_stale_start_does_not_loosen_it():
    hook = CMIBudgetHook(ce_budget=0.05, step=0.1, window=2,
                         reference_window=4)
    runner = _FakeRunner()
    hook.before_run(runner)
    hook.load_state(dict(weight=0.5, ce_ema=None, ce_slow=1.0,
                         reference=1.0, steps=0))
    _iterate(hook, runner, [0.5] * 40)         # fine-tuning halved the CE
    assert hook.reference == pytest.approx(0.5, rel=1e-3)
    weight = hook.weight
    _iterate(hook, runner, [0.6] * 10)         # +20%: over the 5% budget
    assert hook.weight < weight
    assert hook.reference == pytest.approx(0.5, rel=1e-3)   # never rises


def test_hook_on_a_model_without_mcmi_loss_says_what_to_set():
    runner = _FakeRunner()
    runner.model.head.loss_module = nn.CrossEntropyLoss()
    with pytest.raises(ValueError, match="type='MCMILoss'"):
        CMIBudgetHook().before_run(runner)


# ---- real runs: resnet8, CIFAR-10 fixture (200 images, 10 per epoch) ---
#
# The MLL teacher is trained 12 epochs with step decay; from it, 10 epochs
# (100 iterations, cosine from lr 0.01) of: plain CE (the control), a
# fixed cmi_weight 5.0 (collapses within a few iterations), and the budget
# with max_weight 5.0. Batch cross-entropies on 20 fixture images vary
# 10x, hence a budget of 20% (not the default 5%) and a rise of 0.01 per
# iteration (not 0.001) to fit 100 iterations.

EPOCHS = 10
ITERS = EPOCHS * 10
BUDGET = dict(type='CMIBudgetHook', ce_budget=0.2, max_weight=5.0,
              step=0.01, window=20, reference_window=40)
MCMI = dict(type='MCMILoss', num_classes=10, cmi_weight=5.0)
GUARD = dict(type='CollapseGuardHook', window=5)


class _StateProbe(Hook):
    """Records the budget hook's state once training is about to start."""

    priority = 'LOWEST'

    def before_train(self, runner) -> None:
        budget, = [h for h in runner.hooks if isinstance(h, CMIBudgetHook)]
        self.state = budget.state()


def _runner(work_dir, data_root, loss: dict, epochs: int, custom_hooks: list,
            load_from=None, resume=False, mll=False) -> Runner:
    model = Config.fromfile('configs/_base_/models/resnet8_cifar.py').model
    model.head.update(num_classes=10, loss=loss)
    data = Config.fromfile('configs/_base_/datasets/cifar10_bs64.py')
    data.train_dataloader.dataset.update(type='UnverifiedCIFAR10',
                                         data_root=str(data_root))
    data.train_dataloader.update(num_workers=0, batch_size=20)
    schedule = dict(type='MultiStepLR', milestones=[6, 9]) if mll else \
        dict(type='CosineAnnealingLR', T_max=epochs, by_epoch=True,
             convert_to_iter_based=True)
    runtime = Config.fromfile('configs/_base_/default_runtime.py')
    return Runner(
        model=model, work_dir=str(work_dir),
        train_dataloader=data.train_dataloader,
        train_cfg=dict(by_epoch=True, max_epochs=epochs),
        optim_wrapper=dict(optimizer=dict(
            type='SGD', lr=0.05 if mll else 0.01, momentum=0.9,
            weight_decay=5e-4)),
        param_scheduler=schedule, data_preprocessor=data.data_preprocessor,
        default_hooks=dict(runtime.default_hooks,
                           logger=dict(type='LoggerHook', interval=10),
                           checkpoint=dict(type='CheckpointHook',
                                           interval=EPOCHS)),
        custom_hooks=custom_hooks, default_scope='mcmi_razor',
        randomness=dict(seed=0), load_from=load_from, resume=resume)


@pytest.fixture(scope='module')
def data_root(tmp_path_factory):
    return write_cifar(tmp_path_factory.mktemp('cifar10_200'),
                       num_classes=10, train_per_class=20, test_per_class=1,
                       seed=0)


@pytest.fixture(scope='module')
def mll_checkpoint(tmp_path_factory, data_root):
    work = tmp_path_factory.mktemp('mll')
    _runner(work, data_root, dict(type='CrossEntropyLoss'), 12, [],
            mll=True).train()
    return str(work / 'epoch_12.pth')


@pytest.fixture(scope='module')
def budget_run(tmp_path_factory, data_root, mll_checkpoint):
    work = tmp_path_factory.mktemp('budget')
    runner = _runner(work, data_root, copy.deepcopy(MCMI), EPOCHS,
                     [dict(type='ClassCentroidHook'), dict(BUDGET), GUARD],
                     load_from=mll_checkpoint)
    start = measure_regime(runner.model, runner.train_dataloader, 10)
    runner.train()   # CollapseGuardHook raises if the teacher collapses
    return work, runner, start


def _history(runner, key: str) -> np.ndarray:
    return runner.message_hub.get_scalar(key).data[0]


@pytest.mark.slow
def test_the_fixed_max_weight_collapses_this_teacher(tmp_path, data_root,
                                                     mll_checkpoint):
    runner = _runner(tmp_path, data_root, copy.deepcopy(MCMI), EPOCHS,
                     [dict(type='ClassCentroidHook'), GUARD],
                     load_from=mll_checkpoint)
    with pytest.raises(TeacherCollapseError):
        runner.train()


@pytest.mark.slow
def test_budget_raises_the_weight_and_keeps_ce_within_budget(budget_run):
    _, runner, start = budget_run
    weights = _history(runner, 'train/cmi_weight')
    ratios = _history(runner, 'train/ce_ratio')
    assert len(weights) == ITERS
    assert (weights[:BUDGET['window']] == 0).all()     # warm-up
    assert weights.max() > 0.3
    # The smoothed batch CE is a noisy estimate (20-image batches whose CE
    # varies 10x; near the end of the cosine schedule a single batch moves
    # it while the model no longer changes): the documented tolerance is
    # at most 10% of the iterations after warm-up over the limit. The
    # training-set CE measured below is the guarantee.
    over = ratios[BUDGET['window']:] > 1 + BUDGET['ce_budget']
    assert over.mean() <= 0.1
    end = measure_regime(runner.model, runner.train_dataloader, 10)
    assert end.cross_entropy <= (1 + BUDGET['ce_budget']) * \
        start.cross_entropy
    assert end.accuracy >= 0.9   # far from the 10% of a collapse


@pytest.mark.slow
def test_budget_raises_cmi_above_the_control(budget_run, tmp_path,
                                             data_root, mll_checkpoint):
    _, runner, _ = budget_run
    control = _runner(tmp_path, data_root, dict(type='CrossEntropyLoss'),
                      EPOCHS, [], load_from=mll_checkpoint)
    control.train()
    cmi = measure_regime(runner.model, runner.train_dataloader, 10).cmi
    control_cmi = measure_regime(control.model, control.train_dataloader,
                                 10).cmi
    assert cmi > 1.2 * control_cmi


@pytest.mark.slow
def test_resume_restores_the_adapted_weight_bit_for_bit(budget_run,
                                                        data_root):
    work, runner, _ = budget_run
    saved = load_checkpoint(str(work / f'epoch_{EPOCHS}.pth'))
    assert saved[CHECKPOINT_KEY]['steps'] == ITERS
    probe = _StateProbe()
    resumed = _runner(work, data_root, copy.deepcopy(MCMI), EPOCHS + 1,
                      [dict(type='ClassCentroidHook'), dict(BUDGET), probe],
                      resume=True)
    resumed.train()
    assert probe.state == saved[CHECKPOINT_KEY]
    first_after_resume = _history(resumed, 'train/cmi_weight')[-10]
    assert first_after_resume == saved[CHECKPOINT_KEY]['weight']


# ---- two gloo processes through tools/dist_train.sh ---------------------

_PROBE = textwrap.dedent('''\
    """Writes the cmi_weight each rank uses, one line per iteration."""
    from mmengine import dist
    from mmengine.hooks import Hook

    from mcmi_razor.engine.hooks import find_mcmi_losses
    from mcmi_razor.registry import HOOKS


    @HOOKS.register_module()
    class WeightPerRank(Hook):
        priority = 'LOWEST'

        def after_train_iter(self, runner, batch_idx, data_batch=None,
                             outputs=None):
            (_, _, loss), = find_mcmi_losses(runner.model)
            path = f'{runner.work_dir}/weights_rank{dist.get_rank()}.txt'
            with open(path, 'a') as f:
                f.write(f'{loss.cmi_weight!r}\\n')
    ''')


@pytest.mark.slow
def test_two_ranks_use_one_weight(tmp_path, run_tool,
                                  fashion_mnist_fixture_root):
    (tmp_path / 'weight_probe.py').write_text(_PROBE)
    config = tmp_path / 'budget.py'
    base = REPO / 'configs/fashion_mnist/mcmi_teacher_r20_budget.py'
    config.write_text(textwrap.dedent(f'''\
        _base_ = {str(base)!r}
        custom_imports = dict(imports=['mcmi_razor', 'weight_probe'])
        # The centroids, the budget (sized for 10 iterations), the probe,
        # and the collapse guard: its check before each save runs on rank 0
        # alone and must not wait for rank 1 (it did: a hang at epoch 1).
        custom_hooks = [
            _base_.custom_hooks[0],
            dict(type='CMIBudgetHook', ce_budget=0.5, step=0.05, window=2,
                 reference_window=2),
            dict(type='WeightPerRank'),
            dict(type='CollapseGuardHook')]
        '''))
    work = tmp_path / 'work'
    root = fashion_mnist_fixture_root
    run_tool('train.py', config, '--work-dir', work, '--cfg-options',
             'load_from=None', 'train_cfg.max_epochs=2',
             'train_dataloader.batch_size=5',
             f'train_dataloader.dataset.dataset.data_root={root}',
             f'val_dataloader.dataset.data_root={root}',
             f'test_dataloader.dataset.data_root={root}',
             'train_dataloader.num_workers=0', 'val_dataloader.num_workers=0',
             # Seed 6: the untrained teacher's last batch scores 0.0 after
             # a best of 0.1 (chance), which the guard once took for a
             # collapse (one of the 8 seeds tried; CI drew such a seed).
             'randomness.seed=6',
             nproc=2, env=dict(PYTHONPATH=str(tmp_path)))
    rank0 = (work / 'weights_rank0.txt').read_text().split()
    rank1 = (work / 'weights_rank1.txt').read_text().split()
    assert len(rank0) == 2 * 5   # 50 images / 2 ranks / batch 5, 2 epochs
    assert rank0 == rank1        # bit for bit: the repr of each float
    assert len(set(rank0)) > 2   # the weight did move
    assert (work / 'epoch_2.pth').is_file()
