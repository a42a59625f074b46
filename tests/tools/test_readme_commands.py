"""Walks every command of README.md's fenced ``bash`` blocks as a new user
would, in a fresh shell after the README's environment step.

What it does, honestly: full runs (hours of training, the 12-minute demo)
are too long for a test, so for each command it checks that the tool or
script exists, that each config or file path it names exists, and that
every ``--flag`` it passes is one the tool's ``--help`` lists (``--help``
itself run in a fresh shell after the stated activation, exit 0). Shell
scripts are checked with ``bash -n``. The install lines (``python3.11 -m
venv``, ``pip install``) are not run: ``tools/setup_env.sh`` runs them, and
the test suite's environment is the result. The fixture runs of the same
tools are elsewhere (tests/tools/, tests/apis/test_pipeline_determinism.py).
"""
import os
import re
import shlex
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import List

import pytest

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
FRESH = dict(PATH='/usr/local/bin:/usr/bin:/bin', HOME=os.environ.get(
    'HOME', '/root'), LANG='C.UTF-8')
ACTIVATE = re.compile(r'^(?:source|\.) \.venv/bin/activate\b', re.M)
SKIPPED = ('python3.11 -m venv', 'pip install', 'cd ')


def bash_commands(markdown: str) -> List[str]:
    """The commands of the fenced bash blocks: continuation lines joined,
    comments and blank lines dropped, ``&&`` chains split."""
    commands = []
    for block in re.findall(r'```bash\n(.*?)```', markdown, re.S):
        text = re.sub(r'\\\n\s*', ' ', block)
        for line in text.splitlines():
            line = line.split(' #')[0].strip()
            if line and not line.startswith('#'):
                commands += [c.strip() for c in line.split('&&')]
    return commands


@lru_cache(maxsize=None)
def tool_help(tool: str) -> str:
    result = subprocess.run(
        ['bash', '-c', f'source .venv/bin/activate && python {tool} --help'],
        cwd=REPO, env=FRESH, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f'{tool} --help: {result.stderr[-2000:]}'
    return result.stdout


README = (REPO / 'README.md').read_text()
COMMANDS = bash_commands(README)


def test_readme_states_the_environment_step_once_before_the_commands():
    assert ACTIVATE.search(README), (
        'README.md must say how to enter the environment '
        '(source .venv/bin/activate) before its commands.')


@pytest.mark.parametrize('command', COMMANDS)
def test_readme_command_is_runnable_as_written(command):
    if command.startswith(SKIPPED) or ACTIVATE.match(command):
        pytest.skip('environment setup: tools/setup_env.sh runs it')
    words = shlex.split(command)
    while words and re.match(r'^[A-Z_]+=', words[0]):   # VAR=value prefix
        words.pop(0)
    program, args = words[0], words[1:]
    if program == 'bash':
        script = REPO / args[0]
        assert script.exists(), f'{args[0]} does not exist'
        assert subprocess.run(['bash', '-n', str(script)]).returncode == 0
        return
    if program == '.venv/bin/ruff':   # the linter CI runs; setup installs it
        assert args == ['check', '.'], command
        return
    assert program in ('python', '.venv/bin/python'), (
        f'{command!r}: use python after the environment step, not '
        f'{program!r}')
    if args[:2] == ['-m', 'pytest']:
        return
    tool = args[0]
    assert (REPO / tool).exists(), f'{tool} does not exist'
    listed = tool_help(tool)
    for arg in args[1:]:
        if arg.startswith('--'):
            flag = arg.split('=')[0]
            assert flag in listed, f'{tool} has no {flag}'
        elif arg.startswith(('configs/', 'tools/')) and arg.endswith('.py'):
            assert (REPO / arg).exists(), f'{arg} does not exist'
