"""Every Python tool under tools/ answers ``--help`` in a fresh shell after
the README's environment step: exit 0, a description that ends a sentence
(not cut mid-sentence), and nothing on stderr (no third-party warnings).
Without the environment, a tool says how to enter it instead of a bare
``ModuleNotFoundError``."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
TOOLS = sorted(str(p.relative_to(REPO))
               for p in (REPO / 'tools').rglob('*.py'))
#: A fresh login shell's environment: no venv, no PYTHONPATH.
FRESH = dict(PATH='/usr/local/bin:/usr/bin:/bin', HOME=os.environ.get(
    'HOME', '/root'), LANG='C.UTF-8')


def _description(help_text: str) -> str:
    """The text between the usage block and the first argument section."""
    paragraphs = help_text.split('\n\n')
    body = [p for p in paragraphs[1:]
            if not p.lstrip().startswith(('positional arguments',
                                          'options:', 'optional arguments'))]
    return body[0].strip() if body else ''


#: Runs every tool's ``--help`` as ``python <tool> --help`` would (runpy,
#: as ``__main__``), in one fresh interpreter: one import of the stack
#: instead of one per tool (~6 s each here). A warning raised by a module
#: the tools share shows on the stderr of the first tool that imports it.
_DRIVER = """
import contextlib, io, json, runpy, sys
results = {}
for tool in sys.argv[1:]:
    out, err, code = io.StringIO(), io.StringIO(), 0
    sys.argv = [tool, '--help']
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            runpy.run_path(tool, run_name='__main__')
        except SystemExit as exit_:
            code = exit_.code
    results[tool] = dict(code=code, stdout=out.getvalue(),
                         stderr=err.getvalue())
print(json.dumps(results))
"""


@pytest.fixture(scope='module')
def help_in_a_fresh_shell() -> dict:
    """{tool: exit code, stdout, stderr of its --help} after activation."""
    script = 'source .venv/bin/activate && python - ' + ' '.join(TOOLS)
    result = subprocess.run(['bash', '-c', script], input=_DRIVER, cwd=REPO,
                            env=FRESH, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr == ''
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize('tool', TOOLS)
def test_help_in_a_fresh_shell_after_activation(tool, help_in_a_fresh_shell):
    result = help_in_a_fresh_shell[tool]
    assert result['code'] in (0, None), result['stderr'][-2000:]
    assert result['stderr'] == ''
    description = _description(result['stdout'])
    assert description, result['stdout']
    first_paragraph = description.split('\n\n')[0]
    assert first_paragraph.rstrip().endswith(('.', ':', '.)')), \
        f'{tool}: description cut mid-sentence: {first_paragraph!r}'


@pytest.mark.parametrize('tool', TOOLS)
def test_without_the_environment_a_tool_says_how_to_enter_it(tool):
    result = subprocess.run(
        [sys.executable, '-I', '-S', tool, '--help'], cwd=REPO,
        env=dict(FRESH, PYTHONPATH=''), capture_output=True, text=True,
        timeout=300)
    assert result.returncode != 0
    assert 'source .venv/bin/activate' in result.stderr, result.stderr
    assert 'Traceback' not in result.stderr
