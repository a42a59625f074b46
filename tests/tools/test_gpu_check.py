"""tools/gpu_check.sh without CUDA: says so, runs the CUDA tests (which
skip) and exits 0 (the GPU checks themselves need a CUDA machine)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


def test_without_cuda_it_says_so_and_exits_0(tmp_path):
    result = subprocess.run(
        ['bash', str(REPO / 'tools/gpu_check.sh')], capture_output=True,
        text=True, timeout=600,
        env=dict(os.environ, CUDA_VISIBLE_DEVICES='', PYTHON=sys.executable,
                 GPU_CHECK_DIR=str(tmp_path), OMP_NUM_THREADS='1'))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith('gpu_check: no CUDA device found')
    assert ' skipped' in lines[-1], lines
    assert 'failed' not in lines[-1] and 'error' not in lines[-1], lines
