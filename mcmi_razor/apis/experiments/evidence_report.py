"""The report of the evidence study (docs/evidence_protocol.md): teachers,
then per setting the students of each teacher kind with the paired
difference to the control and its 95% t-interval.

Reads what ``tools/experiments/evidence_teachers.sh`` and
``evidence_students.sh`` write under ``work_dirs/evidence``: each run's
``test_metrics.json``. Cells still running or not run show their n.
"""
import glob
import json
import math
import os.path as osp
import re
import statistics
from datetime import datetime
from typing import Dict, List, Optional, Sequence, Tuple

from mcmi_razor.evaluation.analysis.tables import (
    format_mean_std,
    markdown_table,
)

KINDS = ('control', 'mll', 'fixed', 'budget0.05', 'budget0.25')
TEACHER_SEEDS = (0, 1)
STUDENT_SEEDS = (0, 1, 2)
SETTINGS = ('few_shot', 'zero_shot')
OMITTED_CLASS = 2       # the zero-shot class, fixed by the protocol
STUDENT = re.compile(r'(?P<kind>[\w.]+)_t(?P<tseed>\d+)_(?P<setting>few_shot'
                     r'|zero_shot)_s(?P<seed>\d+)')
LABELS_ONLY = 'labels_only'
BASELINE = re.compile(LABELS_ONLY + r'_(?P<setting>few_shot|zero_shot)'
                      r'_s(?P<seed>\d+)')
# The time stamp that starts each line of an mmengine run's log file.
LOG_TIME = re.compile(r'^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) - mmengine',
                      re.MULTILINE)
# Two-sided 95% quantiles of Student's t for 1-30 degrees of freedom.
T_975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262,
         2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101,
         2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052,
         2.048, 2.045, 2.042)


def read_metrics(path: str) -> Optional[dict]:
    """A ``tools/test.py --out`` file, or None if the run has none yet."""
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)


def training_minutes(work: str) -> float:
    """Wall time of a run's training, minutes: first to last line of each
    of its log files (one per start, resumes included), summed."""
    total = 0.0
    logs = glob.glob(osp.join(work, '*', '*.log'))
    for log in logs:
        with open(log, errors='replace') as f:
            stamps = LOG_TIME.findall(f.read())
        if stamps:
            first, last = (datetime.strptime(t, '%Y/%m/%d %H:%M:%S')
                           for t in (stamps[0], stamps[-1]))
            total += (last - first).total_seconds() / 60
    return total if logs else math.nan


def last_validation_top1(work: str) -> float:
    """The top-1 of the run's last validation (held-out split), or NaN.

    A run killed while writing leaves a partial last line in its
    ``scalars.json``; that line is skipped. A bad line anywhere else is an
    error naming the file.
    """
    value = math.nan
    for path in sorted(glob.glob(osp.join(work, '*', 'vis_data',
                                          'scalars.json'))):
        with open(path) as f:
            lines = f.read().splitlines()
        for number, line in enumerate(lines, 1):
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                if number == len(lines):    # cut off by an interruption
                    break
                raise ValueError(f'{path}, line {number}, is not JSON: the '
                                 'log is damaged.') from None
            value = record.get('accuracy/top1', value)
    return value


def run_record(work: str) -> Optional[dict]:
    """Test top-1, omitted-class accuracy (if measured), last validation
    top-1 and training minutes of a finished run; None if unfinished."""
    metrics = read_metrics(osp.join(work, 'test_metrics.json'))
    if metrics is None:
        return None
    per_class = metrics.get('single-label/recall_classwise')
    return dict(top1=metrics['accuracy/top1'], cmi=metrics.get('cmi/cmi'),
                ce=metrics.get('cmi/ce'), cmi_t4=metrics.get('cmi_t4/cmi'),
                omitted=per_class[OMITTED_CLASS] if per_class else None,
                val=last_validation_top1(work),
                minutes=training_minutes(work))


