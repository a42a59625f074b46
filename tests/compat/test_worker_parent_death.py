"""torchrun workers end when their launcher is killed (Linux)."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# A launcher that starts one worker, prints its pid, then waits. The worker
# imports the repair (and so mcmi_razor), applies it and sleeps.
LAUNCHER = '''
import subprocess, sys, time
worker = subprocess.Popen([sys.executable, '-c', """
import time
from mcmi_razor.compat import worker_parent_death
worker_parent_death.apply()
print('ready', flush=True)
time.sleep(60)
"""], stdout=subprocess.PIPE, text=True)
assert worker.stdout.readline() == 'ready\\n'
print(worker.pid, flush=True)
time.sleep(60)
'''


def _alive(pid: int) -> bool:
    try:
        status = Path(f'/proc/{pid}/status').read_text()
    except FileNotFoundError:
        return False
    return 'State:\tZ' not in status


def _worker_after_launcher_kill(env: dict) -> int:
    """Kill the launcher; return the worker's pid (alive or not)."""
    launcher = subprocess.Popen([sys.executable, '-c', LAUNCHER],
                                stdout=subprocess.PIPE, text=True,
                                env=dict(os.environ, **env))
    worker = int(launcher.stdout.readline())
    os.kill(launcher.pid, signal.SIGKILL)
    launcher.wait()
    for _ in range(100):
        if not _alive(worker):
            break
        time.sleep(0.05)
    return worker


@pytest.mark.skipif(not sys.platform.startswith('linux'), reason='Linux')
def test_torchrun_worker_ends_with_its_launcher():
    worker = _worker_after_launcher_kill({'TORCHELASTIC_RUN_ID': 'test'})
    assert not _alive(worker)


@pytest.mark.skipif(not sys.platform.startswith('linux'), reason='Linux')
def test_other_processes_are_left_alone():
    """Outside torchrun (no TORCHELASTIC_RUN_ID) nothing is requested: the
    orphan keeps running, as the kernel does without the repair."""
    worker = _worker_after_launcher_kill({})
    try:
        assert _alive(worker)
    finally:
        os.kill(worker, signal.SIGKILL)
