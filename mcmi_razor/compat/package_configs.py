"""Make ``mcmi_razor::path/to/config.py`` resolve like ``mmpretrain::...``.

MMEngine only resolves ``pkg::cfg`` for packages listed in its
``MODULE2PACKAGE`` table, its pattern demands a folder in the path
(``pkg::dir/cfg.py``), and it locates the package through its distribution's
install location, which is wrong for an editable install. We add ourselves
to the table, accept configs at the top of our config tree too (the
quick-start aliases, ``mcmi_razor::mcmi_teacher_r56.py``), and report the
imported package's own directory (its ``.mim/configs`` links to the
repository's ``configs/``; ``.mim/model-index.yml`` to ``model-index.yml``,
whose metafiles MMEngine reads before it falls back to the path).
Answers open-mmlab/mmrazor#460 for our configs. Delete when MMEngine
discovers external packages by entry point instead of a fixed table.
"""
import os.path as osp
from typing import Tuple

from mmengine.config import config as mmengine_config
from mmengine.config import utils as config_utils
from mmengine.hub import hub as mmengine_hub

_MODULE = 'mcmi_razor'
_original = config_utils._get_package_and_cfg_path
_original_installed_path = mmengine_config.get_installed_path


def get_package_and_cfg_path(cfg_path: str) -> Tuple[str, str]:
    """MMEngine's parser, also accepting ``mcmi_razor::file.py``."""
    package, sep, relative = cfg_path.partition('::')
    if package == _MODULE and sep and '/' not in relative:
        return config_utils.MODULE2PACKAGE[_MODULE], relative
    return _original(cfg_path)


def get_installed_path(package: str) -> str:
    """MMEngine's lookup, but our package is wherever it was imported from."""
    if package.replace('-', '_') == _MODULE:
        return osp.dirname(osp.dirname(osp.abspath(__file__)))
    return _original_installed_path(package)


def apply() -> None:
    """Register the package and install the helpers where MMEngine calls
    them."""
    config_utils.MODULE2PACKAGE.setdefault(_MODULE, _MODULE)
    for module in (config_utils, mmengine_config, mmengine_hub):
        module._get_package_and_cfg_path = get_package_and_cfg_path
    for module in (mmengine_config, mmengine_hub):
        module.get_installed_path = get_installed_path
