"""The summary of the PID study (``experiments/pid/run.sh``, docs/pid.md):
PID of KD/RID students over training, mean over student seeds.

    python experiments/pid/summary.py [ROOT] (default work_dirs/pid_evidence)

Each run folder ``<method>_<teacher>_seed<k>`` under ``ROOT`` holds the
student's checkpoints, ``pid/pid_report.json`` (one row per epoch, bits)
and the top-1 of its last validation (the test images) in MMEngine's
``vis_data/scalars.json``.
"""
import argparse
import glob
import json
import os.path as osp
import re
from collections import defaultdict
from typing import Dict, List

from mcmi_razor.apis.study import format_mean_std, last_logged, markdown_table

RUN = re.compile(r'(?P<method>kd|rid)_(?P<teacher>\w+?)_seed(?P<seed>\d+)')
ATOMS = ('red', 'uni_t', 'i_yt', 'i_ys')


def collect(root: str) -> Dict[tuple, List[dict]]:
    """``(method, teacher) -> [dict(seed, top1, rows)]`` of finished runs."""
    runs = defaultdict(list)
    for run in sorted(glob.glob(osp.join(root, '*_seed*'))):
        match = RUN.fullmatch(osp.basename(run))
        report = osp.join(run, 'pid', 'pid_report.json')
        if not match or not osp.isfile(report):
            continue
        with open(report) as f:
            rows = json.load(f)
        runs[match['method'], match['teacher']].append(
            dict(seed=int(match['seed']),
                 top1=last_logged(run).get('accuracy/top1'), rows=rows))
    return runs


def summary(root: str) -> str:
    """Markdown: final top-1 and PID per (method, teacher), then PID per
    epoch; cells are mean ± std over the student seeds (n in the table)."""
    runs = collect(root)
    if not runs:
        raise FileNotFoundError(
            f'No finished run with pid/pid_report.json under {root}: run '
            'bash experiments/pid/run.sh first.')
    final, by_epoch = [], []
    for (method, teacher), seeds in sorted(runs.items()):
        last = [s['rows'][-1] for s in seeds]
        final.append(dict(
            method=method.upper(), teacher=teacher, n=len(seeds),
            top1=format_mean_std([s['top1'] for s in seeds
                                  if s['top1'] is not None]),
            **{a: format_mean_std([r[a] for r in last], 4) for a in ATOMS}))
        rows = [{row['name']: row for row in s['rows']} for s in seeds]
        # Checkpoints every seed has, in training order (rows match by name).
        epochs = [row['name'] for row in seeds[0]['rows']
                  if all(row['name'] in r for r in rows)]
        for epoch in epochs:
            by_epoch.append(dict(
                run=f'{method.upper()} / {teacher}', epoch=epoch,
                **{a: format_mean_std([r[epoch][a] for r in rows], 4)
                   for a in ATOMS}))
    header = ('PID in bits on the test split (teacher features: penultimate '
              'layer, one frozen teacher codebook per run); mean ± std over '
              'student seeds.\n\n')
    return (header + markdown_table(
        final, ['method', 'teacher', 'n', 'top1', *ATOMS],
        ['method', 'teacher', 'seeds', 'student top-1 (%)', 'Red',
         'Uni(Y:T\\S)', 'I(Y;T)', 'I(Y;S)']) + '\n' + markdown_table(
            by_epoch, ['run', 'epoch', *ATOMS],
            ['run', 'checkpoint', 'Red', 'Uni(Y:T\\S)', 'I(Y;T)',
             'I(Y;S)']))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('root', nargs='?', default='work_dirs/pid_evidence',
                        help='the folder of the study\'s runs')
    print(summary(parser.parse_args().root))


if __name__ == '__main__':
    main()
