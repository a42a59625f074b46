"""The shell-scripted studies' shared stage logic: skip, resume, stop on error.

The interpreter the scripts call (``$PY``) is replaced by a script that
records its arguments: what is tested is which command a stage issues, not
the trainer (tools/train.py and tools/test.py have their own tests).
"""
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HELPER = ROOT / 'experiments' / 'resumable_stage.sh'


@pytest.fixture
def stage(tmp_path):
    """Run a bash snippet with the helper sourced; return (rc, calls)."""
    recorder = tmp_path / 'recorder.sh'
    calls = tmp_path / 'calls.txt'
    recorder.write_text('#!/usr/bin/env bash\n'
                        f'echo "$*" >> {calls}\n'
                        '[ -z "$FAIL" ]\n')
    recorder.chmod(0o755)

    def run(snippet: str, fail: bool = False):
        script = (f'set -euo pipefail\ncd {ROOT}\nsource {HELPER}\n'
                  f'{snippet}\necho after\n')
        env = dict(PATH='/usr/bin:/bin', PY=str(recorder),
                   FAIL='1' if fail else '')
        done = subprocess.run(['bash', '-c', script], env=env, text=True,
                              capture_output=True)
        lines = calls.read_text().splitlines() if calls.exists() else []
        calls.unlink(missing_ok=True)
        return done, lines
    return run


def test_fresh_stage_trains_without_resume(stage, tmp_path):
    work = tmp_path / 'run'
    done, calls = stage(
        f'train_stage {work} {tmp_path}/logs/run.log epoch_5.pth c.py a=1 b=2')
    assert done.returncode == 0 and 'after' in done.stdout
    assert calls == [f'tools/train.py c.py --work-dir {work} '
                     '--cfg-options a=1 b=2']
    assert (tmp_path / 'logs' / 'run.log').exists()


def test_interrupted_stage_resumes(stage, tmp_path):
    work = tmp_path / 'run'
    work.mkdir()
    (work / 'last_checkpoint').write_text(str(work / 'epoch_2.pth'))
    _, calls = stage(f'train_stage {work} {tmp_path}/run.log epoch_5.pth c.py')
    assert calls == [f'tools/train.py c.py --work-dir {work} --resume']


def test_finished_stages_are_skipped(stage, tmp_path):
    work = tmp_path / 'run'
    work.mkdir()
    (work / 'last_checkpoint').write_text(str(work / 'epoch_5.pth'))
    (work / 'epoch_5.pth').write_bytes(b'')
    (work / 'test_metrics.json').write_text('{}')
    done, calls = stage(
        f'train_stage {work} {tmp_path}/run.log epoch_5.pth c.py a=1\n'
        f'test_stage {work} {tmp_path}/run.log c.py {work}/epoch_5.pth')
    assert done.returncode == 0 and calls == []


def test_test_stage_writes_metrics_of_the_checkpoint(stage, tmp_path):
    work = tmp_path / 'run'
    _, calls = stage(f'test_stage {work} {tmp_path}/run.log c.py w.pth')
    assert calls == [f'tools/test.py c.py w.pth --work-dir {work}/test '
                     f'--out {work}/test_metrics.json --out-item metrics']


def test_a_failed_stage_stops_the_script(stage, tmp_path):
    done, calls = stage(
        f'train_stage {tmp_path}/run {tmp_path}/run.log epoch_5.pth c.py\n'
        f'test_stage {tmp_path}/run {tmp_path}/run.log c.py w.pth', fail=True)
    assert done.returncode != 0 and 'after' not in done.stdout
    assert len(calls) == 1
