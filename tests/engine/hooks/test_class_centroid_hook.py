"""ClassCentroidHook schedules, driven by a real runner on the fixture."""
import pytest
import torch

from mcmi_razor.engine.hooks import class_centroid_hook, find_mcmi_losses
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


@pytest.mark.parametrize('kwargs, match', [
    (dict(schedule='online'), "'exact' or 'ema'"),
    (dict(interval=-1), 'interval must be an int'),
    (dict(schedule='ema', interval=2), "applies to schedule='exact'"),
    (dict(momentum=0.0), r'momentum must be in \(0, 1\]'),
])
def test_bad_arguments_name_the_fix(kwargs, match):
    with pytest.raises(ValueError, match=match):
        class_centroid_hook.ClassCentroidHook(**kwargs)
