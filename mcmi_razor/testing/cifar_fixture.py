"""Write small CIFAR-10/100 fixtures in the real python-pickle layout.

The files are exactly what mmpretrain's ``CIFAR10`` / ``CIFAR100`` read
(``cifar-10-batches-py/data_batch_1..5, test_batch, batches.meta`` and
``cifar-100-python/train, test, meta``, same keys, ``data`` uint8 (N, 3072)
in channel-major order), so the fixture exercises the real loading code.
Their md5 sums are not the originals', so load them with
:class:`~mcmi_razor.datasets.UnverifiedCIFAR10` /
:class:`~mcmi_razor.datasets.UnverifiedCIFAR100`. The images are the
learnable class templates of :mod:`mcmi_razor.testing.class_images`.
"""
import pickle
from pathlib import Path
from typing import Union

import numpy as np
from mmpretrain.datasets.categories import (
    CIFAR10_CATEGORIES,
    CIFAR100_CATEGORIES,
)

from .class_images import class_images

CIFAR_IMAGE_SIZE = 32
CIFAR100_COARSE_CLASSES = 20
_TRAIN_STREAM, _TEST_STREAM = 1, 2


def write_cifar(root: Union[str, Path],
                num_classes: int = 100,
                train_per_class: int = 5,
                test_per_class: int = 2,
                seed: int = 0,
                image_size: int = CIFAR_IMAGE_SIZE) -> Path:
    """Write a CIFAR-10 or CIFAR-100 fixture under ``root``.

    Args:
        root (str | Path): The data root, created if missing; use it as the
            dataset's ``data_root``.
        num_classes (int): 100 writes ``root/cifar-100-python``, 10 writes
            ``root/cifar-10-batches-py``. Defaults to 100.
        train_per_class (int): Training images per class. Defaults to 5.
        test_per_class (int): Test images per class. Defaults to 2.
        seed (int): Same seed, same bytes. Defaults to 0.
        image_size (int): Must be 32: the CIFAR layout, and mmpretrain's
            reader, fix 32x32 images. Defaults to 32.

    Returns:
        Path: ``root``, to pass as ``data_root``.

    Note:
        Class names are the real ones (mmpretrain's). CIFAR-100 coarse
        labels are ``fine // 5``, a placeholder: the real superclass mapping
        is not reproduced (mmpretrain ignores coarse labels). CIFAR-10
        training images are spread over the five ``data_batch_*`` files.
    """
    if num_classes not in (10, 100):
        raise ValueError(f'num_classes must be 10 (CIFAR-10) or 100 '
                         f'(CIFAR-100), got {num_classes!r}.')
    if image_size != CIFAR_IMAGE_SIZE:
        raise ValueError(
            f'image_size must be {CIFAR_IMAGE_SIZE}: the CIFAR pickle layout '
            f'and mmpretrain\'s reader fix 32x32 images, got {image_size!r}.')
    for name, value in (('train_per_class', train_per_class),
                        ('test_per_class', test_per_class)):
        if value < 1:
            raise ValueError(f'{name} must be >= 1, got {value!r}.')

    root = Path(root)
    train = _split(num_classes, train_per_class, seed, _TRAIN_STREAM)
    test = _split(num_classes, test_per_class, seed, _TEST_STREAM)
    if num_classes == 100:
        _write_cifar100(root / 'cifar-100-python', train, test)
    else:
        _write_cifar10(root / 'cifar-10-batches-py', train, test)
    return root


def _split(num_classes: int, per_class: int, seed: int, stream: int) -> dict:
    """Images as CIFAR rows: ``data`` (N, 3072) uint8, ``labels`` (N,)."""
    images, labels = class_images(num_classes, per_class, CIFAR_IMAGE_SIZE,
                                  3, seed, stream)
    # CIFAR rows hold the red plane, then green, then blue (CHW order).
    data = images.transpose(0, 3, 1, 2).reshape(len(images), -1)
    return dict(data=np.ascontiguousarray(data), labels=labels.tolist())


def _filenames(prefix: str, count: int) -> list:
    return [f'{prefix}_{i:05d}.png' for i in range(count)]


def _dump(path: Path, obj: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, 'wb') as f:
        pickle.dump(obj, f)


def _write_cifar100(folder: Path, train: dict, test: dict) -> None:
    for name, split in (('train', train), ('test', test)):
        _dump(
            folder / name,
            dict(
                filenames=_filenames(f'fixture_{name}', len(split['labels'])),
                batch_label=f'{name} fixture',
                fine_labels=split['labels'],
                coarse_labels=[label // 5 for label in split['labels']],
                data=split['data']))
    _dump(
        folder / 'meta',
        dict(
            fine_label_names=list(CIFAR100_CATEGORIES),
            coarse_label_names=[
                f'superclass_{i}' for i in range(CIFAR100_COARSE_CLASSES)
            ]))


def _write_cifar10(folder: Path, train: dict, test: dict) -> None:
    batches = np.array_split(np.arange(len(train['labels'])), 5)
    for b, rows in enumerate(batches, start=1):
        _dump(
            folder / f'data_batch_{b}',
            dict(
                batch_label=f'training batch {b} of 5 (fixture)',
                labels=[train['labels'][i] for i in rows],
                data=train['data'][rows],
                filenames=_filenames(f'fixture_batch{b}', len(rows))))
    _dump(
        folder / 'test_batch',
        dict(
            batch_label='testing batch 1 of 1 (fixture)',
            labels=test['labels'],
            data=test['data'],
            filenames=_filenames('fixture_test', len(test['labels']))))
    _dump(
        folder / 'batches.meta',
        dict(
            label_names=list(CIFAR10_CATEGORIES),
            num_cases_per_batch=len(batches[0]),
            num_vis=3 * CIFAR_IMAGE_SIZE**2))
