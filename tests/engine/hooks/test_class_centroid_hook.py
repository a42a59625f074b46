"""ClassCentroidHook schedules, driven by a real runner on the fixture;
its checkpoint decisions on a tiny fake runner."""
import logging
from types import SimpleNamespace

import pytest
import torch
from torch import nn

from mcmi_razor.engine.class_statistics_pass import preserved_state
from mcmi_razor.engine.hooks import class_centroid_hook, find_mcmi_losses
from mcmi_razor.models.losses import MCMILoss
from mcmi_razor.testing.mcmi_runner import mcmi_runner


def test_ema_schedule_applies_the_update_rule_to_every_batch(
        tmp_path, cifar10_fixture_root):
    """lr = 0 keeps the model fixed, so replaying the batches in train mode
    reproduces the probabilities each EMA step saw."""
    runner = mcmi_runner(cifar10_fixture_root, tmp_path, lr=0.0,
                         centroid_hook=dict(type='ClassCentroidHook',
                                            schedule='ema', momentum=0.3))
    runner.train()
    (_, _, loss), = find_mcmi_losses(runner.model)
    model = runner.model.train()
    q = torch.full((10, 10), 0.1)
    seen = torch.zeros(10, dtype=torch.bool)
    with torch.no_grad():
        for data in runner.train_dataloader:
            data = model.data_preprocessor(data, True)
            probs = model(data['inputs'], mode='tensor').softmax(1)
            labels = torch.cat([s.gt_label for s in data['data_samples']])
            for y in labels.unique():
                mean = probs[labels == y].mean(0)
                m = 0.3 if seen[y] else 1.0
                q[y] = (1 - m) * q[y] + m * mean
                seen[y] = True
    assert loss.centroids.ready
    assert torch.allclose(loss.centroids.value, q, atol=1e-5)
    assert q.std(0).max() > 1e-3          # the replay is informative


def test_interval_schedule_passes_before_every_nth_epoch(
        tmp_path, cifar10_fixture_root, monkeypatch):
    passes = []
    real_pass = class_centroid_hook.collect_class_statistics

    def recording_pass(model, loader, num_classes, **kwargs):
        stats = real_pass(model, loader, num_classes, **kwargs)
        passes.append((runner.epoch, stats.centroids().float()))
        return stats

    monkeypatch.setattr(class_centroid_hook, 'collect_class_statistics',
                        recording_pass)
    runner = mcmi_runner(cifar10_fixture_root, tmp_path, max_epochs=5,
                         centroid_hook=dict(type='ClassCentroidHook',
                                            interval=2))
    runner.train()
    assert [epoch for epoch, _ in passes] == [0, 2, 4]
    (_, _, loss), = find_mcmi_losses(runner.model)
    assert torch.equal(loss.centroids.value, passes[-1][1])
    assert not torch.allclose(passes[0][1], passes[-1][1])  # the model moved


def test_the_hook_attaches_itself_to_the_loss_it_serves(
        tmp_path, cifar10_fixture_root):
    runner = mcmi_runner(cifar10_fixture_root, tmp_path,
                         centroid_hook=dict(type='ClassCentroidHook',
                                            schedule='ema'))
    (_, _, loss), = find_mcmi_losses(runner.model)
    assert not loss.centroids.attached
    runner.call_hook('before_run')
    assert loss.centroids.attached and loss.centroids.online


@pytest.mark.parametrize('kwargs, error, match', [
    (dict(schedule='online'), ValueError, r"one of \('exact', 'ema'\)"),
    (dict(interval=-1), ValueError, 'interval must be an integer >= 0'),
    (dict(interval=True), TypeError, 'interval must be an integer'),
    (dict(interval=2.0), TypeError, 'without a decimal point'),
    (dict(schedule='ema', interval=2), ValueError,
     "ClassCentroidHook interval applies to schedule='exact'.*drop "
     "interval"),
    (dict(momentum=0.0), ValueError, r'momentum must be finite and in '
     r'\(0, 1\]'),
    (dict(momentum='0.1'), TypeError, 'momentum must be a real number'),
    (dict(recompute_missing_centroids=1), TypeError,
     'recompute_missing_centroids must be True or False'),
    (dict(dataloader=[1]), TypeError, 'dataloader must be a loader config'),
])
def test_bad_arguments_name_the_fix(kwargs, error, match):
    with pytest.raises(error, match=match):
        class_centroid_hook.ClassCentroidHook(**kwargs)


