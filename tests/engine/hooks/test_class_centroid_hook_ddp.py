"""Exact centroids under DDP: every rank equal, and equal to one process."""
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from mcmi_razor.testing import write_cifar

WORKER = Path(__file__).with_name('centroid_ddp_worker.py')

pytestmark = pytest.mark.slow


def _torchrun(nproc: int, data_root: Path, work_dir: Path) -> None:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    result = subprocess.run(
        [sys.executable, '-m', 'torch.distributed.run',
         f'--nproc_per_node={nproc}', f'--master_port={port}', str(WORKER),
         str(data_root), str(work_dir)],
        capture_output=True, text=True, timeout=600,
        env=dict(os.environ, CUDA_VISIBLE_DEVICES='', OMP_NUM_THREADS='1'))
    assert result.returncode == 0, result.stderr[-4000:]


def test_two_ranks_hold_identical_centroids_equal_to_one_process(tmp_path):
    data_root = write_cifar(tmp_path / 'data', num_classes=10,
                            train_per_class=5, test_per_class=1, seed=0)
    _torchrun(2, data_root, tmp_path / 'two')
    _torchrun(1, data_root, tmp_path / 'one')
    rank0, rank1, single = (
        torch.load(path, weights_only=True)
        for path in (tmp_path / 'two/centroids_rank0.pt',
                     tmp_path / 'two/centroids_rank1.pt',
                     tmp_path / 'one/centroids_rank0.pt'))
    assert torch.equal(rank0['value'], rank1['value'])
    assert rank0['initialized'].all()
    assert rank0['value'].std(0).max() > 1e-3   # informative centroids
    assert torch.allclose(rank0['value'], single['value'], atol=1e-6)
