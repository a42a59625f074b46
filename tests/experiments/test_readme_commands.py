"""Every command in the fenced ``bash`` blocks of the studies' READMEs
(``experiments/*/README.md``) can run as written: its script exists (a
shell script passes ``bash -n``), a Python script given flags answers
``--help`` and lists each of them, and the files it names exist.
The runs themselves take hours; the studies' code has its own tests."""
import shlex
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from tests.tools.test_readme_commands import bash_commands

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
COMMANDS = [(readme.parent.name, command)
            for readme in sorted((REPO / 'experiments').glob('*/README.md'))
            for command in bash_commands(readme.read_text())]


@lru_cache(maxsize=None)
def script_help(script: str) -> str:
    result = subprocess.run([sys.executable, script, '--help'], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f'{script} --help: {result.stderr[-2000:]}'
    return result.stdout


@pytest.mark.parametrize('study,command', COMMANDS)
def test_study_command_is_runnable_as_written(study, command):
    words = [w for w in shlex.split(command) if '=' not in w or
             w.startswith('-')]
    program, script, args = words[0], words[1], words[2:]
    assert (REPO / script).is_file(), f'{study}: {script} does not exist'
    if program == 'bash':
        assert subprocess.run(['bash', '-n', str(REPO / script)]).returncode \
            == 0
        return
    assert program == 'python', f'{study}: {command!r}'
    for arg in args:
        if arg.startswith('--'):
            assert arg in script_help(script), f'{script} has no {arg}'
        elif arg.startswith(('configs/', 'docs/', 'tools/')):
            assert (REPO / arg).exists(), f'{arg} does not exist'
