"""The Fashion-MNIST evidence grid of docs/results.md, resumable.

Trains through ``tools/train.py`` (one subprocess per run, 1 CPU thread
each, ``--workers`` at a time) and evaluates each finished run on the full
10,000-image test split in this process. Every run writes
``<work-dir>/results/<name>.json`` when it ends (ok, collapsed or failed);
an ok or collapsed run is skipped on re-run, a failed or half-trained one
runs again (resuming from its last checkpoint).
Regenerate the report from whatever finished with
``tools/experiments/fashion_mnist_report.py``.

Design (all class-balanced and seeded, see ``POOL``):
- pool: 10% of the 60,000 training images (600 per class, seed 0); teachers
  train on it, and it is the students' "100%".
- teachers (seed 0): MLL resnet20 (15 epochs), then from it, 5 epochs each:
  MCMI (cmi_weight 0.15, exact centroids once) and the control (plain
  cross-entropy, no centroid hooks: tools/mcmi_pipeline.py's control);
  ablations: centroid schedule (exact every epoch, EMA), cmi_weight
  (0.05, 0.3, 0.6, 1.0) and centroid floor 0.01 at 0.6 and 1.0.
- students: KD resnet8 from each of the 3 teachers, on 1/5/10/100% of the
  pool and on the pool minus class 7 / classes 2 and 7 (zero-shot), seeds
  0-2, ~200 iterations each (batch 64); plus label-only resnet8 baselines
  (seed 0).

Usage: python tools/experiments/fashion_mnist_grid.py [--workers 2]
"""
import argparse
import json
import math
import os
import os.path as osp
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from mcmi_razor.apis.pipeline import control_options

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = osp.join(REPO, 'configs', 'fashion_mnist')
POOL = dict(fraction=0.1, seed=0)
POOL_SIZE = 6000
STUDENT_ITERS = 150
BATCH = 64
FRACTIONS = (0.01, 0.05, 0.1, 1.0)
ZERO_SHOT = {'zs1': [7], 'zs2': [2, 7]}
SEEDS = (0, 1, 2)
MAIN_WEIGHT = 0.15
FINETUNE_EPOCHS = 3

POOL_OPTION = f'train_dataloader.dataset.fraction={POOL["fraction"]}'
COMMON = ['train_dataloader.num_workers=0', 'randomness.seed={seed}']


def teacher_ckpt(work_dir: str, name: str) -> str:
    epochs = 15 if name == 'mll' else FINETUNE_EPOCHS
    return osp.join(work_dir, 'runs', f'teacher_{name}', f'epoch_{epochs}.pth')


def finetune_job(name: str, options: list, after=('mll', )) -> dict:
    return dict(
        name=f'teacher_{name}', kind='teacher', teacher=name,
        config=osp.join(CONFIGS, 'mcmi_teacher_r20.py'),
        epochs=FINETUNE_EPOCHS,
        options=[POOL_OPTION, 'load_from={mll_ckpt}',
                 f'train_cfg.max_epochs={FINETUNE_EPOCHS}',
                 f'param_scheduler.T_max={FINETUNE_EPOCHS}'] + options,
        after=[f'teacher_{a}' for a in after])


def teacher_jobs() -> list:
    mll = dict(name='teacher_mll', kind='teacher', teacher='mll',
               config=osp.join(CONFIGS, 'mll_teacher_r20.py'), epochs=15,
               options=[POOL_OPTION], after=[])
    return [mll,
            finetune_job('mcmi', []),
            finetune_job('control', control_options(
                osp.join(CONFIGS, 'mcmi_teacher_r20.py'), []))]


def ablation_jobs() -> list:
    jobs = [
        finetune_job(f'weight_{weight}',
                     [f'model.head.loss.cmi_weight={weight}'])
        for weight in (1.0, 0.6, 0.3, 0.05)
    ]
    jobs += [
        finetune_job(f'weight_{weight}_floor_0.01',
                     [f'model.head.loss.cmi_weight={weight}',
                      'model.head.loss.centroid_floor=0.01'])
        for weight in (1.0, 0.6)
    ]
    jobs += [
        finetune_job('weight_0.45', ['model.head.loss.cmi_weight=0.45']),
        finetune_job('sched_exact_every_epoch',
                     ['custom_hooks.0.interval=1']),
        finetune_job('sched_ema', ['custom_hooks.0.schedule=ema']),
    ]
    for job in jobs:
        job['kind'] = 'ablation'
    return jobs


