"""The pipeline on real tools and the Fashion-MNIST fixture: two runs give
the same table (seeded teachers and students), and the console shows each
training stage's progress and log."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mcmi_razor.apis.pipeline import MCMIPipeline
from mcmi_razor.apis.pipeline_cli import parse_pipeline_args

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
DEMO = 'configs/fashion_mnist/demo/'


def _options(root) -> list:
    return [f'train_dataloader.dataset.dataset.data_root={root}',
            f'test_dataloader.dataset.data_root={root}',
            'train_dataloader.dataset.fraction=1.0',
            'train_dataloader.num_workers=0', 'test_dataloader.num_workers=0',
            'train_cfg.max_epochs=1', 'default_hooks.logger.interval=1']


def _argv(work_dir, root) -> list:
    return ['--mll-config', DEMO + 'mll_teacher_r20.py',
            '--mcmi-config', DEMO + 'mcmi_teacher_r20.py',
            '--distill-config', DEMO + 'kd_r20_r8.py',
            '--student-config', 'configs/fashion_mnist/students/r8.py',
            '--work-dir', str(work_dir), '--cfg-options', *_options(root)]


def _run(work_dir, root):
    echoed = []
    results = MCMIPipeline(parse_pipeline_args(_argv(work_dir, root)),
                           tools_dir=str(REPO / 'tools'),
                           echo=echoed.append).run()
    return results, echoed


def _numbers(results) -> dict:
    return dict(
        teachers={n: t['metrics'] for n, t in results['teachers'].items()},
        students={n: [r['metrics'] for r in s['runs']]
                  for n, s in results['students'].items()})


def test_two_runs_print_the_same_table_and_show_progress(
        tmp_path, fashion_mnist_fixture_root, monkeypatch):
    monkeypatch.chdir(REPO)
    monkeypatch.setenv('OMP_NUM_THREADS', '1')
    # The second run through tools/mcmi_pipeline.py in its own process, side
    # by side with the first (each stage is a one-thread subprocess).
    second_run = subprocess.Popen(
        [sys.executable, 'tools/mcmi_pipeline.py',
         *_argv(tmp_path / 'b', fashion_mnist_fixture_root)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    first, echoed = _run(tmp_path / 'a', fashion_mnist_fixture_root)
    output = second_run.communicate(timeout=900)[0]
    assert second_run.returncode == 0, output[-3000:]
    second = json.loads((tmp_path / 'b' / 'results.json').read_text())
    assert _numbers(first) == _numbers(second)
    table = (tmp_path / 'a' / 'results.md').read_text()
    assert table == (tmp_path / 'b' / 'results.md').read_text().replace(
        str(tmp_path / 'b'), str(tmp_path / 'a'))
    log = str(tmp_path / 'a' / 'mll_teacher' / 'pipeline.log')
    assert f'[pipeline 1/10] log: {log}' in echoed
    progress = [line for line in echoed
                if line.startswith('[pipeline 1/10] train epoch 1, iter ')]
    assert progress and progress[0].endswith(f'(log: {log})')
    assert 'eta ' in progress[0]
