"""The grid's design: every cell's seeds, its order, its data subsets and
its student schedules."""
from collections import Counter

import pytest
from mmengine.config import Config

from experiments.fashion_mnist_grid import design


@pytest.fixture(scope='module')
def grid():
    return design


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
