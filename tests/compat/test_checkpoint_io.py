import numpy as np
import pytest
import torch
from mmengine.fileio.backends import LocalBackend
from mmengine.logging import HistoryBuffer
from mmengine.runner import checkpoint as mmengine_checkpoint
from mmengine.runner import runner as mmengine_runner
from mmengine.runner.checkpoint import CheckpointLoader, _load_checkpoint

from mcmi_razor import fileio
from mcmi_razor.compat import checkpoint_io


def _mmengine_like_checkpoint(path):
    """What mmengine 0.10.7 writes: tensors plus pickled objects."""
    checkpoint = dict(state_dict=dict(w=torch.ones(2)),
                      message_hub=dict(log_scalars=dict(loss=HistoryBuffer())),
                      meta=dict(seed=np.int64(3)))
    torch.save(checkpoint, path)


def test_mmengine_checkpoints_load_from_local_paths(tmp_path):
    path = tmp_path / 'epoch_1.pth'
    _mmengine_like_checkpoint(path)
    with pytest.raises(Exception, match='Weights only load failed'):
        torch.load(path)   # torch's default: why the repair exists
    loaded = _load_checkpoint(str(path), map_location='cpu')
    assert torch.equal(loaded['state_dict']['w'], torch.ones(2))


def test_local_and_remote_sources_use_the_safe_loader():
    local = CheckpointLoader._get_checkpoint_loader('/tmp/x.pth')
    assert local is checkpoint_io.load_from_local
    # MMEngine's http(s), torchvision:// and open-mmlab:// loaders call it.
    assert mmengine_checkpoint.load_url is fileio.load_url


def test_missing_checkpoint_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match='nothing.pth'):
        _load_checkpoint(str(tmp_path / 'nothing.pth'))


def test_a_failed_save_never_replaces_a_good_checkpoint(tmp_path,
                                                        monkeypatch):
    path = tmp_path / 'epoch_1.pth'
    mmengine_runner.save_checkpoint(dict(state_dict=dict(w=torch.ones(3))),
                                    str(path))
    good = path.read_bytes()

    def crash_midway(self, obj, filepath):
        with open(filepath, 'wb') as f:
            f.write(obj[:len(obj) // 2])
        raise OSError('disk full')

    monkeypatch.setattr(LocalBackend, 'put', crash_midway)
    with pytest.raises(OSError, match='disk full'):
        mmengine_runner.save_checkpoint(
            dict(state_dict=dict(w=torch.zeros(3))), str(path))
    assert path.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ['epoch_1.pth']
