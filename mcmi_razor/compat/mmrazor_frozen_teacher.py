"""An MCMI teacher inside mmrazor's ``SingleTeacherDistill``: inert, or
refused.

mmrazor 1.0.0 runs a frozen teacher as
``teacher(inputs, data_samples, mode='loss')`` under ``torch.no_grad()`` and
throws the losses away, so the teacher's head loss is computed every
iteration. A teacher built from an MCMI teacher config
(``teacher=dict(cfg_path='mcmi_razor::mcmi/mcmi_resnet56_cifar100.py')``) has
``MCMILoss`` there, and ``MCMILoss`` needs class centroids that only
``ClassCentroidHook`` provides: a distillation run would stop at its first
iteration with "MCMILoss has no class centroids".

:func:`guard_mcmi_teacher` runs at the end of
``SingleTeacherDistill.__init__`` (:func:`apply` wraps it), the one place
where the built teacher and ``teacher_trainable`` are both known:

- frozen teacher (the default): each ``MCMILoss`` in the teacher is replaced
  by ``CrossEntropyLoss`` with the same ``loss_weight``. The MCMI term is
  never computed, no centroids are needed, and the state dict (and so
  ``teacher_ckpt`` loading) is unchanged: centroids are not in it.
- ``teacher_trainable=True``: ``ValueError`` at build time. Training the
  teacher inside a distiller is not the MCMI method, and no centroid pass
  runs for it there.

Upstream: mmrazor 1.0.0 ``SingleTeacherDistill.loss`` (computes the frozen
teacher's loss; no upstream issue). Delete when mmrazor runs a frozen
teacher with ``mode='tensor'`` (or skips its loss), or when MCMI teachers
are only ever given to distillers by ``teacher_ckpt`` with a plain
cross-entropy teacher config.
"""
import functools

from mmengine.logging import print_log
from mmpretrain.models.losses import CrossEntropyLoss
from torch import nn


def guard_mcmi_teacher(algorithm: nn.Module) -> None:
    """Make ``algorithm``'s MCMI teacher inert, or refuse a trainable one.

    Args:
        algorithm (SingleTeacherDistill): A built distiller; its ``teacher``
            is searched for ``MCMILoss`` modules.

    Raises:
        ValueError: if the teacher has an ``MCMILoss`` and
            ``teacher_trainable`` is True.
    """
    from mcmi_razor.models.losses import MCMILoss  # models import compat
    found = [(f'{parent_name}.{name}'.lstrip('.'), parent, name, child)
             for parent_name, parent in algorithm.teacher.named_modules()
             for name, child in parent.named_children()
             if isinstance(child, MCMILoss)]
    if not found:
        return
    names = ', '.join(f'teacher.{path}' for path, *_ in found)
    if algorithm.teacher_trainable:
        raise ValueError(
            f'SingleTeacherDistill(teacher_trainable=True) got a teacher '
            f'with MCMILoss ({names}). A distiller does not run '
            'ClassCentroidHook for its teacher, and an MCMI teacher is '
            'fine-tuned before distillation, not during it. Train it with '
            'its own config (configs/mcmi/mcmi_*.py) and distil from its '
            'checkpoint with teacher_trainable=False (the default), or, to '
            'train the teacher with plain cross-entropy, build it from its '
            "model config (e.g. cfg_path='mcmi_razor::_base_/models/"
            "resnet56_cifar.py').")
    for _, parent, name, loss in found:
        plain: nn.Module = CrossEntropyLoss(loss_weight=loss.loss_weight)
        setattr(parent, name, plain)
    print_log(
        f'Frozen MCMI teacher: {names} replaced by CrossEntropyLoss. The '
        "distiller discards the teacher's loss, so the MCMI term (and its "
        'class centroids) is not needed.',
        logger='current')


def apply() -> None:
    """Run :func:`guard_mcmi_teacher` after every
    ``SingleTeacherDistill.__init__`` (subclasses included). Idempotent."""
    from mmrazor.models import SingleTeacherDistill
    init = SingleTeacherDistill.__init__
    if getattr(init, '_mcmi_teacher_guard', False):
        return

    @functools.wraps(init)
    def guarded_init(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        guard_mcmi_teacher(self)

    guarded_init._mcmi_teacher_guard = True
    SingleTeacherDistill.__init__ = guarded_init

