"""docs/results_grid.md and docs/figures/*.png from the Fashion-MNIST grid.

    python experiments/fashion_mnist_grid/report.py [--work-dir DIR]

Reads ``<work_dir>/results/*.json`` (and the teachers' saved test logits)
of ``grid.Grid``; cells that have not finished are shown as '-' or with
their n, so a partial grid gives honest partial tables.
"""
import argparse
import glob
import json
import os
import os.path as osp
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from experiments.fashion_mnist_grid import design as grid  # noqa: E402
from experiments.fashion_mnist_grid.page_template import (  # noqa: E402
    TEMPLATE,
)
from mcmi_razor.apis.study import (  # noqa: E402
    format_mean_std,
    markdown_table,
    mean_std,
)
from mcmi_razor.evaluation.analysis import (  # noqa: E402
    temperature_sweep,
    write_csv,
)
from mcmi_razor.evaluation.analysis.plots import (  # noqa: E402
    plot_lines_with_error,
    plot_temperature_sweep,
)
from mcmi_razor.fileio import load_checkpoint  # noqa: E402

CLASSES = ('T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal',
           'Shirt', 'Sneaker', 'Bag', 'Ankle boot')
TEACHERS = ('mll', 'mcmi', 'control')
TEACHER_NAMES = dict(mll='MLL', mcmi=f'MCMI (λ={grid.MAIN_WEIGHT})',
                     control='control (CE, same schedule)',
                     none='no teacher (labels, seed 0)')
TEMPERATURES = (0.25, 0.5, 1, 2, 4, 8, 16)


def load(work_dir: str) -> dict:
    results = {}
    for path in sorted(glob.glob(osp.join(work_dir, 'results', '*.json'))):
        with open(path) as f:
            record = json.load(f)
        results[record['name']] = record
    return results


def teacher_rows(results: dict, names) -> list:
    rows = []
    for name in names:
        record = results.get(f'teacher_{name}')
        row = dict(name=name, status='not run')
        if record:
            metrics = record.get('metrics', {})
            row.update(status=record['status'],
                       top1=metrics.get('top1'), nll=metrics.get('nll'),
                       ece=metrics.get('ece'), cmi=metrics.get('cmi'),
                       ncmi=metrics.get('ncmi'),
                       minutes=record.get('wall_seconds',
                                          record.get('train_seconds', 0)) / 60,
                       message=record.get('message', ''))
        rows.append(row)
    return rows


def student_values(results: dict, teacher: str, data: str, key: str) -> list:
    values = []
    for seed in grid.SEEDS:
        record = results.get(f'student_{teacher}_{data}_seed{seed}')
        if record and record['status'] == 'ok':
            values.append(record['metrics'][key])
    return values


def few_shot_section(results: dict, figures: str) -> str:
    columns = list(TEACHERS) + ['none']
    rows, series = [], {}
    for fraction in grid.FRACTIONS:
        data = f'f{fraction}'
        size = round(fraction * grid.POOL_SIZE)
        row = dict(data=f'{fraction:g} ({size} images)')
        for teacher in columns:
            row[teacher] = format_mean_std(
                student_values(results, teacher, data, 'top1'),
                expected_n=len(grid.SEEDS) if teacher != 'none' else 1)
        rows.append(row)
    for teacher in columns:
        points = [(f, mean_std(student_values(results, teacher, f'f{f}',
                                              'top1')))
                  for f in grid.FRACTIONS]
        points = [(f, s) for f, s in points if s['n']]
        if points:
            series[TEACHER_NAMES[teacher]] = dict(
                x=[100 * f for f, _ in points],
                mean=[s['mean'] for _, s in points],
                std=[s['std'] for _, s in points],
                n=[s['n'] for _, s in points])
    if series:
        plot_lines_with_error(
            series, osp.join(figures, 'few_shot_students.png'),
            'student data (% of the 6,000-image pool)',
            'student top-1 (%)', 'KD resnet20 -> resnet8, Fashion-MNIST',
            logx=True, caption=(
                f'Pool: {grid.POOL_SIZE:,} training images '
                f'({grid.POOL["fraction"]:.0%} of Fashion-MNIST); students '
                f'~{grid.STUDENT_ITERS} iterations of batch {grid.BATCH}; '
                f'seeds {", ".join(map(str, grid.SEEDS))} (error bars: std '
                'over seeds, only where >= 2 finished).'))
    headers = ['student data (fraction of pool)'] + [
        TEACHER_NAMES[t] for t in columns]
    return markdown_table(rows, ['data'] + columns, headers)


