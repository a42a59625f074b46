"""Stop evaluation when a model predicts NaN or infinite scores.

A diverged network (weights or BatchNorm statistics that overflow in the
forward pass) predicts NaN scores; ``Accuracy`` then counts no sample right
and the run reports a plausible-looking 0% with exit code 0. Our tools add
this hook to every runner they build, so such a checkpoint is refused.
"""
from typing import Optional, Sequence

import torch
from mmengine.hooks import Hook

from mcmi_razor.registry import HOOKS


class NonFiniteOutputsError(FloatingPointError):
    """The evaluated model predicted NaN or infinite scores."""


@HOOKS.register_module()
class FiniteOutputsHook(Hook):
    """Raise :class:`NonFiniteOutputsError` at the first validation or test
    batch whose ``pred_score`` holds NaN or inf (one device sync a batch)."""

    priority = 'VERY_HIGH'

    def after_val_iter(self, runner, batch_idx: int, data_batch=None,
                       outputs: Optional[Sequence] = None) -> None:
        self._check(runner, outputs, 'validation')

    def after_test_iter(self, runner, batch_idx: int, data_batch=None,
                        outputs: Optional[Sequence] = None) -> None:
        self._check(runner, outputs, 'test')

    @staticmethod
    def _check(runner, outputs: Optional[Sequence], phase: str) -> None:
        scores = [s.pred_score for s in outputs or ()
                  if 'pred_score' in getattr(s, 'keys', lambda: ())()]
        if not scores:
            return
        bad = int((~torch.isfinite(torch.stack(scores))).any(1).sum())
        if bad:
            raise NonFiniteOutputsError(
                f'The model predicted NaN/inf scores for {bad} of '
                f'{len(scores)} images in a {phase} batch: the network has '
                f'diverged (checkpoint: {runner.cfg.get("load_from")}). '
                'Its accuracy would be meaningless; evaluate an earlier '
                'checkpoint, or retrain with a lower learning rate or loss '
                'weight.')
