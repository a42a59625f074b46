"""Helpers for the config tests: every leaf config, parsed once.

- ``REPO``: the repository root; ``LEAF_CONFIGS``: every ``configs/**/*.py``
  outside ``_base_`` folders, relative to ``REPO``; ``ALIASES``: the
  quick-start names at the top of ``configs/`` and the config each stands
  for.
- ``load_config(path)``: ``Config.fromfile`` of ``REPO / path``, cached for
  the session; returns a deep copy, so tests may change it.
"""
import copy
import functools
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LEAF_CONFIGS = sorted(
    str(path.relative_to(REPO))
    for path in (REPO / 'configs').rglob('*.py')
    if '_base_' not in path.relative_to(REPO).parts)
ALIASES = {
    'configs/mcmi_teacher_r56.py': 'configs/mcmi/mcmi_resnet56_cifar100.py',
    'configs/mll_teacher_r56.py': 'configs/mll/mll_resnet56_cifar100.py',
}


@functools.lru_cache(maxsize=None)
def _parsed(path: str):
    from mmengine.config import Config

    import mcmi_razor  # noqa: F401  (resolves mcmi_razor:: references)
    return Config.fromfile(str(REPO / path))


def load_config(path: str):
    return copy.deepcopy(_parsed(path))
