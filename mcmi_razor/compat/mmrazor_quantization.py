"""Let ``mmrazor.models`` import on torch >= 2.0.

mmrazor 1.0.0 imports its quantization package whenever ``mmrazor.models`` is
imported. That package (a) imports three helpers that torch removed from
``torch.ao.quantization.fuser_method_mappings`` (``reverse2``, ``reverse3``,
``reverse_sequential_wrapper2``) and (b) builds backend-config tables at
import time through private torch APIs that changed. Distillation uses none
of it. Upstream: open-mmlab/mmrazor#632 and #652.

Delete this module when mmrazor publishes a release that imports on
torch >= 2.0 (``python -c "import mmrazor.models"`` succeeds without it).
"""
import sys
import types
from typing import Callable

_MAPPING_MODULE = 'mmrazor.structures.quantization.backend_config.mapping'


def _reverse2(fuser: Callable) -> Callable:
    """Fuser of ``(is_qat, m1, m2)`` calling ``fuser(is_qat, m2, m1)``."""

    def reversed_fuser(is_qat, first, second):
        return fuser(is_qat, second, first)

    return reversed_fuser


def _reverse3(fuser: Callable) -> Callable:
    """Fuser taking ``(is_qat, m1, (m2, m3))`` that calls
    ``fuser(is_qat, m3, m2, m1)``."""

    def reversed_fuser(is_qat, first, rest):
        second, third = rest
        return fuser(is_qat, third, second, first)

    return reversed_fuser


def _reverse_sequential_wrapper2(sequential: Callable) -> Callable:
    """Fuser of ``(is_qat, m1, m2)`` returning ``sequential(m1, m2)``."""

    def fuser(is_qat, first, second):
        return sequential(first, second)

    return fuser


def apply() -> None:
    """Restore the removed torch helpers and stub mmrazor's backend tables."""
    from torch.ao.quantization import fuser_method_mappings as mappings
    for name, helper in (('reverse2', _reverse2), ('reverse3', _reverse3),
                         ('reverse_sequential_wrapper2',
                          _reverse_sequential_wrapper2)):
        if not hasattr(mappings, name):
            setattr(mappings, name, helper)
    if _MAPPING_MODULE not in sys.modules:
        stand_in = types.ModuleType(_MAPPING_MODULE)
        stand_in.__doc__ = ('Stand-in installed by mcmi_razor.compat: '
                            'mmrazor quantization backends are unavailable.')
        stand_in.BackendConfigs = {}
        sys.modules[_MAPPING_MODULE] = stand_in
