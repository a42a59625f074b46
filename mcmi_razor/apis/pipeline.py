"""One command from an MLL teacher to evaluated students: the MCMI pipeline.

For one teacher/student pair and one distillation method, in the work dir
``W``, each stage in its own folder:

1. ``W/mll_teacher``: train the MLL teacher (``mll_config``). Every
   teacher trains with ``randomness.seed=teacher_seed`` (default 0), so a
   re-run on the same machine gives the same teachers.
2. ``W/mcmi_teacher``: fine-tune it with MCMI (``mcmi_config``, with
   ``load_from`` = the last checkpoint of stage 1).
3. ``W/control_teacher`` (only with ``control``): the MCMI fine-tune with the
   head loss switched to plain cross-entropy (same ``loss_weight``; label
   smoothing kept) and ``custom_hooks=[]``: the same extra epochs without the
   CMI term, so that they are not mistaken for the method.
4. ``W/students/<teacher>_seed<k>``: a student distilled from each teacher
   (``distill_config`` with ``model.teacher_ckpt=<its last checkpoint>`` and
   ``randomness.seed=k``), for every seed; ``student.pth`` there is the
   student alone (:mod:`.student_checkpoint`).
5. every teacher (its training config and options) and every student
   (``student_config``) evaluated on the test split by
   :func:`mcmi_razor.evaluation.analysis.evaluate_checkpoint` (top-1, NLL,
   ECE, CMI, NCMI), the project's one way to evaluate a checkpoint; each
   writes ``eval_metrics.json``.
6. ``W/results.json`` and ``W/results.md``: the table.

Training runs as ``tools/train.py`` subprocesses of this Python through
:class:`.stages.StageRunner`: each stage's output goes to its
``pipeline.log``, and the console shows ``[pipeline k/n]``, the epoch, the
iteration, mmengine's ETA and the log's path while it runs, and each
stage's duration and the estimated time left when it ends (scaled from the
``stage_seconds`` of an earlier run's results given as ``stage_times``; the
demo gives its committed record). ``results.json`` keeps this run's
``stage_seconds``.
Options, each a list of ``key=value`` as for ``--cfg-options``:
``cfg_options`` go to every stage (e.g. data roots), ``teacher_options`` to
the teacher stages (training and testing), ``student_options`` to the
distillation runs. Later entries win, and the pipeline's own
(``load_from``, ``model.teacher_ckpt``, ``randomness.seed``, the control's
loss) come last. Options address each config as it is: a distillation
config that wraps its training set (CRD: ``CRDDataset``) has it under
``train_dataloader.dataset.dataset``.

Resumable: a training stage is done when its ``pipeline_done.json`` marker
and the checkpoint it names exist, an extraction when ``student.pth`` exists,
a test when ``eval_metrics.json`` exists; done stages are skipped. A training
stage that started but did not finish (``last_checkpoint`` but no marker) is
continued with ``resume=True`` (``tools/train.py --resume``), and refused
otherwise. Delete a stage folder to redo it; a stage trained again discards
the test metrics and student in its folder, but the stages in other folders
that used its checkpoint (a teacher's students) must be deleted by hand.

Command line: ``tools/mcmi_pipeline.py`` (its arguments:
:mod:`.pipeline_cli`), e.g.::

    python tools/mcmi_pipeline.py \\
        --mll-config configs/mll/mll_resnet56_cifar100.py \\
        --mcmi-config configs/mcmi/mcmi_resnet56_cifar100.py \\
        --distill-config configs/distill/kd/kd_resnet56_resnet20_cifar100.py \\
        --student-config configs/students/resnet20_cifar100.py \\
        --work-dir work_dirs/pipeline_kd_resnet56_resnet20 \\
        --seeds 0 1 2 --control
"""
import argparse
import json
import os
import os.path as osp
import sys
from dataclasses import asdict, dataclass, field
from typing import Callable, Dict, List, Optional, Sequence

from mmengine.config import Config, DictAction

