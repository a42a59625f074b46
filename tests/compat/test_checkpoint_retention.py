"""Retention removes an old checkpoint only once the new one is saved."""
from collections import deque

import pytest
from mmengine.fileio import LocalBackend
from mmengine.hooks import CheckpointHook
from mmengine.logging import MessageHub

from mcmi_razor.compat import checkpoint_retention


class _SaveFails:
    """A runner whose ``save_checkpoint`` fails (kill, full disk)."""

    def __init__(self, work_dir) -> None:
        self.work_dir = str(work_dir)
        self.message_hub = MessageHub.get_instance('retention_test')

    def save_checkpoint(self, *args, **kwargs) -> None:
        raise OSError('No space left on device')


def _hook(work_dir, keep: int) -> CheckpointHook:
    hook = CheckpointHook(interval=1, max_keep_ckpts=keep)
    hook.out_dir = str(work_dir)
    hook.filename_tmpl = 'epoch_{}.pth'
    hook.file_backend = LocalBackend()
    hook.keep_ckpt_ids = deque(range(1, keep + 1), keep)
    for step in hook.keep_ckpt_ids:
        (work_dir / f'epoch_{step}.pth').write_bytes(b'kept')
    return hook


def test_mmengine_still_removes_before_it_saves(tmp_path):
    """The repair is needed while MMEngine's own order loses epoch_1."""
    hook = _hook(tmp_path, keep=1)
    with pytest.raises(OSError):
        checkpoint_retention._save_checkpoint_with_step(
            hook, _SaveFails(tmp_path), 2, dict(epoch=2))
    assert not (tmp_path / 'epoch_1.pth').exists()


@pytest.mark.parametrize('keep', [1, 3])
def test_a_failed_save_removes_nothing(tmp_path, keep):
    hook = _hook(tmp_path, keep)
    with pytest.raises(OSError):
        CheckpointHook._save_checkpoint_with_step(
            hook, _SaveFails(tmp_path), keep + 1, dict(epoch=keep + 1))
    assert (tmp_path / 'epoch_1.pth').exists()


def test_removals_wait_for_the_block_and_run_after_it(tmp_path):
    hook = _hook(tmp_path, keep=1)
    with checkpoint_retention.removals_after_save(hook):
        hook.file_backend.remove(str(tmp_path / 'epoch_1.pth'))
        assert (tmp_path / 'epoch_1.pth').exists()
    assert not (tmp_path / 'epoch_1.pth').exists()
    assert isinstance(hook.file_backend, LocalBackend)


def test_removals_are_dropped_when_the_block_fails(tmp_path):
    hook = _hook(tmp_path, keep=1)
    with pytest.raises(OSError):
        with checkpoint_retention.removals_after_save(hook):
            hook.file_backend.remove(str(tmp_path / 'epoch_1.pth'))
            raise OSError('save failed')
    assert (tmp_path / 'epoch_1.pth').exists()
    assert isinstance(hook.file_backend, LocalBackend)