def test_exact_pass_for_a_temperature_4_loss_sets_means_of_softmax_z_over_4(
        tmp_path, cifar10_fixture_root, monkeypatch):
    """The model is replayed just before the hook's pass, so the expected
    centroids are the class means of exactly what the pass sees."""
    means = {}
    real_pass = class_centroid_hook.collect_class_statistics

    def replaying_pass(model, loader, num_classes, **kwargs):
        batches, labels = [], []
        with preserved_state(model):
            for data in loader:
                data = model.data_preprocessor(data, False)
                batches.append(model(data['inputs'], mode='tensor'))
                labels += [s.gt_label for s in data['data_samples']]
        logits, labels = torch.cat(batches).double(), torch.cat(labels)
        for tau in (1.0, 4.0):
            p = (logits / tau).softmax(1)
            means[tau] = torch.stack([p[labels == y].mean(0)
                                      for y in range(num_classes)])
        return real_pass(model, loader, num_classes, **kwargs)

    monkeypatch.setattr(class_centroid_hook, 'collect_class_statistics',
                        replaying_pass)
    runner = mcmi_runner(cifar10_fixture_root, tmp_path,
                         centroid_hook=dict(type='ClassCentroidHook'))
    # mcmi_runner builds its loss at tau = 1; the same loss at tau = 4
    runner.model.head.loss_module = MCMILoss(num_classes=10, cmi_weight=0.1,
                                             temperature=4.0)
    runner.train()
    (_, _, loss), = find_mcmi_losses(runner.model)
    assert torch.allclose(loss.centroids.value.double(), means[4.0],
                          atol=1e-6)
    assert not torch.allclose(means[1.0], means[4.0], atol=1e-3)
    assert loss.centroids.state()['temperature'] == 4.0


def _fake_runner(*losses: MCMILoss, iteration: int = 0) -> SimpleNamespace:
    """What the hook reads of a runner: a model whose head holds
    ``losses``, the iteration and a logger."""
    model = nn.Module()
    model.head = nn.Module()
    for index, loss in enumerate(losses):
        model.head.add_module(f'loss_{index}', loss)
    return SimpleNamespace(model=model, iter=iteration, train_loop=None,
                           logger=logging.getLogger(__name__))


def _trained_checkpoint(temperature: float) -> dict:
    """A checkpoint the hook wrote for a tau = ``temperature`` loss."""
    loss = MCMILoss(num_classes=4, cmi_weight=0.1, temperature=temperature)
    g = torch.Generator().manual_seed(0)
    loss.centroids.load_state(dict(
        value=torch.softmax(torch.randn(4, 4, generator=g), 1),
        initialized=torch.ones(4, dtype=torch.bool),
        temperature=temperature))
    hook = class_centroid_hook.ClassCentroidHook()
    hook.before_run(_fake_runner(loss))
    checkpoint = {}
    hook.before_save_checkpoint(None, checkpoint)
    return checkpoint


def _resume(checkpoint: dict, temperature: float) -> MCMILoss:
    """Resume at iteration 5 from ``checkpoint`` with a tau loss."""
    loss = MCMILoss(num_classes=4, cmi_weight=0.1, temperature=temperature)
    runner = _fake_runner(loss, iteration=5)
    hook = class_centroid_hook.ClassCentroidHook()
    hook.before_run(runner)
    hook.after_load_checkpoint(runner, checkpoint)
    hook.before_train(runner)
    return loss


def test_resume_restores_centroids_at_their_temperature():
    checkpoint = _trained_checkpoint(4.0)
    saved = checkpoint[class_centroid_hook.CHECKPOINT_KEY]['head.loss_0']
    assert saved['temperature'] == 4.0
    loss = _resume(checkpoint, 4.0)
    assert torch.equal(loss.centroids.value, saved['value'])


@pytest.mark.parametrize('saved, resumed', [(1.0, 4.0), (4.0, 1.0)])
def test_resume_with_another_temperature_is_refused(saved, resumed):
    with pytest.raises(ValueError, match=(
            rf'softmax\(z / {saved:g}\) but this MCMILoss has temperature='
            rf'{resumed:g}\..*temperature={saved:g}, as it was trained')):
        _resume(_trained_checkpoint(saved), resumed)


def test_a_checkpoint_without_temperature_resumes_only_at_1():
    checkpoint = _trained_checkpoint(1.0)
    for state in checkpoint[class_centroid_hook.CHECKPOINT_KEY].values():
        del state['temperature']
    _resume(checkpoint, 1.0)
    with pytest.raises(ValueError, match=r'softmax\(z / 1\)'):
        _resume(checkpoint, 4.0)


def test_losses_at_different_temperatures_are_refused():
    runner = _fake_runner(MCMILoss(4, 0.1), MCMILoss(4, 0.1, temperature=4))
    with pytest.raises(ValueError, match=r'different temperatures \('
                       r'head.loss_0: 1, head.loss_1: 4\).*same temperature'):
        class_centroid_hook.ClassCentroidHook().before_run(runner)