from mcmi_razor.evaluation.analysis import evaluate_checkpoint
from mcmi_razor.fileio import write_text_atomic

from .pipeline_report import TOP1, summarize, write_report
from .stages import StageError, StageRunner, console, run_logged
from .student_checkpoint import extract_student_file

__all__ = [
    'MCMIPipeline', 'PipelineError', 'PipelineSettings', 'control_options',
    'parse_options', 'run_logged'
]

DONE_MARKER = 'pipeline_done.json'
METRICS_FILE = 'eval_metrics.json'
STUDENT_FILE = 'student.pth'
LOG_FILE = 'pipeline.log'


#: A stage failed, or the work dir is in a state the pipeline will not guess
#: about (the stage runner's error under the pipeline's old name).
PipelineError = StageError


@dataclass
class PipelineSettings:
    """What to run; see the module docstring."""
    mll_config: str
    mcmi_config: str
    distill_config: str
    student_config: str
    work_dir: str
    cfg_options: List[str] = field(default_factory=list)
    teacher_options: List[str] = field(default_factory=list)
    student_options: List[str] = field(default_factory=list)
    seeds: List[int] = field(default_factory=lambda: [0])
    teacher_seed: Optional[int] = 0
    control: bool = False
    resume: bool = False
    stage_times: Optional[str] = None


def parse_options(options: Sequence[str]) -> dict:
    """``['a.b=1', ...]`` parsed as ``--cfg-options`` would be."""
    if not options:
        return {}
    parser = argparse.ArgumentParser()
    parser.add_argument('--options', nargs='+', action=DictAction)
    return parser.parse_args(['--options', *options]).options


def control_options(mcmi_config: str, options: Sequence[str]) -> List[str]:
    """Options turning ``mcmi_config`` (with ``options``) into its control:
    plain cross-entropy (label smoothing kept), no custom hooks."""
    cfg = Config.fromfile(mcmi_config)
    cfg.merge_from_dict(parse_options(options))
    loss = cfg.get('model', {}).get('head', {}).get('loss', {})
    if str(loss.get('type', '')).split('.')[-1] != 'MCMILoss':
        raise PipelineError(
            f'The control teacher switches model.head.loss of the MCMI '
            f'config to cross-entropy, but {mcmi_config} has '
            f'model.head.loss={dict(loss)}: expected an MCMILoss.')
    head = 'model.head.loss'
    plain = [f'{head}._delete_=True', f'{head}.loss_weight='
             f'{loss.get("loss_weight", 1.0)}', 'custom_hooks=[]']
    smoothing = loss.get('label_smoothing', 0.0)
    if smoothing:
        return plain + [
            f'{head}.type=LabelSmoothLoss', f'{head}.mode=original',
            f'{head}.label_smooth_val={smoothing}',
            f'{head}.num_classes={loss["num_classes"]}'
        ]
    return plain + [f'{head}.type=CrossEntropyLoss']


