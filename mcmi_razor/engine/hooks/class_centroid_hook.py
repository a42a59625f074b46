"""Keeps the class centroids of every ``MCMILoss`` in the model current."""
import warnings
from typing import List, Optional, Tuple, Union

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import EpochBasedTrainLoop
from torch import nn

from mcmi_razor.models.losses import MCMILoss
from mcmi_razor.registry import HOOKS
from mcmi_razor.utils.arguments import (
    bool_argument,
    choice_argument,
    integer_argument,
    real_argument,
)

from ..class_statistics_pass import collect_class_statistics

CHECKPOINT_KEY = 'mcmi_centroids'


@HOOKS.register_module()
class ClassCentroidHook(Hook):
    """Centroid schedule, checkpointing and logging for ``MCMILoss``.

    Schedules:

    * ``'exact'``, ``interval=0`` (default): one exact pass over the training
      loader before training, then frozen. This is what the paper's code
      does (it passes in train mode, updating BatchNorm; ours has no side
      effect).
    * ``'exact'``, ``interval=N``: an exact pass again before every N-th
      epoch.
    * ``'ema'``: online from the training forward passes, no extra pass;
      ``Q_y <- (1 - momentum) Q_y + momentum * batch_mean_y``.

    Q is the class mean of softmax(z / tau), tau the ``temperature`` of the
    losses served (the loss is the one place it is set; losses of different
    temperatures in one model are refused). Under DDP every rank holds the
    same Q: exact passes all-reduce their sums once; the EMA exchanges only
    the rows of the classes in the global batch. Q is saved in checkpoints
    under ``'mcmi_centroids'`` (not in the state dict), with its tau, and
    restored exactly on resume; resuming with a loss at another tau is
    refused (a checkpoint without tau counts as 1). Resuming from a checkpoint
    without centroids is refused unless ``recompute_missing_centroids=True``
    (then it warns and recomputes: an exact pass now, or an EMA restarted
    from scratch; a different Q than the interrupted run had). After each
    iteration the loss's cross-entropy, CMI term (at the loss's tau) and
    batch accuracy go to the training log as ``loss_ce``, ``cmi_term`` and
    ``train_acc``.

    The hook uses of each ``MCMILoss`` only ``num_classes``, ``temperature``,
    ``last_terms`` and ``centroids``, a
    :class:`~mcmi_razor.models.utils.ClassCentroids` (``attach``,
    ``set_exact``, ``state``, ``load_state``).

    Args:
        schedule (str): ``'exact'`` or ``'ema'``.
        interval (int): epochs between exact passes; 0 = only before
            training. Needs an epoch-based loop when > 0.
        momentum (float): EMA weight of the new batch mean, in (0, 1].
        dataloader (dict, optional): loader config for exact passes;
            defaults to the runner's training loader (the paper's choice:
            the augmented training set).
        recompute_missing_centroids (bool): on resume from a checkpoint
            without saved centroids, recompute them (with a warning)
            instead of refusing. Defaults to False.
    """

    priority = 'NORMAL'

    def __init__(self, schedule: str = 'exact', interval: int = 0,
                 momentum: float = 0.1,
                 dataloader: Optional[Union[dict, object]] = None,
                 recompute_missing_centroids: bool = False) -> None:
        owner = 'ClassCentroidHook'
        self.schedule = choice_argument(
            owner, 'schedule', schedule, ('exact', 'ema'),
            hint="'exact' is the paper's frozen pass, 'ema' updates online.")
        self.interval = integer_argument(
            owner, 'interval', interval, 0,
            hint='It counts epochs between exact passes; 0 = only before '
            'training.')
        if schedule == 'ema' and interval:
            raise ValueError(f"{owner} interval applies to "
                             "schedule='exact'; the 'ema' schedule updates "
                             "every iteration: drop interval, or set "
                             "schedule='exact'.")
        self.momentum = real_argument(
            owner, 'momentum', momentum, 0.0, 1.0, low_inclusive=False,
            high_inclusive=True, hint='The default is 0.1.')
        if dataloader is not None and not isinstance(dataloader, dict) \
                and not hasattr(dataloader, 'dataset'):
            raise TypeError(
                f'ClassCentroidHook dataloader must be a loader config '
                f'(dict) or a DataLoader, got {type(dataloader).__name__}; '
                'leave it unset to use the training loader.')
        self.dataloader = dataloader
        self.recompute_missing_centroids = bool_argument(
            owner, 'recompute_missing_centroids',
            recompute_missing_centroids)
        self._restored = None

    def before_run(self, runner) -> None:
        """Find the losses, check them against their heads and the loop."""
        self.losses = find_mcmi_losses(runner.model)
        if not self.losses:
            raise ValueError(
                'ClassCentroidHook found no MCMILoss in the model: set '
                "model.head.loss=dict(type='MCMILoss', ...) or remove the "
                'hook.')
        self.temperature = _common_temperature(self.losses)
        for _, head, loss in self.losses:
            head_classes = getattr(head, 'num_classes', loss.num_classes)
            if head_classes != loss.num_classes:
                raise ValueError(
                    f'MCMILoss has num_classes={loss.num_classes} but its '
                    f'head has {head_classes}: set them equal.')
            loss.centroids.attach(
                self.momentum if self.schedule == 'ema' else None)
        if self.interval and not isinstance(runner.train_loop,
                                            EpochBasedTrainLoop):
            raise ValueError(
                f'ClassCentroidHook(interval={self.interval}) counts epochs '
                'but the train loop is iteration based: use interval=0 or '
                "schedule='ema'.")

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Keep saved centroids; they are used if this is a resume."""
        self._restored = checkpoint.get(CHECKPOINT_KEY)

    def before_train(self, runner) -> None:
        """Restore centroids on resume, else run the first exact pass."""
        if runner.iter > 0 and self._restored is None:
            self._resume_without_centroids(runner)
        if runner.iter > 0 and self._restored is not None:
            for name, _, loss in self.losses:
                if name not in self._restored:
                    raise KeyError(
                        f'The checkpoint has no centroids for {name!r} '
                        f'(it has {sorted(self._restored)}): it was not '
                        'written by this model configuration.')
                loss.centroids.load_state(self._restored[name])
            runner.logger.info('Class centroids restored from checkpoint.')
        elif self.schedule == 'exact':
            self._exact_pass(runner)

    def before_train_epoch(self, runner) -> None:
        """Exact pass before every ``interval``-th epoch (not the first)."""
        if (self.schedule == 'exact' and self.interval and runner.epoch > 0
                and runner.epoch % self.interval == 0):
            self._exact_pass(runner)

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        """Log each loss's cross-entropy, CMI term and batch accuracy."""
        for index, (_, _, loss) in enumerate(self.losses):
            suffix = f'_{index}' if len(self.losses) > 1 else ''
            for key, value in loss.last_terms.items():
                runner.message_hub.update_scalar(f'train/{key}{suffix}',
                                                 float(value))

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Save every loss's centroids beside the state dict."""
        checkpoint[CHECKPOINT_KEY] = {
            name: loss.centroids.state() for name, _, loss in self.losses
        }

    def _resume_without_centroids(self, runner) -> None:
        """Refuse, or (opted in) warn that Q will be recomputed."""
        if not self.recompute_missing_centroids:
            raise RuntimeError(
                f'Resuming at iteration {runner.iter} from a checkpoint '
                'without saved class centroids (no '
                f'{CHECKPOINT_KEY!r} entry): the run would continue with '
                'different centroids than it trained with. Resume from a '
                'checkpoint written with ClassCentroidHook, or set '
                'ClassCentroidHook(recompute_missing_centroids=True) to '
                'recompute them (e.g. --cfg-options '
                'custom_hooks.0.recompute_missing_centroids=True).')
        action = ('running an exact pass now' if self.schedule == 'exact'
                  else 'restarting the EMA from the next batch')
        message = ('ClassCentroidHook: the resumed checkpoint has no class '
                   f'centroids; recompute_missing_centroids=True, so '
                   f'{action}. They differ from the interrupted run\'s.')
        warnings.warn(message, stacklevel=2)
        runner.logger.warning(message)

    def _exact_pass(self, runner) -> None:
        loader = runner.train_dataloader if self.dataloader is None else \
            runner.build_dataloader(self.dataloader)
        num_classes = self.losses[0][2].num_classes
        runner.logger.info(
            f'Class centroids: exact pass over {len(loader.dataset)} '
            'training samples (eval mode, no side effects).')
        stats = collect_class_statistics(runner.model, loader, num_classes,
                                         temperature=self.temperature)
        for _, _, loss in self.losses:
            loss.centroids.set_exact(stats)
        runner.logger.info(
            f'Class centroids set; teacher CMI at temperature '
            f'{self.temperature:g} on this pass: {stats.cmi():.4f} nats.')


def _common_temperature(losses: List[Tuple[str, nn.Module, MCMILoss]]
                        ) -> float:
    """The one temperature of all ``losses``; their centroids share a pass.

    Raises:
        ValueError: naming each loss and its temperature if they differ.
    """
    temperatures = {name: loss.temperature for name, _, loss in losses}
    if len(set(temperatures.values())) > 1:
        listed = ', '.join(f'{name}: {tau:g}'
                           for name, tau in temperatures.items())
        raise ValueError(
            f'ClassCentroidHook serves every MCMILoss of the model, and they '
            f'have different temperatures ({listed}); one pass computes '
            'their centroids at one temperature. Give every MCMILoss the '
            'same temperature.')
    return next(iter(temperatures.values()))


def find_mcmi_losses(model: nn.Module
                     ) -> List[Tuple[str, nn.Module, MCMILoss]]:
    """(name, parent head, loss) of every ``MCMILoss`` in ``model``."""
    model = model.module if is_model_wrapper(model) else model
    found = []
    for head_name, head in model.named_modules():
        for child_name, child in head.named_children():
            if isinstance(child, MCMILoss):
                name = f'{head_name}.{child_name}' if head_name else \
                    child_name
                found.append((name, head, child))
    return found
