"""mcmi-razor: MCMI teachers for OpenMMLab knowledge distillation.

Importing the package (or ``custom_imports=dict(imports=['mcmi_razor'])`` in
a config) first repairs the pinned stack (:mod:`mcmi_razor.compat`), then
registers the loss, hooks, metric, datasets and model zoo in the
``mcmi_razor`` registry scope.
"""
from .utils.third_party_warnings import filter_third_party_warnings

filter_third_party_warnings()

from .utils.mmcv_check import require_mmcv  # noqa: E402

require_mmcv()

from . import compat  # noqa: E402  (must precede any mmrazor import)
from .datasets import *  # noqa: E402,F401,F403
from .engine import *  # noqa: E402,F401,F403
from .evaluation import *  # noqa: E402,F401,F403
from .models import *  # noqa: E402,F401,F403
from .version import __version__  # noqa: E402

__all__ = ['compat', '__version__']
