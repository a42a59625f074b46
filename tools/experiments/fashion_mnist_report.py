"""Write docs/results_grid.md and docs/figures/*.png from the Fashion-MNIST
grid.

Reads the results of tools/experiments/fashion_mnist_grid.py (and the
teachers' saved test logits); cells that have not finished are shown as '-'
or with their n, so a partial grid gives honest partial tables. Usage:
    python tools/experiments/fashion_mnist_report.py [--work-dir DIR]
"""
try:
    import mcmi_razor  # noqa: F401  (repairs the stack, registers types)
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mcmi_razor.apis import parse_tool_args, tool_parser
from mcmi_razor.apis.experiments.fashion_mnist_design import WORK_DIR
from mcmi_razor.apis.experiments.fashion_mnist_report import write_report


def main() -> None:
    parser = tool_parser(__doc__)
    parser.add_argument('--work-dir', default=WORK_DIR,
                        help="the grid's folder")
    parser.add_argument('--out', default='docs/results_grid.md',
                        help='the Markdown report to write')
    parser.add_argument('--figures', default='docs/figures',
                        help='folder of the figures and CSV tables')
    parser.add_argument('--notes', default='docs/results_grid_notes.md',
                        help='hand-written discussion appended if present')
    args = parse_tool_args(parser)
    write_report(args.work_dir, args.out, args.figures, args.notes)


if __name__ == '__main__':
    main()
