"""Our data configs build real dataloaders that yield normalised batches."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from mcmi_razor.registry import MODELS

CONFIGS = Path(__file__).resolve().parents[2] / 'configs/_base_/datasets'


def _first_batch(cfg, loader_key):
    loader = Runner.build_dataloader(cfg[loader_key])
    preprocessor = MODELS.build(
        dict(type='ClsDataPreprocessor', **cfg.data_preprocessor))
    batch = preprocessor(next(iter(loader)), training=True)
    return loader, batch


@pytest.mark.parametrize('name, fixture, dataset_type, num_classes', [
    ('cifar100_bs64.py', 'cifar100_fixture_root', 'UnverifiedCIFAR100', 100),
    ('cifar10_bs64.py', 'cifar10_fixture_root', 'UnverifiedCIFAR10', 10),
])
def test_cifar_configs_yield_normalised_batches(name, fixture, dataset_type,
                                                num_classes, request,
                                                mcmi_razor_scope):
    root = request.getfixturevalue(fixture)
    cfg = Config.fromfile(str(CONFIGS / name))
    assert cfg.data_preprocessor.num_classes == num_classes
    for key in ('train_dataloader', 'val_dataloader'):
        cfg[key].dataset.type = dataset_type
        cfg[key].dataset.data_root = str(root)
    loader, batch = _first_batch(cfg, 'train_dataloader')
    expected = min(64, 5 * num_classes)
    assert batch['inputs'].shape == (expected, 3, 32, 32)
    assert batch['inputs'].dtype == torch.float32
    # normalised with the config's statistics: roughly centred
    assert batch['inputs'].mean().abs() < 1.0
    labels = [sample.gt_label.item() for sample in batch['data_samples']]
    assert 0 <= min(labels) and max(labels) < num_classes
    val = Runner.build_dataloader(cfg.val_dataloader)
    assert len(val.dataset) == 2 * num_classes
    assert cfg.val_evaluator == dict(type='Accuracy', topk=(1, 5))


def test_fashion_mnist_config_yields_grey_28px_batches(
        fashion_mnist_fixture_root, mcmi_razor_scope):
    cfg = Config.fromfile(str(CONFIGS / 'fashion_mnist_bs64.py'))
    for key in ('train_dataloader', 'val_dataloader'):
        cfg[key].dataset.data_root = str(fashion_mnist_fixture_root)
    _, batch = _first_batch(cfg, 'train_dataloader')
    assert batch['inputs'].shape == (50, 1, 28, 28)
    val = Runner.build_dataloader(cfg.val_dataloader)
    # the val split really is the test file (mmpretrain reads by test_mode)
    assert len(val.dataset) == 20


def test_few_shot_wraps_a_config_dataset_in_a_dataloader(
        cifar100_fixture_root, mcmi_razor_scope):
    cfg = Config.fromfile(str(CONFIGS / 'cifar100_bs64.py'))
    inner = cfg.train_dataloader.dataset
    inner.update(type='UnverifiedCIFAR100',
                 data_root=str(cifar100_fixture_root))
    cfg.train_dataloader.dataset = dict(
        type='FewShotDataset', fraction=0.4, seed=1, dataset=inner)
    loader, batch = _first_batch(cfg, 'train_dataloader')
    assert len(loader.dataset) == 200
    assert batch['inputs'].shape == (64, 3, 32, 32)
