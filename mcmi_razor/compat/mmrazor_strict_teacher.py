"""mmrazor's ``teacher_ckpt`` must fit the teacher exactly.

mmrazor 1.0.0's ``SingleTeacherDistill`` (and ``DataFreeDistillation``)
load the teacher with MMEngine's ``load_checkpoint(teacher, teacher_ckpt)``,
whose default is ``strict=False``: a RepDistiller-format file or another
architecture's checkpoint leaves the teacher (partly) random, and the student
is distilled from it with exit code 0; the only sign is a "missing keys" log
line. Here the name ``load_checkpoint`` in those two mmrazor modules is
bound to :func:`load_teacher_checkpoint`, which loads through
:func:`mcmi_razor.fileio.load_checkpoint` and refuses any mismatch with
:class:`mcmi_razor.models.checkpoint_fit.CheckpointMismatchError` (what
differs, and the converter command for a RepDistiller file).

Upstream: ``mmrazor/models/algorithms/distill/configurable/
single_teacher_distill.py`` (``load_checkpoint(self.teacher, teacher_ckpt)``;
no upstream issue found). Delete when mmrazor loads ``teacher_ckpt`` with
``strict=True``.
"""
from typing import Any

from mmengine.logging import print_log
from torch import nn

from mcmi_razor.fileio import load_checkpoint

#: The mmrazor modules that load teachers through ``load_checkpoint``.
MODULES = ('mmrazor.models.algorithms.distill.configurable.'
           'single_teacher_distill',
           'mmrazor.models.algorithms.distill.configurable.'
           'datafree_distillation')


def load_teacher_checkpoint(model: nn.Module, filename: str,
                            map_location: Any = 'cpu', *args,
                            **kwargs) -> Any:
    """MMEngine's ``load_checkpoint(model, filename, ...)`` for teachers,
    always strict. Extra arguments (``strict``, ``logger``,
    ``revise_keys``) are accepted and ignored: the load is exact.

    Returns:
        The loaded checkpoint, as MMEngine's function returns it.
    """
    from mcmi_razor.models.checkpoint_fit import check_fit  # models: later
    checkpoint = load_checkpoint(filename, map_location=map_location)
    state = check_fit(model, checkpoint, filename, role='teacher_ckpt')
    model.load_state_dict(state, strict=True)
    print_log(f'Teacher loaded from {filename}: every key fits.',
              logger='current')
    return checkpoint


def apply() -> None:
    """Bind ``load_checkpoint`` in :data:`MODULES`. Idempotent."""
    import importlib
    for name in MODULES:
        importlib.import_module(name).load_checkpoint = \
            load_teacher_checkpoint
