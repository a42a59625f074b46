"""Learnable synthetic class images, the pixels behind our data fixtures.

Each class gets a smooth template: a flat colour (grey level for one
channel) picked from a coarse grid so that any two classes differ by at least
one grid step, plus a sinusoidal grating with its own orientation, frequency
and phase. A sample is its class template, rolled by a few pixels, with a
small brightness jitter and Gaussian pixel noise. The colour survives random
crops and flips, so a small network trained for a few epochs on a handful of
images per class reaches clearly above-chance accuracy; the grating adds a
texture cue.

Everything is drawn from ``numpy.random.default_rng`` seeded with
``[seed, stream]``: the templates (stream 0) depend only on ``seed``, the
class count and the image geometry, so train and test splits written with
the same seed share them, while their samples (one stream per split) differ.
"""
import math
from typing import Tuple

import numpy as np

TEMPLATE_STREAM = 0
GRATING_AMPLITUDE = 28.0
NOISE_STD = 10.0
MAX_ROLL = 3


def class_templates(num_classes: int, size: int, channels: int,
                    seed: int) -> Tuple[np.ndarray, float]:
    """Draw one smooth template per class.

    Args:
        num_classes (int): Number of classes C.
        size (int): Image height and width S in pixels.
        channels (int): 3 for colour, 1 for grey.
        seed (int): Seed of the template stream.

    Returns:
        tuple: ``templates`` float64 (C, S, S, channels) in 0-255 scale, and
        the colour grid step (0-255 scale), the least distance between the
        flat colours of two classes.
    """
    rng = np.random.default_rng([seed, TEMPLATE_STREAM])
    levels = max(2, math.ceil(num_classes**(1.0 / channels)))
    low, high = 48.0, 208.0
    step = (high - low) / (levels - 1)
    grid = np.stack(
        np.meshgrid(*[np.arange(levels)] * channels, indexing='ij'),
        axis=-1).reshape(-1, channels)
    chosen = grid[rng.permutation(len(grid))[:num_classes]]
    colours = low + step * chosen  # (C, channels)

    coords = np.arange(size) / size
    ys, xs = np.meshgrid(coords, coords, indexing='ij')
    angles = np.pi * (rng.permutation(num_classes) + rng.random(num_classes))
    angles /= num_classes
    freqs = rng.uniform(1.0, 3.0, num_classes)
    phases = rng.uniform(0.0, 2 * np.pi, num_classes)
    gains = rng.choice([-1.0, 1.0], size=(num_classes, channels))

    templates = np.empty((num_classes, size, size, channels))
    for c in range(num_classes):
        along = xs * np.cos(angles[c]) + ys * np.sin(angles[c])
        grating = np.sin(2 * np.pi * freqs[c] * along + phases[c])
        templates[c] = (colours[c] +
                        GRATING_AMPLITUDE * grating[..., None] * gains[c])
    return templates, step


def class_images(num_classes: int, per_class: int, size: int, channels: int,
                 seed: int, stream: int) -> Tuple[np.ndarray, np.ndarray]:
    """Draw ``per_class`` noisy samples of every class, in shuffled order.

    Args:
        num_classes (int): Number of classes C.
        per_class (int): Samples per class; N = C * per_class.
        size (int): Image height and width S in pixels.
        channels (int): 3 for colour, 1 for grey.
        seed (int): Seed of templates and samples.
        stream (int): Sample stream, >= 1; use one per split so that train
            and test samples differ.

    Returns:
        tuple: ``images`` uint8 (N, S, S, channels) and ``labels`` int64
        (N,), shuffled together (like the real CIFAR files, the order is not
        sorted by class).
    """
    if stream == TEMPLATE_STREAM:
        raise ValueError(f'stream {TEMPLATE_STREAM} draws the templates; '
                         'use stream >= 1 for samples.')
    templates, step = class_templates(num_classes, size, channels, seed)
    rng = np.random.default_rng([seed, stream])
    labels = rng.permutation(np.repeat(np.arange(num_classes), per_class))
    images = np.empty((len(labels), size, size, channels), dtype=np.uint8)
    for i, label in enumerate(labels):
        shift = rng.integers(-MAX_ROLL, MAX_ROLL + 1, size=2)
        image = np.roll(templates[label], tuple(shift), axis=(0, 1))
        image = image + rng.uniform(-step / 4, step / 4)
        image = image + rng.normal(0.0, NOISE_STD, image.shape)
        images[i] = np.clip(np.rint(image), 0, 255).astype(np.uint8)
    return images, labels.astype(np.int64)
