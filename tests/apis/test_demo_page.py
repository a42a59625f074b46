"""docs/demo.md shows what the demo prints: the page is the rendering of
the committed demo record, and the demo's configs still build as they did
in that run."""
import json
from pathlib import Path

import pytest

from mcmi_razor.apis.demo_page import BEGIN, END, PAGE, render, render_page
from mcmi_razor.apis.demo_record import RECORD, stale_configs

REPO = Path(__file__).resolve().parents[2]
RERUN = ('Re-run the demo and re-render the page: bash tools/demo.sh && '
         '.venv/bin/python tools/demo_record.py render --from '
         'work_dirs/demo_fashion_mnist/demo_result.json (then commit '
         f'{RECORD} and {PAGE}).')


@pytest.fixture(scope='module')
def record() -> dict:
    return json.loads((REPO / RECORD).read_text())


def test_the_demo_configs_build_as_in_the_recorded_run(record,
                                                       monkeypatch):
    monkeypatch.chdir(REPO)
    stale = stale_configs(record)
    assert not stale, (
        f'Demo configs that build differently from the run recorded in '
        f'{RECORD}: {", ".join(stale)}; so {PAGE} no longer shows what the '
        'demo prints. ' + RERUN)


def test_demo_sh_runs_the_recorded_configs_and_options(record):
    script = (REPO / 'tools/demo.sh').read_text()
    settings = record['settings']
    seeds = ' '.join(map(str, settings['seeds']))
    expected = (*record['config_sha256'], *settings['cfg_options'],
                f'--seeds {seeds}',
                f'--teacher-seed {settings["teacher_seed"]}')
    missing = [item for item in expected if item not in script]
    assert not missing, (f'tools/demo.sh no longer runs {missing} as the '
                         f'recorded run did. {RERUN}')
    assert settings['control'] == ('--control' in script)
    assert not settings['teacher_options'] + settings['student_options']


def test_the_page_is_the_rendering_of_the_committed_record(record):
    page = (REPO / PAGE).read_text()
    assert page == render_page(page, record), (
        f'The generated block of {PAGE} is not the rendering of {RECORD}: '
        '.venv/bin/python tools/demo_record.py render')
    assert record['git'] and not record['git']['modified']


def test_rendering_replaces_only_the_block(record):
    page = f'intro\n{BEGIN}\nold table\n{END}\nafter\n'
    assert render_page(page, record) == (
        f'intro\n{BEGIN}\n{render(record)}\n{END}\nafter\n')
    with pytest.raises(ValueError, match='has no generated block'):
        render_page('no block here', record)
