"""``mcmi_razor::`` configs from a regular (non-editable) install.

A fresh venv sees the stack through a ``.pth`` line (the running
interpreter's site-packages; ``.pth`` files there, such as the editable
install's finder, are not processed), gets mcmi-razor installed from a copy
of this repository with ``pip install --no-deps`` (a wheel, not editable),
and runs a script from a folder outside the repository: a config there
inherits one of our distillation configs (two folders deep, as the config
families are) and takes the teacher straight from
``mcmi_razor::mcmi_teacher_r56.py`` (a quick-start alias at the top of the
config tree).
"""
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]

USER_CONFIG = """
_base_ = ['mcmi_razor::distill/dist/dist_resnet56_resnet20_cifar100.py']
model = dict(
    teacher=dict(
        _delete_=True, cfg_path='mcmi_razor::mcmi_teacher_r56.py',
        pretrained=False),
    teacher_ckpt=None)
"""

SCRIPT = """
import json, os, sys
import torch
import mcmi_razor
from mmengine.config import Config
from mmengine.registry import MODELS, DefaultScope
from mmpretrain.structures import DataSample

cfg = Config.fromfile('user_config.py')
cfg.model.data_preprocessor = cfg.data_preprocessor


def build(**overrides):
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        return MODELS.build(dict(cfg.model, **overrides))


model = build()
model.train()
inputs = torch.randn(2, 3, 32, 32)
samples = [DataSample().set_gt_label(i) for i in (3, 7)]
losses = model.loss(inputs, samples)
try:
    build(teacher_trainable=True)
    refusal = None
except ValueError as error:
    refusal = str(error)
package = os.path.dirname(mcmi_razor.__file__)
print(json.dumps(dict(
    package=package,
    configs_are_a_folder=not os.path.islink(
        os.path.join(package, '.mim', 'configs')),
    model_index_is_a_file=not os.path.islink(
        os.path.join(package, '.mim', 'model-index.yml')),
    teacher_loss=type(model.teacher.head.loss_module).__name__,
    losses={k: float(v) for k, v in losses.items()},
    refusal=refusal)))
"""


def copy_repository(target: Path) -> Path:
    """The repository's files, without VCS data, builds and caches. Build
    and data folders are skipped at the top only: ``configs/distill/dist/``
    is a config family."""
    anywhere = shutil.ignore_patterns('.git', '.venv', '*.egg-info',
                                      '__pycache__', '.pytest_cache')
    top = {'work_dirs', 'data', 'build', 'dist'}

    def ignore(folder, names):
        skipped = set(anywhere(folder, names))
        if Path(folder) == REPO:
            skipped |= top & set(names)
        return skipped

    shutil.copytree(REPO, target, symlinks=True, ignore=ignore)
    return target


@pytest.fixture(scope='module')
def installed_venv(tmp_path_factory):
    """A venv with mcmi-razor installed from a wheel; its Python."""
    tmp = tmp_path_factory.mktemp('installed')
    venv = tmp / 'venv'
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', venv],
                   check=True)
    python = venv / 'bin' / 'python'
    purelib = subprocess.run(
        [python, '-c', 'import sysconfig; print(sysconfig.get_paths()'
         '["purelib"])'], check=True, capture_output=True,
        text=True).stdout.strip()
    stack = {sysconfig.get_paths()[key] for key in ('purelib', 'platlib')}
    Path(purelib, 'stack.pth').write_text('\n'.join(sorted(stack)) + '\n')
    source = copy_repository(tmp / 'source')
    # The stack's pip and setuptools build the wheel; --ignore-installed
    # keeps pip from touching the stack's editable mcmi-razor.
    subprocess.run([
        python, '-m', 'pip', 'install', '--quiet', '--no-deps',
        '--no-build-isolation', '--ignore-installed', source
    ], check=True, capture_output=True, text=True, cwd=tmp)
    return python, Path(purelib), source


def test_outside_config_uses_package_configs_and_an_inert_mcmi_teacher(
        installed_venv, tmp_path):
    python, purelib, _ = installed_venv
    (tmp_path / 'user_config.py').write_text(USER_CONFIG)
    (tmp_path / 'check.py').write_text(SCRIPT)
    env = {k: v for k, v in os.environ.items() if k != 'PYTHONPATH'}
    result = subprocess.run([python, 'check.py'], cwd=tmp_path, env=dict(
        env, OMP_NUM_THREADS='1'), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-5000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert Path(report['package']) == purelib / 'mcmi_razor'
    assert report['configs_are_a_folder']
    assert report['model_index_is_a_file']
    assert report['teacher_loss'] == 'CrossEntropyLoss'
    assert set(report['losses']) == {'student.loss', 'distill.loss_dist'}
    assert all(v == v and abs(v) < 1e6 for v in report['losses'].values())
    assert 'teacher_trainable=True' in report['refusal']


def test_wheel_ships_every_config(installed_venv):
    _, purelib, source = installed_venv
    shipped = purelib / 'mcmi_razor' / '.mim' / 'configs'
    expected = {
        path.relative_to(source / 'configs')
        for path in (source / 'configs').rglob('*.py')
    }
    assert expected and expected == {
        path.relative_to(shipped)
        for path in shipped.rglob('*.py')
    }


def test_wheel_ships_the_model_index_and_every_metafile(installed_venv):
    """MMEngine reads every imported metafile before any ``mcmi_razor::``
    config resolves: a missing one breaks them all."""
    import yaml

    _, purelib, _ = installed_venv
    mim = purelib / 'mcmi_razor' / '.mim'
    index = yaml.safe_load((mim / 'model-index.yml').read_text())
    assert index == yaml.safe_load((REPO / 'model-index.yml').read_text())
    for metafile in index['Import']:
        assert (mim / metafile).is_file(), metafile
