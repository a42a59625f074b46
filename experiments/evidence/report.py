"""The report of the evidence study (docs/evidence_protocol.md): teachers,
then per setting the students of each teacher kind with the paired
difference to the control and its 95% t-interval.

Built from the run records (``records.py``) of the study's work dir or of
the committed records file; cells still running or not run show their n.

    python experiments/evidence/report.py [SOURCE]
        the report, from the study's work dir (default work_dirs/evidence)
        or its records file (docs/results/evidence_runs.json, committed)
    python experiments/evidence/report.py work_dirs/evidence \\
            --save-records docs/results/evidence_runs.json \\
            [--page docs/results.md]
        also write the study's run records to that file, report from it,
        and put the report in the page's generated block (the tables of
        docs/results.md; a test checks that block against the records)
"""
import argparse
import math
import re
import statistics
import sys
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from experiments.evidence.records import (  # noqa: E402
    OMITTED_CLASS,
    RECORDS,
    Records,
    load_records,
)
from mcmi_razor.apis.study import (  # noqa: E402
    format_interval,
    format_mean_std,
    markdown_table,
    paired_differences,
    paired_interval,
    update_page,
)

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
BLOCK_BEGIN = ('<!-- generated: python experiments/evidence/report.py '
               'docs/results/evidence_runs.json -->')
BLOCK_END = '<!-- end of generated tables -->'
TEACHER = re.compile(r'(?P<kind>[\w.]+)_seed(?P<seed>\d+)')


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
    control = {(t, s): r for (k, t, st, s), r in found.items()
               if k == 'control' and st == setting}
    pairs = paired_differences(runs, control, metric)
    mean, low, high = paired_interval(pairs)
    return len(pairs), mean, format_interval(low, high)


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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument('source', nargs='?', default='work_dirs/evidence',
                        help='the study\'s work dir (or records file)')
    parser.add_argument('--save-records', metavar='FILE',
                        help='write the run records to FILE')
    parser.add_argument('--page', metavar='MD',
                        help='also write the report into the generated '
                        'block of this Markdown page')
    args = parser.parse_args()
    if args.page and not args.save_records:
        parser.error('--page needs --save-records: the page\'s tables are '
                     'the report of the records file it names')
    source = args.source
    if args.save_records:
        RECORDS.save(load_records(source), args.save_records)
        source = args.save_records
    text = report(source)
    if args.page:
        update_page(args.page, BLOCK_BEGIN, BLOCK_END, text)
    print(text)


if __name__ == '__main__':
    main()