def paired_interval(differences: Sequence[float]
                    ) -> Tuple[float, float, float]:
    """Mean and 95% t-interval (low, high) of paired differences; NaN
    bounds for fewer than two pairs."""
    n = len(differences)
    if n == 0:
        return math.nan, math.nan, math.nan
    mean = statistics.fmean(differences)
    if n < 2:
        return mean, math.nan, math.nan
    quantile = T_975[n - 2] if n - 1 <= len(T_975) else 1.96
    half = quantile * statistics.stdev(differences) / math.sqrt(n)
    return mean, mean - half, mean + half


def teacher_kinds(root: str) -> Tuple[str, ...]:
    """The protocol's kinds, then any tau = 4 budget kind that was run."""
    tau4 = {re.sub(r'_seed\d+$', '', osp.basename(path)) for path in
            glob.glob(osp.join(root, 'teachers', '*_tau4_seed*'))}
    return KINDS + tuple(sorted(tau4))


def students(root: str) -> Dict[Tuple[str, int, str, int], dict]:
    """``(kind, teacher seed, setting, student seed) -> run record``; the
    label-only baseline has kind ``labels_only`` and teacher seed -1."""
    found = {}
    for path in glob.glob(osp.join(root, 'students', '*',
                                   'test_metrics.json')):
        name = osp.basename(osp.dirname(path))
        student, baseline = STUDENT.fullmatch(name), BASELINE.fullmatch(name)
        if student:
            key = (student['kind'], int(student['tseed']),
                   student['setting'], int(student['seed']))
        elif baseline:
            key = (LABELS_ONLY, -1, baseline['setting'],
                   int(baseline['seed']))
        else:
            continue
        found[key] = run_record(osp.dirname(path))
    return found


def _mean(values: List[float]) -> float:
    values = [v for v in values if v is not None and not math.isnan(v)]
    return statistics.fmean(values) if values else math.nan


def teacher_rows(root: str) -> List[dict]:
    """Test top-1, CMI and cross-entropy, and CMI at tau = 4, of every
    teacher kind, mean over teacher seeds; training minutes per teacher."""
    rows = []
    for kind in teacher_kinds(root):
        runs = [run_record(osp.join(root, 'teachers', f'{kind}_seed{s}'))
                for s in TEACHER_SEEDS]
        runs = [r for r in runs if r]
        rows.append(dict(
            kind=kind, n=len(runs),
            top1=format_mean_std([r['top1'] for r in runs]),
            cmi=format_mean_std([r['cmi'] for r in runs], 4),
            ce=format_mean_std([r['ce'] for r in runs
                                if r['ce'] is not None], 4),
            cmi_t4=format_mean_std([r['cmi_t4'] for r in runs
                                    if r['cmi_t4'] is not None], 4),
            minutes=_mean([r['minutes'] for r in runs])))
    return rows


def student_rows(found: dict, setting: str, kinds: Sequence[str]
                 ) -> List[dict]:
    """One row per teacher kind, then the label-only baseline: test top-1
    over its runs, the paired difference to the control's student of the
    same seeds, the last validation top-1, the omitted class's accuracy
    (zero-shot) and the training minutes per run."""
    rows = []
    expected = len(TEACHER_SEEDS) * len(STUDENT_SEEDS)
    for kind in (*kinds, LABELS_ONLY):
        runs = {(t, s): r for (k, t, st, s), r in found.items()
                if k == kind and st == setting}
        records = list(runs.values())
        row = dict(kind=kind, n=len(runs),
                   top1=format_mean_std(
                       [r['top1'] for r in records],
                       expected_n=(len(STUDENT_SEEDS) if kind == LABELS_ONLY
                                   else expected)),
                   val=_mean([r['val'] for r in records]),
                   omitted=format_mean_std(
                       [r['omitted'] for r in records
                        if r['omitted'] is not None]),
                   minutes=_mean([r['minutes'] for r in records]))
        if kind not in ('control', LABELS_ONLY):
            control = {key: found[('control', key[0], setting, key[1])]
                       for key in runs
                       if ('control', key[0], setting, key[1]) in found}
            pairs = [runs[key]['top1'] - control[key]['top1']
                     for key in control]
            mean, low, high = paired_interval(pairs)
            row.update(pairs=len(pairs), diff=mean,
                       interval='-' if math.isnan(low) else
                       f'[{low:+.2f}, {high:+.2f}]')
        rows.append(row)
    return rows


