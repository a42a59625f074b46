"""The report of the evidence study (docs/evidence_protocol.md): teachers,
then per setting the students of each teacher kind with the paired
difference to the control and its 95% t-interval.

Built from the run records (:mod:`.evidence_runs`) of the study's work
dir or of the committed records file. Cells still running or not run show
their n.
"""
import math
import re
import statistics
from typing import Dict, List, Sequence, Tuple

from mcmi_razor.apis.experiments.evidence_runs import (
    OMITTED_CLASS,
    Records,
    load_records,
)
from mcmi_razor.evaluation.analysis.tables import (
    format_mean_std,
    markdown_table,
)
from mcmi_razor.fileio.atomic import write_text_atomic

KINDS = ('control', 'mll', 'fixed', 'budget0.05', 'budget0.25')
TEACHER_SEEDS = (0, 1)
STUDENT_SEEDS = (0, 1, 2)
SETTINGS = ('few_shot', 'zero_shot')
STUDENT = re.compile(r'(?P<kind>[\w.]+)_t(?P<tseed>\d+)_(?P<setting>few_shot'
                     r'|zero_shot)_s(?P<seed>\d+)')
LABELS_ONLY = 'labels_only'
BASELINE = re.compile(LABELS_ONLY + r'_(?P<setting>few_shot|zero_shot)'
                      r'_s(?P<seed>\d+)')
# The lines around the report's tables in docs/results.md.
BLOCK_BEGIN = ('<!-- generated: python tools/experiments/evidence_report.py '
               'study docs/results/evidence_runs.json -->')
BLOCK_END = '<!-- end of generated tables -->'
TEACHER = re.compile(r'(?P<kind>[\w.]+)_seed(?P<seed>\d+)')
# Two-sided 95% quantiles of Student's t for 1-30 degrees of freedom.
T_975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262,
         2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101,
         2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052,
         2.048, 2.045, 2.042)


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


def teachers(records: Records) -> Dict[Tuple[str, int], dict]:
    """``(kind, teacher seed) -> run record``."""
    found = {}
    for name, record in records['teachers'].items():
        match = TEACHER.fullmatch(name)
        if match:
            found[match['kind'], int(match['seed'])] = record
    return found


def teacher_kinds(records: Records) -> Tuple[str, ...]:
    """The protocol's kinds, then any tau = 4 budget kind that was run."""
    tau4 = {kind for kind, _ in teachers(records) if kind.endswith('_tau4')}
    return KINDS + tuple(sorted(tau4))


def students(records: Records) -> Dict[Tuple[str, int, str, int], dict]:
    """``(kind, teacher seed, setting, student seed) -> run record``; the
    label-only baseline has kind ``labels_only`` and teacher seed -1."""
    found = {}
    for name, record in records['students'].items():
        student, baseline = STUDENT.fullmatch(name), BASELINE.fullmatch(name)
        if student:
            found[student['kind'], int(student['tseed']),
                  student['setting'], int(student['seed'])] = record
        elif baseline:
            found[LABELS_ONLY, -1, baseline['setting'],
                  int(baseline['seed'])] = record
    return found


def _mean(values: List[float]) -> float:
    values = [v for v in values if v is not None]
    return statistics.fmean(values) if values else math.nan


def _format(value, digits: int) -> str:
    return '-' if value is None else f'{value:.{digits}f}'


def _present(runs: List[dict], metric: str) -> List[float]:
    return [r[metric] for r in runs if r[metric] is not None]


def teacher_table(records: Records) -> str:
    """One row per teacher run: test top-1, CMI, CE and CMI at tau = 4,
    the last validation top-1 and ``cmi_weight`` its training logged (the
    weight: budget teachers only) and its training minutes."""
    found = teachers(records)
    rows = []
    for kind in teacher_kinds(records):
        for seed in TEACHER_SEEDS:
            if (kind, seed) in found:
                run = found[kind, seed]
                rows.append(dict(run, kind=kind, seed=seed,
                                 top1=f'{run["top1"]:.2f}',
                                 val=_format(run['val'], 2),
                                 minutes=_format(run['minutes'], 1)))
    return markdown_table(
        rows, ['kind', 'seed', 'top1', 'cmi', 'ce', 'cmi_t4', 'val',
               'cmi_weight', 'minutes'],
        ['teacher', 'seed', 'top-1 (%)', 'CMI (nats)', 'CE (nats)',
         'CMI at tau 4 (nats)', 'val top-1', 'last logged cmi_weight',
         'training min'], digits=4)


