"""Every run of the many-class study, in the protocol's order.

docs/many_class_protocol.md fixes the design; this module spells it out as
:class:`Run` objects (what it needs, what it writes, the commands), which
``run.py`` executes and ``records.py`` collects. Names:

- teachers ``<kind>_t<seed>``: ``base`` (the 15-epoch MLL start), ``mll``
  (20 epochs), ``control``, ``fixed``, ``budget`` (5-epoch fine-tunes of
  base's epoch 15), ``control_e6``, ``fixed_e6`` (of base's epoch 6: the
  less confident level);
- the schedule curve ``curve``;
- students ``<method>_<kind>_t<seed>_<setting>_s<seed>`` (method ``kd`` or
  ``dkd``, setting ``few_shot`` or ``zero_shot``) and label-only baselines
  ``labels_<setting>_s<seed>``.

A teacher is done once its weights are committed (``store.py``): fine-tunes
and students start from those files, so they need no teacher work dir.
"""
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Tuple

from experiments.many_class.store import stored

ROOT = Path('work_dirs/many_class')
CONFIGS = 'configs/font_glyphs'
TEACHER_SEEDS = (0, 1)
KINDS = ('mll', 'control', 'fixed', 'budget')
EARLY_KINDS = ('control_e6', 'fixed_e6')
CURVE_EPOCHS = 60
#: teacher kind -> (config, starting epoch of base); mll continues base.
TEACHERS = {
    'mll': ('mll_teacher_r20_20e.py', 15),
    'control': ('ce_teacher_r20.py', 15),
    'fixed': ('mcmi_teacher_r20.py', 15),
    'budget': ('mcmi_teacher_r20_budget.py', 15),
    'control_e6': ('ce_teacher_r20.py', 6),
    'fixed_e6': ('mcmi_teacher_r20.py', 6),
}
STUDENT_CONFIGS = {
    ('kd', 'few_shot'): 'kd_r20_r8.py',
    ('kd', 'zero_shot'): 'kd_r20_r8_zero_shot.py',
    ('dkd', 'few_shot'): 'dkd_r20_r8.py',
    ('labels', 'few_shot'): 'r8.py',
    ('labels', 'zero_shot'): 'r8_zero_shot.py',
}
TEST_CONFIG = f'{CONFIGS}/r8.py'
#: the students' warm-up epochs (configs/font_glyphs/_base_/
#: student_schedule.py)
WARMUP_EPOCHS = 5


@dataclass
class Step:
    """One command: ``train`` (config, final checkpoint, options),
    ``store`` (checkpoint in the work dir, name of the committed weights) or
    ``test`` / ``extract`` / ``evaluate_teacher`` / ``schedule``."""

    kind: str
    args: Tuple = ()
    options: Tuple[str, ...] = ()


@dataclass
class Run:
    """A run: done once ``done`` exists; starts once ``needs`` exist;
    ``measured`` is the output in its work dir that ``records.py`` reads
    (``done`` itself unless set)."""

    name: str
    tier: int
    work: Path
    done: Path
    needs: Tuple[Path, ...] = ()
    steps: List[Step] = field(default_factory=list)
    measured: Optional[Path] = None

    def __post_init__(self) -> None:
        self.measured = self.measured or self.done


def student_schedule(epochs: int) -> List[str]:
    """``--cfg-options`` that make a student train ``epochs`` epochs: the
    warm-up as it is, the cosine over the rest."""
    if epochs <= WARMUP_EPOCHS:
        raise ValueError(
            f'A student schedule of {epochs} epochs leaves nothing after '
            f'the {WARMUP_EPOCHS}-epoch warm-up: delete '
            f'{ROOT / "schedule.json"} and run run.py --only curve again.')
    return [f'train_cfg.max_epochs={epochs}',
            f'param_scheduler.1.T_max={epochs - WARMUP_EPOCHS}',
            f'param_scheduler.1.end={epochs}']


def teacher_ckpt(kind: str, seed: int) -> Path:
    """The committed weights of a teacher (``kind`` ``base``: epoch 15)."""
    return stored(f'{kind}_t{seed}')


def base_start(seed: int, epoch: int) -> Path:
    """The committed weights of base's ``epoch`` that fine-tunes load."""
    return stored(f'base_t{seed}' if epoch == 15 else f'base_t{seed}_e{epoch}')