def student_data(data: str, seed: int) -> tuple:
    """(train dataset override as config text, training set size)."""
    pool = ('dict(type="FewShotDataset", fraction={f}, seed={s}, '
            'dataset={{{{_base_.train_dataloader.dataset.dataset}}}})'.format(
                f=POOL['fraction'], s=POOL['seed']))
    if data in ZERO_SHOT:
        omit = ZERO_SHOT[data]
        size = POOL_SIZE - 600 * len(omit)
        return (f'dict(_delete_=True, type="ZeroShotDataset", '
                f'omit_classes={omit}, dataset={pool})', size)
    fraction = float(data[1:])
    return (f'dict(_delete_=True, type="FewShotDataset", fraction={fraction}, '
            f'seed={seed}, dataset={pool})', round(fraction * POOL_SIZE))


def student_job(teacher: str, data: str, seed: int) -> dict:
    dataset, size = student_data(data, seed)
    iters_per_epoch = math.ceil(size / BATCH)
    epochs = max(1, round(STUDENT_ITERS / iters_per_epoch))
    name = f'student_{teacher}_{data}_seed{seed}'
    base = 'students/r8.py' if teacher == 'none' else 'kd_r20_r8.py'
    lines = [f"_base_ = '{osp.join(CONFIGS, base)}'",
             f'train_dataloader = dict(dataset={dataset})']
    options = [f'train_cfg.max_epochs={epochs}',
               f'param_scheduler.T_max={epochs}',
               f'default_hooks.checkpoint.interval={epochs}']
    after = []
    if teacher != 'none':
        lines.append("model = dict(teacher_ckpt='{teacher_ckpt}')")
        after = [f'teacher_{teacher}']
    return dict(name=name, kind='student', teacher=teacher, data=data,
                seed=seed, size=size, epochs=epochs,
                iters=epochs * iters_per_epoch, config_text='\n'.join(lines),
                options=options, after=after,
                omitted=ZERO_SHOT.get(data, []))


def all_jobs() -> list:
    """In priority order: teachers, seed 0, ablations, seeds 1 and 2 of the
    low-data cells (1%, 5%, zero-shot), then of the 10% and 100% cells."""
    data = [f'f{f}' for f in FRACTIONS] + list(ZERO_SHOT)
    low_data = ['f0.01', 'f0.05'] + list(ZERO_SHOT)
    teachers = ('mll', 'mcmi', 'control')
    jobs = teacher_jobs()
    jobs += [student_job(t, d, 0) for d in data for t in teachers]
    jobs += [student_job('none', d, 0) for d in data]
    jobs += ablation_jobs()
    for cells in (low_data, [d for d in data if d not in low_data]):
        jobs += [student_job(t, d, seed) for seed in SEEDS[1:]
                 for d in cells for t in teachers]
    return jobs


