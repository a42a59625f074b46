"""The default PID estimator and the paper's pipeline on synthetic cases.

Gaussian classes (N = 10,000, C = 10, d = 32); students: a copy of the
teacher, an invertible linear map of it, an independent one, a noisy
garbling. Prints a markdown table (bits) for docs/pid.md:
    python tools/analysis/pid_synthetic.py
"""
try:
    from mcmi_razor.apis import parse_tool_args, tool_parser
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mcmi_razor.evaluation.analysis import markdown_table
from mcmi_razor.evaluation.pid.synthetic import mode_comparison

COLUMNS = ['case', 'mode', 'seed', 'k', 'red', 'uni_t', 'uni_s', 'syn',
           'i_yt']


def main() -> None:
    parser = tool_parser(__doc__, trust=False)
    parser.add_argument('--num-samples', type=int, default=10000)
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    args = parse_tool_args(parser)
    rows = mode_comparison(args.num_samples, seeds=args.seeds)
    print(markdown_table(rows, COLUMNS, digits=3), end='')


if __name__ == '__main__':
    main()
