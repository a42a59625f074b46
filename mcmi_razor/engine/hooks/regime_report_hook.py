"""Reports the teacher's regime before MCMI training starts."""
from mmengine.hooks import Hook

from mcmi_razor.evaluation.analysis.regime import (
    CONFIDENT_MAX_PROB,
    regime_warning,
)
from mcmi_razor.registry import HOOKS
from mcmi_razor.utils.arguments import real_argument

from ..regime_pass import start_regime
from .class_centroid_hook import find_mcmi_losses


@HOOKS.register_module()
class RegimeReportHook(Hook):
    """Log the starting teacher's regime and warn if it is near one-hot.

    Before the first iteration (not on resume) it logs the teacher's
    training accuracy, cross-entropy, CMI, mean max-probability and smallest
    centroid entries (one no-grad pass, see
    :mod:`mcmi_razor.engine.regime_pass`), and a warning when the mean
    max-probability is above ``threshold``: the regime where our measured
    MCMI fine-tunes did not make students better.

    Args:
        threshold (float): mean max-probability above which to warn, in
            (0, 1). Defaults to ``CONFIDENT_MAX_PROB`` (0.85; why: see
            :mod:`mcmi_razor.evaluation.analysis.regime`).
    """

    def __init__(self, threshold: float = CONFIDENT_MAX_PROB) -> None:
        self.threshold = real_argument(
            'RegimeReportHook', 'threshold', threshold, 0.0, 1.0,
            low_inclusive=False,
            hint=f'It is a probability; the default is {CONFIDENT_MAX_PROB}.')

    def before_train(self, runner) -> None:
        if runner.iter > 0:
            return
        losses = find_mcmi_losses(runner.model)
        if not losses:
            raise ValueError(
                'RegimeReportHook found no MCMILoss in the model: set '
                "model.head.loss=dict(type='MCMILoss', ...) or remove the "
                'hook.')
        regime = start_regime(runner, losses[0][2].num_classes)
        runner.logger.info(regime.summary())
        warning = regime_warning(regime, self.threshold)
        if warning:
            runner.logger.warning(warning)
