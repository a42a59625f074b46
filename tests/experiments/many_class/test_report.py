"""The many-class results page is the report of its committed records, and
the report pairs runs as the protocol says."""
from pathlib import Path

import pytest

from experiments.many_class.records import RECORDS, RECORDS_PATH
from experiments.many_class.report import BEGIN, END, report, verdicts
from mcmi_razor.fileio.generated_block import block_span

PAGE = Path('docs/results_many_class.md')


def test_results_page_block_is_the_report_of_the_committed_records():
    page = PAGE.read_text()
    start, stop = block_span(page, BEGIN, END)
    assert page[start:stop] == report(RECORDS.load(RECORDS_PATH)).rstrip(
        '\n') + '\n', (
        'docs/results_many_class.md is stale: run python '
        'experiments/many_class/report.py --page docs/results_many_class.md')


def _student(top1, omitted=None):
    return dict(top1=top1, omitted=omitted, val=top1, epochs=30,
                minutes=9.0)


def _records(fixed_gain: float) -> dict:
    students = {}
    for t in (0, 1):
        for s in (0, 1, 2):
            base = 60.0 + t + 0.5 * s
            noise = 0.1 * ((t + s) % 2)
            for kind, gain in (('control', 0.0), ('fixed', fixed_gain),
                               ('budget', -fixed_gain), ('mll', 0.0)):
                students[f'kd_{kind}_t{t}_few_shot_s{s}'] = _student(
                    base + gain + (noise if kind != 'control' else 0))
    return dict(teachers={}, students=students, schedule=None)


def test_a_clear_gain_helps_a_clear_loss_hurts_pending_without_pairs():
    lines = verdicts(_records(2.0))
    assert '**helps** (+2.05 points' in lines[0]
    assert '**hurts** (-1.95 points' in lines[2]
    assert 'pending (0 of 6 pairs)' in lines[1]


def test_no_effect_when_the_interval_straddles_zero():
    lines = verdicts(_records(0.0))
    assert '**no measurable effect**' in lines[0]


def test_report_pairs_by_teacher_and_student_seed():
    text = report(_records(1.0))
    row = next(line for line in text.splitlines()
               if line.startswith('| fixed cmi_weight 0.15 |'))
    assert '| 6 | +1.05 |' in row


def test_records_with_a_missing_field_are_refused_naming_the_run():
    records = _records(0.0)
    del records['students']['kd_fixed_t0_few_shot_s0']['minutes']
    with pytest.raises(ValueError, match='kd_fixed_t0_few_shot_s0'):
        RECORDS.check(records, 'x.json')
