"""RIDPhaseHook: the schedule, and what each phase really trains.

The model is the real one of configs/fashion_mnist/rid_r20_r8.py (untrained
teacher), stepped with SGD (momentum, weight decay) as the runner does; the
runner itself is a stand-in holding only what the hook reads.
"""
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.optim import OptimWrapper
from mmengine.registry import MODELS, DefaultScope
from mmpretrain.structures import DataSample

from mcmi_razor.engine.hooks import RIDPhaseHook
from mcmi_razor.models.losses import RIDLoss

REPO = Path(__file__).resolve().parents[3]
CONFIG = REPO / 'configs/fashion_mnist/rid_r20_r8.py'


def build(config=CONFIG):
    cfg = Config.fromfile(str(config))
    cfg.model.teacher_ckpt = None
    cfg.model.data_preprocessor = cfg.data_preprocessor
    with DefaultScope.overwrite_default_scope('mcmi_razor'):
        return MODELS.build(cfg.model)


@pytest.fixture(scope='module')
def model():
    torch.manual_seed(0)
    return build()


def runner_at(model, epoch):
    return SimpleNamespace(model=model, epoch=epoch,
                           logger=MMLogger.get_instance('test_rid'))


def batch(seed):
    g = torch.Generator().manual_seed(seed)
    images = torch.randint(0, 256, (8, 1, 28, 28), generator=g,
                           dtype=torch.uint8)
    labels = torch.randint(0, 10, (8, ), generator=g)
    return dict(inputs=list(images),
                data_samples=[DataSample().set_gt_label(y) for y in labels])


def snapshot(model):
    return {n: p.detach().clone() for n, p in model.named_parameters()}


def changed(before, model, prefix):
    """Whether every parameter under ``prefix`` moved (True), none did
    (False); anything in between fails the test."""
    moved = [not torch.equal(before[n], p) for n, p in
             model.named_parameters() if n.startswith(prefix)]
    assert moved and (all(moved) or not any(moved)), prefix
    return all(moved)


def train_epoch(model, hook, optim, epoch, steps=2):
    """The hook's epoch switch, then ``steps`` SGD steps; the log keys."""
    hook.before_train_epoch(runner_at(model, epoch))
    model.train()
    keys = set()
    for step in range(steps):
        keys |= set(model.train_step(batch(epoch * 10 + step), optim))
    return keys


def test_schedule_alternates_filter_and_student_blocks():
    hook = RIDPhaseHook(filter_epochs=3, student_epochs=9)
    phases = [hook.phase_of(e) for e in range(26)]
    assert phases[:3] == [('filter', 0)] * 3
    assert phases[3:12] == [('student', 0)] * 9
    assert phases[12:15] == [('filter', 1)] * 3
    assert phases[15:24] == [('student', 1)] * 9
    assert phases[24:] == [('filter', 2)] * 2


def test_each_phase_trains_only_its_side(model):
    hook = RIDPhaseHook(filter_epochs=1, student_epochs=1)
    optim = OptimWrapper(torch.optim.SGD(
        model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4))
    losses = model.distiller.distill_losses
    stages = [f'distiller.distill_losses.loss_rid{j}' for j in (1, 2, 3)]

    before = snapshot(model)
    keys = train_epoch(model, hook, optim, epoch=0)
    assert all(loss.phase == 'filter' and loss.round == 0
               for loss in losses.values())
    assert not any(k.startswith('student.') for k in keys)
    assert {'distill.loss_rid1', 'distill.loss_rid3'} <= keys
    assert not changed(before, model, 'architecture.')
    assert not changed(before, model, 'teacher.')
    for stage in stages:
        assert changed(before, model, f'{stage}.teacher_filter.')
        assert changed(before, model, f'{stage}.head.')
        assert not changed(before, model, f'{stage}.student_filter.')
        assert not changed(before, model, f'{stage}.variance_param')

    # the teacher filters now carry momentum: the student phase must
    # still leave them where they are
    before = snapshot(model)
    keys = train_epoch(model, hook, optim, epoch=1)
    assert all(loss.phase == 'student' for loss in losses.values())
    assert 'student.loss' in keys
    assert changed(before, model, 'architecture.')
    assert not changed(before, model, 'teacher.')
    for stage in stages:
        assert not changed(before, model, f'{stage}.teacher_filter.')
        assert not changed(before, model, f'{stage}.head.')
        assert changed(before, model, f'{stage}.student_filter.')
        assert changed(before, model, f'{stage}.variance_param')

    before = snapshot(model)
    train_epoch(model, hook, optim, epoch=2)
    assert all(loss.phase == 'filter' and loss.round == 1
               for loss in losses.values())
    assert not changed(before, model, 'architecture.')
    assert changed(before, model, f'{stages[0]}.teacher_filter.')


def test_phase_depends_on_the_epoch_only(model):
    """A resumed run (or another DDP rank) gets the same phase at the same
    epoch, whatever was set before."""
    hook = RIDPhaseHook(filter_epochs=2, student_epochs=3)
    for previous, epoch in ((6, 8), (0, 8), (3, 8)):
        hook.before_train_epoch(runner_at(model, previous))
        hook.before_train_epoch(runner_at(model, epoch))
        assert model.student_trainable and model.calculate_student_loss
        assert all((loss.phase, loss.round) == ('student', 1)
                   for loss in model.distiller.distill_losses.values())


@pytest.mark.parametrize('max_epochs, ok', [(12, True), (16, True),
                                            (13, False), (15, False),
                                            (1, False)])
def test_schedule_must_end_in_a_student_phase(max_epochs, ok):
    hook = RIDPhaseHook(filter_epochs=3, student_epochs=9)
    if ok:
        hook.check_schedule(max_epochs)
    else:
        with pytest.raises(ValueError, match='multiple of 12'):
            hook.check_schedule(max_epochs)


def test_model_without_rid_loss_is_refused():
    kd = build(REPO / 'configs/fashion_mnist/kd_r20_r8.py')
    assert not any(isinstance(m, RIDLoss) for m in kd.modules())
    with pytest.raises(ValueError, match='RIDLoss'):
        RIDPhaseHook(1, 1).before_train_epoch(runner_at(kd, 0))


def test_model_that_is_not_a_distiller_is_refused(model):
    with pytest.raises(TypeError, match='SingleTeacherDistill'):
        RIDPhaseHook(1, 1).before_train_epoch(runner_at(model.student, 0))


@pytest.mark.parametrize('kwargs, error, match', [
    (dict(filter_epochs=0, student_epochs=1), ValueError,
     'filter_epochs must be an integer >= 1'),
    (dict(filter_epochs=1, student_epochs=2.5), TypeError,
     'student_epochs must be an integer'),
    (dict(filter_epochs=True, student_epochs=1), TypeError,
     'filter_epochs must be an integer'),
])
def test_bad_block_lengths_are_refused(kwargs, error, match):
    with pytest.raises(error, match=match):
        RIDPhaseHook(**kwargs)
