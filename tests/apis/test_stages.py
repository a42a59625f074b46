"""The stage runner: numbering, skipping, logs and live progress read from
mmengine's log lines."""
import sys

import pytest

from mcmi_razor.apis.stages import (
    StageError,
    StageRunner,
    parse_progress,
    run_logged,
)

TRAIN = ('11/25 16:03:01 - mmengine - INFO - Epoch(train)  [3][ 10/47]  '
         'lr: 5.0000e-02  eta: 0:01:02  time: 0.1  loss: 1.2')


def test_parse_progress_reads_epoch_iteration_and_eta():
    progress = parse_progress(TRAIN)
    assert (progress.mode, progress.epoch, progress.iteration,
            progress.iterations, progress.eta) == ('train', 3, 10, 47,
                                                   '0:01:02')
    assert str(progress) == 'train epoch 3, iter 10/47, eta 0:01:02'
    test = parse_progress('... - INFO - Epoch(test) [ 20/40]    eta: 0:00:05')
    assert (test.mode, test.epoch, test.iteration, test.iterations) == (
        'test', None, 20, 40)
    assert parse_progress('Iter(train) [150/200]  eta: 0:00:09').iteration \
        == 150
    assert parse_progress('Saving checkpoint at 3 epochs') is None


def test_runner_numbers_stages_and_prints_progress_with_the_log(tmp_path):
    echoed = []
    runner = StageRunner(2, 'demo', echo=echoed.append, progress_interval=0)
    assert not runner.should_run('teacher', done=True)
    tag = runner.begin('student', done=False)
    log = tmp_path / 'stage.log'
    script = f'print({TRAIN!r}); print("other output")'
    runner.run(tag, [sys.executable, '-c', script], str(log))
    assert echoed[0] == '[demo 1/2] teacher: done earlier, skipped'
    assert echoed[1] == '[demo 2/2] student: running'
    assert echoed[2] == f'[demo 2/2] log: {log}'
    assert echoed[3] == ('[demo 2/2] train epoch 3, iter 10/47, eta 0:01:02 '
                         f'(log: {log})')
    assert len(echoed) == 4
    assert 'other output' in log.read_text()


def test_progress_lines_are_throttled(tmp_path):
    echoed = []
    runner = StageRunner(1, echo=echoed.append, progress_interval=3600)
    script = f'[print({TRAIN!r}) for _ in range(5)]'
    runner.run('[stage 1/1]', [sys.executable, '-c', script],
               str(tmp_path / 'log'))
    assert sum('eta' in line for line in echoed) == 1


def test_run_logged_raises_with_the_end_of_the_log(tmp_path):
    log = tmp_path / 'stage.log'
    with pytest.raises(StageError, match='(?s)exit 3.*boom'):
        run_logged([sys.executable, '-c', 'print("boom"); exit(3)'],
                   str(log))
    assert log.read_text().startswith('$ ')
