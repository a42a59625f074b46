"""Compare teachers (e.g. MLL vs MCMI) on the test split: top-1, NLL, ECE,
CMI and NCMI.

Writes ``compare_teachers.png``, ``.csv`` and ``.md`` to ``--out-dir``.
Example:

    python tools/analysis/compare_teachers.py \\
        --model MLL configs/fashion_mnist/mll_teacher_r20.py \\
            work_dirs/mll_teacher_r20/epoch_15.pth \\
        --model MCMI configs/fashion_mnist/mcmi_teacher_r20.py \\
            work_dirs/mcmi_teacher_r20/epoch_5.pth \\
        --out-dir work_dirs/analysis
"""
import argparse
import os.path as osp
import sys

import mcmi_razor  # noqa: F401  (repairs the stack, registers types)

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from _common import add_model_args, load_models, write_tables  # noqa: E402

from mcmi_razor.evaluation.analysis import (logit_summary,  # noqa: E402
                                            markdown_table)
from mcmi_razor.evaluation.analysis.plots import \
    plot_metric_bars  # noqa: E402

METRICS = ['top1', 'nll', 'ece', 'cmi', 'ncmi']


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    add_model_args(parser)
    parser.add_argument('--temperature', type=float, default=1.0,
                        help='softmax temperature of every metric but top-1')
    args = parser.parse_args()
    rows = [dict(name=name, **logit_summary(logits, labels,
                                            args.temperature))
            for name, (logits, labels) in load_models(args).items()]
    stem = osp.join(args.out_dir, 'compare_teachers')
    plot_metric_bars(rows, METRICS, stem + '.png')
    columns = ['name', 'temperature'] + METRICS
    write_tables(stem, rows, columns, markdown_table(rows, columns))


if __name__ == '__main__':
    main()
