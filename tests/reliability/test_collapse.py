"""Campaign: a teacher collapsing under a large cmi_weight (real runner).

An MLL resnet8 trained 30 epochs on the CIFAR-10 fixture (0.8-0.9 on the
first fine-tuning batch, at 1 and at 2 threads) is fine-tuned with MCMI;
``cmi_weight=50`` collapses it to chance within the first iterations. With
10 epochs it reached only 0.2 (twice chance, the arming level), and whether
the guard fired in 15 iterations depended on the thread count.
"""
import copy
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from mcmi_razor.engine.hooks import TeacherCollapseError

pytestmark = pytest.mark.slow
MLL_EPOCHS = 30


def _runner(model: dict, work_dir: Path, data_root: Path, max_epochs: int,
            custom_hooks: list, load_from=None, resume=False,
            checkpoint_interval: int = 1, max_keep_ckpts: int = 3) -> Runner:
    cfg = Config.fromfile('configs/_base_/datasets/cifar10_bs64.py')
    for loader in ('train_dataloader', 'val_dataloader'):
        cfg[loader].dataset.update(type='UnverifiedCIFAR10',
                                   data_root=str(data_root))
        cfg[loader].update(num_workers=0, batch_size=10)
    return Runner(
        model=copy.deepcopy(model), work_dir=str(work_dir),
        train_dataloader=cfg.train_dataloader,
        val_dataloader=cfg.val_dataloader, val_cfg=dict(),
        val_evaluator=dict(type='Accuracy'),
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs,
                       val_interval=100),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.05,
                                          momentum=0.9)),
        data_preprocessor=cfg.data_preprocessor,
        default_hooks=dict(checkpoint=dict(
            type='CheckpointHook', interval=checkpoint_interval,
            max_keep_ckpts=max_keep_ckpts)),
        custom_hooks=custom_hooks, default_scope='mcmi_razor',
        randomness=dict(seed=0), load_from=load_from, resume=resume)


def _model(cmi_weight=None) -> dict:
    model = Config.fromfile('configs/_base_/models/resnet8_cifar.py').model
    model.head.num_classes = 10
    if cmi_weight is not None:
        model.head.loss = dict(type='MCMILoss', num_classes=10,
                               cmi_weight=cmi_weight)
    return model


def _mcmi_hooks(**guard) -> list:
    return [dict(type='ClassCentroidHook'),
            dict(type='CollapseGuardHook', **guard)]


@pytest.fixture(scope='module')
def mll_checkpoint(tmp_path_factory, cifar10_fixture_root) -> str:
    work_dir = tmp_path_factory.mktemp('mll')
    _runner(_model(), work_dir, cifar10_fixture_root, MLL_EPOCHS, []).train()
    return str(work_dir / f'epoch_{MLL_EPOCHS}.pth')


def _checkpoints(work_dir: Path) -> list:
    return sorted(p.name for p in work_dir.glob('epoch_*.pth'))


def test_collapse_in_the_first_epoch_is_stopped_before_any_save(
        fault, tmp_path, cifar10_fixture_root, mll_checkpoint):
    runner = _runner(_model(50.0), tmp_path, cifar10_fixture_root, 6,
                     _mcmi_hooks(), load_from=mll_checkpoint)
    try:
        runner.train()
    except TeacherCollapseError as error:
        saved = _checkpoints(tmp_path)
        if saved:
            fault.record('silent wrong', f'collapsed states saved: {saved}')
        elif 'No checkpoint of this run' not in str(error):
            fault.record('unclear', f'message claims a checkpoint: {error}')
        else:
            fault.record('clear error', str(error))
    else:
        fault.record('silent wrong', 'run finished with a collapsed teacher')


def test_per_iteration_check_fires_without_any_save(
        fault, tmp_path, cifar10_fixture_root, mll_checkpoint):
    """No checkpoint in 3 epochs: only the per-iteration check can stop it,
    and it must, within the 15 iterations (less than one EMA window)."""
    runner = _runner(_model(50.0), tmp_path, cifar10_fixture_root, 3,
                     _mcmi_hooks(), load_from=mll_checkpoint,
                     checkpoint_interval=100)
    fault.expect_error(runner.train, ['moving average', 'lower cmi_weight'],
                       types=(TeacherCollapseError, ))


def test_collapse_after_resume_keeps_the_last_healthy_checkpoint(
        fault, tmp_path, cifar10_fixture_root, mll_checkpoint):
    """max_keep_ckpts=1: the healthy epoch_1 must survive the refused save
    of the collapsed epoch_2, be what --resume uses, and be named."""
    _runner(_model(0.05), tmp_path, cifar10_fixture_root, 1, _mcmi_hooks(),
            load_from=mll_checkpoint, max_keep_ckpts=1).train()
    runner = _runner(_model(50.0), tmp_path, cifar10_fixture_root, 4,
                     _mcmi_hooks(window=1000), resume=True,
                     max_keep_ckpts=1)
    try:
        runner.train()
    except TeacherCollapseError as error:
        saved = _checkpoints(tmp_path)
        pointer = (tmp_path / 'last_checkpoint').read_text()
        healthy = str(tmp_path / 'epoch_1.pth')
        if saved != ['epoch_1.pth'] or pointer != healthy:
            fault.record('data loss', f'left {saved}, pointer {pointer}')
        elif f'{healthy}, passed this check' not in str(error):
            fault.record('unclear', f'does not name {healthy}: {error}')
        else:
            fault.record('clear error', str(error))
    else:
        fault.record('silent wrong', 'run finished with a collapsed teacher')


def test_healthy_fine_tune_is_not_stopped_and_saves_its_references(
        fault, tmp_path, cifar10_fixture_root, mll_checkpoint):
    runner = _runner(_model(0.1), tmp_path, cifar10_fixture_root, 3,
                     _mcmi_hooks(), load_from=mll_checkpoint)
    try:
        runner.train()
    except TeacherCollapseError as error:
        fault.record('silent wrong', f'false alarm: {error}')
        return
    state = torch.load(tmp_path / 'epoch_3.pth', weights_only=False)
    guard = state.get('collapse_guard', {})
    if guard.get('_steps') != 15 or not guard.get('_best_acc', 0) > 0.3:
        fault.record('silent wrong', f'guard state not saved: {guard}')
    else:
        fault.record('correct', f'finished; guard state {guard}')
