"""The many-class study's tables, from its committed run records.

    python experiments/many_class/report.py [RECORDS] [--page P] [--plot PNG]

Prints the report of ``RECORDS`` (default
docs/results/many_class_runs.json); ``--page`` rewrites the generated block
of the results page with it, ``--plot`` draws student gain against teacher
confidence and CMI. The tables: teachers per seed; students per method and
setting with mean ± std, the paired difference to the control and to MLL
(same teacher seed, student seed) with 95% t-intervals; the confidence
sweep; the power recomputed from this study's pairs; the decision rule of
docs/many_class_protocol.md applied; the per-run tables.
"""
import argparse
import math
import statistics
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from experiments.many_class.power import pairs_needed  # noqa: E402
from experiments.many_class.records import (  # noqa: E402
    RECORDS,
    RECORDS_PATH,
    Records,
)
from experiments.many_class.runs import (  # noqa: E402
    EARLY_KINDS,
    KINDS,
    TEACHER_SEEDS,
    all_runs,
)
from mcmi_razor.apis.study import (  # noqa: E402
    format_interval,
    format_mean_std,
    markdown_table,
    paired_differences,
    paired_interval,
    update_page,
)

BEGIN = '<!-- begin: experiments/many_class/report.py -->'
END = '<!-- end: experiments/many_class/report.py -->'
CELLS = (('kd', 'few_shot'), ('kd', 'zero_shot'), ('dkd', 'few_shot'))
LABELS = {'mll': 'MLL (20 epochs)', 'control': 'control (CE fine-tune)',
          'fixed': 'fixed cmi_weight 0.15', 'budget': 'budget +25%',
          'control_e6': 'control, from epoch 6',
          'fixed_e6': 'fixed 0.15, from epoch 6'}
BASELINE = {'control_e6': 'control_e6', 'fixed_e6': 'control_e6'}
Key = Tuple[int, int]   # (teacher seed, student seed)


def students(records: Records, method: str, kind: str,
             setting: str) -> Dict[Key, dict]:
    """``(teacher seed, student seed) -> record`` of one cell."""
    found = {}
    for name, record in records['students'].items():
        parts = name.split('_t')
        if not name.startswith(f'{method}_{kind}_t') or len(parts) != 2:
            continue
        tseed, rest = parts[1].split('_', 1)
        if rest.rsplit('_s', 1)[0] == setting:
            found[int(tseed), int(rest.rsplit('_s', 1)[1])] = record
    return found


def labels_only(records: Records, setting: str) -> List[dict]:
    return [r for n, r in records['students'].items()
            if n.startswith(f'labels_{setting}_s')]


def _interval(diffs: Sequence[float]) -> Tuple[str, str]:
    """The mean paired difference and its 95% interval, as table cells."""
    mean, low, high = paired_interval(diffs)
    return ('-' if math.isnan(mean) else f'{mean:+.2f}',
            format_interval(low, high))


def teacher_table(records: Records) -> str:
    rows = []
    for name, r in sorted(records['teachers'].items(),
                          key=lambda item: _teacher_order(item[0])):
        kind, seed = name.rsplit('_t', 1)
        test, train = r['test'], r['train']
        rows.append(dict(
            teacher=LABELS.get(kind, kind), seed=int(seed),
            top1=test['top1'], ce=test['ce'], cmi=test['cmi'],
            cmi_t4=test['cmi_t4'], conf=test['mean_max_prob'],
            train_top1=train['top1'], train_conf=train['mean_max_prob'],
            val=r['val'], weight=r['cmi_weight'],
            minutes=_round(r['minutes'], 1)))
    return markdown_table(
        rows, ['teacher', 'seed', 'top1', 'ce', 'cmi', 'cmi_t4', 'conf',
               'train_top1', 'train_conf', 'val', 'weight', 'minutes'],
        ['teacher', 'seed', 'test top-1 (%)', 'test CE (nats)',
         'test CMI (nats)', 'test CMI at tau 4', 'test mean max-prob',
         'train top-1 (%)', 'train mean max-prob', 'val top-1',
         'last cmi_weight', 'training min'])


def _teacher_order(name: str) -> Tuple[int, int]:
    kind, seed = name.rsplit('_t', 1)
    order = ('base', ) + KINDS + EARLY_KINDS
    return order.index(kind) if kind in order else len(order), int(seed)


def _round(value: Optional[float], digits: int) -> Optional[float]:
    return None if value is None else round(value, digits)