class MCMIPipeline:
    """Runs the stages of :class:`PipelineSettings` (see the module
    docstring).

    Args:
        settings (PipelineSettings): What to run.
        tools_dir (str): The folder of ``train.py`` and ``test.py``.
        python (str): The interpreter for the tools. Defaults to this one.
        run (callable, optional): ``run(command, log_file)``, raising on
            failure. Defaults to :func:`run_logged` with live progress.
        echo (callable): Prints progress. Defaults to
            :func:`.stages.console` (flushed at once).
        evaluate (callable): ``evaluate(config, checkpoint, cfg_options)``
            -> metrics. Defaults to :func:`evaluate_checkpoint`.
    """

    def __init__(self,
                 settings: PipelineSettings,
                 tools_dir: str,
                 python: str = sys.executable,
                 run: Optional[Callable[[Sequence[str], str], None]] = None,
                 echo: Callable[[str], None] = console,
                 evaluate: Callable[..., Dict] = evaluate_checkpoint) -> None:
        if not settings.seeds:
            raise PipelineError('Give at least one seed for the students.')
        self.settings = settings
        self.work_dir = osp.abspath(settings.work_dir)
        self.tools_dir = tools_dir
        self.python = python
        self._echo = echo
        self._evaluate = evaluate
        teachers = 3 if settings.control else 2
        runs = teachers * len(settings.seeds)
        self._stages = StageRunner(teachers * 2 + runs * 3, 'pipeline', run,
                                   echo,
                                   expected=_stage_times(settings.stage_times))

    def run(self) -> dict:
        """Run every stage not done yet; returns the results (also written
        to ``results.json`` and ``results.md`` in the work dir)."""
        s = self.settings
        os.makedirs(self.work_dir, exist_ok=True)
        teachers = {}
        seeded = ([] if s.teacher_seed is None else
                  [f'randomness.seed={s.teacher_seed}'])
        mll = self._train('mll_teacher', 'MLL teacher', s.mll_config,
                          s.teacher_options, always=seeded)
        teachers['mll'] = (s.mll_config, s.teacher_options, mll)
        fresh = [f'load_from={mll}']
        teachers['mcmi'] = (s.mcmi_config, s.teacher_options,
                            self._train('mcmi_teacher', 'MCMI teacher',
                                        s.mcmi_config, s.teacher_options,
                                        fresh, seeded))
        if s.control:
            options = list(s.teacher_options) + control_options(
                s.mcmi_config, list(s.cfg_options) + list(s.teacher_options))
            teachers['control'] = (s.mcmi_config, options,
                                   self._train('control_teacher',
                                               'control teacher',
                                               s.mcmi_config, options, fresh,
                                               seeded))
        results = dict(settings=asdict(s), teachers={}, students={})
        for name, (config, options, checkpoint) in teachers.items():
            results['teachers'][name] = dict(
                checkpoint=checkpoint,
                metrics=self._test(f'{name}_teacher', f'{name} teacher',
                                   config, checkpoint, options))
        for name, (_, _, teacher_checkpoint) in teachers.items():
            runs = [
                self._student(name, seed, teacher_checkpoint)
                for seed in s.seeds
            ]
            results['students'][name] = dict(
                runs=runs,
                top1=summarize([
                    run['metrics'][TOP1] for run in runs
                    if TOP1 in run['metrics']
                ]))
        results['stage_seconds'] = self._stage_seconds()
        paths = write_report(results, self.work_dir)
        self._echo(f'[pipeline] results: {paths["markdown"]}, '
                   f'{paths["json"]}')
        return results

    def _stage_seconds(self) -> List[Optional[float]]:
        """This run's seconds per stage; a stage skipped now keeps the time
        the last ``results.json`` here has for it."""
        now = self._stages.stage_seconds()
        try:
            earlier = _stage_times(osp.join(self.work_dir, 'results.json'))
        except PipelineError:   # none yet, or written before the times
            return now
        if len(earlier) != len(now):
            return now
        return [t if t is not None else e for t, e in zip(now, earlier)]

    def _student(self, teacher: str, seed: int, teacher_checkpoint: str):
        s = self.settings
        stage = osp.join('students', f'{teacher}_seed{seed}')
        checkpoint = self._train(
            stage, f'student of the {teacher} teacher, seed {seed}',
            s.distill_config, s.student_options, always=[
                f'model.teacher_ckpt={teacher_checkpoint}',
                f'randomness.seed={seed}'
            ])
        student = osp.join(self.work_dir, stage, STUDENT_FILE)
        done = osp.exists(student)
        tag = self._stages.begin(f'extract the student of {stage}', done)
        if not done:
            extract_student_file(checkpoint, student)
            self._stages.end(tag)
        metrics = self._test(stage, f'student {stage}', s.student_config,
                             student, [])
        return dict(
            seed=seed,
            checkpoint=student,
            distill_checkpoint=checkpoint,
            metrics=metrics)

    def _options(self, options: Sequence[str]) -> List[str]:
        merged = list(self.settings.cfg_options) + list(options)
        return ['--cfg-options', *merged] if merged else []

    def _train(self,
               stage: str,
               title: str,
               config: str,
               options: Sequence[str],
               fresh: Sequence[str] = (),
               always: Sequence[str] = ()) -> str:
        """Train ``config`` in ``W/stage``; returns its last checkpoint.
        ``fresh`` options apply to a new run only (not on resume)."""
        folder = osp.join(self.work_dir, stage)
        marker = osp.join(folder, DONE_MARKER)
        if osp.exists(marker):
            with open(marker) as f:
                checkpoint = json.load(f)['checkpoint']
            if osp.exists(checkpoint):
                self._stages.begin(f'{title} ({checkpoint})', True)
                return checkpoint
        partial = osp.exists(osp.join(folder, 'last_checkpoint'))
        if partial and not self.settings.resume:
            raise PipelineError(
                f'{folder} holds an unfinished run of the {title}: pass '
                '--resume to continue it, or delete the folder to start it '
                'again.')
        command = [
            self.python,
            osp.join(self.tools_dir, 'train.py'), config, '--work-dir', folder
        ]
        extra = list(options) + ([] if partial else list(fresh)) + list(always)
        command += (['--resume'] if partial else []) + self._options(extra)
        tag = self._stages.begin(
            f'{title}: train {config}' + (' (resuming)' if partial else ''),
            False)
        os.makedirs(folder, exist_ok=True)
        for stale in (METRICS_FILE, STUDENT_FILE):   # of an earlier model
            if osp.exists(osp.join(folder, stale)):
                os.remove(osp.join(folder, stale))
        self._stages.run(tag, command, osp.join(folder, LOG_FILE))
        checkpoint = self._last_checkpoint(folder)
        with open(marker, 'w') as f:
            json.dump(dict(checkpoint=checkpoint, command=command), f,
                      indent=2)
        self._stages.end(tag)
        return checkpoint

    @staticmethod
    def _last_checkpoint(folder: str) -> str:
        pointer = osp.join(folder, 'last_checkpoint')
        checkpoint = None
        if osp.exists(pointer):
            with open(pointer) as f:
                checkpoint = f.read().strip()
        if not checkpoint or not osp.exists(checkpoint):
            raise PipelineError(
                f'Training in {folder} finished without a checkpoint '
                f'({pointer} is missing or points nowhere): keep '
                "default_hooks.checkpoint saving (interval <= max_epochs).")
        return checkpoint

    def _test(self, stage: str, title: str, config: str, checkpoint: str,
              options: Sequence[str]) -> Dict[str, float]:
        """Evaluate ``checkpoint`` (:func:`evaluate_checkpoint`) once;
        returns its metrics."""
        out = osp.join(self.work_dir, stage, METRICS_FILE)
        done = osp.exists(out)
        tag = self._stages.begin(f'evaluate the {title}', done)
        if not done:
            merged = list(self.settings.cfg_options) + list(options)
            metrics = self._evaluate(config, checkpoint,
                                     parse_options(merged) or None)
            write_text_atomic(out, json.dumps(metrics, indent=2))
            self._stages.end(tag)
        with open(out) as f:
            return json.load(f)


def _stage_times(path: Optional[str]) -> Optional[List[Optional[float]]]:
    """The ``stage_seconds`` of the results (or demo record) at ``path``;
    None without a path.

    Raises:
        PipelineError: the file is missing or has no ``stage_seconds``.
    """
    if path is None:
        return None
    try:
        with open(path) as f:
            times = json.load(f)['stage_seconds']
        if not isinstance(times, list):
            raise TypeError(f'stage_seconds is {times!r}, not a list')
        return times
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise PipelineError(
            f'--stage-times {path}: expected a results.json or demo record '
            f'with "stage_seconds" ({error!r}); leave the option out to '
            'estimate from this run alone.') from None
