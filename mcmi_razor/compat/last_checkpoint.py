"""``last_checkpoint`` that a kill cannot empty, and a resume that survives it.

MMEngine 0.10.7 writes ``<work_dir>/last_checkpoint`` in place
(``CheckpointHook._save_checkpoint_with_step``), so a kill at that moment
leaves it empty, and ``find_latest_checkpoint`` returns whatever the file
holds: ``--resume`` then fails with ``Checkpoint  does not exist`` although
complete checkpoints lie next to it. Here the file is replaced atomically
(:func:`write_last_checkpoint`, used by :mod:`.checkpoint_retention`), and
``find_latest_checkpoint`` falls back, with a warning in the log, to the
newest complete checkpoint of the work dir when the file is empty or names a
missing or incomplete checkpoint. Upstream code:
``mmengine/runner/checkpoint.py::find_latest_checkpoint`` (no upstream issue
found). Delete when MMEngine writes the file atomically and validates it.
"""
import logging
import os
import os.path as osp
import re
from typing import Optional

from mmengine.logging import print_log

from mcmi_razor.fileio import (
    CheckpointError,
    check_checkpoint_file,
    write_text_atomic,
)

_CHECKPOINT_NAME = re.compile(r'^(epoch|iter)_\d+\.pth$')
_find_latest_checkpoint = None


def is_complete_checkpoint(path: str) -> bool:
    """True for a whole torch checkpoint file: see
    :func:`mcmi_razor.fileio.check_checkpoint_file` (not empty, a whole zip,
    every record's CRC-32 checks), so a truncated or bit-flipped file does
    not count."""
    try:
        check_checkpoint_file(path)
    except (FileNotFoundError, CheckpointError):
        return False
    return True


def newest_complete_checkpoint(work_dir: str) -> Optional[str]:
    """The newest complete ``epoch_N.pth`` / ``iter_N.pth`` in ``work_dir``."""
    if not osp.isdir(work_dir):
        return None
    candidates = [
        osp.join(work_dir, name) for name in os.listdir(work_dir)
        if _CHECKPOINT_NAME.match(name)
    ]
    for path in sorted(candidates, key=osp.getmtime, reverse=True):
        if is_complete_checkpoint(path):
            return path
    return None


def write_last_checkpoint(work_dir: str, checkpoint_path: str) -> None:
    """Point ``<work_dir>/last_checkpoint`` at ``checkpoint_path``
    atomically: a reader sees the old or the new path, never less."""
    write_text_atomic(osp.join(work_dir, 'last_checkpoint'), checkpoint_path)


def find_latest_checkpoint(path: str) -> Optional[str]:
    """MMEngine's ``find_latest_checkpoint`` that survives a bad pointer.

    Returns the checkpoint ``last_checkpoint`` names when it is complete
    (remote paths are trusted as they are), else the newest complete
    checkpoint in ``path`` (saying so in the log), else None.
    """
    named = _find_latest_checkpoint(path)
    if named and ('://' in named or is_complete_checkpoint(named)):
        return named
    fallback = newest_complete_checkpoint(path)
    if named is None and fallback is None:
        return None
    if named is None:
        problem = 'is missing'
    elif not named:
        problem = 'is empty'
    else:
        problem = f'names {named}, which is missing or incomplete'
    if fallback is None:
        print_log(f'{osp.join(path, "last_checkpoint")} {problem} and no '
                  f'complete epoch_N.pth / iter_N.pth is in {path}: nothing '
                  'to resume from. Pass a checkpoint with --resume PATH.',
                  logger='current', level=logging.WARNING)
        return None
    print_log(f'{osp.join(path, "last_checkpoint")} {problem}: resuming from '
              f'the newest complete checkpoint in the work dir, {fallback}.',
              logger='current', level=logging.WARNING)
    return fallback


def apply() -> None:
    """Install the fallback wherever MMEngine looks the function up."""
    global _find_latest_checkpoint
    from mmengine import runner as runner_package
    from mmengine.runner import _flexible_runner
    from mmengine.runner import checkpoint as checkpoint_module
    from mmengine.runner import runner as runner_module
    if _find_latest_checkpoint is None:
        _find_latest_checkpoint = checkpoint_module.find_latest_checkpoint
    for module in (runner_package, checkpoint_module, runner_module,
                   _flexible_runner):
        module.find_latest_checkpoint = find_latest_checkpoint