def cell_table(records: Records, method: str, setting: str) -> str:
    kinds = KINDS + EARLY_KINDS
    mll = students(records, method, 'mll', setting)
    zero = setting == 'zero_shot'
    rows = []
    for kind in kinds:
        runs = students(records, method, kind, setting)
        if not runs:
            continue
        base = students(records, method, BASELINE.get(kind, 'control'),
                        setting)
        row = dict(teacher=LABELS[kind], runs=len(runs),
                   top1=format_mean_std([r['top1'] for r in runs.values()]))
        is_base = kind == BASELINE.get(kind, 'control')
        diffs = paired_differences(runs, base, 'top1')
        if not is_base:   # a baseline's cells against itself stay empty
            row['pairs'] = len(diffs)
            row['diff'], row['ci'] = _interval(diffs)
        if kind != 'mll':
            row['mll_diff'], row['mll_ci'] = _interval(
                paired_differences(runs, mll, 'top1'))
        if zero:
            row['omitted'] = format_mean_std(
                [r['omitted'] for r in runs.values()])
            if not is_base:
                row['om_diff'], row['om_ci'] = _interval(
                    paired_differences(runs, base, 'omitted'))
        row['val'] = statistics.fmean(r['val'] for r in runs.values())
        row['minutes'] = statistics.fmean(r['minutes'] for r in runs.values())
        rows.append(row)
    baseline = labels_only(records, setting)
    if method == 'kd' and baseline:
        rows.append(dict(
            teacher='labels only (no teacher)', runs=len(baseline),
            top1=format_mean_std([r['top1'] for r in baseline]),
            omitted=format_mean_std([r['omitted'] for r in baseline])
            if zero else None,
            val=statistics.fmean(r['val'] for r in baseline),
            minutes=statistics.fmean(r['minutes'] for r in baseline)))
    columns = ['teacher', 'runs', 'top1', 'pairs', 'diff', 'ci', 'mll_diff',
               'mll_ci']
    headers = ['teacher', 'runs', 'student top-1 (%)', 'pairs',
               'vs control', '95% t-interval', 'vs MLL', '95% t-interval']
    if zero:
        columns += ['omitted', 'om_diff', 'om_ci']
        headers += ['omitted classes (%)', 'vs control', '95% t-interval']
    return markdown_table(rows, columns + ['val', 'minutes'],
                          headers + ['val top-1', 'min per run'], digits=2)


def per_run_table(records: Records, method: str, setting: str) -> str:
    keys = sorted({k for kind in KINDS + EARLY_KINDS
                   for k in students(records, method, kind, setting)})
    rows = []
    for kind in KINDS + EARLY_KINDS:
        runs = students(records, method, kind, setting)
        if runs:
            rows.append(dict(teacher=LABELS[kind], **{
                f't{t}s{s}': runs[t, s]['top1'] if (t, s) in runs else None
                for t, s in keys}))
    columns = [f't{t}s{s}' for t, s in keys]
    return markdown_table(rows, ['teacher'] + columns,
                          ['teacher'] + [c.replace('s', ' s') for c in
                                         columns], digits=2)


def confidence_sweep(records: Records) -> str:
    """Fixed vs control at both starting points, with the teachers' test
    confidence and CMI (means over teacher seeds)."""
    rows = []
    for level, control, fixed in (('epoch 15', 'control', 'fixed'),
                                  ('epoch 6', 'control_e6', 'fixed_e6')):
        teachers = records['teachers']
        for kind in (control, fixed):
            found = [teachers[f'{kind}_t{s}']['test'] for s in TEACHER_SEEDS
                     if f'{kind}_t{s}' in teachers]
            if not found:
                continue
            runs = students(records, 'kd', kind, 'few_shot')
            diff, ci = _interval(paired_differences(
                runs, students(records, 'kd', control, 'few_shot'), 'top1'))
            rows.append(dict(
                level=level, teacher=LABELS[kind],
                conf=statistics.fmean(t['mean_max_prob'] for t in found),
                cmi=statistics.fmean(t['cmi'] for t in found),
                top1=statistics.fmean(t['top1'] for t in found),
                students=format_mean_std([r['top1'] for r in runs.values()]),
                diff=diff if kind == fixed else None,
                ci=ci if kind == fixed else None))
    return markdown_table(
        rows, ['level', 'teacher', 'top1', 'conf', 'cmi', 'students', 'diff',
               'ci'],
        ['fine-tuned from base', 'teacher', 'teacher test top-1',
         'test mean max-prob', 'test CMI', 'KD few-shot students',
         'fixed vs control', '95% t-interval'])


