"""The many-class study's committed teachers: weights that outlive a work dir.

A new checkout of the repository holds only what was committed; the work
dirs under ``work_dirs/many_class`` (checkpoints, logs) may be gone. Every
teacher's final weights, and base's epochs that fine-tunes start from, are
therefore committed here (resnet20, 1.2 MB each), so that students and
fine-tunes start from the same teachers in any later session without
training them again. A file holds ``state_dict`` and ``meta`` (the
checkpoint it came from, its epoch and seed): what ``load_from`` and
mmrazor's ``teacher_ckpt`` read.
"""
from pathlib import Path

from mcmi_razor.fileio import load_checkpoint, save_atomic

STORE = Path('experiments/many_class/teachers')


def stored(name: str) -> Path:
    """Where the committed weights ``name`` (e.g. ``fixed_t1``) live."""
    return STORE / f'{name}.pth'


def store_weights(checkpoint: Path, out: Path) -> None:
    """Write the weights of the mmengine ``checkpoint`` to ``out``,
    atomically (a cut-short write leaves no file)."""
    full = load_checkpoint(str(checkpoint))
    if not isinstance(full, dict) or 'state_dict' not in full:
        raise ValueError(f'{checkpoint} holds no state_dict: it is not an '
                         'mmengine training checkpoint; delete it and run '
                         'run.py again to train that teacher.')
    meta = full.get('meta', {})
    save_atomic(dict(state_dict=full['state_dict'],
                     meta=dict(source=str(checkpoint),
                               epoch=meta.get('epoch'),
                               seed=meta.get('seed'))), str(out))
