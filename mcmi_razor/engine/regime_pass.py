"""The teacher's regime at the start of training, measured once per run.

The pass runs the model in *train* mode (BatchNorm on batch statistics,
the augmented training loader), as the training loop sees the data, so
that its cross-entropy is the expectation of the batch cross-entropy that
``CMIBudgetHook`` smooths, at the starting weights. Batch augmentations of
the data preprocessor (mixup, cutmix) are not applied: the regime is that
of the labelled images. It has no side effect: no gradient, and buffers
(BatchNorm running statistics), train flags and RNG states are restored
afterwards.
"""
from contextlib import contextmanager
from typing import Iterator

from mmengine.model import is_model_wrapper
from torch import nn
from torch.utils.data import DataLoader

from mcmi_razor.evaluation.analysis.regime import Regime, RegimeAccumulator

from .class_statistics_pass import device_of, own_logits, preserved_state

#: message hub key under which :func:`start_regime` keeps its result.
INFO_KEY = 'mcmi/start_regime'


@contextmanager
def train_mode_without_side_effects(model: nn.Module) -> Iterator[None]:
    """Train mode and no grad inside; buffers, flags and RNGs restored."""
    buffers = [(b, b.detach().clone()) for b in model.buffers()]
    with preserved_state(model):
        model.train()
        try:
            yield
        finally:
            for buffer, saved in buffers:
                buffer.copy_(saved)


def measure_regime(model: nn.Module, dataloader: DataLoader,
                   num_classes: int) -> Regime:
    """The :class:`Regime` of ``model`` on the training ``dataloader``.

    Each rank runs its shard and the sums are all-reduced; samples a
    distributed sampler repeats to pad the last round are left out, so the
    result equals a single-process pass.
    """
    module = model.module if is_model_wrapper(model) else model
    accumulator = RegimeAccumulator(num_classes, device_of(module))
    with train_mode_without_side_effects(module):
        for logits, labels in own_logits(module, dataloader):
            accumulator.update(logits, labels)
    accumulator.all_reduce()
    return accumulator.result('train')


def start_regime(runner, num_classes: int) -> Regime:
    """The regime of the starting model on the training loader.

    Measured once per run and kept in the message hub, so the hooks that
    need it (``RegimeReportHook``, ``CMIBudgetHook``) share one pass.
    """
    regime = runner.message_hub.get_info(INFO_KEY)
    if regime is None:
        runner.logger.info('Teacher regime: one no-grad pass over the '
                           f'{len(runner.train_dataloader.dataset)} training '
                           'samples (train mode, no side effects).')
        regime = measure_regime(runner.model, runner.train_dataloader,
                                num_classes)
        runner.message_hub.update_info(INFO_KEY, regime, resumed=False)
    return regime
