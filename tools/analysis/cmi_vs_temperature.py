"""Teacher CMI, NLL and ECE against the softmax temperature.

The paper's Figure 1 analogue: how the conditional mutual information
I(X; Yhat | Y) of softmax(z / T) on the test split changes with T, for one
or more checkpoints. Writes ``cmi_vs_temperature.png``, ``.csv`` and
``.md`` to ``--out-dir``. Example:

    python tools/analysis/cmi_vs_temperature.py \\
        --model MLL configs/fashion_mnist/mll_teacher_r20.py \\
            work_dirs/mll_teacher_r20/epoch_15.pth \\
        --model MCMI configs/fashion_mnist/mcmi_teacher_r20.py \\
            work_dirs/mcmi_teacher_r20/epoch_5.pth \\
        --temperatures 1 2 4 8 --out-dir work_dirs/analysis
"""
import os.path as osp

try:
    from mcmi_razor.apis import model_tool_parser, parse_model_args
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mcmi_razor.evaluation.analysis import temperature_sweep
from mcmi_razor.evaluation.analysis.plots import plot_temperature_sweep
from mcmi_razor.evaluation.analysis.tool_args import write_tables

COLUMNS = ['model', 'temperature', 'top1', 'nll', 'ece', 'cmi', 'ncmi']


def main() -> None:
    parser = model_tool_parser(__doc__)
    parser.add_argument('--temperatures', type=float, nargs='+',
                        default=[0.25, 0.5, 1, 2, 4, 8, 16])
    args, models = parse_model_args(parser)
    sweeps = {name: temperature_sweep(logits, labels, args.temperatures)
              for name, (logits, labels) in models.items()}
    rows = [dict(model=name, **r) for name, s in sweeps.items() for r in s]
    stem = osp.join(args.out_dir, 'cmi_vs_temperature')
    plot_temperature_sweep(sweeps, stem + '.png', caption=args.caption)
    write_tables(stem, rows, COLUMNS)


if __name__ == '__main__':
    main()
