"""The default PID estimator and the paper's pipeline on synthetic cases.

Gaussian classes (N = 10,000, C = 10, d = 32); students: a copy of the
teacher, an invertible linear map of it, an independent one, a noisy
garbling. Prints a markdown table (bits) for docs/pid.md:
    python tools/analysis/pid_synthetic.py
"""
import argparse

try:
    import mcmi_razor  # noqa: F401  (registers types, quiets known warnings)
except ModuleNotFoundError as error:
    raise SystemExit(
        f'{error}: activate the environment first: source .venv/bin/activate '
        '(or run bash tools/setup_env.sh once to create it).') from None
from mcmi_razor.evaluation.pid.synthetic import mode_comparison
from mcmi_razor.utils import set_default_cpu_threads

COLUMNS = ['case', 'mode', 'seed', 'k', 'red', 'uni_t', 'uni_s', 'syn',
           'i_yt']


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--num-samples', type=int, default=10000)
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    args = parser.parse_args()
    set_default_cpu_threads()
    rows = mode_comparison(args.num_samples, seeds=args.seeds)
    print('| ' + ' | '.join(COLUMNS) + ' |\n|' + '---|' * len(COLUMNS))
    for row in rows:
        print('| ' + ' | '.join(
            f'{row[c]:.3f}' if isinstance(row[c], float) else str(row[c])
            for c in COLUMNS) + ' |')


if __name__ == '__main__':
    main()
