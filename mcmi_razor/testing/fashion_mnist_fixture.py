"""Write a small Fashion-MNIST fixture as uncompressed IDX files.

mmpretrain's ``FashionMNIST`` reads ``train-images-idx3-ubyte``,
``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte`` and
``t10k-labels-idx1-ubyte`` directly under its data root (the names of the
upstream ``.gz`` files without the suffix), and checks md5 sums only when it
downloads. So the plain class loads this fixture. Images are 28x28 grey
learnable class templates (:mod:`mcmi_razor.testing.class_images`).
"""
import struct
from pathlib import Path
from typing import Union

import numpy as np

from .class_images import class_images

FASHION_MNIST_CLASSES = 10
FASHION_MNIST_IMAGE_SIZE = 28
IDX_UBYTE_IMAGES = 0x00000803  # unsigned bytes, 3 dimensions
IDX_UBYTE_LABELS = 0x00000801  # unsigned bytes, 1 dimension
_SPLITS = (('train', 1), ('t10k', 2))  # file prefix, sample stream


def write_fashion_mnist_idx(root: Union[str, Path],
                            train_per_class: int = 5,
                            test_per_class: int = 2,
                            seed: int = 0) -> Path:
    """Write the four Fashion-MNIST IDX files under ``root``.

    Args:
        root (str | Path): The data root, created if missing; use it as the
            dataset's ``data_root`` (or ``data_prefix``).
        train_per_class (int): Training images per class. Defaults to 5.
        test_per_class (int): Test images per class. Defaults to 2.
        seed (int): Same seed, same bytes. Defaults to 0.

    Returns:
        Path: ``root``.
    """
    for name, value in (('train_per_class', train_per_class),
                        ('test_per_class', test_per_class)):
        if value < 1:
            raise ValueError(f'{name} must be >= 1, got {value!r}.')
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    for (prefix, stream), per_class in zip(_SPLITS,
                                           (train_per_class, test_per_class)):
        images, labels = class_images(FASHION_MNIST_CLASSES, per_class,
                                      FASHION_MNIST_IMAGE_SIZE, 1, seed,
                                      stream)
        _write_idx(root / f'{prefix}-images-idx3-ubyte', IDX_UBYTE_IMAGES,
                   images[..., 0])
        _write_idx(root / f'{prefix}-labels-idx1-ubyte', IDX_UBYTE_LABELS,
                   labels.astype(np.uint8))
    return root


def _write_idx(path: Path, magic: int, array: np.ndarray) -> None:
    """IDX: big-endian magic, one big-endian uint32 per dimension, bytes."""
    header = struct.pack(f'>{1 + array.ndim}I', magic, *array.shape)
    path.write_bytes(header + np.ascontiguousarray(array, np.uint8).tobytes())