def power_now(records: Records) -> str:
    rows = []
    for setting, metric, delta in (('few_shot', 'top1', 1.0),
                                   ('zero_shot', 'top1', 1.0),
                                   ('zero_shot', 'omitted', 3.0)):
        squares, df = 0.0, 0
        control = students(records, 'kd', 'control', setting)
        for kind in ('mll', 'fixed', 'budget'):
            diffs = paired_differences(
                students(records, 'kd', kind, setting), control, metric)
            if len(diffs) > 1:
                mean = statistics.fmean(diffs)
                squares += sum((d - mean)**2 for d in diffs)
                df += len(diffs) - 1
        if df:
            sd = math.sqrt(squares / df)
            rows.append(dict(diff=f'KD {setting} {metric}', sd=sd, df=df,
                             delta=delta, n=pairs_needed(delta, sd)))
    return markdown_table(
        rows, ['diff', 'sd', 'df', 'delta', 'n'],
        ['paired difference to the control', 'pooled sd (this study)', 'df',
         'effect (points)', 'pairs for 80% power'], digits=2)


def verdicts(records: Records) -> List[str]:
    """The protocol's decision rule on each of its four comparisons."""
    lines = []
    for kind in ('fixed', 'budget'):
        for setting, metric, what, needed in (
                ('few_shot', 'top1', 'few-shot KD top-1 (primary)', 6),
                ('zero_shot', 'omitted', 'zero-shot omitted classes', 6)):
            diffs = paired_differences(
                students(records, 'kd', kind, setting),
                students(records, 'kd', 'control', setting), metric)
            if len(diffs) < needed:
                lines.append(f'- {LABELS[kind]}, {what}: pending '
                             f'({len(diffs)} of {needed} pairs).')
                continue
            mean, low, high = paired_interval(diffs)
            verdict = ('helps' if low > 0 else 'hurts' if high < 0 else
                       'no measurable effect')
            lines.append(f'- {LABELS[kind]}, {what}: **{verdict}** '
                         f'({mean:+.2f} points, 95% [{low:+.2f}, {high:+.2f}],'
                         f' {len(diffs)} pairs).')
    return lines


def report(records: Records) -> str:
    total = len(all_runs())
    done = len(records['teachers']) + len(records['students']) + bool(
        records['schedule'])
    parts = [f'Finished runs: {done} of {total} (teachers '
             f'{len(records["teachers"])}, students '
             f'{len(records["students"])}, schedule curve '
             f'{"done" if records["schedule"] else "pending"}).\n',
             '### Teachers (last epoch; test: the 10,000 images of unseen '
             'font designs; train: the 18,000 training images, unaugmented)'
             '\n', teacher_table(records)]
    schedule = records['schedule']
    if schedule:
        parts.append(
            f'Student schedule: **{schedule["epochs"]} epochs** (the curve\'s '
            '3-epoch running mean of validation top-1 first came within 0.5 '
            f'points of its maximum, {schedule["best_running_mean"]:.2f}, at '
            f'epoch {schedule["first_within_tolerance"]}).\n')
    for method, setting in CELLS:
        if any(students(records, method, k, setting)
               for k in KINDS + EARLY_KINDS):
            parts += [f'### {method.upper()} students, '
                      f'{setting.replace("_", "-")}\n',
                      cell_table(records, method, setting)]
    parts += ['### Decision rule (docs/many_class_protocol.md), uncorrected '
              'for its four comparisons\n', '\n'.join(verdicts(records)) +
              '\n', '### Confidence sweep (KD few-shot)\n',
              confidence_sweep(records),
              '### Power from this study\'s pairs\n', power_now(records)]
    for method, setting in CELLS:
        if any(students(records, method, k, setting)
               for k in KINDS + EARLY_KINDS):
            parts += [f'Per run, {method.upper()} {setting.replace("_", "-")}'
                      ' test top-1 (%), teacher seed t, student seed s:\n',
                      per_run_table(records, method, setting)]
    return '\n'.join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('records', nargs='?', default=RECORDS_PATH)
    parser.add_argument('--page', help='rewrite this page\'s block')
    parser.add_argument('--plot', help='write the gain plot here (PNG)')
    args = parser.parse_args()
    records = RECORDS.load(args.records)
    text = report(records)
    if args.page:
        update_page(args.page, BEGIN, END, text)
    else:
        print(text)
    if args.plot:
        from experiments.many_class.gain_plot import plot_gain
        plot_gain(records, args.plot)


if __name__ == '__main__':
    main()
