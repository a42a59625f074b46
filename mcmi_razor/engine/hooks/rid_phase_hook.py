"""Alternates RID's filter and student phases by blocks of epochs."""
from typing import List, Tuple

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import EpochBasedTrainLoop
from torch import nn

from mcmi_razor.models.losses.rid_loss import RIDLoss
from mcmi_razor.registry import HOOKS
from mcmi_razor.utils.arguments import integer_argument


@HOOKS.register_module()
class RIDPhaseHook(Hook):
    """Switch every ``RIDLoss`` of a distillation and its student by epoch.

    Training runs in rounds of ``filter_epochs + student_epochs`` epochs:
    first the filter phase (the teacher filters and their heads learn; the
    student runs without gradient and its cross-entropy is left out), then
    the student phase (the student, its filters and the variances learn).
    Round r spans epochs [r R, (r + 1) R) with R the round length. The phase
    is a function of the epoch alone, so every DDP rank switches at the same
    step and a resumed run continues in the phase it stopped in. Parameters
    of the idle side get no gradient, so SGD (weight decay and momentum
    included) leaves them unchanged.

    Needs mmrazor's ``SingleTeacherDistill`` (it sets its
    ``calculate_student_loss`` and ``student_trainable``) and an epoch-based
    training loop whose last epoch falls in a student phase.

    Args:
        filter_epochs (int): epochs of the filter phase per round.
        student_epochs (int): epochs of the student phase per round.
    """

    priority = 'NORMAL'

    def __init__(self, filter_epochs: int, student_epochs: int) -> None:
        self.filter_epochs = integer_argument(
            'RIDPhaseHook', 'filter_epochs', filter_epochs, 1,
            hint='It counts epochs per round, e.g. filter_epochs=3 '
            '(configs/distill/_base_/methods/rid.py).')
        self.student_epochs = integer_argument(
            'RIDPhaseHook', 'student_epochs', student_epochs, 1,
            hint='It counts epochs per round, e.g. student_epochs=9 '
            '(configs/distill/_base_/methods/rid.py).')

    def phase_of(self, epoch: int) -> Tuple[str, int]:
        """('filter' | 'student', round index) of a 0-based epoch."""
        round_index, offset = divmod(epoch,
                                     self.filter_epochs + self.student_epochs)
        return ('filter' if offset < self.filter_epochs else 'student',
                round_index)

    def before_train(self, runner) -> None:
        algorithm = _algorithm(runner.model)
        rid_losses(algorithm)
        if not isinstance(runner.train_loop, EpochBasedTrainLoop):
            raise TypeError(
                'RIDPhaseHook switches phases by epoch: use '
                "train_cfg=dict(type='EpochBasedTrainLoop', max_epochs=...).")
        self.check_schedule(runner.max_epochs)

    def check_schedule(self, max_epochs: int) -> None:
        """Refuse a run whose last epoch would not train the student."""
        if self.phase_of(max_epochs - 1)[0] == 'filter':
            length = self.filter_epochs + self.student_epochs
            raise ValueError(
                f'max_epochs={max_epochs} ends in a filter phase (rounds of '
                f'{self.filter_epochs} filter + {self.student_epochs} '
                'student epochs): the last epochs would not train the '
                f'student. Set max_epochs to a multiple of {length}, or to '
                f'end at least {self.filter_epochs + 1} epochs into a round.')

    def before_train_epoch(self, runner) -> None:
        algorithm = _algorithm(runner.model)
        phase, round_index = self.phase_of(runner.epoch)
        train_student = phase == 'student'
        changed = algorithm.student_trainable != train_student or any(
            loss.phase != phase for loss in rid_losses(algorithm))
        algorithm.calculate_student_loss = train_student
        algorithm.student_trainable = train_student
        for loss in rid_losses(algorithm):
            loss.set_phase(phase, round_index)
        if changed:
            runner.logger.info(f'RID round {round_index}: {phase} phase '
                               f'from epoch {runner.epoch + 1}')


def _algorithm(model: nn.Module) -> nn.Module:
    algorithm = model.module if is_model_wrapper(model) else model
    if not hasattr(algorithm, 'student_trainable'):
        raise TypeError(
            'RIDPhaseHook needs a distillation model with '
            "type='mmrazor.SingleTeacherDistill' (it switches the student's "
            f'training), got {type(algorithm).__name__}.')
    return algorithm


def rid_losses(algorithm: nn.Module) -> List[RIDLoss]:
    """Every ``RIDLoss`` in ``algorithm``; an error if there is none."""
    losses = [m for m in algorithm.modules() if isinstance(m, RIDLoss)]
    if not losses:
        raise ValueError(
            'RIDPhaseHook found no RIDLoss in the model: add '
            "dict(type='mcmi_razor.RIDLoss', ...) to "
            'model.distiller.distill_losses (configs/distill/_base_/'
            'methods/rid.py), or remove the hook.')
    return losses
