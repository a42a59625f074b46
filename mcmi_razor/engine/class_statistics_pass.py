"""One exact, side-effect-free pass of a classifier over a data loader."""
import math
import random
from contextlib import contextmanager
from typing import Iterator, Tuple

import numpy as np
import torch
from mmengine import dist
from mmengine.model import is_model_wrapper
from mmengine.utils import ProgressBar
from torch import nn
from torch.utils.data import DataLoader

from mcmi_razor.models.utils import ClassConditionalStats


@contextmanager
def preserved_state(model: nn.Module) -> Iterator[None]:
    """Eval mode and no grad inside; train flags and every RNG restored.

    Eval mode leaves BatchNorm running statistics untouched (the official
    code's train-mode pass silently updates them); restoring the RNGs keeps
    the training run identical to one without the pass.
    """
    modes = {module: module.training for module in model.modules()}
    rng = (random.getstate(), np.random.get_state(), torch.get_rng_state(),
           torch.cuda.get_rng_state_all() if torch.cuda.is_available()
           else None)
    model.eval()
    try:
        with torch.no_grad():
            yield
    finally:
        for module, mode in modes.items():
            module.training = mode
        random.setstate(rng[0])
        np.random.set_state(rng[1])
        torch.set_rng_state(rng[2])
        if rng[3] is not None:
            torch.cuda.set_rng_state_all(rng[3])


def collect_class_statistics(model: nn.Module, dataloader: DataLoader,
                             num_classes: int,
                             show_progress: bool = True,
                             temperature: float = 1.0
                             ) -> ClassConditionalStats:
    """Class-conditional statistics of softmax(z / temperature) of
    ``model`` over ``dataloader``.

    The sums accumulate on the model's device (float64 where it has it)
    and nothing is copied to the host per batch; each rank runs its shard
    and one all-reduce at the end gives every rank the statistics of the
    whole data set. Samples that a distributed sampler repeats to pad the
    last round (global position >= dataset size) are left out, so the
    result equals a single-process pass.

    Args:
        model (nn.Module): an mmpretrain classifier (or its DDP wrapper)
            whose ``mode='tensor'`` forward returns logits (N, C).
        dataloader (DataLoader): yields mmengine data batches.
        num_classes (int): C.
        show_progress (bool): progress bar on rank 0.
        temperature (float): tau > 0 of the softmax: the centroids and the
            CMI of the result are at tau (the MCMI loss's ``temperature``).

    Raises:
        ValueError: a temperature that is not a finite number > 0.
    """
    if not 0 < temperature < math.inf:
        raise ValueError(
            f'The class statistics pass needs a finite temperature > 0, got '
            f'{temperature!r}: pass the MCMI loss\'s temperature (1.0 for '
            'plain softmax).')
    module = model.module if is_model_wrapper(model) else model
    stats = ClassConditionalStats(num_classes, device_of(module))
    bar = ProgressBar(len(dataloader)) \
        if (show_progress and dist.get_rank() == 0) else None
    with preserved_state(module):
        for logits, labels in own_logits(module, dataloader):
            stats.update((logits.float() / temperature).softmax(1), labels)
            if bar is not None:
                bar.update()
    stats.all_reduce()
    return stats


def own_logits(module: nn.Module, dataloader: DataLoader
               ) -> Iterator[Tuple[torch.Tensor, torch.Tensor]]:
    """This rank's logits (N, C) and labels (N,) of ``module`` (not a
    wrapper) over ``dataloader``, one pair per batch, in the caller's mode.

    A distributed sampler gives this rank the global positions rank,
    rank + world size, ... and repeats samples to pad the last round; those
    past the data set's size are cut off (a pair may be empty), so the
    pairs of all ranks together hold every sample exactly once, as a
    single-process pass does.
    """
    rank, world_size = dist.get_rank(), dist.get_world_size()
    # this rank's real samples: positions rank, rank + world, ... < size
    own_samples = -(-(len(dataloader.dataset) - rank) // world_size)
    seen = 0
    for data in dataloader:
        data = module.data_preprocessor(data, False)
        logits = module(data['inputs'], data['data_samples'], mode='tensor')
        labels = torch.cat([s.gt_label for s in data['data_samples']])
        keep = max(0, min(len(labels), own_samples - seen))
        seen += len(labels)
        yield logits[:keep], labels[:keep]


def device_of(module: nn.Module) -> torch.device:
    """The device of the first parameter (the CPU for none)."""
    parameter = next(module.parameters(), None)
    return torch.device('cpu') if parameter is None else parameter.device
