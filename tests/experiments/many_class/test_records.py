"""New records join the committed ones; a redone run must reproduce its
record or be refused."""
import copy
import json

import pytest

from experiments.many_class import run as runner
from experiments.many_class import runs
from experiments.many_class.records import RECORDS, RECORDS_PATH, merge


def _teacher(top1: float, minutes: float = 10.0) -> dict:
    split = dict(top1=top1, ce=0.3, cmi=0.25, cmi_t4=0.1,
                 mean_max_prob=0.88, num_samples=100)
    return dict(test=split, train=split, val=90.0, cmi_weight=0.15,
                minutes=minutes)


def _student(top1: float) -> dict:
    return dict(top1=top1, omitted=None, val=88.0, epochs=55, minutes=15.0)


@pytest.fixture
def committed():
    return dict(teachers=dict(fixed_t0=_teacher(89.0)),
                students=dict(kd_fixed_t0_few_shot_s0=_student(88.5)),
                schedule=dict(epochs=55, minutes=25.0))


def _empty():
    return dict(teachers={}, students={}, schedule=None)


def test_records_of_lost_work_dirs_stay_and_new_ones_join(committed):
    fresh = _empty()
    fresh['students']['kd_fixed_t1_few_shot_s0'] = _student(87.0)
    merged = merge(committed, fresh)
    assert merged['teachers'] == committed['teachers']
    assert merged['schedule'] == committed['schedule']
    assert set(merged['students']) == {'kd_fixed_t0_few_shot_s0',
                                       'kd_fixed_t1_few_shot_s0'}


def test_a_redone_run_that_reproduces_its_record_keeps_the_record(
        committed):
    fresh = _empty()
    fresh['teachers']['fixed_t0'] = _teacher(89.0, minutes=12.5)
    assert merge(committed, fresh) == committed   # the minutes on record


def test_a_redone_run_that_measured_differently_is_refused(committed):
    fresh = _empty()
    fresh['teachers']['fixed_t0'] = _teacher(88.9)
    before = copy.deepcopy(committed)
    with pytest.raises(ValueError, match=r'fixed_t0 \(test, train\).*'
                       r'--replace'):
        merge(committed, fresh)
    assert committed == before
    replaced = merge(committed, fresh, replace=['fixed_t0'])
    assert replaced['teachers']['fixed_t0']['test']['top1'] == 88.9


def test_the_committed_file_merges_with_nothing_into_itself():
    records = RECORDS.load(RECORDS_PATH)
    assert merge(records, _empty()) == records


def test_a_new_checkout_gets_the_schedule_and_skips_recorded_students(
        tmp_path, monkeypatch, committed):
    monkeypatch.setattr(runner, 'ROOT', tmp_path)
    runner.restore_schedule(committed)
    assert json.loads((tmp_path / 'schedule.json').read_text()) == dict(
        epochs=55)
    recorded = runs.student_run('kd', 'fixed', 0, 'few_shot', 0, 1)
    other = runs.student_run('kd', 'fixed', 1, 'few_shot', 0, 1)
    for student in (recorded, other):   # no work dir, as in a new checkout
        student.done = tmp_path / student.name / 'test_metrics.json'
    assert runner.finished(recorded, committed)
    assert not runner.finished(other, committed)
    # A teacher on record is done only with its weights: students need them.
    teacher = next(r for r in runs.teacher_runs() if r.name == 'fixed_t0')
    teacher.done = tmp_path / 'fixed_t0.pth'
    assert not runner.finished(teacher, committed)
    teacher.done.write_bytes(b'weights')
    assert runner.finished(teacher, committed)
