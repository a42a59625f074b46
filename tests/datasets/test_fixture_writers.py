"""The fixture writers: real on-disk layouts, deterministic, learnable."""
import pickle
import struct
from pathlib import Path

import numpy as np
import pytest

from mcmi_razor.testing import write_cifar, write_fashion_mnist_idx
from mcmi_razor.testing.cifar_fixture_cli import make_cifar_fixture


def _load(path):
    with open(path, 'rb') as f:
        return pickle.load(f, encoding='latin1')


def test_cifar100_files_have_the_real_layout_and_keys(tmp_path):
    root = write_cifar(tmp_path, num_classes=100, train_per_class=3,
                       test_per_class=1, seed=0)
    folder = root / 'cifar-100-python'
    assert sorted(p.name for p in folder.iterdir()) == ['meta', 'test',
                                                        'train']
    train = _load(folder / 'train')
    assert train['data'].dtype == np.uint8
    assert train['data'].shape == (300, 3072)
    assert len(train['fine_labels']) == len(train['coarse_labels']) == 300
    assert np.bincount(train['fine_labels']).tolist() == [3] * 100
    assert len(_load(folder / 'test')['fine_labels']) == 100
    assert len(_load(folder / 'meta')['fine_label_names']) == 100


def test_cifar10_training_images_are_spread_over_five_batches(tmp_path):
    root = write_cifar(tmp_path, num_classes=10, train_per_class=3,
                       test_per_class=2, seed=0)
    folder = root / 'cifar-10-batches-py'
    batches = [_load(folder / f'data_batch_{b}') for b in range(1, 6)]
    labels = sum((batch['labels'] for batch in batches), [])
    assert np.bincount(labels).tolist() == [3] * 10
    assert all(batch['data'].shape == (6, 3072) for batch in batches)
    assert len(_load(folder / 'test_batch')['labels']) == 20
    assert len(_load(folder / 'batches.meta')['label_names']) == 10


def test_same_seed_writes_same_bytes_and_other_seeds_differ(tmp_path):
    names = ('train', 'test')
    first, again, other = (write_cifar(tmp_path / name, 100, 2, 1, seed)
                           for name, seed in (('a', 0), ('b', 0), ('c', 1)))
    for name in names:
        path = Path('cifar-100-python', name)
        assert (first / path).read_bytes() == (again / path).read_bytes()
        assert (first / path).read_bytes() != (other / path).read_bytes()


def _nearest_centroid_accuracy(train_x, train_y, test_x, test_y):
    train_x = train_x.reshape(len(train_x), -1).astype(np.float64)
    test_x = test_x.reshape(len(test_x), -1).astype(np.float64)
    classes = np.unique(train_y)
    centroids = np.stack([train_x[train_y == c].mean(0) for c in classes])
    distances = ((test_x[:, None] - centroids[None])**2).sum(-1)
    return float((classes[distances.argmin(1)] == test_y).mean())


def test_cifar100_fixture_classes_are_learnable_from_five_images(tmp_path):
    root = write_cifar(tmp_path, 100, train_per_class=5, test_per_class=2)
    train = _load(root / 'cifar-100-python' / 'train')
    test = _load(root / 'cifar-100-python' / 'test')
    accuracy = _nearest_centroid_accuracy(
        train['data'], np.array(train['fine_labels']), test['data'],
        np.array(test['fine_labels']))
    assert accuracy > 0.8  # chance is 0.01


def _read_idx(path):
    data = path.read_bytes()
    magic, = struct.unpack('>I', data[:4])
    ndim = magic & 0xFF
    shape = struct.unpack(f'>{ndim}I', data[4:4 + 4 * ndim])
    return magic, np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(
        shape)


def test_fashion_mnist_idx_files_are_learnable_28x28_grey(tmp_path):
    root = write_fashion_mnist_idx(tmp_path, train_per_class=4,
                                   test_per_class=3, seed=0)
    magic, train_x = _read_idx(root / 'train-images-idx3-ubyte')
    assert magic == 0x803 and train_x.shape == (40, 28, 28)
    magic, train_y = _read_idx(root / 'train-labels-idx1-ubyte')
    assert magic == 0x801 and np.bincount(train_y).tolist() == [4] * 10
    _, test_x = _read_idx(root / 't10k-images-idx3-ubyte')
    _, test_y = _read_idx(root / 't10k-labels-idx1-ubyte')
    assert test_x.shape == (30, 28, 28)
    assert _nearest_centroid_accuracy(train_x, train_y, test_x,
                                      test_y) > 0.8  # chance is 0.1


@pytest.mark.parametrize('kwargs', [
    dict(num_classes=20),
    dict(image_size=64),
    dict(train_per_class=0),
])
def test_write_cifar_rejects_layouts_mmpretrain_cannot_read(tmp_path, kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        write_cifar(tmp_path, **kwargs)


def test_cli_writes_the_fixture_and_prints_the_cfg_options(tmp_path, capsys):
    make_cifar_fixture([
        str(tmp_path), '--num-classes', '10', '--train-per-class', '2',
        '--test-per-class', '1', '--seed', '3'
    ])
    assert (tmp_path / 'cifar-10-batches-py' / 'data_batch_5').exists()
    stdout = capsys.readouterr().out
    assert 'train_dataloader.dataset.type=UnverifiedCIFAR10' in stdout
    expected = write_cifar(tmp_path / 'direct', 10, 2, 1, seed=3)
    batch = Path('cifar-10-batches-py', 'test_batch')
    assert (tmp_path / batch).read_bytes() == (expected / batch).read_bytes()
