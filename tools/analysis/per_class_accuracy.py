"""Per-class test accuracy of a classifier or distilled student, with the
classes its training never saw (zero-shot) marked.

Writes ``per_class_accuracy.png``, ``.csv`` and ``.md`` to ``--out-dir``.
Example (a student trained without class 7):

    python tools/analysis/per_class_accuracy.py \\
        --model KD configs/fashion_mnist/kd_r20_r8.py \\
            work_dirs/kd_r20_r8/epoch_15.pth \\
        --omit 7 --out-dir work_dirs/analysis
"""
import os.path as osp

try:
    from mcmi_razor.apis import model_tool_parser, parse_model_args
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mcmi_razor.evaluation.analysis import (
    markdown_table,
    per_class_accuracy,
    per_class_rows,
)
from mcmi_razor.evaluation.analysis.plots import plot_per_class
from mcmi_razor.evaluation.analysis.tool_args import write_tables

COLUMNS = ['index', 'name', 'accuracy', 'omitted']


def main() -> None:
    parser = model_tool_parser(__doc__)
    parser.add_argument('--omit', type=int, nargs='*', default=[],
                        help='class indices the model never saw in training')
    parser.add_argument('--class-names', nargs='*',
                        help='class names in index order (default: indices)')
    args, models = parse_model_args(parser)
    if len(models) != 1:
        raise SystemExit('per_class_accuracy.py takes exactly one model.')
    (name, (logits, labels)), = models.items()
    accuracy = per_class_accuracy(logits, labels)
    rows = per_class_rows(accuracy, args.class_names, args.omit)
    stem = osp.join(args.out_dir, 'per_class_accuracy')
    plot_per_class(rows, stem + '.png', title=name,
                   caption=args.caption)
    table = markdown_table(rows, COLUMNS, digits=2)
    if args.omit:
        omitted = [r['accuracy'] for r in rows if r['omitted']]
        seen = [r['accuracy'] for r in rows if not r['omitted']]
        table += (f'\nMean accuracy: omitted classes '
                  f'{sum(omitted) / len(omitted):.2f}%, other classes '
                  f'{sum(seen) / len(seen):.2f}%.\n')
    write_tables(stem, rows, COLUMNS, table)


if __name__ == '__main__':
    main()
