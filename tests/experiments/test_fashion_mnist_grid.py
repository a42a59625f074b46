"""The evidence grid's design (tools/experiments/fashion_mnist_grid.py) and
its report on a partial set of results."""
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from mmengine.config import Config

REPO = Path(__file__).resolve().parents[2]
EXPERIMENTS = REPO / 'tools' / 'experiments'


def _load(name):
    sys.path.insert(0, str(EXPERIMENTS))
    spec = importlib.util.spec_from_file_location(name,
                                                  EXPERIMENTS / f'{name}.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def grid():
    return _load('fashion_mnist_grid')


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
    report = _load('fashion_mnist_report')
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
    sys.argv = ['report', '--work-dir', str(tmp_path / 'grid'), '--out',
                str(out), '--figures', str(tmp_path / 'figures'), '--notes',
                str(tmp_path / 'none.md')]
    report.main()
    text = out.read_text()
    assert '| 0.01 (60 images) | 71.00 ± 1.41 (n=2) | - |' in text
    assert '`weight_1.0`: TeacherCollapseError: lower cmi_weight' in text
    assert (tmp_path / 'figures' / 'few_shot_students.png').exists()