def zero_shot_section(results: dict, figures: str) -> str:
    rows = []
    for data, omitted in grid.ZERO_SHOT.items():
        names = ', '.join(f'{c} {CLASSES[c]}' for c in omitted)
        for key, what in (('omitted_top1', 'omitted classes'),
                          ('seen_top1', 'other classes'),
                          ('top1', 'all (test top-1)')):
            row = dict(data=f'omit {names}', metric=what)
            for teacher in list(TEACHERS) + ['none']:
                row[teacher] = format_mean_std(
                    student_values(results, teacher, data, key),
                    expected_n=len(grid.SEEDS) if teacher != 'none' else 1)
            rows.append(row)
    columns = ['data', 'metric'] + list(TEACHERS) + ['none']
    headers = ['student data', 'accuracy on'] + [
        TEACHER_NAMES[t] for t in list(TEACHERS) + ['none']]
    return markdown_table(rows, columns, headers)


def zero_shot_detail_section(results: dict, work_dir: str) -> str:
    """Per-class accuracy (mean over seeds; omitted classes starred) and
    what the students predict for the omitted classes' test images."""
    rows = []
    for data, omitted in grid.ZERO_SHOT.items():
        for teacher in TEACHERS:
            runs = [results.get(f'student_{teacher}_{data}_seed{seed}')
                    for seed in grid.SEEDS]
            runs = [r for r in runs if r and r['status'] == 'ok']
            if not runs:
                continue
            row = dict(cell=f'{data}, {TEACHER_NAMES[teacher]}',
                       n=len(runs))
            for c in range(len(CLASSES)):
                value = mean_std([r['metrics']['per_class'][c]
                                  for r in runs])['mean']
                row[c] = f'{value:.1f}' + ('*' if c in omitted else '')
            row['predicted as'] = predicted_as(work_dir, runs, omitted)
            rows.append(row)
    if not rows:
        return 'No zero-shot student finished yet.\n'
    columns = ['cell', 'n'] + list(range(len(CLASSES))) + ['predicted as']
    headers = ['student', 'n'] + [f'{c} {name}' for c, name in
                                  enumerate(CLASSES)] + [
                                      'omitted-class images predicted as']
    return markdown_table(rows, columns, headers)


def predicted_as(work_dir: str, runs: list, omitted: list) -> str:
    """The 3 most frequent predictions for the omitted classes' test
    images, pooled over the runs' saved test logits."""
    counts = torch.zeros(len(CLASSES))
    for run in runs:
        path = osp.join(work_dir, 'runs', run['name'], 'test_logits.pth')
        if not osp.exists(path):
            continue
        saved = load_checkpoint(path)
        mask = torch.isin(saved['labels'], torch.tensor(omitted))
        counts += torch.bincount(saved['logits'][mask].argmax(1),
                                 minlength=len(CLASSES)).double()
    if counts.sum() == 0:
        return '-'
    share = 100 * counts / counts.sum()
    top = share.argsort(descending=True)[:3]
    return ', '.join(f'{CLASSES[c]} {share[c]:.0f}%' for c in top.tolist())


