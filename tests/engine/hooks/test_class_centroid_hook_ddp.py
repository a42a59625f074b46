"""Centroids under DDP: every rank equal, and equal to one process."""
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from mcmi_razor.testing import write_cifar

WORKER = Path(__file__).with_name('centroid_ddp_worker.py')
EXCHANGE_WORKER = Path(__file__).with_name('centroid_exchange_worker.py')


def _torchrun(nproc: int, *args, worker: Path = WORKER) -> None:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    result = subprocess.run(
        [sys.executable, '-m', 'torch.distributed.run',
         f'--nproc_per_node={nproc}', f'--master_port={port}', str(worker),
         *map(str, args)],
        capture_output=True, text=True, timeout=600,
        env=dict(os.environ, CUDA_VISIBLE_DEVICES='', OMP_NUM_THREADS='1'))
    assert result.returncode == 0, result.stderr[-4000:]


@pytest.mark.slow
def test_ema_exchange_of_uneven_shards_equals_one_process(tmp_path):
    """Only present rows travel; ranks with different classes and batch
    sizes end bit-identical, and equal to one process seeing it all."""
    for nproc, name in ((2, 'two'), (1, 'one')):
        (tmp_path / name).mkdir()
        _torchrun(nproc, tmp_path / name, worker=EXCHANGE_WORKER)
    rank0, rank1, single = (
        torch.load(tmp_path / path, weights_only=True)
        for path in ('two/rank0.pt', 'two/rank1.pt', 'one/rank0.pt'))
    for key in ('value', 'log', 'initialized'):
        assert torch.equal(rank0[key], rank1[key]), key
    assert torch.equal(rank0['initialized'], single['initialized'])
    assert not rank0['initialized'].all()     # some classes never seen
    assert torch.allclose(rank0['value'], single['value'], atol=1e-6)
    assert torch.allclose(rank0['log'], single['log'], atol=1e-5)


@pytest.mark.slow
@pytest.mark.parametrize('schedule', ['exact', 'ema'])
def test_two_ranks_hold_identical_centroids_equal_to_one_process(
        tmp_path, schedule):
    """Through the runner. With 'ema' each rank's train-mode BatchNorm sees
    half the global batch, so one process (whole batches) is compared only
    for the exact pass; the exchange itself is compared above."""
    data_root = write_cifar(tmp_path / 'data', num_classes=10,
                            train_per_class=5, test_per_class=1, seed=0)
    _torchrun(2, data_root, tmp_path / 'two', schedule)
    if schedule == 'exact':
        _torchrun(1, data_root, tmp_path / 'one', schedule)
    rank0, rank1 = (torch.load(tmp_path / f'two/centroids_rank{r}.pt',
                               weights_only=True) for r in (0, 1))
    assert torch.equal(rank0['value'], rank1['value'])
    assert rank0['initialized'].all()
    assert rank0['value'].std(0).max() > 1e-3   # informative centroids
    if schedule == 'exact':
        single = torch.load(tmp_path / 'one/centroids_rank0.pt',
                            weights_only=True)
        assert torch.allclose(rank0['value'], single['value'], atol=1e-6)
