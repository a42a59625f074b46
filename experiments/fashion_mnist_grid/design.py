"""The design of the Fashion-MNIST grid of docs/results_grid.md: which runs,
with which data, schedules and seeds, in which order.

All data is class-balanced and seeded (see ``POOL``):

- pool: 10% of the 60,000 training images (600 per class, seed 0); teachers
  train on it, and it is the students' "100%".
- teachers (seed 0): MLL resnet20 (15 epochs, ``MLL_EPOCHS``), then from
  it, 3 epochs each (``FINETUNE_EPOCHS``): MCMI (cmi_weight 0.15, exact
  centroids once) and the control (plain cross-entropy, no centroid hooks:
  :func:`mcmi_razor.apis.pipeline.control_options`); ablations: centroid
  schedule (exact every epoch, EMA), cmi_weight (0.05, 0.3, 0.45, 0.6, 1.0)
  and centroid floor 0.01 at 0.6 and 1.0.
- students: KD resnet8 from each of the 3 teachers, on 1/5/10/100% of the
  pool and on the pool minus class 7 / classes 2 and 7 (zero-shot), seeds
  0-2, ~150 iterations each (``STUDENT_ITERS``, batch 64); plus label-only
  resnet8 baselines (seed 0).

A job is a dict: ``name``, ``kind`` (teacher / ablation / student),
``after`` (the jobs it needs), ``options`` (``--cfg-options`` with
``{seed}``, ``{mll_ckpt}`` placeholders) and either ``config`` (a file) or
``config_text`` (a config written into the run's folder).
"""
import math
import os.path as osp
from typing import Dict, List, Sequence, Tuple

from mcmi_razor.apis.pipeline import control_options

#: The repository's ``configs/fashion_mnist``.
CONFIGS = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.abspath(
    __file__)))), 'configs', 'fashion_mnist')
#: Where the grid tool writes the runs and the report tool reads them.
WORK_DIR = 'work_dirs/fm_grid'
POOL = dict(fraction=0.1, seed=0)
POOL_SIZE = 6000
MLL_EPOCHS = 15
FINETUNE_EPOCHS = 3
STUDENT_ITERS = 150
BATCH = 64
FRACTIONS = (0.01, 0.05, 0.1, 1.0)
ZERO_SHOT = {'zs1': [7], 'zs2': [2, 7]}
SEEDS = (0, 1, 2)
MAIN_WEIGHT = 0.15

POOL_OPTION = f'train_dataloader.dataset.fraction={POOL["fraction"]}'
COMMON = ['train_dataloader.num_workers=0', 'randomness.seed={seed}']


def teacher_ckpt(work_dir: str, name: str) -> str:
    """The last checkpoint of teacher ``name`` in the grid's ``work_dir``."""
    epochs = MLL_EPOCHS if name == 'mll' else FINETUNE_EPOCHS
    return osp.join(work_dir, 'runs', f'teacher_{name}', f'epoch_{epochs}.pth')


def finetune_job(name: str, options: List[str],
                 after: Sequence[str] = ('mll', )) -> Dict:
    """A fine-tune of the MLL teacher with the MCMI config and ``options``."""
    return dict(
        name=f'teacher_{name}', kind='teacher', teacher=name,
        config=osp.join(CONFIGS, 'mcmi_teacher_r20.py'),
        epochs=FINETUNE_EPOCHS,
        options=[POOL_OPTION, 'load_from={mll_ckpt}',
                 f'train_cfg.max_epochs={FINETUNE_EPOCHS}',
                 f'param_scheduler.T_max={FINETUNE_EPOCHS}'] + options,
        after=[f'teacher_{a}' for a in after])


def teacher_jobs() -> List[Dict]:
    """The MLL teacher, its MCMI fine-tune and the control."""
    mll = dict(name='teacher_mll', kind='teacher', teacher='mll',
               config=osp.join(CONFIGS, 'mll_teacher_r20.py'),
               epochs=MLL_EPOCHS, options=[POOL_OPTION], after=[])
    return [mll,
            finetune_job('mcmi', []),
            finetune_job('control', control_options(
                osp.join(CONFIGS, 'mcmi_teacher_r20.py'), []))]


def ablation_jobs() -> List[Dict]:
    """Teachers with other cmi_weights, centroid floors and schedules."""
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


def student_data(data: str, seed: int) -> Tuple[str, int]:
    """(train dataset override as config text, training set size) of the
    student data cell ``data`` (``f<fraction>`` or a ``ZERO_SHOT`` key)."""
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


def student_job(teacher: str, data: str, seed: int) -> Dict:
    """A student of ``teacher`` ('none': labels only) on ``data``, trained
    for about ``STUDENT_ITERS`` iterations whatever the data size."""
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


def all_jobs() -> List[Dict]:
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
