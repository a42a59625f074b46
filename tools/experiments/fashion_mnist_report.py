"""Write docs/results.md and docs/figures/*.png from the Fashion-MNIST grid.

Reads the results of tools/experiments/fashion_mnist_grid.py (and the
teachers' saved test logits); cells that have not finished are shown as '-'
or with their n, so a partial grid gives honest partial tables. Usage:
    python tools/experiments/fashion_mnist_report.py [--work-dir DIR]
"""
import argparse

try:
    import mcmi_razor  # noqa: F401  (repairs the stack, registers types)
except ModuleNotFoundError as error:
    raise SystemExit(
        f'{error}: activate the environment first: source .venv/bin/activate '
        '(or run bash tools/setup_env.sh once to create it).') from None
from mcmi_razor.apis.experiments.fashion_mnist_report import write_report
from mcmi_razor.fileio import add_trust_argument
from mcmi_razor.utils import set_default_cpu_threads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--work-dir', default='work_dirs/fm_grid',
                        help="the grid's folder")
    parser.add_argument('--out', default='docs/results.md',
                        help='the Markdown report to write')
    parser.add_argument('--figures', default='docs/figures',
                        help='folder of the figures and CSV tables')
    parser.add_argument('--notes', default='docs/results_notes.md',
                        help='hand-written discussion appended if present')
    add_trust_argument(parser)
    args = parser.parse_args()
    set_default_cpu_threads()
    write_report(args.work_dir, args.out, args.figures, args.notes)


if __name__ == '__main__':
    main()
