"""check_data_root: a clear FileNotFoundError before the runner starts."""
from pathlib import Path

import pytest
from mmengine.config import Config

from mcmi_razor.datasets import check_data_root

CONFIGS = Path(__file__).resolve().parents[2] / 'configs/_base_/datasets'


def _config(name, data_root, wrap=None):
    cfg = Config.fromfile(str(CONFIGS / name))
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[key].dataset.data_root = str(data_root)
    if wrap is not None:
        cfg.train_dataloader.dataset = dict(
            wrap, dataset=cfg.train_dataloader.dataset)
    return cfg


def test_missing_cifar100_names_expected_paths_and_how_to_get_it(tmp_path):
    root = tmp_path / 'cifar100'
    with pytest.raises(FileNotFoundError) as info:
        check_data_root(_config('cifar100_bs64.py', root))
    message = str(info.value)
    assert str(root / 'cifar-100-python' / 'train') in message
    assert str(root / 'cifar-100-python' / 'test') in message
    assert 'CIFAR100' in message
    assert 'https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz' \
        in message
    assert 'train_dataloader.dataset.data_root=' in message
    # val and test share the root: one block, both keys named.
    assert message.count('Expected these files') == 1
    assert 'val_dataloader.dataset, test_dataloader.dataset' in message


def test_missing_cifar10_points_at_the_cifar10_archive(tmp_path):
    with pytest.raises(FileNotFoundError,
                       match='cifar-10-python.tar.gz') as info:
        check_data_root(_config('cifar10_bs64.py', tmp_path))
    assert str(tmp_path / 'cifar-10-batches-py' / 'data_batch_1') \
        in str(info.value)


def test_dataset_nested_in_a_wrapper_is_checked(tmp_path):
    cfg = _config('cifar100_bs64.py', tmp_path / 'absent',
                  wrap=dict(type='FewShotDataset', fraction=0.1))
    with pytest.raises(FileNotFoundError) as info:
        check_data_root(cfg)
    assert 'train_dataloader.dataset.dataset.data_root=' in str(info.value)


def test_missing_fashion_mnist_says_how_to_install_it(tmp_path):
    root = tmp_path / 'fashion_mnist'
    with pytest.raises(FileNotFoundError) as info:
        check_data_root(_config('fashion_mnist_bs64.py', root))
    message = str(info.value)
    assert str(root / 'train-images-idx3-ubyte') in message
    assert 'apt-get install -y dataset-fashion-mnist' in message
    assert 'gunzip' in message


def test_missing_unverified_fixture_suggests_the_fixture_writer(tmp_path):
    cfg = _config('cifar100_bs64.py', tmp_path)
    cfg.train_dataloader.dataset.type = 'UnverifiedCIFAR100'
    with pytest.raises(FileNotFoundError, match='make_cifar_fixture.py'):
        check_data_root(cfg)


def test_present_data_passes(cifar100_fixture_root, cifar10_fixture_root,
                             fashion_mnist_fixture_root):
    # Only existence is checked here; md5 stays the dataset class's job.
    check_data_root(
        _config('cifar100_bs64.py', cifar100_fixture_root,
                wrap=dict(type='ZeroShotDataset', omit_classes=[0])))
    check_data_root(_config('cifar10_bs64.py', cifar10_fixture_root))
    check_data_root(
        _config('fashion_mnist_bs64.py', fashion_mnist_fixture_root))


def test_unknown_types_and_absent_loaders_are_skipped():
    check_data_root(
        dict(train_dataloader=dict(dataset=dict(type='NotADataset')),
             val_dataloader=None))