def temperature_section(work_dir: str, figures: str) -> str:
    sweeps = {}
    for name in TEACHERS:
        path = osp.join(work_dir, 'runs', f'teacher_{name}', 'test_logits.pth')
        if osp.exists(path):
            saved = load_checkpoint(path)
            sweeps[TEACHER_NAMES[name]] = temperature_sweep(
                saved['logits'], saved['labels'], TEMPERATURES)
    if not sweeps:
        return 'No teacher finished yet.\n'
    plot_temperature_sweep(sweeps, osp.join(figures,
                                            'teacher_cmi_vs_temperature.png'))
    rows = []
    for name, sweep in sweeps.items():
        for r in sweep:
            rows.append(dict(teacher=name, **r))
    columns = ['teacher', 'temperature', 'top1', 'nll', 'ece', 'cmi', 'ncmi']
    write_csv(osp.join(figures, 'teacher_cmi_vs_temperature.csv'), rows,
              columns)
    return markdown_table(rows, columns)


def timing_section(results: dict) -> str:
    train = sum(r.get('train_seconds', 0) for r in results.values())
    wall = sum(r.get('wall_seconds', r.get('train_seconds', 0))
               for r in results.values())
    by_status = {}
    for r in results.values():
        by_status[r['status']] = by_status.get(r['status'], 0) + 1
    total = len(grid.all_jobs())
    return (f'{len(results)} of {total} runs have a result '
            f'({", ".join(f"{v} {k}" for k, v in sorted(by_status.items()))})'
            f'; summed run time {wall / 60:.1f} min (training '
            f'{train / 60:.1f} min), two runs at a time.\n')


def write_report(work_dir: str = grid.WORK_DIR,
                 out: str = 'docs/results_grid.md',
                 figures: str = 'docs/figures',
                 notes: str = 'docs/results_grid_notes.md') -> None:
    """Write the report ``out`` and its figures into ``figures``; the
    hand-written ``notes`` are appended if the file exists."""
    os.makedirs(figures, exist_ok=True)
    results = load(work_dir)
    rel = osp.relpath(figures, osp.dirname(out) or '.')

    teacher_cols = ['name', 'status', 'top1', 'nll', 'ece', 'cmi', 'ncmi',
                    'minutes']
    main_teachers = teacher_rows(results, TEACHERS)
    ablation_names = ['mcmi'] + [j['teacher'] for j in grid.ablation_jobs()]
    ablations = teacher_rows(results, ablation_names)
    mll_top1 = main_teachers[0].get('top1')
    for row in ablations:
        # a teacher that lost much accuracy without tripping the guard
        if (row['status'] == 'ok' and mll_top1 is not None
                and row['top1'] < mll_top1 - 10):
            row['status'] = 'ok, but degraded (guard not triggered)'
    write_csv(osp.join(figures, 'teachers.csv'),
              main_teachers + ablations[1:], teacher_cols + ['message'])
    collapse = [f'- `{r["name"]}`: {r["message"]}' for r in ablations
                if r['status'] == 'collapsed']
    command = ('python experiments/fashion_mnist_grid/run.py '
               '--work-dir work_dirs/fm_grid --workers 2')
    with open(out, 'w') as report:
        report.write(TEMPLATE.format(
            generated=time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()),
            command=command, timing=timing_section(results),
            teachers=markdown_table(main_teachers, teacher_cols),
            temperature=temperature_section(work_dir, figures),
            few_shot=few_shot_section(results, figures),
            zero_shot=zero_shot_section(results, figures),
            zero_shot_detail=zero_shot_detail_section(results,
                                                      work_dir),
            ablations=markdown_table(ablations, teacher_cols),
            collapse='\n'.join(collapse) or '- none of the runs collapsed.',
            fig=rel, iters=grid.STUDENT_ITERS,
            finetune=grid.FINETUNE_EPOCHS))
        if osp.exists(notes):
            with open(notes) as extra:
                report.write('\n' + extra.read())
    print(f'wrote {out} and {figures}/')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default=grid.WORK_DIR,
                        help="the grid's folder")
    parser.add_argument('--out', default='docs/results_grid.md',
                        help='the Markdown report to write')
    parser.add_argument('--figures', default='docs/figures',
                        help='folder of the figures and CSV tables')
    parser.add_argument('--notes', default='docs/results_grid_notes.md',
                        help='hand-written discussion appended if present')
    args = parser.parse_args()
    write_report(args.work_dir, args.out, args.figures, args.notes)


if __name__ == '__main__':
    main()
