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
from typing import Dict, List, Optional, Sequence, Tuple

from mcmi_razor.evaluation.analysis.tables import (
    format_mean_std,
    markdown_table,
)

KINDS = ('control', 'mll', 'fixed', 'budget0.05', 'budget0.25')
TEACHER_SEEDS = (0, 1)
STUDENT_SEEDS = (0, 1, 2)
SETTINGS = ('few_shot', 'zero_shot')
STUDENT = re.compile(r'(?P<kind>[\w.]+)_t(?P<tseed>\d+)_(?P<setting>few_shot'
                     r'|zero_shot)_s(?P<seed>\d+)')
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


def students(root: str) -> Dict[Tuple[str, int, str, int], dict]:
    """``(kind, teacher seed, setting, student seed) -> test metrics``."""
    found = {}
    for path in glob.glob(osp.join(root, 'students', '*',
                                   'test_metrics.json')):
        match = STUDENT.fullmatch(osp.basename(osp.dirname(path)))
        if match:
            key = (match['kind'], int(match['tseed']), match['setting'],
                   int(match['seed']))
            found[key] = read_metrics(path)
    return found


def teacher_rows(root: str) -> List[dict]:
    """Test top-1 and CMI of every teacher kind, mean over teacher seeds."""
    rows = []
    for kind in KINDS:
        metrics = [read_metrics(osp.join(root, 'teachers', f'{kind}_seed{s}',
                                         'test_metrics.json'))
                   for s in TEACHER_SEEDS]
        metrics = [m for m in metrics if m]
        rows.append(dict(
            kind=kind, n=len(metrics),
            top1=format_mean_std([m['accuracy/top1'] for m in metrics]),
            cmi=format_mean_std([m['cmi/cmi'] for m in metrics], 4)))
    return rows


def student_rows(found: dict, setting: str) -> List[dict]:
    """One row per teacher kind: top-1 over its runs, and the paired
    difference to the control's student of the same seeds."""
    rows = []
    expected = len(TEACHER_SEEDS) * len(STUDENT_SEEDS)
    for kind in KINDS:
        runs = {(t, s): m['accuracy/top1']
                for (k, t, st, s), m in found.items()
                if k == kind and st == setting}
        row = dict(kind=kind, n=len(runs),
                   top1=format_mean_std(list(runs.values()),
                                        expected_n=expected))
        if kind != 'control':
            control = {(t, s): found[('control', t, setting, s)]
                       for t, s in runs
                       if ('control', t, setting, s) in found}
            pairs = [runs[key] - control[key]['accuracy/top1']
                     for key in control]
            mean, low, high = paired_interval(pairs)
            row.update(pairs=len(pairs), diff=mean,
                       interval='-' if math.isnan(low) else
                       f'[{low:+.2f}, {high:+.2f}]')
        rows.append(row)
    return rows


def report(root: str) -> str:
    """The Markdown of the study's results so far."""
    found = students(root)
    if not found and not glob.glob(osp.join(root, 'teachers', '*',
                                            'test_metrics.json')):
        raise FileNotFoundError(
            f'No finished teacher or student under {root}: give the study\'s '
            'work dir, or run tools/experiments/evidence_teachers.sh and '
            'evidence_students.sh first.')
    parts = ['## Teachers (test split, mean ± std over teacher seeds)\n',
             markdown_table(teacher_rows(root), ['kind', 'n', 'top1', 'cmi'],
                            ['teacher', 'seeds', 'top-1 (%)', 'CMI (nats)'])]
    for setting in SETTINGS:
        parts += [f'\n## Students, {setting.replace("_", "-")} (test '
                  'top-1 %, mean ± std over runs; difference to the '
                  'control: same teacher seed and student seed)\n',
                  markdown_table(
                      student_rows(found, setting),
                      ['kind', 'n', 'top1', 'pairs', 'diff', 'interval'],
                      ['teacher', 'runs', 'student top-1', 'pairs',
                       'mean difference', '95% t-interval'], digits=2)]
    return '\n'.join(parts)
