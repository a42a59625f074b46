"""Checkpoint reading and writing that torch >= 2.6 and crashes cannot break.

1. Loading. torch 2.6 made ``torch.load(weights_only=True)`` the default.
   MMEngine 0.10.7 checkpoints pickle ``HistoryBuffer`` and numpy objects, so
   ``load_from``, ``resume`` and mmrazor's ``teacher_ckpt`` all fail with
   ``Weights only load failed``. We re-register MMEngine's loader for *local
   paths only* with ``weights_only=False``: these are the user's own files.
   Remote URLs keep MMEngine's loaders and torch's safe default.
   Upstream: open-mmlab/mmengine#1655. Delete when MMEngine loads its own
   checkpoints under torch's default.
2. Saving. MMEngine writes a checkpoint in place, so a crash or a full disk
   mid-write leaves a truncated file where a good one was. We write to a
   temporary file beside it and rename it over the target only once it is
   complete (``os.replace`` is atomic on POSIX). Keep as long as MMEngine
   writes in place.
"""
import os
import os.path as osp
from typing import Any, Callable, Optional

import torch
from mmengine.runner import checkpoint as mmengine_checkpoint
from mmengine.runner import runner as mmengine_runner


def load_local_checkpoint(filename: str,
                          map_location: Optional[Any] = None) -> Any:
    """Load a local checkpoint written by MMEngine, RepDistiller or torch."""
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(
            f'Checkpoint {filename} does not exist: check the path given to '
            '`load_from`, `--resume`, `teacher_ckpt` or the tool.')
    return torch.load(filename, map_location=map_location, weights_only=False)


def _atomic(save: Callable) -> Callable:
    """Wrap MMEngine's ``save_checkpoint`` to write local files atomically."""
    if getattr(save, '_mcmi_atomic', False):
        return save

    def save_checkpoint(checkpoint: dict, filename: str, *args, **kwargs):
        if '://' in str(filename):
            return save(checkpoint, filename, *args, **kwargs)
        partial = f'{filename}.partial'
        try:
            save(checkpoint, partial, *args, **kwargs)
            os.replace(partial, filename)
        finally:
            if osp.exists(partial):
                os.remove(partial)

    save_checkpoint._mcmi_atomic = True
    return save_checkpoint


def apply() -> None:
    """Install the local loader and the atomic writer."""
    mmengine_checkpoint.CheckpointLoader.register_scheme(
        prefixes='', loader=load_local_checkpoint, force=True)
    mmengine_runner.save_checkpoint = _atomic(
        mmengine_runner.save_checkpoint)
