"""The results table of :mod:`mcmi_razor.apis.pipeline`, as JSON and
Markdown."""
import json
import os.path as osp
from typing import Dict, List, Optional

from mcmi_razor.evaluation.analysis.tables import markdown_table as _table
from mcmi_razor.evaluation.analysis.tables import mean_std
from mcmi_razor.fileio import write_text_atomic

# keys of mcmi_razor.evaluation.analysis.evaluate_checkpoint's metrics
TOP1 = 'top1'
CMI = 'cmi'
NCMI = 'ncmi'
TEACHER_TITLES = {
    'mll': 'MLL',
    'mcmi': 'MCMI',
    'control': 'control (CE fine-tune, same schedule)',
}


def summarize(values: List[float]) -> Dict[str, Optional[float]]:
    """Mean and sample standard deviation, None where there are too few
    values (JSON ``null``, not NaN)."""
    stats = mean_std(values)
    return dict(mean=stats['mean'] if stats['n'] else None,
                std=stats['std'] if stats['n'] > 1 else None)


def _number(value: Optional[float], digits: int) -> str:
    return 'n/a' if value is None else f'{value:.{digits}f}'


def _student_header(seeds: int) -> str:
    if seeds == 1:
        return 'student top-1 (1 seed, no spread)'
    return f'student top-1, mean ± std over {seeds} seeds'


def markdown_table(results: dict) -> str:
    """The Markdown report of a pipeline ``results`` dict."""
    settings = results['settings']
    lines = [
        '# MCMI pipeline results',
        '',
        f'Distillation: `{settings["distill_config"]}`; students evaluated '
        f'with `{settings["student_config"]}`; seeds {settings["seeds"]}.',
        'Every number comes from the last checkpoint of its run, evaluated '
        'on the test split of its config (mcmi_razor.evaluation.analysis.'
        'evaluate_checkpoint); nothing is selected by test accuracy. CMI in '
        'nats; top-1 in %.',
        '',
    ]
    return '\n'.join(lines) + '\n' + results_table(results)


def results_table(results: dict) -> str:
    """The table of :func:`markdown_table`: one row per teacher."""
    seeds = results['settings']['seeds']
    rows = []
    for name, teacher in results['teachers'].items():
        metrics = teacher['metrics']
        students = results['students'][name]
        top1 = students['top1']
        spread = '' if top1['std'] is None else f' ± {top1["std"]:.2f}'
        rows.append(dict(
            teacher=TEACHER_TITLES.get(name, name),
            top1=_number(metrics.get(TOP1), 2),
            cmi=_number(metrics.get(CMI), 4),
            ncmi=_number(metrics.get(NCMI), 4),
            student=_number(top1['mean'], 2) + spread,
            per_seed=', '.join(
                f'{run["seed"]}: {_number(run["metrics"].get(TOP1), 2)}'
                for run in students['runs'])))
    headers = ['teacher', 'teacher top-1', 'teacher CMI', 'teacher NCMI',
               _student_header(len(seeds)), 'per seed']
    columns = ['teacher', 'top1', 'cmi', 'ncmi', 'student', 'per_seed']
    return _table(rows, columns, headers)


def write_report(results: dict, work_dir: str) -> Dict[str, str]:
    """Write ``results.json`` and ``results.md`` into ``work_dir``.

    Returns:
        dict: Their paths, under ``'json'`` and ``'markdown'``.
    """
    paths = dict(
        json=osp.join(work_dir, 'results.json'),
        markdown=osp.join(work_dir, 'results.md'))
    for path, text in ((paths['json'], json.dumps(results, indent=2)),
                       (paths['markdown'], markdown_table(results))):
        write_text_atomic(path, text)
    return paths
