"""The grid's runner on the stage runner, with fake training and
evaluation."""
import json
from pathlib import Path

from experiments.fashion_mnist_grid.grid import Grid
from mcmi_razor.apis.stages import StageError


class FakeTraining:
    """tools/train.py and the evaluation, faked: a checkpoint appears; the
    teacher named ``collapse`` fails as the collapse guard would."""

    def __init__(self):
        self.trained, self.evaluated = [], []

    def __call__(self, command, log_file):
        work_dir = Path(command[command.index('--work-dir') + 1])
        self.trained.append(work_dir.name)
        if work_dir.name == 'teacher_collapse':
            raise StageError('train.py failed. The end of the log:\n'
                             'TeacherCollapseError: lower cmi_weight')
        epochs = 1
        (work_dir / f'epoch_{epochs}.pth').write_text('checkpoint')

    def evaluate(self, job, config, checkpoint, work_dir):
        self.evaluated.append(job['name'])
        return dict(top1=50.0)


def test_grid_runs_each_job_once_in_order_and_skips_finished_ones(tmp_path):
    jobs = [dict(name='teacher_a', kind='teacher', teacher='a',
                 config='a.py', epochs=1, options=[], after=[]),
            dict(name='teacher_collapse', kind='teacher', teacher='c',
                 config='c.py', epochs=1, options=[], after=[]),
            dict(name='student_b', kind='student', teacher='a',
                 config='b.py', epochs=1, options=['x={seed}'], seed=2,
                 after=['teacher_a']),
            dict(name='student_c', kind='student', teacher='c',
                 config='b.py', epochs=1, options=[],
                 after=['teacher_collapse'])]
    fake, echoed = FakeTraining(), []
    Grid(str(tmp_path), 1, 'python', '/tools', run=fake,
         evaluate=fake.evaluate, echo=echoed.append).run(jobs)
    assert fake.trained == ['teacher_a', 'teacher_collapse', 'student_b']
    assert fake.evaluated == ['teacher_a', 'student_b']
    status = {p.stem: json.loads(p.read_text())['status']
              for p in (tmp_path / 'results').glob('*.json')}
    assert status == dict(teacher_a='ok', teacher_collapse='collapsed',
                          student_b='ok', student_c='skipped')
    record = json.loads((tmp_path / 'results/student_b.json').read_text())
    assert record['command'].endswith('--cfg-options x=2 '
                                      'train_dataloader.num_workers=0 '
                                      'randomness.seed=2')
    assert '[grid 1/4] teacher_a: running' in echoed
    again = FakeTraining()
    Grid(str(tmp_path), 1, 'python', '/tools', run=again,
         evaluate=again.evaluate, echo=echoed.append).run(jobs)
    assert again.trained == [] and again.evaluated == []
    assert echoed[-1] == 'student_c: skipped (0 runs left)'
