"""The stage runner that the MCMI pipeline, the demo and the studies
share.

A stage is one step of a longer job (train a teacher, evaluate a student):
a title, a done test (a marker file in the stage's folder, which the caller
checks), and either a command with its own log (a subprocess, usually
``tools/train.py``) or short in-process work (extract, evaluate).
:class:`StageRunner` numbers the stages ``k/n`` on the console and says
which are skipped (:meth:`~StageRunner.begin`,
:meth:`~StageRunner.should_run`); it runs a command with its output in the
stage's log and, while it runs, follows the mmengine log lines it prints to
show the epoch, the iteration and mmengine's ETA together with the log's
path, at most every ``progress_interval`` seconds
(:meth:`~StageRunner.run`). When the caller ends a stage
(:meth:`~StageRunner.end`) it prints the stage's duration and the time
left, estimated from the stages run so far: scaled from an earlier run's
stage times when it has them (``expected``), else their mean times the
stages to go. Resuming an interrupted stage is the caller's
business (it knows the tool's ``--resume``); the runner runs what it is
given.
"""
import os
import re
import subprocess
import threading
import time
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

_EPOCH = re.compile(
    r'Epoch\((train|val|test)\)\s*\[(\d+)\]\s*\[\s*(\d+)/(\d+)\]')
_EVAL = re.compile(r'Epoch\((val|test)\)\s*\[\s*(\d+)/(\d+)\]')
_ITER = re.compile(r'Iter\((train|val|test)\)\s*\[\s*(\d+)/(\d+)\]')
_ETA = re.compile(r'eta: (\S+)')


def duration(seconds: float) -> str:
    """``'42 s'``, ``'3 min 05 s'`` or ``'1 h 02 min'``."""
    seconds = round(seconds)
    if seconds < 60:
        return f'{seconds} s'
    if seconds < 3600:
        return f'{seconds // 60} min {seconds % 60:02d} s'
    return f'{seconds // 3600} h {seconds % 3600 // 60:02d} min'


def estimate_left(seconds: Dict[int, float], next_stage: int, total: int,
                  expected: Optional[Sequence[Optional[float]]] = None
                  ) -> Optional[float]:
    """Seconds the stages ``next_stage..total`` (1-based) should take.

    ``seconds`` holds the stages run so far (number -> seconds). With
    ``expected`` (an earlier run's seconds per stage, None where unknown),
    its times of the stages to go, scaled by how this run compares on the
    stages both timed; else the mean stage time so far per stage to go.
    None before any stage has run.
    """
    if not seconds:
        return None
    to_go = range(next_stage, total + 1)
    if expected is not None and len(expected) == total:
        both = [k for k in seconds if expected[k - 1]]
        if both:
            scale = (sum(seconds[k] for k in both)
                     / sum(expected[k - 1] for k in both))
            return scale * sum(expected[k - 1] or 0.0 for k in to_go)
    return sum(seconds.values()) / len(seconds) * len(to_go)


def console(line: str) -> None:
    """Print ``line`` at once, also when stdout is a pipe (``| tee``)."""
    print(line, flush=True)


class StageError(RuntimeError):
    """A stage failed, or its folder is in a state the runner's caller will
    not guess about."""


@dataclass
class Progress:
    """Where a running mmengine job is, read from one of its log lines."""
    mode: str
    iteration: int
    iterations: int
    epoch: Optional[int] = None
    eta: Optional[str] = None

    def __str__(self) -> str:
        where = f'epoch {self.epoch}, ' if self.epoch is not None else ''
        text = f'{self.mode} {where}iter {self.iteration}/{self.iterations}'
        return text + (f', eta {self.eta}' if self.eta else '')


def parse_progress(line: str) -> Optional[Progress]:
    """The :class:`Progress` of an mmengine ``LoggerHook`` line, or None.

    Reads ``Epoch(train) [3][ 10/47] ... eta: 0:01:02``,
    ``Iter(train) [ 10/200]`` and ``Epoch(test) [10/40]``.
    """
    eta = _ETA.search(line)
    eta = eta.group(1) if eta else None
    match = _EPOCH.search(line)
    if match:
        mode, epoch, it, total = match.groups()
        return Progress(mode, int(it), int(total), int(epoch), eta)
    match = _EVAL.search(line) or _ITER.search(line)
    if match:
        mode, it, total = match.groups()
        return Progress(mode, int(it), int(total), None, eta)
    return None


def run_logged(command: Sequence[str], log_file: str,
               on_line: Optional[Callable[[str], None]] = None,
               env: Optional[Dict[str, str]] = None) -> None:
    """Run ``command``, appending its output to ``log_file`` line by line
    and passing each line to ``on_line`` as it comes (the command's Python
    runs unbuffered). ``env`` adds to this process's environment.

    Raises:
        StageError: with the end of the log, if the command fails.
    """
    with open(log_file, 'a') as log:
        log.write('$ ' + ' '.join(command) + '\n')
        log.flush()
        process = subprocess.Popen(
            list(command), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, errors='replace', bufsize=1,
            env=dict(os.environ, PYTHONUNBUFFERED='1', **(env or {})))
        for line in process.stdout:
            log.write(line)
            log.flush()
            if on_line is not None:
                on_line(line)
        code = process.wait()
    if code != 0:
        with open(log_file, errors='replace') as log:
            tail = ''.join(log.readlines()[-40:])
        raise StageError(f'{" ".join(command[:3])} ... failed (exit '
                         f'{code}). The end of {log_file}:\n{tail}')


