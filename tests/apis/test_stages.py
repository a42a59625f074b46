"""The stage runner: numbering, skipping, logs and live progress read from
mmengine's log lines."""
import sys

import pytest

from mcmi_razor.apis.stages import (
    StageError,
    StageRunner,
    duration,
    estimate_left,
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


def test_durations_read_as_seconds_minutes_or_hours():
    assert [duration(t) for t in (4.4, 65, 3599.6, 3725)] == [
        '4 s', '1 min 05 s', '1 h 00 min', '1 h 02 min']


def test_estimate_scales_an_earlier_runs_stage_times():
    # this run took twice as long as the earlier one on stages 1 and 3
    # (stage 2 was skipped): stages 4 and 5 should take 2 x (10 + 30)
    assert estimate_left({1: 20.0, 3: 40.0}, 4, 5,
                         [10.0, 5.0, 20.0, 10.0, 30.0]) == 80.0
    # without an earlier run: the mean so far for each stage to go
    assert estimate_left({1: 20.0, 3: 40.0}, 4, 5) == 60.0
    assert estimate_left({}, 1, 5) is None


def test_each_stage_prints_its_duration_and_the_time_left_when_it_ends():
    echoed, now = [], [100.0]
    runner = StageRunner(4, 'demo', echo=echoed.append,
                         expected=[10.0, 60.0, 30.0, 90.0],
                         clock=lambda: now[0])
    runner.begin('data', done=True)
    tag = runner.begin('teacher', done=False)
    now[0] += 120.0          # twice the earlier run's 60 s
    assert runner.end(tag) == 120.0
    runner.begin('evaluate', done=True)
    tag = runner.begin('student', done=False)
    now[0] += 200.0
    runner.end(tag)
    assert echoed == [
        '[demo 1/4] data: done earlier, skipped',
        '[demo] estimate: about 3 min 00 s for stages 2-4 (an earlier '
        "run's stage times; updated as stages end)",
        '[demo 2/4] teacher: running',
        '[demo 2/4] done in 2 min 00 s; 2 min 00 s so far, about 4 min 00 s '
        'left, 6 min 00 s in all (estimate)',
        '[demo 3/4] evaluate: done earlier, skipped',
        '[demo 4/4] student: running',
        '[demo 4/4] done in 3 min 20 s; 5 min 20 s so far']
    assert runner.stage_seconds() == [None, 120.0, None, 200.0]
