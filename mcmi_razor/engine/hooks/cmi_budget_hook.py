"""Raise CMI under a likelihood budget: cmi_weight adapted online."""
from typing import Optional

import torch
from mmengine import dist
from mmengine.hooks import Hook

from mcmi_razor.registry import HOOKS
from mcmi_razor.utils.arguments import integer_argument, real_argument

from ..regime_pass import start_regime
from .class_centroid_hook import find_mcmi_losses

CHECKPOINT_KEY = 'cmi_budget'


def dual_step(weight: float, ce: float, reference: float, ce_budget: float,
              step: float, max_weight: float) -> float:
    """One projected update of ``cmi_weight`` against the CE budget.

    The violation in units of the budget,
    ``g = (ce - (1 + ce_budget) * reference) / (ce_budget * reference)``,
    is -1 at the reference CE and 0 at the limit. Under budget (``g <= 0``)
    the weight rises by ``step * min(-g, 1)``, at most ``step``; over budget
    it is divided by ``1 + g``: a fall that grows with the weight and the
    excess, so a CE that climbs faster than ``step`` could follow (a
    collapse starting) is met within a few iterations, not after
    ``weight / step`` of them. The result is clipped to ``[0, max_weight]``.
    """
    violation = (ce - (1 + ce_budget) * reference) / (ce_budget * reference)
    if violation > 0:
        return min(weight / (1 + violation), max_weight)
    return min(max(weight + step * min(-violation, 1.0), 0.0), max_weight)


