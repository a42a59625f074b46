"""Stops MCMI training when the teacher collapses, and never saves it so."""
import math
import warnings
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from mmengine import dist
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import checkpoint as mmengine_checkpoint

from mcmi_razor.registry import HOOKS
from mcmi_razor.utils.arguments import integer_argument, real_argument

from .class_centroid_hook import find_mcmi_losses


class TeacherCollapseError(RuntimeError):
    """The MCMI objective drove the teacher to (near) chance accuracy."""


@HOOKS.register_module()
class CollapseGuardHook(Hook):
    """Detect the collapse that an unbounded CMI term causes, and stop.

    With too large a ``cmi_weight`` the teacher learns to put its mass on
    the class least likely under its centroid: cross-entropy rises and the
    training accuracy falls to chance, with a large weight within a few
    iterations. Two checks, with one rule (collapsed: accuracy below
    ``drop_ratio`` times its best *and* cross-entropy more than ``ce_rise``
    nats above its value at that best, where that best is at least
    ``arm_ratio`` times chance):

    - every iteration, from the first, on exponential moving averages of the
      batch accuracy and cross-entropy ``MCMILoss`` reports. The first
      iteration's values measure the starting weights and are the first
      reference, so a collapse cannot happen before the reference is taken;
    - before every checkpoint is written (``before_save_checkpoint``), on
      the very weights being saved: a side-effect-free forward pass (train
      mode as in training, BatchNorm buffers and RNG restored) over the
      latest full-size training batch. An epoch's last batch can be a few
      images (18,000 mod 64 is 16), too few to judge: 10 of 16 right once
      stopped a healthy teacher, so a smaller batch never replaces a larger
      one. A collapsed state is never written, so the newest checkpoint in
      the work dir is always one that passed.

    Either check raises :class:`TeacherCollapseError`, naming the checkpoint
    ``--resume`` would continue from. Under DDP the values are averaged over
    ranks, so all ranks decide alike. The references are saved in
    checkpoints and restored on resume. MMEngine saves on rank 0 only
    (``Runner.save_checkpoint`` is ``master_only``), so the check before a
    save runs there alone, on rank 0's kept batch, with no collective (one
    would wait forever for the other ranks); if it raises, torchrun stops
    the other ranks.

    Args:
        window (int): EMA span in iterations. Defaults to 20.
        drop_ratio (float): accuracy fraction of its best that counts as
            collapsed. Defaults to 0.75 (in our runs, cmi_weight 0.45
            took training accuracy from 0.9 to 0.52 and the teacher to 59%
            test top-1; 0.5 let that run finish).
        ce_rise (float): rise of the cross-entropy above its value at the
            best accuracy that must accompany the drop. Defaults to 0.5.
        arm_ratio (float): the rule applies once the best accuracy has
            reached this multiple of chance (``1 / num_classes``). A teacher
            that never got there has nothing to collapse from: an untrained
            one (MCMI from scratch) scores chance plus noise, and a 5-image
            batch at 0.0 after one at 0.1 is noise, not a collapse (it
            stopped such a run). Defaults to 2.0.
    """

    priority = 'ABOVE_NORMAL'
    _STATE = ('_steps', '_acc', '_ce', '_best_acc', '_ce_at_best')

    def __init__(self, window: int = 20, drop_ratio: float = 0.75,
                 ce_rise: float = 0.5, arm_ratio: float = 2.0) -> None:
        owner = 'CollapseGuardHook'
        self.window = integer_argument(
            owner, 'window', window, 1,
            hint='It is an EMA span in iterations; the default is 20.')
        self.drop_ratio = real_argument(
            owner, 'drop_ratio', drop_ratio, 0.0, 1.0, low_inclusive=False,
            hint='It is a fraction of the best accuracy; the default is '
            '0.75.')
        self.ce_rise = real_argument(
            owner, 'ce_rise', ce_rise, 0.0,
            hint='It is a rise in nats; the default is 0.5.')
        self.arm_ratio = real_argument(
            owner, 'arm_ratio', arm_ratio, 1.0,
            hint='It is a multiple of chance; the default is 2.0.')
        self._loaded_state: Optional[dict] = None

    def before_train(self, runner) -> None:
        self.losses = [loss for _, _, loss in find_mcmi_losses(runner.model)]
        self._steps = 0
        self._acc = self._ce = None
        self._best_acc, self._ce_at_best = -math.inf, math.inf
        self._kept_batch, self._kept_size = None, 0
        self._unchecked_saves = 0
        # A resumed run keeps the references of the run it continues.
        if self._loaded_state is not None and runner.iter > 0:
            for name in self._STATE:
                setattr(self, name, self._loaded_state[name])

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        self._loaded_state = checkpoint.get('collapse_guard')

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        terms = [loss.last_terms for loss in self.losses if loss.last_terms]
        if not terms:
            return
        size = _batch_size(data_batch)
        if size >= self._kept_size:
            self._kept_batch, self._kept_size = data_batch, size
        acc, ce = _mean_over_ranks(float(terms[0]['train_acc']),
                                   float(terms[0]['loss_ce']))
        decay = 1 - 1 / self.window
        self._steps += 1
        if self._acc is None:
            self._acc, self._ce = acc, ce
        else:
            self._acc = decay * self._acc + (1 - decay) * acc
            self._ce = decay * self._ce + (1 - decay) * ce
        if self._acc > self._best_acc:
            self._best_acc, self._ce_at_best = self._acc, self._ce
        if self._collapsed(self._acc, self._ce):
            raise TeacherCollapseError(self._message(
                runner, runner.iter + 1, 'the training accuracy (moving '
                'average)', self._acc, self._ce))

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        if self._kept_batch is None:
            return
        measured = self._measure_saved_state(runner)
        if measured is None:
            self._unchecked_saves += 1
        elif self._collapsed(*measured):
            raise TeacherCollapseError(self._message(
                runner, runner.iter, 'the accuracy of the weights about to '
                f'be saved (on a training batch of {self._kept_size})',
                *measured))
        checkpoint['collapse_guard'] = {
            name: getattr(self, name) for name in self._STATE}

    def _collapsed(self, acc: float, ce: float) -> bool:
        chance = 1 / self.losses[0].num_classes
        return (self._best_acc >= self.arm_ratio * chance
                and acc < self.drop_ratio * self._best_acc
                and ce > self._ce_at_best + self.ce_rise)

    def _measure_saved_state(self, runner) -> Optional[Tuple[float, float]]:
        """(accuracy, cross-entropy) of the current weights on the kept
        training batch; None (with a warning) if the model gives no
        ``(N, num_classes)`` logits for it."""
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        num_classes = self.losses[0].num_classes
        buffers = [b.clone() for b in model.buffers()]
        devices = ([torch.cuda.current_device()]
                   if torch.cuda.is_available() else [])
        with torch.no_grad(), torch.random.fork_rng(devices=devices):
            data = model.data_preprocessor(self._kept_batch, training=False)
            logits = model(**data, mode='tensor')
        for buffer, saved in zip(model.buffers(), buffers, strict=True):
            buffer.copy_(saved)
        samples = data.get('data_samples') or []
        if not (isinstance(logits, torch.Tensor) and logits.dim() == 2
                and logits.shape[1] == num_classes and samples
                and all('gt_label' in s for s in samples)):
            warnings.warn('CollapseGuardHook cannot measure this model '
                          'before a save (no (N, num_classes) logits with '
                          'labels); only its per-iteration check runs.',
                          stacklevel=2)
            return None
        labels = torch.cat([s.gt_label for s in samples]).to(logits.device)
        logits = logits.float()
        acc = (logits.argmax(1) == labels).float().mean().item()
        return acc, F.cross_entropy(logits, labels).item()

    def _message(self, runner, iteration: int, what: str, acc: float,
                 ce: float) -> str:
        loss = self.losses[0]
        chance = 1 / loss.num_classes
        resume_from = mmengine_checkpoint.find_latest_checkpoint(
            runner.work_dir)
        if resume_from is None:
            kept = ('No checkpoint of this run is in the work dir: start '
                    'again from its load_from with the lower weight.')
        elif self._unchecked_saves:
            kept = (f'--resume would continue from {resume_from}; this '
                    'guard could not check the weights of '
                    f'{self._unchecked_saves} save(s), so evaluate it first.')
        else:
            kept = (f'The newest checkpoint, {resume_from}, passed this '
                    'check when it was saved; nothing collapsed was saved.')
        fell = (f'{what} fell from {self._best_acc:.3f} to {acc:.3f} '
                f'(chance {chance:.3f}) while cross-entropy rose from '
                f'{self._ce_at_best:.3f} to {ce:.3f} nats.')
        where = f'epoch {runner.epoch + 1}, iteration {iteration}'
        if loss.cmi_weight == 0:
            # A budget run before CMIBudgetHook raised the weight: the CMI
            # term is off, so it cannot be the cause.
            return (
                f'MCMI teacher degraded at {where}, with the CMI term off '
                f'(cmi_weight=0): {fell} The optimisation did it, not CMI: '
                'most often a fine-tuning learning rate far above the one '
                'the loaded checkpoint ended at (restarting at lr 0.05 '
                'after a run at lr 0.01 did this in our runs). Lower the '
                f'learning rate of this run. {kept}')
        return (
            f'MCMI teacher collapsed at {where}: {fell} The CMI term '
            f'(cmi_weight={loss.cmi_weight}) is unbounded and now dominates: '
            'the teacher moves its mass to the classes least likely under '
            f'their centroids. Lower cmi_weight (e.g. to '
            f'{loss.cmi_weight / 2:g}); see docs/choosing_cmi_weight.md (a '
            'centroid_floor in MCMILoss caps the term but did not prevent '
            f'collapse in our runs). {kept}')


def _batch_size(data_batch) -> int:
    """Images in an MMEngine batch (``inputs`` is a list or a tensor)."""
    inputs = (data_batch.get('inputs')
              if isinstance(data_batch, dict) else None)
    return len(inputs) if inputs is not None else 0


def _mean_over_ranks(acc: float, ce: float) -> Tuple[float, float]:
    """Average two floats over ranks, so every rank takes the same decision."""
    values = torch.tensor([acc, ce], dtype=torch.float64)
    dist.all_reduce(values, op='mean')
    return tuple(values.tolist())
