"""Repairs that make the pinned OpenMMLab stack run on torch 2.14.

Each module repairs one breakage, names the upstream issue and says when it
can be deleted. ``mcmi_razor`` imports this package first, so the repairs are
in place before anything imports mmrazor. Every ``apply`` is idempotent.
"""
from . import (
    checkpoint_io,
    checkpoint_retention,
    cpu_distributed,
    last_checkpoint,
    mmrazor_frozen_teacher,
    mmrazor_quantization,
    mmrazor_strict_teacher,
    package_configs,
    worker_parent_death,
)

REPAIRS = (mmrazor_quantization, checkpoint_io, cpu_distributed,
           package_configs)
REPAIRS += (last_checkpoint, checkpoint_retention, worker_parent_death)
REPAIRS += (mmrazor_frozen_teacher, mmrazor_strict_teacher)

for _repair in REPAIRS:
    _repair.apply()

__all__ = ['REPAIRS']
