"""The evidence grid's design, its runner on the stage runner (with fake
training and evaluation) and its report on a partial set of results."""
import json
from collections import Counter
from pathlib import Path

import pytest
from mmengine.config import Config

from mcmi_razor.apis.experiments import fashion_mnist_design
from mcmi_razor.apis.experiments.fashion_mnist_grid import Grid
from mcmi_razor.apis.experiments.fashion_mnist_report import write_report
from mcmi_razor.apis.stages import StageError


@pytest.fixture(scope='module')
def grid():
    return fashion_mnist_design


def test_design_docstring_states_the_schedule_of_its_constants(grid):
    doc = ' '.join(grid.__doc__.split())
    assert f'MLL resnet20 ({grid.MLL_EPOCHS} epochs' in doc
    assert f'{grid.FINETUNE_EPOCHS} epochs each' in doc
    assert f'~{grid.STUDENT_ITERS} iterations each' in doc
    assert f'seeds 0-{max(grid.SEEDS)}' in doc


def _student_dataset(grid, job, root, tmp_path):
    from mcmi_razor.registry import DATASETS
    path = tmp_path / f'{job["name"]}.py'
    path.write_text(job['config_text'].replace('{teacher_ckpt}', '/t.pth'))
    cfg = Config.fromfile(str(path))
    inner = cfg.train_dataloader.dataset.dataset
    inner.dataset.data_root = str(root)
    return DATASETS.build(cfg.train_dataloader.dataset)


def test_every_student_cell_has_three_seeds_and_runs_after_its_teacher(grid):
    jobs = grid.all_jobs()
    names = [j['name'] for j in jobs]
    assert len(names) == len(set(names))
    position = {n: i for i, n in enumerate(names)}
    cells = Counter((j['teacher'], j['data']) for j in jobs
                    if j['kind'] == 'student' and j['teacher'] != 'none')
    assert set(cells.values()) == {3} and len(cells) == 3 * 6
    for job in jobs:
        for dependency in job['after']:
            assert position[dependency] < position[job['name']]


def test_student_budget_is_about_the_same_number_of_iterations(grid):
    for job in grid.all_jobs():
        if job['kind'] == 'student':
            assert abs(job['iters'] - grid.STUDENT_ITERS) <= \
                grid.STUDENT_ITERS / 2, job['name']


def test_few_shot_cells_are_nested_class_balanced_subsets_of_the_pool(
        grid, tmp_path, fashion_mnist_fixture_root, mcmi_razor_scope,
        monkeypatch):
    # fixture: 5 train images per class; pool fraction 1.0 keeps them all
    monkeypatch.setitem(grid.POOL, 'fraction', 1.0)
    small = _student_dataset(grid, grid.student_job('mll', 'f0.2', 1),
                             fashion_mnist_fixture_root, tmp_path)
    large = _student_dataset(grid, grid.student_job('mll', 'f0.6', 1),
                             fashion_mnist_fixture_root, tmp_path)
    labels = Counter(small.get_cat_ids(i)[0] for i in range(len(small)))
    assert labels == {c: 1 for c in range(10)}
    assert set(small.indices) <= set(large.indices)


def test_zero_shot_cells_drop_only_the_omitted_classes(
        grid, tmp_path, fashion_mnist_fixture_root, mcmi_razor_scope,
        monkeypatch):
    monkeypatch.setitem(grid.POOL, 'fraction', 1.0)
    job = grid.student_job('mcmi', 'zs2', 0)
    dataset = _student_dataset(grid, job, fashion_mnist_fixture_root,
                               tmp_path)
    labels = {dataset.get_cat_ids(i)[0] for i in range(len(dataset))}
    assert labels == set(range(10)) - set(grid.ZERO_SHOT['zs2'])
    assert job['omitted'] == grid.ZERO_SHOT['zs2']


def test_report_of_a_partial_grid_shows_n_and_missing_cells(tmp_path):
    results = tmp_path / 'grid' / 'results'
    results.mkdir(parents=True)
    per_class = [80.0] * 10
    for seed, top1 in ((0, 70.0), (1, 72.0)):
        (results / f'student_mll_f0.01_seed{seed}.json').write_text(
            json.dumps(dict(name=f'student_mll_f0.01_seed{seed}',
                            status='ok', wall_seconds=60,
                            metrics=dict(top1=top1, per_class=per_class))))
    (results / 'teacher_weight_1.0.json').write_text(json.dumps(dict(
        name='teacher_weight_1.0', status='collapsed', train_seconds=30,
        message='TeacherCollapseError: lower cmi_weight')))
    out = tmp_path / 'results.md'
    write_report(str(tmp_path / 'grid'), str(out),
                 str(tmp_path / 'figures'), str(tmp_path / 'none.md'))
    text = out.read_text()
    assert '| 0.01 (60 images) | 71.00 ± 1.41 (n=2) | - |' in text
    assert '`weight_1.0`: TeacherCollapseError: lower cmi_weight' in text
    assert (tmp_path / 'figures' / 'few_shot_students.png').exists()


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
