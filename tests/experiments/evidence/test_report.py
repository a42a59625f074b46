"""The evidence report pairs each student with the control's of the same
seeds and gives a 95% t-interval of the differences; the results page is
that report of the committed records."""
import json
import math
from pathlib import Path

import pytest

from experiments.evidence.records import RECORDS, collect, load_records
from experiments.evidence.report import BLOCK_BEGIN, BLOCK_END, report
from mcmi_razor.apis.study import replace_block
from mcmi_razor.testing import write_run_start

RESULTS_PAGE = Path(__file__).parents[3] / 'docs' / 'results.md'
RECORDS_FILE = (Path(__file__).parents[3] / 'docs' / 'results'
                / 'evidence_runs.json')


def _metrics(path, top1, cmi=0.3, ce=0.25, cmi_t4=0.02):
    path.mkdir(parents=True)
    (path / 'test_metrics.json').write_text(json.dumps(
        {'accuracy/top1': top1, 'cmi/cmi': cmi, 'cmi/ce': ce,
         'cmi_t4/cmi': cmi_t4}))


def test_report_pairs_runs_by_teacher_and_student_seed(tmp_path):
    for tseed in (0, 1):
        _metrics(tmp_path / 'teachers' / f'control_seed{tseed}', 88.0)
    # fixed beats the control by 1, 2, 3 on the pairs that exist; its
    # fourth run has no control partner and is left out of the pairs.
    runs = {(0, 0): (80.0, 1.0), (0, 1): (81.0, 2.0), (1, 0): (82.0, 3.0)}
    for (tseed, seed), (base, gain) in runs.items():
        _metrics(tmp_path / 'students' / f'control_t{tseed}_few_shot_s{seed}',
                 base)
        _metrics(tmp_path / 'students' / f'fixed_t{tseed}_few_shot_s{seed}',
                 base + gain)
    _metrics(tmp_path / 'students' / 'fixed_t1_few_shot_s2', 90.0)
    text = report(str(tmp_path))
    half = 4.303 * 1.0 / math.sqrt(3)     # diffs 1, 2, 3: sd 1, t(0.975, 2)
    assert (f'| fixed | 4 | 84.75 ± 3.86 (n=4) | 3 | 2.00 | '
            f'[{2 - half:+.2f}, {2 + half:+.2f}] |') in text
    # per run, in pairing order t0 s0, t1 s0, t0 s1, t1 s1, t0 s2, t1 s2
    assert '| fixed | 81.00 | 85.00 | 83.00 | - | - | 90.00 |' in text
    assert ('| control | 1 | 88.00 | 0.3000 | 0.2500 | 0.0200 | - | - | - |'
            in text)


def test_a_folder_without_results_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match='teachers.sh'):
        report(str(tmp_path))


def _train_log(work, stamp, first, last, val_top1):
    """A start of an mmengine run from ``first`` to ``last`` (HH:MM:SS)
    whose last validation is ``val_top1``."""
    return write_run_start(work, stamp, first, last,
                           [{'loss': 0.5, 'step': 1},
                            {'accuracy/top1': val_top1, 'step': 50}])


def test_zero_shot_rows_give_omitted_class_validation_and_wall_time(
        tmp_path):
    for name, top1, omitted in [('control_t0_zero_shot_s0', 80.0, 10.0),
                                ('budget0.05_tau4_t0_zero_shot_s0', 81.0,
                                 30.0),
                                ('labels_only_zero_shot_s0', 70.0, 0.0)]:
        work = tmp_path / 'students' / name
        work.mkdir(parents=True)
        per_class = [90.0] * 10
        per_class[2] = omitted
        (work / 'test_metrics.json').write_text(json.dumps(
            {'accuracy/top1': top1, 'single-label/recall_classwise':
             per_class}))
        # trained in two sittings (a resume): 10 + 5 minutes
        _train_log(work, '20261126_010000', '01:00:00', '01:10:00', 75.0)
        _train_log(work, '20261126_020000', '02:00:00', '02:05:00', 79.5)
    _metrics(tmp_path / 'teachers' / 'budget0.05_tau4_seed0', 88.0)
    text = report(str(tmp_path))
    zero_shot = text.split('zero-shot')[1]
    # the omitted class: 30 against the control's 10, one pair
    assert ('| budget0.05_tau4 | 1 | 81.00 (n=1) | 1 | 1.00 | - | '
            '79.50 | 30.00 | 20.00 | - | 15.00 |') in zero_shot
    assert ('| labels_only | 1 | 70.00 (n=1) | - | - | - | 79.50 | '
            '0.00 | - | - | 15.00 |') in zero_shot
    assert '| budget0.05_tau4 | 0 | 88.00 |' in text   # teachers


def test_tau4_budget_is_the_one_with_the_better_validation_mean(tmp_path):
    for kind, val in (('budget0.05', 87.0), ('budget0.25', 87.5)):
        for tseed in (0, 1):
            for seed in (0, 1, 2):
                name = f'{kind}_t{tseed}_few_shot_s{seed}'
                work = tmp_path / 'students' / name
                _metrics(work, 80.0)     # test top-1 plays no part
                _train_log(work, '20261126_010000', '01:00:00', '01:09:00',
                           val + seed)
        if kind == 'budget0.05':
            text = report(str(tmp_path))
            assert 'budget0.25 has 0 of 6' in text
    assert ('takes the budget of budget0.25: mean validation top-1 of the '
            'few-shot students budget0.05 88.00, budget0.25 88.50.') in report(
                str(tmp_path))


def test_the_records_file_reports_what_the_work_dirs_do(tmp_path):
    """Saved records rebuild the same report; a budget teacher's last
    logged weight is kept."""
    teacher = tmp_path / 'study' / 'teachers' / 'budget0.05_seed0'
    _metrics(teacher, 88.0)
    _train_log(teacher, '20261126_010000', '01:00:00', '01:04:00', 87.0)
    scalars = teacher / '20261126_010000' / 'vis_data' / 'scalars.json'
    scalars.write_text(scalars.read_text() + json.dumps(
        {'cmi_weight': 0.125, 'step': 60}) + '\n')
    student = tmp_path / 'study' / 'students' / 'budget0.05_t0_few_shot_s0'
    _metrics(student, 85.0)
    path = str(tmp_path / 'runs.json')
    RECORDS.save(collect(str(tmp_path / 'study')), path)
    text = report(path)
    assert text == report(str(tmp_path / 'study'))
    assert ('| budget0.05 | 0 | 88.00 | 0.3000 | 0.2500 | 0.0200 | 87.00 | '
            '0.1250 | 4.0 |') in text


def test_a_wrong_records_source_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match='neither a study work dir'):
        load_records(str(tmp_path / 'missing.json'))
    other = tmp_path / 'other.json'
    other.write_text(json.dumps({'teachers': {}}))
    with pytest.raises(ValueError,
                       match='not a records file of the evidence study'):
        load_records(str(other))
    other.write_text(json.dumps({'teachers': {'control_seed0': {'top1': 1}},
                                 'students': {}}))
    with pytest.raises(ValueError, match='teachers/control_seed0 does not'):
        load_records(str(other))


def test_results_page_tables_are_the_report_of_the_committed_records():
    """docs/results.md shows the study's numbers exactly as the report
    builds them from docs/results/evidence_runs.json."""
    page = RESULTS_PAGE.read_text()
    assert replace_block(page, BLOCK_BEGIN, BLOCK_END,
                         report(str(RECORDS_FILE))) == page
