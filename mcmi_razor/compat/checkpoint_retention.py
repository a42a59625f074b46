"""Checkpoint retention that deletes an old checkpoint only after the new one.

MMEngine 0.10.7's ``CheckpointHook`` removes the oldest kept checkpoint
(``max_keep_ckpts``) and the previous ``best_*.pth`` *before* it writes the
new one, and writes ``last_checkpoint`` in place. With ``max_keep_ckpts=1``
a kill during the save leaves no checkpoint at all. Here every removal the
hook asks for during a save is held back until the new checkpoint is
complete on disk (and ``last_checkpoint`` points at it, replaced atomically
by :func:`.last_checkpoint.write_last_checkpoint`); a failed save removes
nothing. Upstream code: ``mmengine/hooks/checkpoint_hook.py``
(``_save_checkpoint_with_step``, ``_save_best_checkpoint``; no upstream issue
found). Delete when MMEngine saves before it removes.
"""
from contextlib import contextmanager
from typing import Callable, Iterator, List, Tuple

from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook

from .last_checkpoint import write_last_checkpoint

# MMEngine's methods: the best-checkpoint save is wrapped; the other is
# replaced, and kept to show (in the tests) that it still removes first.
_save_best_checkpoint = CheckpointHook._save_best_checkpoint
_save_checkpoint_with_step = CheckpointHook._save_checkpoint_with_step


class _DeferredRemoval:
    """A file backend whose ``remove``/``rmtree`` wait for :meth:`flush`."""

    def __init__(self, backend) -> None:
        self._backend = backend
        self._pending: List[Tuple[Callable[[str], None], str]] = []

    def __getattr__(self, name: str):
        return getattr(self._backend, name)

    def remove(self, path: str) -> None:
        self._pending.append((self._backend.remove, path))

    def rmtree(self, path: str) -> None:
        self._pending.append((self._backend.rmtree, path))

    def flush(self) -> None:
        for remove, path in self._pending:
            remove(path)


@contextmanager
def removals_after_save(hook: CheckpointHook) -> Iterator[None]:
    """Hold back the hook's file removals until the block succeeded."""
    backend = hook.file_backend
    if isinstance(backend, _DeferredRemoval):  # nested: the outer flushes
        yield
        return
    deferred = hook.file_backend = _DeferredRemoval(backend)
    try:
        yield
    finally:
        hook.file_backend = backend
    deferred.flush()


def _remove_kept_checkpoint(hook: CheckpointHook, step: int) -> None:
    if not is_main_process():
        return
    path = hook.file_backend.join_path(hook.out_dir,
                                       hook.filename_tmpl.format(step))
    if hook.file_backend.isfile(path):
        hook.file_backend.remove(path)
    elif hook.file_backend.isdir(path):  # DeepSpeed saves directories
        hook.file_backend.rmtree(path)


def save_checkpoint_with_step(hook: CheckpointHook, runner, step: int,
                              meta: dict) -> None:
    """Save ``step``'s checkpoint, point ``last_checkpoint`` at it, then
    remove the checkpoint that ``max_keep_ckpts`` no longer keeps.

    The bookkeeping (``keep_ckpt_ids``, ``last_ckpt`` in the message hub) is
    MMEngine's, so checkpoints and resumes stay compatible with it.
    """
    with removals_after_save(hook):
        kept = hook.keep_ckpt_ids if hook.max_keep_ckpts > 0 else None
        if kept is not None and not (kept and kept[-1] == step):
            if len(kept) == hook.max_keep_ckpts:
                _remove_kept_checkpoint(hook, kept.popleft())
            kept.append(step)
            runner.message_hub.update_info('keep_ckpt_ids', list(kept))
        filename = hook.filename_tmpl.format(step)
        hook.last_ckpt = hook.file_backend.join_path(hook.out_dir, filename)
        runner.message_hub.update_info('last_ckpt', hook.last_ckpt)
        runner.save_checkpoint(
            hook.out_dir, filename, hook.file_client_args,
            save_optimizer=hook.save_optimizer,
            save_param_scheduler=hook.save_param_scheduler, meta=meta,
            by_epoch=hook.by_epoch, backend_args=hook.backend_args,
            **hook.args)
        if is_main_process():
            write_last_checkpoint(runner.work_dir, hook.last_ckpt)


def save_best_checkpoint(hook: CheckpointHook, runner, metrics: dict) -> None:
    """MMEngine's best-checkpoint save, removing the old best only after."""
    with removals_after_save(hook):
        _save_best_checkpoint(hook, runner, metrics)


def apply() -> None:
    """Install the save-then-remove order on ``CheckpointHook``."""
    CheckpointHook._save_checkpoint_with_step = save_checkpoint_with_step
    CheckpointHook._save_best_checkpoint = save_best_checkpoint
