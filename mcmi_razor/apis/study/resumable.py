"""Resumable stages of a study: one training or one test per call, so
that running a study's script again skips what finished and resumes what
was interrupted.

A training stage is done when its final checkpoint exists; one that
started (``last_checkpoint`` in its work dir) continues with
``tools/train.py --resume``. A test stage is done when its
``test_metrics.json`` exists (``tools/test.py --out ... --out-item
metrics``; read it with :func:`.run_logs.read_test_metrics`). Both append
the tool's output to a log file and raise
:class:`~mcmi_razor.apis.stages.StageError` when it fails.
``experiments/resumable_stage.sh`` gives shell-scripted studies the same
two stages.
"""
import os
import os.path as osp
import sys
from typing import Callable, Dict, List, Optional, Sequence

from mcmi_razor.apis.stages import console, run_logged

from .run_logs import TEST_METRICS

#: ``run(command, log_file)``: runs a stage's command into its log.
Run = Callable[[Sequence[str], str], None]


def train_command(work_dir: str, config: str, options: Sequence[str] = (),
                  flags: Sequence[str] = (), python: str = sys.executable,
                  tools_dir: str = 'tools') -> List[str]:
    """The ``tools/train.py`` command of a training stage: ``config`` into
    ``work_dir`` with ``flags`` (e.g. ``--no-validate``), ``--resume`` when
    the work dir holds an interrupted run, then ``--cfg-options
    options``."""
    command = [python, osp.join(tools_dir, 'train.py'), config,
               '--work-dir', work_dir, *flags]
    if osp.exists(osp.join(work_dir, 'last_checkpoint')):
        command.append('--resume')
    return command + (['--cfg-options', *options] if options else [])


def evaluate_command(work_dir: str, config: str, checkpoint: str,
                     options: Sequence[str] = (),
                     python: str = sys.executable,
                     tools_dir: str = 'tools') -> List[str]:
    """The ``tools/test.py`` command of a test stage: ``checkpoint`` on
    ``config``'s test split, metrics to ``work_dir/test_metrics.json``,
    the test's own logs under ``work_dir/test``."""
    command = [python, osp.join(tools_dir, 'test.py'), config, checkpoint,
               '--work-dir', osp.join(work_dir, 'test'),
               '--out', osp.join(work_dir, TEST_METRICS),
               '--out-item', 'metrics']
    return command + (['--cfg-options', *options] if options else [])


def _run_stage(command: List[str], log_file: str, what: str,
               run: Optional[Run], env: Optional[Dict[str, str]],
               echo: Callable[[str], None]) -> None:
    os.makedirs(osp.dirname(osp.abspath(log_file)), exist_ok=True)
    echo(f'{what} (log: {log_file})')
    if run is None:
        run_logged(command, log_file, env=env)
    else:
        run(command, log_file)


def train_stage(work_dir: str, config: str, final: str, log_file: str,
                options: Sequence[str] = (), *, flags: Sequence[str] = (),
                python: str = sys.executable, tools_dir: str = 'tools',
                env: Optional[Dict[str, str]] = None,
                run: Optional[Run] = None,
                echo: Callable[[str], None] = console) -> bool:
    """Train ``config`` into ``work_dir`` (:func:`train_command`) unless
    ``work_dir/final`` exists; True if it trained.

    Args:
        final (str): The last checkpoint's file name, e.g.
            ``'epoch_50.pth'``.
        log_file (str): The tool's output is appended here.
        env (dict, optional): Added to the tool's environment.
        run (callable, optional): ``run(command, log_file)`` instead of
            :func:`~mcmi_razor.apis.stages.run_logged` (tests, or a
            :class:`~mcmi_razor.apis.stages.StageRunner` for progress).
        echo (callable): Prints the console line of a stage that runs.
    """
    if osp.exists(osp.join(work_dir, final)):
        return False
    command = train_command(work_dir, config, options, flags, python,
                            tools_dir)
    _run_stage(command, log_file, f'[{osp.basename(work_dir)}] training',
               run, env, echo)
    return True


def evaluate_stage(work_dir: str, config: str, checkpoint: str,
                   log_file: str, options: Sequence[str] = (), *,
                   python: str = sys.executable, tools_dir: str = 'tools',
                   env: Optional[Dict[str, str]] = None,
                   run: Optional[Run] = None,
                   echo: Callable[[str], None] = console) -> bool:
    """Test ``checkpoint`` (:func:`evaluate_command`) unless
    ``work_dir/test_metrics.json`` exists; True if it tested. The other
    arguments as for :func:`train_stage`."""
    if osp.exists(osp.join(work_dir, TEST_METRICS)):
        return False
    command = evaluate_command(work_dir, config, checkpoint, options,
                               python, tools_dir)
    _run_stage(command, log_file,
               f'[{osp.basename(work_dir)}] testing {checkpoint}', run, env,
               echo)
    return True
