"""Resumable stages: a finished stage is skipped, an interrupted training
resumes, a test writes its metrics file; which command runs, not the tools
(tools/train.py and tools/test.py have their own tests)."""
import pytest

from mcmi_razor.apis.stages import StageError
from mcmi_razor.apis.study import evaluate_stage, train_stage


@pytest.fixture
def calls():
    """A fake ``run``: records (command, log file)."""
    made = []

    def run(command, log_file):
        made.append((list(command), log_file))
    run.made = made
    return run


def test_fresh_stage_trains_without_resume(calls, tmp_path):
    work, log = tmp_path / 'run', tmp_path / 'logs' / 'run.log'
    echoed = []
    assert train_stage(str(work), 'c.py', 'epoch_5.pth', str(log),
                       ['a=1', 'b=2'], python='py', run=calls,
                       echo=echoed.append)
    assert calls.made == [(['py', 'tools/train.py', 'c.py', '--work-dir',
                            str(work), '--cfg-options', 'a=1', 'b=2'],
                           str(log))]
    assert (tmp_path / 'logs').is_dir()
    assert echoed == [f'[run] training (log: {log})']


def test_interrupted_stage_resumes_a_finished_one_is_skipped(calls,
                                                             tmp_path):
    work = tmp_path / 'run'
    work.mkdir()
    (work / 'last_checkpoint').write_text(str(work / 'epoch_2.pth'))
    train_stage(str(work), 'c.py', 'epoch_5.pth', str(tmp_path / 'r.log'),
                flags=['--no-validate'], python='py', run=calls)
    assert calls.made[0][0] == ['py', 'tools/train.py', 'c.py',
                                '--work-dir', str(work), '--no-validate',
                                '--resume']
    (work / 'epoch_5.pth').write_bytes(b'')
    assert not train_stage(str(work), 'c.py', 'epoch_5.pth',
                           str(tmp_path / 'r.log'), run=calls)
    assert len(calls.made) == 1


def test_test_stage_writes_metrics_of_the_checkpoint_once(calls, tmp_path):
    work = tmp_path / 'run'
    assert evaluate_stage(str(work), 'c.py', 'w.pth', str(tmp_path / 'r.log'),
                          python='py', run=calls, echo=print)
    assert calls.made[0][0] == [
        'py', 'tools/test.py', 'c.py', 'w.pth', '--work-dir',
        str(work / 'test'), '--out', str(work / 'test_metrics.json'),
        '--out-item', 'metrics']
    work.mkdir()
    (work / 'test_metrics.json').write_text('{}')
    assert not evaluate_stage(str(work), 'c.py', 'w.pth',
                              str(tmp_path / 'r.log'), run=calls)


def test_a_failed_stage_raises_with_the_end_of_its_log(tmp_path):
    log = tmp_path / 'r.log'
    with pytest.raises(StageError, match='failed'):
        train_stage(str(tmp_path / 'run'), 'c.py', 'epoch_5.pth', str(log),
                    python='false', echo=print)
    assert log.read_text().startswith('$ false tools/train.py c.py')
