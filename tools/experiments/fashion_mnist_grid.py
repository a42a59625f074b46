"""The Fashion-MNIST evidence grid of docs/results_grid.md, resumable.

Trains every run of the design in
mcmi_razor/apis/experiments/fashion_mnist_design.py (teachers, ablations,
few-shot and zero-shot KD students, 3 seeds) through tools/train.py,
``--workers`` at a time with one CPU thread each, and evaluates each on the
full 10,000-image test split; finished runs are skipped on a re-run. Then
``python tools/experiments/fashion_mnist_report.py`` writes the report.

Usage: python tools/experiments/fashion_mnist_grid.py [--workers 2]
"""
import os.path as osp
import sys
import time

try:
    import mcmi_razor  # noqa: F401  (repairs the stack, registers types)
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mcmi_razor.apis import parse_tool_args, tool_parser
from mcmi_razor.apis.experiments.fashion_mnist_design import WORK_DIR, all_jobs
from mcmi_razor.apis.experiments.fashion_mnist_grid import Grid, log


def main() -> None:
    parser = tool_parser(__doc__)
    parser.add_argument('--work-dir', default=WORK_DIR,
                        help='folder of the runs and their results')
    parser.add_argument('--workers', type=int, default=2,
                        help='runs at a time (each uses one CPU thread)')
    parser.add_argument('--only', nargs='*',
                        help='run only jobs whose name starts with these')
    parser.add_argument('--list', action='store_true',
                        help='print the runs and exit')
    args = parse_tool_args(parser)
    jobs = all_jobs()
    if args.only:
        jobs = [j for j in jobs if j['name'].startswith(tuple(args.only))]
    if args.list:
        for job in jobs:
            print(job['name'], job.get('iters', ''), job['after'])
        return
    start = time.time()
    Grid(args.work_dir, args.workers, sys.executable,
         tools_dir=osp.dirname(osp.dirname(osp.abspath(__file__)))).run(jobs)
    log(f'grid finished in {time.time() - start:.0f} s')


if __name__ == '__main__':
    main()
