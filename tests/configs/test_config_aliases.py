"""The quick-start names ``configs/mcmi_teacher_r56.py`` and
``configs/mll_teacher_r56.py`` are aliases: each builds exactly the config
of its target in ``configs/mcmi/`` / ``configs/mll/``, except what
derives from the file name (the default work dir) and the MCMI alias's
``load_from``: it fine-tunes the checkpoint the MLL alias writes, so the
two quick-start commands chain."""
from pathlib import Path

import pytest
from mmengine.config import Config

from mcmi_razor.apis.tool_config import resolve_work_dir

from .conftest import ALIASES, LEAF_CONFIGS, REPO, load_config


def test_the_aliases_are_the_only_configs_at_the_top():
    top = {path for path in LEAF_CONFIGS if Path(path).parent.name ==
           'configs'}
    assert top == set(ALIASES)


@pytest.mark.parametrize('alias', sorted(ALIASES))
def test_alias_builds_the_same_config_as_its_target(alias):
    config, target = load_config(alias), load_config(ALIASES[alias])
    assert config.filename != target.filename
    config, target = config.to_dict(), target.to_dict()
    if target.get('load_from'):
        assert config.pop('load_from') == chained_load_from(alias)
        target.pop('load_from')
    assert config == target


def chained_load_from(alias: str) -> str:
    """Where the MLL alias writes the last epoch of its target."""
    mll_alias = next(a for a in ALIASES if Path(a).stem.startswith('mll'))
    epochs = load_config(mll_alias).train_cfg.max_epochs
    return f'work_dirs/{Path(mll_alias).stem}/epoch_{epochs}.pth'


@pytest.mark.parametrize('alias', sorted(ALIASES))
def test_alias_only_inherits_its_target(alias):
    text = (REPO / alias).read_text()
    code = [line for line in text.splitlines()
            if line.strip() and not line.startswith('#')]
    target = Path(ALIASES[alias]).relative_to('configs')
    assert code[0] == f"_base_ = ['./{target}']"
    assert code[1:] in ([], [f"load_from = '{chained_load_from(alias)}'"])


@pytest.mark.parametrize('alias', sorted(ALIASES))
def test_alias_work_dir_follows_its_own_name(alias):
    for path in (alias, ALIASES[alias]):
        cfg = Config(load_config(path).to_dict())
        resolve_work_dir(cfg, path, None)
        assert cfg.work_dir == f'./work_dirs/{Path(path).stem}'


@pytest.mark.parametrize('alias', sorted(ALIASES))
def test_a_config_inheriting_the_alias_is_the_same(alias, tmp_path):
    """Through the package, as a user's config outside the repository."""
    import mcmi_razor  # noqa: F401  (resolves mcmi_razor:: references)

    built = []
    for name in (alias, ALIASES[alias]):
        user = tmp_path / f'user_{len(built)}.py'
        user.write_text(
            f"_base_ = ['mcmi_razor::{Path(name).relative_to('configs')}']\n"
            'train_cfg = dict(max_epochs=3)\n')
        built.append(Config.fromfile(str(user)).to_dict())
    if built[1].get('load_from'):
        assert built[0].pop('load_from') == chained_load_from(alias)
        built[1].pop('load_from')
    assert built[0] == built[1]
    assert built[0]['train_cfg']['max_epochs'] == 3
