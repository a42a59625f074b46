"""The demo record: config digests that follow the built config, the
environment it names, and the comparison the demo prints."""
import json
from pathlib import Path

import pytest

from mcmi_razor.apis.demo_record import (
    compare,
    config_digest,
    demo_record,
    stale_configs,
    write_demo_record,
)

REPO = Path(__file__).resolve().parents[2]
DEMO = 'configs/fashion_mnist/demo/'


@pytest.fixture
def results(monkeypatch) -> dict:
    """A pipeline results.json of the demo's configs, with made-up
    numbers."""
    monkeypatch.chdir(REPO)
    metrics = dict(top1=80.0, cmi=0.3, ncmi=0.06)
    return dict(
        settings=dict(
            mll_config=DEMO + 'mll_teacher_r20.py',
            mcmi_config=DEMO + 'mcmi_teacher_r20.py',
            distill_config=DEMO + 'kd_r20_r8.py',
            student_config='configs/fashion_mnist/students/r8.py',
            work_dir='w', cfg_options=['train_dataloader.num_workers=0'],
            teacher_options=[], student_options=[], seeds=[0],
            teacher_seed=0, control=False, resume=False, stage_times=None),
        teachers={name: dict(checkpoint='x.pth', metrics=metrics)
                  for name in ('mll', 'mcmi')},
        students={name: dict(runs=[dict(seed=0, metrics=dict(top1=60.0))],
                             top1=dict(mean=60.0, std=None))
                  for name in ('mll', 'mcmi')},
        stage_seconds=[10.0] * 10)


def test_a_config_digest_follows_the_built_config_not_the_file(
        monkeypatch):
    monkeypatch.chdir(REPO)
    config = DEMO + 'mll_teacher_r20.py'
    digest = config_digest(config)
    assert config_digest(config, ['train_cfg.max_epochs=6']) == digest
    assert config_digest(config, ['train_cfg.max_epochs=7']) != digest
    # a value inherited from a _base_ file counts too
    assert config_digest(config, ['optim_wrapper.optimizer.lr=0.2']) \
        != digest


def test_the_record_holds_table_commit_digests_and_environment(results):
    record = demo_record(results, repo=str(REPO), timings=dict(demo=600))
    assert record['table'].startswith('| teacher | teacher top-1 |')
    assert '| MLL | 80.00 | 0.3000 | 0.0600 | 60.00 | 0: 60.00 |' \
        in record['table']
    assert len(record['git']['commit']) == 40
    assert set(record['config_sha256']) == {
        results['settings'][k] for k in ('mll_config', 'mcmi_config',
                                         'distill_config', 'student_config')}
    assert {'cpu', 'cores', 'omp_num_threads', 'torch', 'python'} <= set(
        record['environment'])
    assert record['stage_seconds'] == [10.0] * 10
    assert record['seconds'] == dict(demo=600)
    assert stale_configs(record) == []
    record['settings']['cfg_options'] = ['train_cfg.max_epochs=1']
    assert len(stale_configs(record)) == 4


def test_compare_says_identical_or_names_what_differs(results):
    record = demo_record(results, repo=str(REPO))
    assert compare(record, record).startswith('The table is identical')
    other = json.loads(json.dumps(record))
    other['table'] = 'another table'
    other['environment']['torch'] = '2.0.0'
    message = compare(record, other)
    assert 'differs' in message and "(recorded: '2.0.0')" in message
    other['environment'] = record['environment']
    assert 'should not happen' in compare(record, other)


def test_write_puts_the_record_beside_results_and_compares(results,
                                                           tmp_path):
    (tmp_path / 'results.json').write_text(json.dumps(results))
    committed = tmp_path / 'committed.json'
    committed.write_text(json.dumps(demo_record(results, repo=str(REPO))))
    message = write_demo_record(str(tmp_path / 'results.json'),
                                committed_file=str(committed))
    assert (tmp_path / 'demo_result.json').is_file()
    assert 'The table is identical' in message
