"""The MCMI teacher objective (Ye et al., ICLR 2024, arXiv 2401.08732)."""
import math
from typing import Optional

import torch
from mmpretrain.models.losses.utils import weight_reduce_loss
from torch import nn

from mcmi_razor.registry import MODELS
from mcmi_razor.utils.arguments import (
    choice_argument,
    integer_argument,
    real_argument,
)

from ..utils import STORAGE_DTYPES, ClassCentroids, LabelTargets
from .mcmi_inputs import (
    check_shapes,
    label_flags,
    masked_target_flag,
    raise_for_labels,
    raise_for_logits,
)
from .mcmi_terms import MCMITerms


@MODELS.register_module()
class MCMILoss(nn.Module):
    r"""Cross-entropy minus the weighted conditional mutual information.

    For logits z (N, C), target weights t (N, C) (one-hot for hard labels),
    P_x = softmax(z) and, at the temperature tau, P^tau_x = softmax(z / tau),
    per sample (nats):

    .. math::
        L(x) = -\sum_y t_y \log P_x(y)
               - \lambda \sum_y t_y \, KL(P^\tau_x \,\|\, Q_y)

    and the batch mean is returned. Q (C, C) are the class centroids
    ``Q_y = E[P^tau_X | Y = y]``, held constant (no gradient). Averaged over
    the data, the second term is lambda times the teacher's CMI at tau, so
    ``cmi_weight > 0`` *maximises* CMI. For soft targets (mixup, cutmix,
    label smoothing) the CMI term is its expectation over the label
    distribution. tau = 1 is the paper; tau > 1 maximises the CMI of the
    softened outputs a KD student learns from (KD at tau = 4), while the
    cross-entropy (the likelihood) stays at tau = 1. ``ClassCentroidHook``
    computes Q at this loss's tau.

    Cost O(N C), like cross-entropy: ``sum_y t_y KL(P || Q_y) =
    (sum_y t_y) sum_c P_c log P_c - sum_c P_c (sum_y t_y log Q_yc)`` needs
    only the log Q rows of each sample's k labelled classes (k = 1 for hard
    labels, 2 for mixup / cutmix); label smoothing's uniform part needs the
    column sums of log Q. log Q is kept by :class:`ClassCentroids` and
    recomputed only when Q changes.

    The KL term is unbounded: too large a ``cmi_weight`` collapses the
    teacher to chance (``CollapseGuardHook`` stops such runs). The optional
    floor ``Q <- (1 - eps) Q + eps / C`` caps the KL at ``log(C / eps)``.

    Centroids come from ``ClassCentroidHook`` (exact passes or online EMA),
    which must be in ``custom_hooks``; online updates use the data's labels
    (mixup / cutmix mixes included, label smoothing not: it regularises the
    loss, it does not change which class a sample belongs to), as the exact
    pass does. Computed in float32 even under AMP. ``-inf`` logits (masked
    classes) are allowed while each sample keeps one finite logit and no
    target weight falls on a masked class (its cross-entropy would be
    infinite; with ``label_smoothing > 0`` every class has weight, so no
    logit may be -inf). Arguments are checked when the loss is built: a
    ``TypeError`` or ``ValueError`` naming the argument and the fix.

    Args:
        num_classes (int): C; must equal the head's ``num_classes``.
        cmi_weight (float): lambda > 0. The paper's code uses 0.15 (few-shot)
            and 0.25; see docs/choosing_cmi_weight.md.
        centroid_floor (float): eps in [0, 1). Defaults to 0 (the paper).
        label_smoothing (float): mix targets with uniform by this amount.
        loss_weight (float): scale of the whole loss. Defaults to 1.0.
        centroid_dtype (str): storage of Q and log Q: ``'float32'``
            (default) or ``'bfloat16'`` / ``'float16'``, half the memory for
            very large C (docs/scale.md: memory per C, measured effect).
        temperature (float): tau > 0 of the CMI term and of its centroids;
            the cross-entropy stays at 1. Defaults to 1.0 (the paper).

    Attributes:
        last_terms (dict): of the last forward, batch means: ``loss_ce``
            (cross-entropy at tau = 1), ``cmi_term`` (the KL term, nats, at
            this loss's tau) and ``train_acc`` (top-1).
    """

    def __init__(self, num_classes: int, cmi_weight: float,
                 centroid_floor: float = 0.0, label_smoothing: float = 0.0,
                 loss_weight: float = 1.0,
                 centroid_dtype: str = 'float32',
                 temperature: float = 1.0) -> None:
        super().__init__()
        self.num_classes = integer_argument(
            'MCMILoss', 'num_classes', num_classes, 2,
            hint="Set it to the head's num_classes, e.g. num_classes=100.")
        self.cmi_weight = real_argument(
            'MCMILoss', 'cmi_weight', cmi_weight, 0.0, low_inclusive=False,
            hint='cmi_weight > 0 maximises CMI; typical values are 0.1-0.3. '
            "For a plain cross-entropy control use "
            "dict(type='CrossEntropyLoss').")
        self.centroid_floor = real_argument(
            'MCMILoss', 'centroid_floor', centroid_floor, 0.0, 1.0,
            hint='1e-3 is a safe choice (the floor).')
        self.label_smoothing = real_argument(
            'MCMILoss', 'label_smoothing', label_smoothing, 0.0, 1.0,
            hint='0.1 is the usual choice; 0 turns it off.')
        self.loss_weight = real_argument('MCMILoss', 'loss_weight',
                                         loss_weight, hint='1.0 is usual.')
        temperature = real_argument(
            'MCMILoss', 'temperature', temperature, 0.0, low_inclusive=False,
            hint='1.0 is the paper; 4.0 matches KD students at tau = 4.')
        choice_argument('MCMILoss', 'centroid_dtype', centroid_dtype,
                        sorted(STORAGE_DTYPES),
                        hint="'float32' unless memory for very large C is "
                        'short (docs/scale.md).')
        self.centroids = ClassCentroids(self.num_classes,
                                        self.centroid_floor, centroid_dtype,
                                        temperature)
        self.last_terms = {}

    @property
    def temperature(self) -> float:
        """tau of the CMI term; kept by the centroids, which are at it."""
        return self.centroids.temperature

    def forward(self, cls_score: torch.Tensor, label: torch.Tensor,
                weight: Optional[torch.Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None,
                **kwargs) -> torch.Tensor:
        """Loss of logits ``cls_score`` (N, C) against ``label`` (N,) int or
        label scores (N, C); ``weight`` (N,) optional per-sample weights.

        Refused: an empty batch (N = 0), labels out of range or (soft)
        not a distribution, NaN / +inf logits, and a -inf logit that
        carries target weight (the error names the sample and the class).
        Values are checked with one device sync per step, after the loss
        is computed (out-of-range labels are clamped until then).
        """
        check_shapes(cls_score, label, self.num_classes, weight)
        flags = label_flags(label, self.num_classes)
        safe = (label.long().clamp(0, self.num_classes - 1)
                if label.ndim == 1 else label)
        targets = LabelTargets.from_label(safe, self.num_classes)
        with torch.autocast(cls_score.device.type, enabled=False):
            logits = cls_score.float()
            self._keep_centroids_current(logits, label, flags, targets)
            loss, cross_entropy, cmi_term, row_max = MCMITerms.apply(
                logits, targets, self.label_smoothing,
                self._mixed_log_centroids(targets), self.cmi_weight,
                self.temperature)
        masked = masked_target_flag(logits, targets, self.label_smoothing)
        checks = torch.cat([flags.to(loss.dtype), masked.to(loss.dtype),
                            loss.sum().view(1)])
        checks = checks.tolist()  # the one sync: flags, masked, the sum
        raise_for_labels(checks, label, self.num_classes)
        if checks[-2] or not math.isfinite(checks[-1]):
            raise_for_logits(cls_score, targets, self.label_smoothing)
        self.last_terms = dict(
            loss_ce=cross_entropy.mean(), cmi_term=cmi_term.mean(),
            train_acc=_top1(logits.detach(), row_max, targets.top))
        if weight is not None:
            weight = weight.float()
        reduction = reduction_override or 'mean'
        return self.loss_weight * weight_reduce_loss(
            loss, weight=weight, reduction=reduction, avg_factor=avg_factor)

    def _keep_centroids_current(self, logits, label, flags, targets) -> None:
        """Online: update Q from this batch first; else Q must be set."""
        if not self.centroids.online:
            if not self.centroids.ready:
                raise RuntimeError(self._missing_centroids_message())
            return
        if self.training:
            raise_for_labels(flags.tolist(), label, self.num_classes)
            self.centroids.update_online(
                (logits.detach() / self.temperature).softmax(1), targets)

    def _mixed_log_centroids(self, targets: LabelTargets) -> torch.Tensor:
        """``sum_y t_y log Q_y`` (N, C) for the smoothed targets t."""
        mixed = self.centroids.log_rows(targets)
        a = self.label_smoothing
        if a:
            mixed = ((1 - a) * mixed + (a / self.num_classes)
                     * self.centroids.log_column_sums())
        return mixed

    def _missing_centroids_message(self) -> str:
        if not self.centroids.attached:
            return ('MCMILoss has no class centroids: add '
                    "custom_hooks=[dict(type='mcmi_razor.ClassCentroidHook')] "
                    'to the config (or _base_ configs/_base_/mcmi_runtime.py)'
                    '. (A frozen MCMI teacher inside mmrazor\'s '
                    'SingleTeacherDistill needs no centroids: importing '
                    'mcmi_razor makes its loss plain cross-entropy there.)')
        missing = (~self.centroids.initialized).nonzero().flatten().tolist()
        return (f'MCMILoss has no centroid yet for classes {missing[:10]}: '
                'the exact pass saw no sample of them. Check that the '
                'training set holds every class, or use '
                "ClassCentroidHook(schedule='ema').")


def _top1(logits: torch.Tensor, row_max: torch.Tensor,
          labels: torch.Tensor) -> torch.Tensor:
    """Fraction of rows whose label has the largest logit (ties count),
    given ``row_max`` (N,): no argmax over (N, C)."""
    at_label = logits.gather(1, labels.unsqueeze(1)).squeeze(1)
    return (at_label >= row_max).float().mean()
