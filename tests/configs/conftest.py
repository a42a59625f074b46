"""Helpers for the config tests: every leaf config, parsed once.

- ``REPO``: the repository root; ``LEAF_CONFIGS``: every ``configs/**/*.py``
  outside ``_base_`` folders, relative to ``REPO``.
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


@functools.lru_cache(maxsize=None)
def _parsed(path: str):
    from mmengine.config import Config

    import mcmi_razor  # noqa: F401  (resolves mcmi_razor:: references)
    return Config.fromfile(str(REPO / path))


def load_config(path: str):
    return copy.deepcopy(_parsed(path))
