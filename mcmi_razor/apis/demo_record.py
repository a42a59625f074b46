"""The demo's record: its table and what it ran on, machine-readable.

``tools/demo.sh`` ends with ``tools/demo_record.py write``, which turns the
pipeline's ``results.json`` into ``demo_result.json`` beside it: the table
as printed, each teacher's and student's metrics, the commit, a sha256 of
each demo config as built (:func:`config_digest`), torch, Python, the CPU,
the threads and the seconds per stage. docs/demo.md shows the committed
copy, :data:`RECORD` (rendered by :mod:`.demo_page`); a test rebuilds the
configs and fails when a digest no longer matches, that is when the page
no longer shows what the demo runs.
"""
import hashlib
import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from typing import Dict, List, Optional, Sequence

import torch
from mmengine.config import Config

from mcmi_razor.fileio import write_text_atomic

from .pipeline import parse_options
from .pipeline_report import TOP1, results_table

RECORD = 'docs/results/demo_result.json'
# each config of the pipeline's settings, with the options it trains under
CONFIG_OPTIONS = {'mll_config': 'teacher_options',
                  'mcmi_config': 'teacher_options',
                  'distill_config': 'student_options',
                  'student_config': None}
# the environment entries that, when equal, promise an identical table
STACK = ('cpu', 'torch', 'python', 'omp_num_threads')


def config_digest(config: str, options: Sequence[str] = ()) -> str:
    """sha256 of ``config`` as built: ``Config.fromfile`` with ``options``
    merged (as ``--cfg-options``), dumped as JSON with sorted keys."""
    cfg = Config.fromfile(config)
    cfg.merge_from_dict(parse_options(options))
    text = json.dumps(cfg.to_dict(), sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


def config_digests(settings: dict) -> Dict[str, str]:
    """``{config path: digest}`` of the pipeline ``settings``' configs, each
    with the every-stage options and those of its stage."""
    digests = {}
    for key, extra in CONFIG_OPTIONS.items():
        options = list(settings['cfg_options'])
        options += list(settings[extra]) if extra else []
        digests[settings[key]] = config_digest(settings[key], options)
    return digests


def _cpu_model() -> str:
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def environment() -> Dict[str, object]:
    """What the numbers depend on besides the code: CPU, cores, threads,
    torch and Python."""
    return dict(cpu=_cpu_model(), cores=os.cpu_count(),
                omp_num_threads=os.environ.get('OMP_NUM_THREADS'),
                torch=torch.__version__,
                python=platform.python_version(),
                platform=f'{sys.platform} {platform.machine()}')


def git_commit(repo: str) -> Optional[Dict[str, object]]:
    """``{'commit': sha, 'modified': bool}`` of the checkout at ``repo``
    (modified: tracked files differ from the commit); None outside git."""
    def git(*args: str) -> str:
        return subprocess.run(['git', '-C', repo, *args], check=True,
                              capture_output=True, text=True).stdout.strip()
    try:
        return dict(commit=git('rev-parse', 'HEAD'),
                    modified=bool(git('status', '--porcelain',
                                      '--untracked-files=no')))
    except (OSError, subprocess.CalledProcessError):
        return None


def demo_record(results: dict, repo: str = '.',
                timings: Optional[Dict[str, float]] = None) -> dict:
    """The record of a demo run from its pipeline ``results``.

    Args:
        results (dict): the pipeline's ``results.json``.
        repo (str): the checkout the demo ran in (configs are read relative
            to the current directory, as the pipeline read them).
        timings (dict, optional): seconds measured outside the pipeline,
            e.g. ``{'setup': 140, 'demo': 600}``.
    """
    settings = results['settings']
    return dict(
        table=results_table(results),
        teachers={name: teacher['metrics']
                  for name, teacher in results['teachers'].items()},
        students={name: {str(run['seed']): run['metrics'][TOP1]
                         for run in student['runs']}
                  for name, student in results['students'].items()},
        settings={key: settings[key] for key in (
            *CONFIG_OPTIONS, 'cfg_options', 'teacher_options',
            'student_options', 'seeds', 'teacher_seed', 'control')},
        config_sha256=config_digests(settings),
        git=git_commit(repo),
        environment=environment(),
        date=datetime.now(timezone.utc).strftime('%Y-%m-%d'),
        stage_seconds=results.get('stage_seconds'),
        seconds=dict(timings or {}))


def stale_configs(record: dict) -> List[str]:
    """The configs of ``record`` that build differently now."""
    now = config_digests(record['settings'])
    return [config for config, digest in record['config_sha256'].items()
            if now.get(config) != digest]


def compare(record: dict, committed: dict) -> str:
    """One paragraph: is ``record``'s table the ``committed`` one, and if
    not, what differs in configs and environment."""
    where = (f'docs/demo.md (commit {committed["git"]["commit"][:7]})'
             if committed.get('git') else 'docs/demo.md')
    if record['table'] == committed['table']:
        return f'The table is identical to the one in {where}.'
    lines = [f'The table differs from the one in {where}.']
    changed = [c for c, d in record['config_sha256'].items()
               if committed['config_sha256'].get(c) != d]
    if changed:
        lines.append('These configs build differently from the recorded '
                     'run: ' + ', '.join(changed) + '.')
    ours, theirs = record['environment'], committed['environment']
    differ = [f'{key} {ours.get(key)!r} (recorded: {theirs.get(key)!r})'
              for key in STACK if ours.get(key) != theirs.get(key)]
    if differ:
        lines.append('Here: ' + '; '.join(differ) + '. On another CPU, '
                     'torch build or thread count small differences are '
                     'expected (docs/demo.md, "How much it moves").')
    elif not changed:
        lines.append('Same configs, CPU, torch, Python and threads: this '
                     'should not happen; please report it with both '
                     'demo_result.json files.')
    return '\n'.join(lines)


def write_demo_record(results_file: str,
                      timings: Optional[Dict[str, float]] = None,
                      committed_file: str = RECORD) -> str:
    """Write ``demo_result.json`` beside ``results_file`` (the pipeline's
    ``results.json``); returns its path and, when ``committed_file``
    exists, :func:`compare`'s paragraph."""
    with open(results_file) as f:
        record = demo_record(json.load(f), timings=timings)
    out = os.path.join(os.path.dirname(results_file), 'demo_result.json')
    write_text_atomic(out, json.dumps(record, indent=2) + '\n')
    message = f'Wrote {out}.'
    if os.path.exists(committed_file):
        with open(committed_file) as f:
            message += '\n' + compare(record, json.load(f))
    return message
