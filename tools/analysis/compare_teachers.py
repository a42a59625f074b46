"""Compare teachers (e.g. MLL vs MCMI) on the test split: top-1, NLL, ECE,
CMI, NCMI, mean max-probability and the smallest centroid entry, with a
warning for a teacher that is near one-hot.

Writes ``compare_teachers.png``, ``.csv`` and ``.md`` to ``--out-dir``.
Example:

    python tools/analysis/compare_teachers.py \\
        --model MLL configs/fashion_mnist/mll_teacher_r20.py \\
            work_dirs/mll_teacher_r20/epoch_15.pth \\
        --model MCMI configs/fashion_mnist/mcmi_teacher_r20.py \\
            work_dirs/mcmi_teacher_r20/epoch_5.pth \\
        --out-dir work_dirs/analysis
"""
import os.path as osp

try:
    from mcmi_razor.apis import model_tool_parser, parse_model_args
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mcmi_razor.evaluation.analysis import logit_summary
from mcmi_razor.evaluation.analysis.plots import plot_metric_bars
from mcmi_razor.evaluation.analysis.regime import (
    regime_from_logits,
    regime_warning,
)
from mcmi_razor.evaluation.analysis.tool_args import write_tables

METRICS = ['top1', 'nll', 'ece', 'cmi', 'ncmi']


def main() -> None:
    parser = model_tool_parser(__doc__)
    parser.add_argument('--temperature', type=float, default=1.0,
                        help='softmax temperature of every metric but top-1')
    args, models = parse_model_args(parser)
    rows = []
    for name, (logits, labels) in models.items():
        regime = regime_from_logits(logits, labels, split='test')
        rows.append(dict(
            name=name, **logit_summary(logits, labels, args.temperature),
            mean_max_prob=regime.mean_max_prob,
            min_centroid=regime.smallest_centroid_entries[0][2]))
        warning = regime_warning(regime)
        if warning:
            print(f'{name}: {warning}')
    stem = osp.join(args.out_dir, 'compare_teachers')
    plot_metric_bars(rows, METRICS, stem + '.png', caption=args.caption)
    columns = ['name', 'temperature'] + METRICS + ['mean_max_prob',
                                                   'min_centroid']
    write_tables(stem, rows, columns)


if __name__ == '__main__':
    main()