def _paired(found: dict, runs: dict, setting: str, metric: str
            ) -> Tuple[int, float, str]:
    """Pairs, mean difference and 95% t-interval of ``metric`` between
    ``runs`` (``(teacher seed, student seed) -> record``) and the control's
    runs of the same seeds."""
    pairs = []
    for (tseed, seed), record in runs.items():
        control = found.get(('control', tseed, setting, seed))
        if control is not None and None not in (record[metric],
                                                control[metric]):
            pairs.append(record[metric] - control[metric])
    mean, low, high = paired_interval(pairs)
    interval = '-' if math.isnan(low) else f'[{low:+.2f}, {high:+.2f}]'
    return len(pairs), mean, interval


def student_rows(found: dict, setting: str, kinds: Sequence[str]
                 ) -> List[dict]:
    """One row per teacher kind, then the label-only baseline: test top-1
    over its runs, the paired difference to the control's student of the
    same seeds, the last validation top-1, the omitted class's accuracy
    and its paired difference (zero-shot) and the training minutes per
    run."""
    rows = []
    expected = len(TEACHER_SEEDS) * len(STUDENT_SEEDS)
    for kind in (*kinds, LABELS_ONLY):
        runs = {(t, s): r for (k, t, st, s), r in found.items()
                if k == kind and st == setting}
        records = list(runs.values())
        row = dict(kind=kind, n=len(runs),
                   top1=format_mean_std(
                       _present(records, 'top1'),
                       expected_n=(len(STUDENT_SEEDS) if kind == LABELS_ONLY
                                   else expected)),
                   val=_mean([r['val'] for r in records]),
                   omitted=format_mean_std(_present(records, 'omitted')),
                   minutes=_mean([r['minutes'] for r in records]))
        if kind not in ('control', LABELS_ONLY):
            row['pairs'], row['diff'], row['interval'] = _paired(
                found, runs, setting, 'top1')
            _, row['omitted_diff'], row['omitted_interval'] = _paired(
                found, runs, setting, 'omitted')
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


def report(source: str) -> str:
    """The Markdown of the study's results so far, from its work dir or
    its records file."""
    records = load_records(source)
    found = students(records)
    kinds = teacher_kinds(records)
    parts = ['### Teachers (test split, one row per teacher seed)\n',
             teacher_table(records)]
    for setting in SETTINGS:
        columns = ['kind', 'n', 'top1', 'pairs', 'diff', 'interval', 'val']
        headers = ['teacher', 'runs', 'student top-1', 'pairs',
                   'mean difference', '95% t-interval', 'val top-1']
        if setting == 'zero_shot':
            columns += ['omitted', 'omitted_diff', 'omitted_interval']
            headers += [f'class {OMITTED_CLASS} (omitted) top-1',
                        'its mean difference', 'its 95% t-interval']
        parts += [f'\n### Students, {setting.replace("_", "-")} (test '
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


def page_block(page: str) -> Tuple[int, int]:
    """Start and end offsets of the report's text in a Markdown page: the
    lines between ``BLOCK_BEGIN`` and ``BLOCK_END``."""
    begin, end = page.find(BLOCK_BEGIN), page.find(BLOCK_END)
    if begin < 0 or end < begin:
        raise ValueError(f'The page has no report block: put the lines '
                         f'{BLOCK_BEGIN!r} and {BLOCK_END!r} where the '
                         'tables go.')
    return begin + len(BLOCK_BEGIN) + 1, end


def update_page(path: str, text: str) -> None:
    """Replace the report block of the Markdown page at ``path`` with
    ``text``; the rest of the page is kept as it is."""
    with open(path) as f:
        page = f.read()
    start, end = page_block(page)
    write_text_atomic(path, page[:start] + text + '\n' + page[end:])