@HOOKS.register_module()
class CMIBudgetHook(Hook):
    """Maximise CMI subject to training CE <= (1 + ce_budget) x reference.

    The problem ``max CMI s.t. CE <= c`` has the Lagrangian
    ``mu (CE - c) - CMI``; divided by the multiplier ``mu`` it is the MCMI
    loss ``CE - cmi_weight * CMI`` with ``cmi_weight = 1 / mu``. Dual ascent
    raises ``mu`` while the constraint is violated, i.e. lowers
    ``cmi_weight``; :func:`dual_step` does that on ``cmi_weight`` directly
    (same sign, projected to ``[0, max_weight]``; 0 means plain CE).

    * ``c = (1 + ce_budget) x reference``. The reference starts as the
      training cross-entropy of the starting model, from one no-grad pass
      over the training loader in train mode
      (:mod:`mcmi_razor.engine.regime_pass`, shared with
      ``RegimeReportHook``): the quantity the smoothed batch CE estimates.
      When fine-tuning lowers the CE, the reference follows it down: it is
      the lowest value of a slow EMA (span ``reference_window``, started at
      the measured CE) of the batch CE, slow so that batch noise does not
      set it. A budget on a stale, higher start value let the weight climb
      into collapse while "under budget" in our fixture runs.
    * The weight follows a fast EMA (span ``window``) of the batch CE that
      ``MCMILoss`` reports, averaged over DDP ranks first, so every rank
      computes the same weight. For the first ``window`` iterations it
      stays at ``init_weight`` while that EMA settles.

    The weight in use is logged every iteration as ``train/cmi_weight``
    (with ``train/ce_ratio``, fast EMA / reference), replaces the loss's
    configured ``cmi_weight``, is saved in checkpoints under
    ``'cmi_budget'`` and restored exactly on resume. ``CollapseGuardHook``
    stays useful beside it: the budget reacts to the CE, which lags a
    sudden collapse by about ``window`` iterations.

    Args:
        ce_budget (float): allowed relative rise of the CE, > 0. Defaults
            to 0.05 (+5%).
        max_weight (float): upper bound of the weight. Defaults to 1.0
            (fixed 0.6 and 1.0 collapsed our teachers, the paper swept
            0.1-0.8: the budget, not this bound, should stop the rise;
            docs/choosing_cmi_weight.md).
        step (float): largest rise per iteration. Defaults to 0.001: at
            most 0.02 within one ``window``, small against the width of the
            usable range (in our runs 0.3 safe, 0.45 degraded), so the
            CE signal keeps up with the weight; 0.15 is reached after 150
            iterations.
        window (int): fast EMA span in iterations, and the warm-up.
            Defaults to 20.
        reference_window (int): slow EMA span for the reference, >=
            ``window``. Defaults to 200.
        init_weight (float): weight during the warm-up. Defaults to 0.
    """

    priority = 'NORMAL'

    def __init__(self, ce_budget: float = 0.05, max_weight: float = 1.0,
                 step: float = 0.001, window: int = 20,
                 reference_window: int = 200,
                 init_weight: float = 0.0) -> None:
        owner = 'CMIBudgetHook'
        self.ce_budget = real_argument(
            owner, 'ce_budget', ce_budget, 0.0, low_inclusive=False,
            hint='ce_budget > 0 is the relative CE rise allowed; 0.05 allows '
            '+5%. For plain cross-entropy remove the hook and use '
            'CrossEntropyLoss.')
        self.max_weight = real_argument(
            owner, 'max_weight', max_weight, 0.0, low_inclusive=False,
            hint='max_weight > 0 bounds cmi_weight; the default is 1.0.')
        self.step = real_argument(
            owner, 'step', step, 0.0, low_inclusive=False,
            hint='step > 0 is the largest rise per iteration; the default '
            'is 0.001.')
        self.window = integer_argument(
            owner, 'window', window, 1,
            hint='It is a number of iterations; the default is 20.')
        self.reference_window = integer_argument(
            owner, 'reference_window', reference_window, self.window,
            hint=f'It is a number of iterations >= window ({self.window}); '
            'the default is 200.')
        self.init_weight = real_argument(
            owner, 'init_weight', init_weight, 0.0, self.max_weight,
            high_inclusive=True,
            hint=f'It must lie in [0, max_weight={self.max_weight:g}].')
        self._restored: Optional[dict] = None

    def before_run(self, runner) -> None:
        """Find the one ``MCMILoss`` whose weight this hook sets."""
        losses = find_mcmi_losses(runner.model)
        if len(losses) != 1:
            found = [name for name, _, _ in losses]
            raise ValueError(
                f'CMIBudgetHook adapts the weight of exactly one MCMILoss; '
                f'the model has {len(found)} {found}. Set '
                "model.head.loss=dict(type='MCMILoss', ...) or remove the "
                'hook.')
        self.loss = losses[0][2]

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Keep the saved state; it is used if this is a resume."""
        self._restored = checkpoint.get(CHECKPOINT_KEY)

    def before_train(self, runner) -> None:
        """Restore the state on resume, else measure the reference CE."""
        if runner.iter > 0:
            if self._restored is None:
                raise KeyError(
                    'Resuming with CMIBudgetHook from a checkpoint that has '
                    'no budget state (it was trained without the hook). '
                    'Resume with the config it was trained with, or start '
                    'a new run from it with load_from=<checkpoint>.')
            self.load_state(self._restored)
            runner.logger.info(f'CMI budget restored: cmi_weight '
                               f'{self.weight}, reference CE '
                               f'{self.reference:.4f} nats.')
        else:
            regime = start_regime(runner, self.loss.num_classes)
            self.load_state(dict(weight=self.init_weight, ce_ema=None,
                                 ce_slow=regime.cross_entropy,
                                 reference=regime.cross_entropy, steps=0))
            runner.logger.info(
                f'CMI budget: reference training CE {self.reference:.4f} '
                f'nats; cmi_weight adapted in [0, {self.max_weight}] to keep '
                f'the smoothed CE <= {1 + self.ce_budget:g} x reference.')
        if not self.reference > 0:
            raise ValueError(
                f'The reference training CE is {self.reference!r}: the '
                'teacher already fits its training data exactly, so no '
                'relative budget exists. Use a fixed cmi_weight instead.')

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        """Log the weight used, smooth the CE, update the weight."""
        terms = self.loss.last_terms
        if 'loss_ce' not in terms:
            raise RuntimeError('MCMILoss reported no cross-entropy this '
                               'iteration: CMIBudgetHook needs the loss to '
                               'run in every training step.')
        ce = torch.tensor(float(terms['loss_ce']), dtype=torch.float64)
        dist.all_reduce(ce, op='mean')
        runner.message_hub.update_scalar('train/cmi_weight', self.weight)
        ce = float(ce)
        self.ce_ema = ce if self.ce_ema is None else \
            self.ce_ema + (ce - self.ce_ema) / self.window
        self.ce_slow += (ce - self.ce_slow) / self.reference_window
        self.steps += 1
        if self.steps >= self.window:
            self.reference = min(self.reference, self.ce_slow)
            self.weight = dual_step(self.weight, self.ce_ema, self.reference,
                                    self.ce_budget, self.step,
                                    self.max_weight)
        self.loss.cmi_weight = self.weight
        runner.message_hub.update_scalar('train/ce_ratio',
                                         self.ce_ema / self.reference)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Save the weight, smoothed CE, reference and step count."""
        checkpoint[CHECKPOINT_KEY] = self.state()

    def state(self) -> dict:
        """Everything the next update depends on (Python floats)."""
        return dict(weight=self.weight, ce_ema=self.ce_ema,
                    ce_slow=self.ce_slow, reference=self.reference,
                    steps=self.steps)

    def load_state(self, state: dict) -> None:
        """Set the state and put the weight into the loss."""
        self.weight = state['weight']
        self.ce_ema = state['ce_ema']
        self.ce_slow = state['ce_slow']
        self.reference = state['reference']
        self.steps = state['steps']
        self.loss.cmi_weight = self.weight
