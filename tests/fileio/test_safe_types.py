"""The allow-list is what real checkpoints need: no less, no more."""
import argparse
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer

from mcmi_razor.fileio import load_checkpoint
from mcmi_razor.fileio.safe_types import history_buffer_statistic, safe_globals


def numpy1_checkpoint(path: Path) -> Path:
    """A checkpoint as numpy 1.x names its functions (numpy.core...)."""
    modern = path.with_suffix('.np2')
    torch.save({'meta': {'seed': np.int64(3)}, 'x': np.arange(3.)}, modern)
    with zipfile.ZipFile(modern) as src, \
            zipfile.ZipFile(path, 'w', zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith('data.pkl'):
                data = data.replace(b'numpy._core.multiarray',
                                    b'numpy.core.multiarray')
            dst.writestr(info.filename, data)
    return path


@pytest.fixture(scope='module')
def corpus(trained_fashion_mnist, tmp_path_factory) -> list:
    """Checkpoints of every kind the allow-list is for."""
    folder = tmp_path_factory.mktemp('corpus')
    torch.save({'opt': argparse.Namespace(model='resnet8', lr=[0.05]),
                'model': {'fc.weight': torch.ones(2, 2)}},
               folder / 'repdistiller.pth')
    torch.save({'message_hub': {'loss': HistoryBuffer()}},
               folder / 'empty_buffer.pth')
    return [trained_fashion_mnist[run] / 'epoch_1.pth'
            for run in ('mll', 'mcmi', 'kd')] + [
                folder / 'repdistiller.pth', folder / 'empty_buffer.pth',
                numpy1_checkpoint(folder / 'numpy1.pth')]


def test_real_runner_checkpoints_load_with_no_flag(trained_fashion_mnist):
    mcmi = load_checkpoint(trained_fashion_mnist['mcmi'] / 'epoch_1.pth')
    assert mcmi['mcmi_centroids']['head.loss_module']['value'].shape == (10,
                                                                          10)
    hub = mcmi['message_hub']['log_scalars']
    assert all(isinstance(b, HistoryBuffer) for b in hub.values())
    assert np.isfinite(hub['train/loss'].mean())
    kd = load_checkpoint(trained_fashion_mnist['kd'] / 'epoch_1.pth')
    assert any(k.startswith('teacher.') for k in kd['state_dict'])


def test_the_corpus_loads_and_every_entry_is_needed(corpus):
    def loads(path, allowed) -> bool:
        try:
            with torch.serialization.safe_globals(allowed):
                torch.load(path, weights_only=True)
        except pickle.UnpicklingError:
            return False
        return True

    full = safe_globals()
    assert all(loads(path, full) for path in corpus)
    unneeded = [entry for i, entry in enumerate(full) if all(
        loads(path, full[:i] + full[i + 1:]) for path in corpus)]
    assert unneeded == []


@pytest.mark.parametrize('owner, name', [(HistoryBuffer, '__init__'),
                                         (Path, 'touch'), (np, 'load')])
def test_the_getattr_stand_in_resolves_only_statistics(owner, name):
    assert history_buffer_statistic(HistoryBuffer, 'mean') is \
        HistoryBuffer.mean
    with pytest.raises(pickle.UnpicklingError, match='not allowed'):
        history_buffer_statistic(owner, name)
