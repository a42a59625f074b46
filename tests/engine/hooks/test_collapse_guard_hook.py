"""CollapseGuardHook's decisions, pinned with a tiny fake runner."""
from types import SimpleNamespace

import pytest
import torch
from mmpretrain.structures import DataSample
from torch import nn

from mcmi_razor.engine.hooks import CollapseGuardHook, TeacherCollapseError
from mcmi_razor.models.losses import MCMILoss


def _runner(tmp_path, iteration: int = 0) -> SimpleNamespace:
    model = nn.Module()
    model.loss = MCMILoss(num_classes=10, cmi_weight=0.1)
    return SimpleNamespace(model=model, epoch=0, iter=iteration,
                           work_dir=str(tmp_path))


def _feed(hook, runner, values) -> int:
    """Run iterations with (train_acc, loss_ce); return how many ran."""
    for done, (acc, ce) in enumerate(values):
        runner.model.loss.last_terms = dict(train_acc=acc, loss_ce=ce)
        hook.after_train_iter(runner, done)
        runner.iter += 1
    return len(values)


def test_collapse_in_the_first_iterations_is_caught_early(tmp_path):
    """The first iteration is the reference; no warm-up lets it pass."""
    hook, runner = CollapseGuardHook(), _runner(tmp_path)
    hook.before_train(runner)
    with pytest.raises(TeacherCollapseError, match='chance 0.100') as error:
        _feed(hook, runner, [(0.9, 0.4)] + [(0.1, 30.0)] * 12)
    assert runner.iter <= 8
    assert 'No checkpoint of this run' in str(error.value)


def test_a_fall_with_the_cmi_term_off_blames_the_learning_rate(tmp_path):
    """A budget run starts at cmi_weight 0: a fall then (a fine-tune
    restarted at five times its checkpoint's lr did it) is not CMI's."""
    hook, runner = CollapseGuardHook(), _runner(tmp_path)
    runner.model.loss.cmi_weight = 0.0
    hook.before_train(runner)
    with pytest.raises(TeacherCollapseError) as error:
        _feed(hook, runner, [(0.9, 0.4)] + [(0.1, 30.0)] * 12)
    message = str(error.value)
    assert 'CMI term off (cmi_weight=0)' in message
    assert 'Lower the learning rate' in message
    assert 'Lower cmi_weight' not in message


def test_noisy_healthy_training_is_not_stopped(tmp_path):
    hook, runner = CollapseGuardHook(), _runner(tmp_path)
    hook.before_train(runner)
    assert _feed(hook, runner, [(0.95, 0.2), (0.6, 0.9)] * 100) == 200


def test_a_drop_without_a_cross_entropy_rise_is_not_a_collapse(tmp_path):
    hook, runner = CollapseGuardHook(), _runner(tmp_path)
    hook.before_train(runner)
    assert _feed(hook, runner, [(0.9, 0.4)] + [(0.3, 0.8)] * 50) == 51


def test_a_teacher_that_never_beat_chance_cannot_collapse(tmp_path):
    """An untrained teacher (MCMI from scratch) scores chance plus noise: a
    best of 0.1 (chance, 10 classes) then 0.0 with a CE spike is noise."""
    hook, runner = CollapseGuardHook(window=1), _runner(tmp_path)
    hook.before_train(runner)
    assert _feed(hook, runner, [(0.1, 2.3)] + [(0.0, 3.2)] * 20) == 21
    assert not hook._collapsed(0.0, 3.2)          # the check before a save
    # Once it has learned (best 0.3 >= 2 x chance), the same fall stops it.
    _feed(hook, runner, [(0.3, 2.0)])
    with pytest.raises(TeacherCollapseError, match='fell from 0.300'):
        _feed(hook, runner, [(0.0, 3.2)])


class _LookupModel(nn.Module):
    """Returns, for each image (a class index), one-hot logits on it."""

    def __init__(self):
        super().__init__()
        self.loss = MCMILoss(num_classes=10, cmi_weight=0.1)
        self.data_preprocessor = lambda batch, training: batch

    def forward(self, inputs, data_samples, mode):
        return 8.0 * nn.functional.one_hot(inputs, 10).float()


def _batch(predicted, labels) -> dict:
    return dict(inputs=torch.tensor(predicted),
                data_samples=[DataSample().set_gt_label(label)
                              for label in labels])


def test_a_short_last_batch_is_not_what_a_save_is_judged_on(tmp_path):
    """18,000 images in batches of 64 end each epoch on 16: 10 of 16 right
    stopped a healthy teacher once. The save is judged on the latest
    full-size batch (here 15 of 16 right), not on a 2-image remainder that
    is wrong on both."""
    runner = SimpleNamespace(model=_LookupModel(), epoch=0, iter=0,
                             work_dir=str(tmp_path))
    hook = CollapseGuardHook()
    hook.before_train(runner)
    full = _batch([0] * 16, [0] * 15 + [1])
    short = _batch([3, 3], [4, 5])
    for batch in (full, full, short):
        runner.model.loss.last_terms = dict(train_acc=0.9, loss_ce=0.3)
        hook.after_train_iter(runner, 0, data_batch=batch)
    checkpoint = {}
    hook.before_save_checkpoint(runner, checkpoint)
    assert checkpoint['collapse_guard']['_best_acc'] == pytest.approx(0.9)
    # The same weights on a full batch that is all wrong are refused.
    hook.after_train_iter(runner, 0, data_batch=_batch([3] * 16, [4] * 16))
    with pytest.raises(TeacherCollapseError, match='training batch of 16'):
        hook.before_save_checkpoint(runner, {})


def test_resume_keeps_the_references_and_load_from_does_not(tmp_path):
    saved = dict(_steps=40, _acc=0.8, _ce=0.5, _best_acc=0.9,
                 _ce_at_best=0.4)
    hook = CollapseGuardHook()
    hook.after_load_checkpoint(None, dict(collapse_guard=saved))
    hook.before_train(_runner(tmp_path, iteration=40))   # --resume
    assert (hook._best_acc, hook._steps) == (0.9, 40)
    hook.before_train(_runner(tmp_path, iteration=0))    # load_from
    assert hook._steps == 0


@pytest.mark.parametrize('args, error, match', [
    (dict(window=0), ValueError, 'window must be an integer >= 1'),
    (dict(window=True), TypeError, 'window must be an integer'),
    (dict(drop_ratio=1.0), ValueError, r'drop_ratio must be finite and in '
     r'\(0, 1\)'),
    (dict(ce_rise=-1), ValueError, r'ce_rise must be finite and in \[0, '),
    (dict(ce_rise='0.5'), TypeError, 'ce_rise must be a real number'),
    (dict(arm_ratio=0.5), ValueError, r'arm_ratio must be finite and in '
     r'\[1, '),
])
def test_bad_arguments_are_refused(args, error, match):
    with pytest.raises(error, match='CollapseGuardHook ' + match):
        CollapseGuardHook(**args)