class Grid:

    def __init__(self, work_dir: str, workers: int, python: str):
        self.work_dir = osp.abspath(work_dir)
        self.workers = workers
        self.python = python
        self.results = osp.join(self.work_dir, 'results')
        os.makedirs(self.results, exist_ok=True)
        self.lock = threading.Lock()
        self.eval_lock = threading.Lock()
        self.done, self.running = {}, set()

    def result_path(self, name: str) -> str:
        return osp.join(self.results, f'{name}.json')

    def load_done(self) -> None:
        """Finished runs: ok or collapsed; failed/skipped ones run again."""
        for file in os.listdir(self.results):
            if file.endswith('.json'):
                with open(osp.join(self.results, file)) as f:
                    status = json.load(f)['status']
                if status in ('ok', 'collapsed'):
                    self.done[file[:-5]] = status

    def next_job(self, pending: list):
        with self.lock:
            for job in pending:
                if all(a in self.done for a in job['after']):
                    pending.remove(job)
                    self.running.add(job['name'])
                    return job
            return None

    def run(self, jobs: list) -> None:
        self.load_done()
        pending = [j for j in jobs if j['name'] not in self.done]
        log(f'{len(jobs) - len(pending)} of {len(jobs)} runs already done; '
            f'{len(pending)} to go with {self.workers} workers.')

        def worker():
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
                log(f'{job["name"]}: {status} ({left} runs left)')

        with ThreadPoolExecutor(self.workers) as pool:
            for future in [pool.submit(worker) for _ in range(self.workers)]:
                future.result()

    def run_job(self, job: dict) -> str:
        record = {k: v for k, v in job.items() if k != 'after'}
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
        command = [self.python, osp.join(REPO, 'tools', 'train.py'), config,
                   '--work-dir', work_dir, '--no-validate']
        if osp.exists(osp.join(work_dir, 'last_checkpoint')):
            command.append('--resume')
        command += ['--cfg-options'] + options
        record.update(config=osp.relpath(config, REPO),
                      command=' '.join(osp.relpath(c, REPO)
                                       if c.startswith(REPO) else c
                                       for c in command))
        start = time.time()
        if not osp.exists(ckpt):
            with open(osp.join(work_dir, 'train.log'), 'a') as log_file:
                proc = subprocess.run(
                    command, cwd=REPO, stdout=log_file,
                    stderr=subprocess.STDOUT,
                    env=dict(os.environ, OMP_NUM_THREADS='1',
                             MKL_NUM_THREADS='1', CUDA_VISIBLE_DEVICES=''))
            record['train_seconds'] = round(time.time() - start, 1)
            if proc.returncode != 0:
                tail = tail_of(osp.join(work_dir, 'train.log'))
                collapsed = 'TeacherCollapseError' in tail
                record.update(status='collapsed' if collapsed else 'failed',
                              returncode=proc.returncode,
                              message=error_line(tail))
                return self.write(job, record)
        record['checkpoint'] = osp.relpath(ckpt, REPO)
        try:
            record.update(self.evaluate(job, config, ckpt, work_dir))
            record['status'] = 'ok'
        except Exception as error:  # noqa: BLE001  (recorded, grid goes on)
            record.update(status='failed', message=f'evaluation: {error!r}')
        record['wall_seconds'] = round(time.time() - start, 1)
        return self.write(job, record)

    def evaluate(self, job: dict, config: str, ckpt: str,
                 work_dir: str) -> dict:
        import torch

        from mcmi_razor.evaluation.analysis import (collect_logits,
                                                    logit_summary,
                                                    per_class_accuracy)
        start = time.time()
        with self.eval_lock:
            torch.set_num_threads(1)
            logits, labels = collect_logits(config, ckpt)
        torch.save(dict(logits=logits, labels=labels),
                   osp.join(work_dir, 'test_logits.pth'))
        metrics = logit_summary(logits, labels)
        per_class = per_class_accuracy(logits, labels)
        metrics['per_class'] = [round(float(a), 2) for a in per_class]
        omitted = job.get('omitted') or []
        if omitted:
            metrics['omitted_top1'] = float(per_class[omitted].mean())
            seen = [c for c in range(len(per_class)) if c not in omitted]
            metrics['seen_top1'] = float(per_class[seen].mean())
        metrics['eval_seconds'] = round(time.time() - start, 1)
        return dict(metrics=metrics)

    def write_config(self, work_dir: str, text: str) -> str:
        path = osp.join(work_dir, 'grid_config.py')
        with open(path, 'w') as f:
            f.write(text + '\n')
        return path

    def write(self, job: dict, record: dict) -> str:
        with open(self.result_path(job['name']), 'w') as f:
            json.dump(record, f, indent=1)
        return record['status']


def tail_of(path: str, size: int = 6000) -> str:
    with open(path, errors='replace') as f:
        return f.read()[-size:]


def error_line(tail: str) -> str:
    lines = [l for l in tail.splitlines() if 'Error' in l]
    return lines[-1].strip() if lines else tail.splitlines()[-1:][0]


def log(message: str) -> None:
    print(time.strftime('%H:%M:%S'), message, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--work-dir', default='work_dirs/fm_grid')
    parser.add_argument('--workers', type=int, default=2)
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
    import mcmi_razor  # noqa: F401  (repairs the stack, registers types)
    start = time.time()
    Grid(args.work_dir, args.workers, sys.executable).run(jobs)
    log(f'grid finished in {time.time() - start:.0f} s')


if __name__ == '__main__':
    main()