def per_run_table(found: dict, setting: str, kinds: Sequence[str]) -> str:
    """Test top-1 of every run of ``setting``: a row per teacher kind, a
    column per (teacher seed, student seed), in the order runs are paired;
    '-' for a run not finished."""
    keys = [(t, s) for s in STUDENT_SEEDS for t in TEACHER_SEEDS]
    rows = []
    for kind in kinds:
        row = dict(kind=kind)
        for t, s in keys:
            record = found.get((kind, t, setting, s))
            row[f't{t} s{s}'] = None if record is None else record['top1']
        rows.append(row)
    columns = [f't{t} s{s}' for t, s in keys]
    return markdown_table(rows, ['kind'] + columns, ['teacher'] + columns,
                          digits=2)


def tau4_choice(found: dict) -> str:
    """The protocol's pick for the tau = 4 teacher: the budget whose
    few-shot students have the higher mean validation top-1, once both
    budgets have all their runs."""
    expected = len(TEACHER_SEEDS) * len(STUDENT_SEEDS)
    means = {}
    for kind in ('budget0.05', 'budget0.25'):
        vals = [r['val'] for (k, _, st, _), r in found.items()
                if k == kind and st == 'few_shot']
        if len(vals) < expected:
            return (f'The tau = 4 budget is not chosen yet: {kind} has '
                    f'{len(vals)} of {expected} few-shot students.')
        means[kind] = _mean(vals)
    best = max(means, key=means.get)
    return ('The tau = 4 teacher takes the budget of ' + best + ': mean '
            'validation top-1 of the few-shot students ' + ', '.join(
                f'{k} {v:.2f}' for k, v in means.items()) + '.')


def report(root: str) -> str:
    """The Markdown of the study's results so far."""
    found = students(root)
    if not found and not glob.glob(osp.join(root, 'teachers', '*',
                                            'test_metrics.json')):
        raise FileNotFoundError(
            f'No finished teacher or student under {root}: give the study\'s '
            'work dir, or run tools/experiments/evidence_teachers.sh and '
            'evidence_students.sh first.')
    kinds = teacher_kinds(root)
    parts = ['## Teachers (test split, mean ± std over teacher seeds)\n',
             markdown_table(teacher_rows(root),
                            ['kind', 'n', 'top1', 'cmi', 'ce', 'cmi_t4',
                             'minutes'],
                            ['teacher', 'seeds', 'top-1 (%)', 'CMI (nats)',
                             'CE (nats)', 'CMI at tau 4 (nats)',
                             'training min per run'],
                            digits=1)]
    for setting in SETTINGS:
        columns = ['kind', 'n', 'top1', 'pairs', 'diff', 'interval', 'val']
        headers = ['teacher', 'runs', 'student top-1', 'pairs',
                   'mean difference', '95% t-interval', 'val top-1']
        if setting == 'zero_shot':
            columns.append('omitted')
            headers.append(f'class {OMITTED_CLASS} (omitted) top-1')
        parts += [f'\n## Students, {setting.replace("_", "-")} (test '
                  'top-1 %, mean ± std over runs; difference to the '
                  'control: same teacher seed and student seed; val: the '
                  'held-out split at the last epoch)\n',
                  markdown_table(
                      student_rows(found, setting, kinds),
                      columns + ['minutes'], headers + ['training min per '
                                                        'run'], digits=2)]
        if setting == 'few_shot':
            parts.append(tau4_choice(found))
        parts += ['\nPer run (teacher seed t, student seed s), test top-1 %:'
                  '\n', per_run_table(found, setting, kinds)]
    return '\n'.join(parts)
