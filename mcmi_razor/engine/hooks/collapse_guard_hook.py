"""Stops MCMI training when the teacher collapses to chance."""
import math

import torch
from mmengine import dist
from mmengine.hooks import Hook

from mcmi_razor.registry import HOOKS
from .class_centroid_hook import find_mcmi_losses


class TeacherCollapseError(RuntimeError):
    """The MCMI objective drove the teacher to (near) chance accuracy."""


@HOOKS.register_module()
class CollapseGuardHook(Hook):
    """Detect the collapse that an unbounded CMI term causes, and stop.

    With too large a ``cmi_weight`` the teacher learns to put its mass on
    the class least likely under its centroid: cross-entropy rises and the
    training accuracy falls to chance. This hook follows exponential moving
    averages of the batch accuracy and cross-entropy reported by
    ``MCMILoss``, remembers the best accuracy, and raises
    :class:`TeacherCollapseError` as soon as the accuracy has fallen below
    ``drop_ratio`` times its best while the cross-entropy rose by more than
    ``ce_rise`` nats. Under DDP the batch values are averaged over ranks
    first, so all ranks stop together. It runs before the checkpoint hook,
    so the collapsed model is never saved (neither as latest nor as best).

    Args:
        window (int): EMA span in iterations; also the warm-up before any
            decision. Defaults to 20.
        drop_ratio (float): accuracy fraction of its best that counts as
            collapsed. Defaults to 0.75 (on Fashion-MNIST, cmi_weight 0.45
            took training accuracy from 0.9 to 0.52 and the teacher to 59%
            test top-1; 0.5 let that run finish).
        ce_rise (float): rise of the cross-entropy above its value at the
            best accuracy that must accompany the drop. Defaults to 0.5.
    """

    priority = 'ABOVE_NORMAL'

    def __init__(self, window: int = 20, drop_ratio: float = 0.75,
                 ce_rise: float = 0.5) -> None:
        if window < 1 or not 0 < drop_ratio < 1 or ce_rise < 0:
            raise ValueError('CollapseGuardHook needs window >= 1, '
                             '0 < drop_ratio < 1 and ce_rise >= 0.')
        self.window = window
        self.drop_ratio = drop_ratio
        self.ce_rise = ce_rise

    def before_train(self, runner) -> None:
        self.losses = [loss for _, _, loss in find_mcmi_losses(runner.model)]
        self._steps = 0
        self._acc = self._ce = None
        self._best_acc, self._ce_at_best = -math.inf, math.inf

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        terms = [loss.last_terms for loss in self.losses if loss.last_terms]
        if not terms:
            return
        # Mean over ranks, so that every rank takes the same decision.
        values = torch.tensor([float(terms[0]['train_acc']),
                               float(terms[0]['loss_ce'])],
                              dtype=torch.float64)
        dist.all_reduce(values, op='mean')
        acc, ce = values.tolist()
        decay = 1 - 1 / self.window
        self._steps += 1
        if self._acc is None:
            self._acc, self._ce = acc, ce
        else:
            self._acc = decay * self._acc + (1 - decay) * acc
            self._ce = decay * self._ce + (1 - decay) * ce
        if self._steps < self.window:
            return
        if self._acc > self._best_acc:
            self._best_acc, self._ce_at_best = self._acc, self._ce
        if (self._acc < self.drop_ratio * self._best_acc
                and self._ce > self._ce_at_best + self.ce_rise):
            raise TeacherCollapseError(self._message(runner))

    def _message(self, runner) -> str:
        loss = self.losses[0]
        chance = 1 / loss.num_classes
        return (
            f'MCMI teacher collapsed at epoch {runner.epoch + 1}, iteration '
            f'{runner.iter + 1}: training accuracy fell from '
            f'{self._best_acc:.3f} to {self._acc:.3f} (chance {chance:.3f}) '
            f'while cross-entropy rose from {self._ce_at_best:.3f} to '
            f'{self._ce:.3f} nats. The CMI term (cmi_weight='
            f'{loss.cmi_weight}) is unbounded and now dominates: the teacher '
            'moves its mass to the classes least likely under their '
            f'centroids. Lower cmi_weight (e.g. to {loss.cmi_weight / 2:g}); '
            'see docs/choosing_cmi_weight.md (a centroid_floor in MCMILoss '
            'caps the term but did not prevent collapse in our runs). '
            'Training stopped before saving this state; the last checkpoint '
            'in the work dir predates it.')
