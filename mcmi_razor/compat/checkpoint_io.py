"""MMEngine reads checkpoints safely and writes them atomically.

1. Loading. MMEngine 0.10.7 loads local files with ``torch.load`` and
   torch's ``weights_only=True`` default, which rejects MMEngine's own
   checkpoints (``HistoryBuffer``, numpy objects): ``load_from``, ``resume``
   and mmrazor's ``teacher_ckpt`` all fail with ``Weights only load
   failed``. Its ``http(s)://`` (and ``torchvision://``, ``open-mmlab://``,
   ``mmcls://``) sources go through ``torch.hub``'s loader, which unpickles
   with ``weights_only=False`` and so runs any code in a downloaded file.
   Both are routed to :func:`mcmi_razor.fileio.load_checkpoint`:
   allow-listed safe loading, clear errors for damaged files, an explicit
   trust opt-in. Upstream: open-mmlab/mmengine#1655. Delete when MMEngine
   loads its own checkpoints with ``weights_only=True`` and an allow-list,
   locally and remotely.
2. Saving. MMEngine writes a checkpoint in place, so a crash or a full disk
   mid-write leaves a truncated file where a good one was. Its
   ``save_checkpoint`` now writes local files through
   :func:`mcmi_razor.fileio.atomic_path`. Keep as long as MMEngine writes in
   place.
"""
from typing import Any, Callable

from mmengine.runner import checkpoint as mmengine_checkpoint
from mmengine.runner import runner as mmengine_runner

from mcmi_razor.fileio import atomic_path, load_checkpoint, load_url


def load_from_local(filename: str, map_location: Any = None) -> Any:
    """MMEngine's local-path scheme (the name shows in its log line)."""
    return load_checkpoint(filename, map_location=map_location)


def _atomic(save: Callable) -> Callable:
    """Wrap MMEngine's ``save_checkpoint`` to write local files atomically."""
    if getattr(save, '_mcmi_atomic', False):
        return save

    def save_checkpoint(checkpoint: dict, filename: str, *args, **kwargs):
        if '://' in str(filename):
            return save(checkpoint, filename, *args, **kwargs)
        with atomic_path(str(filename)) as partial:
            save(checkpoint, partial, *args, **kwargs)

    save_checkpoint._mcmi_atomic = True
    return save_checkpoint


def apply() -> None:
    """Install the safe loaders and the atomic writer. Idempotent."""
    mmengine_checkpoint.CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local, force=True)
    # load_from_http (and the schemes built on it) call this module global.
    mmengine_checkpoint.load_url = load_url
    mmengine_runner.save_checkpoint = _atomic(
        mmengine_runner.save_checkpoint)
