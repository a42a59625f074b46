"""Run the Fashion-MNIST grid of docs/results_grid.md, resumably.

    python experiments/fashion_mnist_grid/run.py [--workers 2] [--list]

Trains every run of ``design.py`` (teachers, ablations, few-shot and
zero-shot KD students, 3 seeds) through tools/train.py, ``--workers`` at a
time with one CPU thread each, and evaluates each on the full 10,000-image
test split; finished runs are skipped on a re-run. Then
``python experiments/fashion_mnist_grid/report.py`` writes the report.
"""
import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from experiments.fashion_mnist_grid.design import (  # noqa: E402
    WORK_DIR,
    all_jobs,
)
from experiments.fashion_mnist_grid.grid import Grid, log  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default=WORK_DIR,
                        help='folder of the runs and their results')
    parser.add_argument('--workers', type=int, default=2,
                        help='runs at a time (each uses one CPU thread)')
    parser.add_argument('--only', nargs='*',
                        help='run only jobs whose name starts with these')
    parser.add_argument('--list', action='store_true',
                        help='print the runs and exit')
    args = parser.parse_args()
    jobs = all_jobs()
    if args.only:
        jobs = [j for j in jobs if j['name'].startswith(tuple(args.only))]
    if args.list:
        for job in jobs:
            print(job['name'], job.get('iters', ''), job['after'])
        return
    start = time.time()
    Grid(args.work_dir, args.workers, sys.executable,
         tools_dir=str(ROOT / 'tools')).run(jobs)
    log(f'grid finished in {time.time() - start:.0f} s')


if __name__ == '__main__':
    main()