class StageRunner:
    """Numbers, skips and runs stages, printing their progress.

    Thread-safe: a study's runner may run stages from several workers.

    Args:
        total (int): The number of stages, for ``k/n``.
        prefix (str): The console tag, e.g. ``'pipeline'``.
        run (callable, optional): ``run(command, log_file)`` instead of
            :func:`run_logged` with live progress (tests inject fakes).
        echo (callable): Prints a console line. Defaults to
            :func:`console`.
        progress_interval (float): Seconds between two progress lines of
            one stage. Defaults to 30.
        expected (sequence, optional): an earlier run's seconds per stage
            (``total`` entries, None for a stage it skipped), for the
            estimate of the time left; announced at the first stage run.
        clock (callable): Seconds now. Defaults to ``time.monotonic``.

    Attributes:
        seconds (dict): stage number -> seconds, of the stages ended.
    """

    def __init__(self,
                 total: int,
                 prefix: str = 'stage',
                 run: Optional[Callable[[Sequence[str], str], None]] = None,
                 echo: Callable[[str], None] = console,
                 progress_interval: float = 30.0,
                 expected: Optional[Sequence[Optional[float]]] = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total = total
        self.prefix = prefix
        self._run = run
        self._echo = echo
        self.progress_interval = progress_interval
        self.expected = expected
        self._clock = clock
        self._step = 0
        self._lock = threading.Lock()
        self._started: Dict[str, Tuple[int, float]] = {}
        self._first: Optional[float] = None
        self.seconds: Dict[int, float] = {}

    def stage_seconds(self) -> List[Optional[float]]:
        """Seconds per stage 1..total, None for those not ended (skipped),
        rounded to 0.1 s: what ``expected`` takes in a later run."""
        return [None if k not in self.seconds else round(self.seconds[k], 1)
                for k in range(1, self.total + 1)]

    def begin(self, title: str, done: bool) -> str:
        """Count and announce a stage; returns its ``[prefix k/n]`` tag.

        Use :meth:`should_run` when only the decision is needed.
        """
        with self._lock:
            self._step += 1
            step, now = self._step, self._clock()
            tag = f'[{self.prefix} {step}/{self.total}]'
            if self._first is None:
                self._first = now
            announce = not done and not self._started and not self.seconds
            if not done:
                self._started[tag] = (step, now)
        if announce and self.expected is not None \
                and len(self.expected) == self.total:
            left = sum(t or 0.0 for t in self.expected[step - 1:])
            self._echo(f'[{self.prefix}] estimate: about {duration(left)} '
                       f'for stages {step}-{self.total} (an earlier run\'s '
                       'stage times; updated as stages end)')
        state = 'done earlier, skipped' if done else 'running'
        self._echo(f'{tag} {title}: {state}')
        return tag

    def end(self, tag: str) -> float:
        """Announce the end of the stage ``tag`` (from :meth:`begin`, not
        skipped): its duration, the time since the first stage began and the
        estimated time left. Returns its seconds."""
        with self._lock:
            number, start = self._started.pop(tag)
            now = self._clock()
            self.seconds[number] = now - start
            left = estimate_left(self.seconds, self._step + 1, self.total,
                                 self.expected)
            elapsed = now - self._first
        text = (f'{tag} done in {duration(self.seconds[number])}; '
                f'{duration(elapsed)} so far')
        if self._step < self.total:
            text += (f', about {duration(left)} left, '
                     f'{duration(elapsed + left)} in all (estimate)')
        self._echo(text)
        return self.seconds[number]

    def should_run(self, title: str, done: bool) -> bool:
        """Announce a stage (counted as one of ``total``); True if it must
        run."""
        self.begin(title, done)
        return not done

    def run(self, tag: str, command: Sequence[str], log_file: str,
            env: Optional[Dict[str, str]] = None) -> None:
        """Run a stage's ``command`` into ``log_file``, with ``env`` added to
        its environment; ``tag`` (from :meth:`begin`) heads its progress
        lines.

        Raises:
            StageError: if it fails.
        """
        self._echo(f'{tag} log: {log_file}')
        if self._run is not None:
            self._run(command, log_file)
            return
        last = [None]   # when the last progress line was printed

        def on_line(line: str) -> None:
            progress = parse_progress(line)
            now = time.monotonic()
            if progress and (last[0] is None or
                             now - last[0] >= self.progress_interval):
                last[0] = now
                self._echo(f'{tag} {progress} (log: {log_file})')

        run_logged(command, log_file, on_line, env)
