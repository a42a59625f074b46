"""The runner of the Fashion-MNIST grid (design: ``design.py``), resumable.

Each job trains through ``tools/train.py`` as a stage of
:class:`mcmi_razor.apis.stages.StageRunner` (one subprocess per run, 1 CPU
thread each, ``workers`` at a time, its output in the run's ``train.log``,
its progress on the console) and is then evaluated on the full
10,000-image test split in this process by
:func:`mcmi_razor.evaluation.analysis.evaluate_checkpoint`. Every run writes
``<work_dir>/results/<name>.json`` when it ends (ok, collapsed or failed):
that file is the stage's done-marker. An ok or collapsed run is skipped on
re-run; a failed or half-trained one runs again (resuming from its last
checkpoint).
"""
import json
import os
import os.path as osp
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, List, Optional

from experiments.fashion_mnist_grid.design import COMMON, teacher_ckpt
from mcmi_razor.apis.stages import StageError, StageRunner
from mcmi_razor.apis.study import train_command
from mcmi_razor.fileio import write_text_atomic

#: The environment of every training run: one CPU thread, no GPU.
TRAIN_ENV = dict(OMP_NUM_THREADS='1', MKL_NUM_THREADS='1',
                 CUDA_VISIBLE_DEVICES='')
FINISHED = ('ok', 'collapsed')


def log(message: str) -> None:
    """Print ``message`` with the time of day."""
    print(time.strftime('%H:%M:%S'), message, flush=True)