def teacher_runs() -> List[Run]:
    starts = sorted({start for _, start in TEACHERS.values()})
    runs = []
    for seed in TEACHER_SEEDS:
        work = ROOT / 'teachers' / f'base_t{seed}'
        runs.append(Run(
            f'base_t{seed}', 1, work, base_start(seed, 15), (), [
                Step('train', (f'{CONFIGS}/mll_teacher_r20.py',
                               'epoch_15.pth'), (f'randomness.seed={seed}',)),
                Step('evaluate_teacher', ('epoch_15.pth',)),
                *(Step('store', (f'epoch_{e}.pth', base_start(seed, e)))
                  for e in starts)], work / 'teacher_metrics.json'))
        for kind, (config, start) in TEACHERS.items():
            base = base_start(seed, start)
            name = f'{kind}_t{seed}'
            work = ROOT / 'teachers' / name
            tier = 2 if kind in EARLY_KINDS else 1
            runs.append(Run(
                name, tier, work, teacher_ckpt(kind, seed), (base, ), [
                    Step('train', (f'{CONFIGS}/{config}', 'epoch_5.pth'),
                         (f'randomness.seed={seed}', f'load_from={base}')),
                    Step('evaluate_teacher', ('epoch_5.pth',)),
                    Step('store', ('epoch_5.pth', teacher_ckpt(kind, seed)))],
                work / 'teacher_metrics.json'))
    return runs


def curve_run() -> Run:
    """The KD student whose validation curve fixes every student's epochs."""
    work = ROOT / 'curve'
    teacher = teacher_ckpt('mll', 0)
    return Run('curve', 1, work, ROOT / 'schedule.json', (teacher, ), [
        Step('train', (f'{CONFIGS}/kd_r20_r8.py', f'epoch_{CURVE_EPOCHS}.pth'),
             (f'model.teacher_ckpt={teacher}', 'randomness.seed=0',
              'train_dataloader.dataset.seed=0',
              *student_schedule(CURVE_EPOCHS),
              'default_hooks.checkpoint.max_keep_ckpts=1')),
        Step('schedule')])


def student_run(method: str, kind: str, tseed: int, setting: str,
                seed: int, tier: int) -> Run:
    if method == 'labels':
        name, teacher = f'labels_{setting}_s{seed}', None
    else:
        name = f'{method}_{kind}_t{tseed}_{setting}_s{seed}'
        teacher = teacher_ckpt(kind, tseed)
    work = ROOT / 'students' / name
    seed_key = ('train_dataloader.dataset.dataset.seed'
                if setting == 'zero_shot' else 'train_dataloader.dataset.seed')
    options = [f'randomness.seed={seed}', f'{seed_key}={seed}',
               'default_hooks.checkpoint.max_keep_ckpts=1']
    if teacher is not None:
        options.append(f'model.teacher_ckpt={teacher}')
    needs = (ROOT / 'schedule.json', ) + ((teacher, ) if teacher else ())
    config = f'{CONFIGS}/{STUDENT_CONFIGS[method, setting]}'
    steps = [Step('train', (config, None), tuple(options))]
    if method != 'labels':
        steps.append(Step('extract'))
    steps.append(Step('test', (TEST_CONFIG, )))
    return Run(name, tier, work, work / 'test_metrics.json', needs, steps)


def student_runs() -> List[Run]:
    """Pairs first: each student seed runs with every teacher kind and seed
    before the next seed, so paired differences accrue from the start."""
    runs = []

    def block(method, kinds, setting, seeds, tier):
        for seed in seeds:
            for tseed in TEACHER_SEEDS:
                for kind in kinds:
                    runs.append(student_run(method, kind, tseed, setting,
                                            seed, tier))

    block('kd', KINDS, 'few_shot', (0, 1, 2), 1)
    block('kd', KINDS, 'zero_shot', (0, 1, 2), 1)
    block('dkd', ('control', 'fixed'), 'few_shot', (0, 1, 2), 2)
    block('kd', EARLY_KINDS, 'few_shot', (0, 1, 2), 2)
    for setting in ('few_shot', 'zero_shot'):
        for seed in (0, 1, 2):
            runs.append(student_run('labels', '', 0, setting, seed, 2))
    block('kd', KINDS, 'zero_shot', (3, 4, 5), 3)
    return runs


def all_runs() -> List[Run]:
    """Every run, in the order they are started. The curve needs seed 0's
    MLL teacher alone, so it starts after seed 0's tier-1 teachers: its
    long sequential run then overlaps the other teachers instead of
    holding up the students."""
    teachers = teacher_runs()
    first = [r for r in teachers
             if r.tier == 1 and r.name.endswith(f'_t{TEACHER_SEEDS[0]}')]
    rest = [r for r in teachers if r not in first]
    return first + [curve_run()] + rest + student_runs()
