"""RegimeReportHook and its pass, with the real runner on a CIFAR fixture."""
import random

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from mcmi_razor.engine.regime_pass import measure_regime


def _runner(work_dir, data_root, custom_hooks: list) -> Runner:
    model = Config.fromfile('configs/_base_/models/resnet8_cifar.py').model
    model.head.update(num_classes=10, loss=dict(
        type='MCMILoss', num_classes=10, cmi_weight=0.1))
    data = Config.fromfile('configs/_base_/datasets/cifar10_bs64.py')
    data.train_dataloader.dataset.update(type='UnverifiedCIFAR10',
                                         data_root=str(data_root))
    data.train_dataloader.update(num_workers=0, batch_size=10)
    return Runner(
        model=model, work_dir=str(work_dir),
        train_dataloader=data.train_dataloader,
        train_cfg=dict(by_epoch=True, max_epochs=1),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
        data_preprocessor=data.data_preprocessor,
        custom_hooks=custom_hooks, default_scope='mcmi_razor',
        randomness=dict(seed=0),
        # MMEngine reuses a logger of the same name (config name plus the
        # second it started): two runners in one second would share a file.
        experiment_name=f'regime_{work_dir.name}')


def test_report_and_warning_are_logged_before_training(tmp_path,
                                                       cifar10_fixture_root):
    runner = _runner(tmp_path, cifar10_fixture_root, [
        dict(type='ClassCentroidHook'),
        dict(type='RegimeReportHook', threshold=0.01)])
    runner.train()
    log = next(tmp_path.glob('*/*.log')).read_text()
    report = log.index('Teacher regime on 50 train samples: accuracy')
    assert 'mean max-probability' in log[report:]
    assert 'near one-hot on the train split' in log[report:]
    assert report < log.index('Epoch(train)')


def test_no_warning_below_the_threshold(tmp_path, cifar10_fixture_root):
    runner = _runner(tmp_path, cifar10_fixture_root, [
        dict(type='ClassCentroidHook'),
        dict(type='RegimeReportHook', threshold=0.99)])
    runner.train()
    log = next(tmp_path.glob('*/*.log')).read_text()
    assert 'Teacher regime on 50 train samples' in log
    assert 'near one-hot' not in log


def test_pass_has_no_side_effects_and_matches_the_training_loss(
        tmp_path, cifar10_fixture_root):
    runner = _runner(tmp_path, cifar10_fixture_root,
                     [dict(type='ClassCentroidHook')])
    model = runner.model
    model.eval()
    buffers = {n: b.clone() for n, b in model.named_buffers()}
    rng = (random.getstate(), torch.get_rng_state())
    regime = measure_regime(model, runner.train_dataloader, 10)
    assert not model.training
    for name, buffer in model.named_buffers():
        assert torch.equal(buffer, buffers[name]), name
    assert random.getstate() == rng[0]
    assert torch.equal(torch.get_rng_state(), rng[1])
    assert regime.num_samples == 50
    # Train mode: the CE of a batch equals the CrossEntropyLoss of the
    # same batch through the model in train mode (BatchNorm on the batch).
    batch = next(iter(runner.train_dataloader))
    data = model.data_preprocessor(batch, False)
    model.train()
    with torch.no_grad():
        logits = model(data['inputs'], mode='tensor')
    labels = torch.cat([s.gt_label for s in data['data_samples']])
    one_batch = measure_regime(model, _OneBatch(batch), 10)
    assert one_batch.cross_entropy == pytest.approx(
        torch.nn.functional.cross_entropy(logits.double(), labels).item(),
        rel=1e-5)


class _OneBatch(list):
    """A one-batch 'loader' with the ``dataset`` length the pass reads."""

    def __init__(self, batch):
        super().__init__([batch])
        self.dataset = range(len(batch['inputs']))