class Grid:
    """Runs grid jobs (see ``design.py``) in dependency
    order with ``workers`` threads.

    Args:
        work_dir (str): Runs go to ``work_dir/runs/<name>``, results to
            ``work_dir/results/<name>.json``.
        workers (int): Runs at a time.
        python (str): The interpreter for ``tools/train.py``.
        tools_dir (str): The folder of ``train.py``.
        run (callable, optional): ``run(command, log_file)`` instead of a
            subprocess (tests).
        evaluate (callable, optional): ``evaluate(job, config, checkpoint,
            work_dir)`` -> metrics instead of :meth:`evaluate`.
        echo (callable): Prints a console line. Defaults to :func:`log`.
    """

    def __init__(self, work_dir: str, workers: int, python: str,
                 tools_dir: str,
                 run: Optional[Callable] = None,
                 evaluate: Optional[Callable] = None,
                 echo: Callable[[str], None] = log) -> None:
        self.work_dir = osp.abspath(work_dir)
        self.workers = workers
        self.python = python
        self.tools_dir = tools_dir
        self.results = osp.join(self.work_dir, 'results')
        os.makedirs(self.results, exist_ok=True)
        self.lock = threading.Lock()
        self.eval_lock = threading.Lock()
        self.done: Dict[str, str] = {}
        self.running = set()
        self._run = run
        self._evaluate = evaluate or self.evaluate
        self._echo = echo
        self.stages: Optional[StageRunner] = None

    def result_path(self, name: str) -> str:
        return osp.join(self.results, f'{name}.json')

    def load_done(self) -> None:
        """Finished runs: ok or collapsed; failed/skipped ones run again."""
        for file in os.listdir(self.results):
            if file.endswith('.json'):
                with open(osp.join(self.results, file)) as f:
                    status = json.load(f)['status']
                if status in FINISHED:
                    self.done[file[:-5]] = status

    def next_job(self, pending: List[Dict]) -> Optional[Dict]:
        """The first pending job whose dependencies have ended, or None."""
        with self.lock:
            for job in pending:
                if all(a in self.done for a in job['after']):
                    pending.remove(job)
                    self.running.add(job['name'])
                    return job
            return None

    def run(self, jobs: List[Dict]) -> None:
        """Run every job without a finished result."""
        self.load_done()
        pending = [j for j in jobs if j['name'] not in self.done]
        self._echo(f'{len(jobs) - len(pending)} of {len(jobs)} runs already '
                   f'done; {len(pending)} to go with {self.workers} workers.')
        self.stages = StageRunner(len(pending), 'grid', self._run,
                                  self._echo, progress_interval=60)

        def worker() -> None:
            while True:
                with self.lock:
                    if not pending:
                        return
                job = self.next_job(pending)
                if job is None:
                    time.sleep(5)
                    continue
                status = self.run_job(job)
                with self.lock:
                    self.running.discard(job['name'])
                    self.done[job['name']] = status
                    left = len(pending) + len(self.running)
                self._echo(f'{job["name"]}: {status} ({left} runs left)')

        with ThreadPoolExecutor(self.workers) as pool:
            for future in [pool.submit(worker) for _ in range(self.workers)]:
                future.result()

    def run_job(self, job: Dict) -> str:
        """Train (unless its checkpoint exists) and evaluate one job;
        returns its status."""
        record = {k: v for k, v in job.items() if k != 'after'}
        tag = self.stages.begin(job['name'], done=False)
        blocked = [a for a in job['after'] if self.done.get(a) != 'ok']
        if blocked:
            record.update(status='skipped',
                          reason=f'needs {blocked}, which did not finish ok')
            return self.write(job, record)
        work_dir = osp.join(self.work_dir, 'runs', job['name'])
        os.makedirs(work_dir, exist_ok=True)
        fill = dict(seed=job.get('seed', 0),
                    mll_ckpt=teacher_ckpt(self.work_dir, 'mll'),
                    teacher_ckpt=teacher_ckpt(self.work_dir,
                                              job.get('teacher', 'mll')))
        config = job['config'] if 'config' in job else \
            self.write_config(work_dir, job['config_text'].replace(
                '{teacher_ckpt}', fill['teacher_ckpt']))
        ckpt = osp.join(work_dir, f'epoch_{job["epochs"]}.pth')
        options = [o.format(**fill) for o in job['options'] + COMMON]
        command = train_command(work_dir, config, options, ['--no-validate'],
                                self.python, self.tools_dir)
        record.update(config=osp.relpath(config), command=' '.join(command))
        start = time.time()
        if not osp.exists(ckpt):
            try:
                self.stages.run(tag, command, osp.join(work_dir, 'train.log'),
                                env=TRAIN_ENV)
            except StageError as error:
                record['train_seconds'] = round(time.time() - start, 1)
                collapsed = 'TeacherCollapseError' in str(error)
                record.update(status='collapsed' if collapsed else 'failed',
                              message=error_line(str(error)))
                return self.write(job, record)
            record['train_seconds'] = round(time.time() - start, 1)
        record['checkpoint'] = osp.relpath(ckpt)
        try:
            record['metrics'] = self._evaluate(job, config, ckpt, work_dir)
            record['status'] = 'ok'
        except Exception as error:  # noqa: BLE001  (recorded, grid goes on)
            record.update(status='failed', message=f'evaluation: {error!r}')
        record['wall_seconds'] = round(time.time() - start, 1)
        return self.write(job, record)

    def evaluate(self, job: Dict, config: str, ckpt: str,
                 work_dir: str) -> Dict:
        """:func:`evaluate_checkpoint` of one run, one at a time, 1 thread;
        its test logits go to ``test_logits.pth`` for the report."""
        import torch

        from mcmi_razor.evaluation.analysis import evaluate_checkpoint
        start = time.time()
        with self.eval_lock:
            torch.set_num_threads(1)
            metrics = evaluate_checkpoint(
                config, ckpt, logits_file=osp.join(work_dir,
                                                   'test_logits.pth'),
                omitted=job.get('omitted') or ())
        metrics['eval_seconds'] = round(time.time() - start, 1)
        return metrics

    def write_config(self, work_dir: str, text: str) -> str:
        path = osp.join(work_dir, 'grid_config.py')
        with open(path, 'w') as f:
            f.write(text + '\n')
        return path

    def write(self, job: Dict, record: Dict) -> str:
        """Write the run's result (its done-marker); returns its status."""
        write_text_atomic(self.result_path(job['name']),
                          json.dumps(record, indent=1))
        return record['status']


def error_line(text: str) -> str:
    """The last line naming an error in ``text``, else its last line."""
    lines = [line for line in text.splitlines() if 'Error' in line]
    return lines[-1].strip() if lines else (text.splitlines() or [''])[-1]
