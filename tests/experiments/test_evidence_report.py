"""The evidence report pairs each student with the control's of the same
seeds and gives a 95% t-interval of the differences."""
import json
import math
import statistics
from pathlib import Path

import pytest

from mcmi_razor.apis.experiments.evidence_report import (
    BLOCK_BEGIN,
    BLOCK_END,
    page_block,
    paired_interval,
    report,
    update_page,
)
from mcmi_razor.apis.experiments.evidence_runs import (
    collect,
    load_records,
    save_records,
)

RESULTS_PAGE = Path(__file__).parents[2] / 'docs' / 'results.md'
RECORDS = Path(__file__).parents[2] / 'docs' / 'results' / 'evidence_runs.json'


def test_interval_is_mean_plus_minus_t_times_standard_error():
    diffs = [0.5, 1.5, 1.0, 2.0]
    mean, low, high = paired_interval(diffs)
    half = 3.182 * statistics.stdev(diffs) / math.sqrt(4)   # t(0.975, 3)
    assert (mean, low, high) == pytest.approx((1.25, 1.25 - half,
                                               1.25 + half))
    assert math.isnan(paired_interval([1.0])[1])


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
    with pytest.raises(FileNotFoundError, match='evidence_teachers.sh'):
        report(str(tmp_path))


def _train_log(work, stamp, first, last, val_top1):
    """An mmengine run folder: a log from ``first`` to ``last`` (HH:MM:SS)
    and scalars whose last validation is ``val_top1``."""
    run = work / stamp
    (run / 'vis_data').mkdir(parents=True)
    (run / f'{stamp}.log').write_text(
        f'2026/11/26 {first} - mmengine - INFO - start\n'
        'a line without a stamp\n'
        f'2026/11/26 {last} - mmengine - INFO - end\n')
    (run / 'vis_data' / 'scalars.json').write_text(
        json.dumps({'loss': 0.5, 'step': 1}) + '\n'
        + json.dumps({'accuracy/top1': val_top1, 'step': 50}) + '\n')


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
    assert ('| budget0.05_tau4 | 1 | 81.00 ± 0.00 (n=1) | 1 | 1.00 | - | '
            '79.50 | 30.00 ± 0.00 | 20.00 | - | 15.00 |') in zero_shot
    assert ('| labels_only | 1 | 70.00 ± 0.00 (n=1) | - | - | - | 79.50 | '
            '0.00 ± 0.00 | - | - | 15.00 |') in zero_shot
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


def test_a_partial_last_scalars_line_is_skipped_a_damaged_one_refused(
        tmp_path):
    work = tmp_path / 'students' / 'control_t0_few_shot_s0'
    _metrics(work, 80.0)
    _train_log(work, '20261126_010000', '01:00:00', '01:10:00', 75.0)
    scalars = work / '20261126_010000' / 'vis_data' / 'scalars.json'
    scalars.write_text(scalars.read_text() + '{"accuracy/top1": 9')  # killed
    assert '| control | 1 | 80.00 ± 0.00 (n=1) | - | - | - | 75.00 |' in (
        report(str(tmp_path)))
    scalars.write_text('{"accuracy\n' + scalars.read_text())
    with pytest.raises(ValueError, match='line 1, is not JSON'):
        report(str(tmp_path))


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
    save_records(collect(str(tmp_path / 'study')), path)
    text = report(path)
    assert text == report(str(tmp_path / 'study'))
    assert ('| budget0.05 | 0 | 88.00 | 0.3000 | 0.2500 | 0.0200 | 87.00 | '
            '0.1250 | 4.0 |') in text


def test_a_wrong_records_source_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match='neither a study work dir'):
        load_records(str(tmp_path / 'missing.json'))
    other = tmp_path / 'other.json'
    other.write_text(json.dumps({'teachers': {}}))
    with pytest.raises(ValueError, match='not an evidence records file'):
        load_records(str(other))
    other.write_text(json.dumps({'teachers': {'control_seed0': {'top1': 1}},
                                 'students': {}}))
    with pytest.raises(ValueError, match='teachers/control_seed0 does not'):
        load_records(str(other))


def test_a_cut_short_test_result_or_records_file_is_refused_by_name(
        tmp_path):
    work = tmp_path / 'students' / 'control_t0_few_shot_s0'
    work.mkdir(parents=True)
    (work / 'test_metrics.json').write_text('{"accuracy/top1": 8')
    with pytest.raises(ValueError, match='test_metrics.json is not JSON'):
        report(str(tmp_path))
    (work / 'test_metrics.json').write_text('{"loss": 1.0}')
    with pytest.raises(ValueError, match='has no accuracy/top1'):
        report(str(tmp_path))
    records = tmp_path / 'runs.json'
    records.write_text('{"teachers": {')
    with pytest.raises(ValueError, match='runs.json is not JSON'):
        report(str(records))


def test_update_page_replaces_only_the_generated_block(tmp_path):
    page = tmp_path / 'page.md'
    page.write_text(f'intro\n{BLOCK_BEGIN}\nold\n{BLOCK_END}\nafter\n')
    update_page(str(page), 'new table')
    assert page.read_text() == (f'intro\n{BLOCK_BEGIN}\nnew table\n'
                                f'{BLOCK_END}\nafter\n')
    page.write_text('no block here')
    with pytest.raises(ValueError, match='has no report block'):
        update_page(str(page), 'x')


def test_results_page_tables_are_the_report_of_the_committed_records():
    """docs/results.md shows the study's numbers exactly as the report
    builds them from docs/results/evidence_runs.json."""
    page = RESULTS_PAGE.read_text()
    start, end = page_block(page)
    assert page[start:end] == report(str(RECORDS)) + '\n'
