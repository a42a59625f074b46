"""Run the many-class study's runs, resumably, a few at a time.

    python experiments/many_class/run.py [--jobs 2] [--tier 1] [--only NAME]

Each worker takes the first run (in ``runs.all_runs()`` order, up to
``--tier``) that is not done, not taken, and whose inputs exist; finished
runs are skipped (a teacher whose weights are committed, a student whose
record is), an interrupted training resumes from its work dir's last
checkpoint, and a new checkout gets the committed schedule. One runner at
a time (a lock file under the study's work dir). Each run's output goes to
``work_dirs/many_class/logs/<name>.log``. A failed command stops the
runner once the other workers' runs end.
"""
import argparse
import fcntl
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import List, Optional

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from experiments.many_class.records import RECORDS, RECORDS_PATH  # noqa: E402
from experiments.many_class.runs import (  # noqa: E402
    ROOT,
    Run,
    Step,
    all_runs,
    student_schedule,
)
from experiments.many_class.schedule import schedule_from_curve  # noqa: E402
from experiments.many_class.store import store_weights  # noqa: E402
from mcmi_razor.fileio import write_text_atomic  # noqa: E402

PY = os.environ.get('PY', '.venv/bin/python')
ENV = dict(os.environ, OMP_NUM_THREADS=os.environ.get('OMP_NUM_THREADS',
                                                      '1'))


def student_epochs() -> int:
    return json.loads((ROOT / 'schedule.json').read_text())['epochs']


def command(run: Run, step: Step) -> Optional[List[str]]:
    """The command of ``step``, or None when its output exists."""
    work = run.work
    if step.kind == 'train':
        config, final = step.args
        options = list(step.options)
        if final is None:  # a student: the schedule's epochs
            epochs = student_epochs()
            final = f'epoch_{epochs}.pth'
            options += [*student_schedule(epochs),
                        f'train_cfg.val_interval={epochs}']
        if (work / final).exists():
            return None
        args = [PY, 'tools/train.py', config, '--work-dir', str(work)]
        if (work / 'last_checkpoint').exists():
            # The checkpoint holds the weights; a load_from beside --resume
            # is refused by tools/train.py as a second starting point.
            args.append('--resume')
            options = [o for o in options if not o.startswith('load_from=')]
        return args + ['--cfg-options', *options]
    if step.kind == 'extract':
        if (work / 'student.pth').exists():
            return None
        return [PY, 'tools/extract_student.py',
                str(work / f'epoch_{student_epochs()}.pth'),
                str(work / 'student.pth')]
    if step.kind == 'test':
        if run.done.exists():
            return None
        checkpoint = work / 'student.pth'
        if not checkpoint.exists():  # a label-only run
            checkpoint = work / f'epoch_{student_epochs()}.pth'
        return [PY, 'tools/test.py', step.args[0], str(checkpoint),
                '--work-dir', str(work / 'test'), '--out', str(run.done),
                '--out-item', 'metrics']
    if step.kind == 'evaluate_teacher':
        if run.measured.exists():
            return None
        return [PY, 'experiments/many_class/evaluate_teacher.py',
                str(work / step.args[0]), str(run.measured)]
    if step.kind in ('schedule', 'store'):   # in-process: execute()
        return None
    raise ValueError(f'unknown step {step.kind!r} in run {run.name}')


def execute(run: Run) -> None:
    """All steps of ``run``; raises CalledProcessError on a failure."""
    log = ROOT / 'logs' / f'{run.name}.log'
    log.parent.mkdir(parents=True, exist_ok=True)
    for step in run.steps:
        if step.kind == 'schedule' and not run.done.exists():
            schedule_from_curve(run.work, run.done)
            continue
        if step.kind == 'store' and not step.args[1].exists():
            store_weights(run.work / step.args[0], step.args[1])
            continue
        args = command(run, step)
        if args is None:
            continue
        print(f'[{time.strftime("%H:%M:%S")}] {run.name}: {step.kind} '
              f'(log {log})', flush=True)
        with open(log, 'a') as out:
            subprocess.run(args, stdout=out, stderr=subprocess.STDOUT,
                           env=ENV, check=True)


def restore_schedule(records: dict) -> None:
    """Write the committed schedule to ``schedule.json`` where a new
    checkout lacks it, so that students need not wait for the curve."""
    path = ROOT / 'schedule.json'
    if records['schedule'] is not None and not path.exists():
        schedule = {k: v for k, v in records['schedule'].items()
                    if k != 'minutes'}
        write_text_atomic(str(path), json.dumps(schedule, indent=1) + '\n')


def finished(run: Run, records: dict) -> bool:
    """Done here, or a student whose record is committed (its work dir may
    be gone: the record is what the study keeps of a student)."""
    return run.done.exists() or run.name in records['students']


class Queue:
    """Hands each worker the next run it may start."""

    def __init__(self, runs: List[Run], records: dict):
        self.pending = [r for r in runs if not finished(r, records)]
        self.lock = threading.Lock()
        self.failed: List[str] = []
        self.busy = 0

    def take(self) -> Optional[Run]:
        while True:
            with self.lock:
                if self.failed or not self.pending:
                    return None
                for run in self.pending:
                    if all(path.exists() for path in run.needs):
                        self.pending.remove(run)
                        self.busy += 1
                        return run
                if not self.busy:
                    missing = sorted({str(p) for r in self.pending
                                      for p in r.needs if not p.exists()})
                    self.failed.append(
                        'no run can start: missing ' + ', '.join(missing) +
                        ' (run the runs that make them, e.g. a lower '
                        '--tier or without --only)')
                    return None
            time.sleep(20)  # inputs are still being made by another worker

    def work(self) -> None:
        while (run := self.take()) is not None:
            try:
                execute(run)
                print(f'[{time.strftime("%H:%M:%S")}] {run.name}: done',
                      flush=True)
            except Exception as e:  # noqa: BLE001  (stop, say which run)
                with self.lock:
                    self.failed.append(f'{run.name}: {e}')
            with self.lock:
                self.busy -= 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--jobs', type=int, default=2)
    parser.add_argument('--tier', type=int, default=3)
    parser.add_argument('--only', nargs='*', help='run only these names')
    args = parser.parse_args()
    runs = [r for r in all_runs() if r.tier <= args.tier and
            (not args.only or r.name in args.only)]
    ROOT.mkdir(parents=True, exist_ok=True)
    with open(ROOT / 'runner.lock', 'w') as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SystemExit(f'another runner holds {ROOT}/runner.lock; '
                             'wait for it or stop it first') from None
        records = RECORDS.load(RECORDS_PATH)
        restore_schedule(records)
        queue = Queue(runs, records)
        print(f'{len(queue.pending)} of {len(runs)} runs to do', flush=True)
        workers = [threading.Thread(target=queue.work)
                   for _ in range(args.jobs)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    if queue.failed:
        raise SystemExit('failed: ' + '; '.join(queue.failed))


if __name__ == '__main__':
    main()
