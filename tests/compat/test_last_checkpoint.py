"""``last_checkpoint``: atomic replacement and the resume fallback."""
import pytest
import torch
from mmengine.runner import runner as runner_module

from mcmi_razor.compat import last_checkpoint


def _checkpoint(path) -> str:
    torch.save({'state_dict': {'w': torch.arange(500.)}}, path)
    return str(path)


def test_mmengine_still_returns_an_empty_last_checkpoint(tmp_path):
    """The repair is needed while MMEngine's own lookup returns '' (and
    ``--resume`` then fails with 'Checkpoint  does not exist')."""
    (tmp_path / 'last_checkpoint').write_text('')
    assert last_checkpoint._find_latest_checkpoint(str(tmp_path)) == ''


def test_runner_uses_the_repaired_lookup():
    assert (runner_module.find_latest_checkpoint is
            last_checkpoint.find_latest_checkpoint)


@pytest.mark.parametrize('cut', [0, 100, -20])
def test_a_cut_checkpoint_is_incomplete(tmp_path, cut):
    data = open(_checkpoint(tmp_path / 'a.pth'), 'rb').read()
    (tmp_path / 'b.pth').write_bytes(data[:cut])
    assert last_checkpoint.is_complete_checkpoint(str(tmp_path / 'a.pth'))
    assert not last_checkpoint.is_complete_checkpoint(str(tmp_path / 'b.pth'))


def test_newest_complete_checkpoint_ignores_other_files(tmp_path):
    _checkpoint(tmp_path / 'epoch_2.pth')
    _checkpoint(tmp_path / 'best_accuracy_top1_epoch_3.pth')
    (tmp_path / '.epoch_3.x.partial.pth').write_bytes(b'partial')
    assert last_checkpoint.newest_complete_checkpoint(str(tmp_path)) == str(
        tmp_path / 'epoch_2.pth')


def test_a_complete_named_checkpoint_is_used_as_named(tmp_path):
    older = _checkpoint(tmp_path / 'epoch_1.pth')
    _checkpoint(tmp_path / 'epoch_2.pth')
    last_checkpoint.write_last_checkpoint(str(tmp_path), older)
    assert last_checkpoint.find_latest_checkpoint(str(tmp_path)) == older


def test_a_remote_pointer_is_trusted(tmp_path):
    last_checkpoint.write_last_checkpoint(str(tmp_path), 's3://b/epoch_1.pth')
    assert last_checkpoint.find_latest_checkpoint(
        str(tmp_path)) == 's3://b/epoch_1.pth'


def test_nothing_to_resume_from_is_none(tmp_path):
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'epoch_1.pth'))
    assert last_checkpoint.find_latest_checkpoint(str(tmp_path)) is None
