"""The MCMI teacher objective (Ye et al., ICLR 2024, arXiv 2401.08732)."""
from typing import Optional

import torch
import torch.nn.functional as F
from mmpretrain.models.losses.utils import weight_reduce_loss
from torch import nn

from mcmi_razor.registry import MODELS
from ..utils import ClassCentroids, to_soft_targets


@MODELS.register_module()
class MCMILoss(nn.Module):
    r"""Cross-entropy minus the weighted conditional mutual information.

    For logits z (N, C), target weights t (N, C) (one-hot for hard labels)
    and P_x = softmax(z), per sample (nats):

    .. math::
        L(x) = -\sum_y t_y \log P_x(y)
               - \lambda \sum_y t_y \, KL(P_x \,\|\, Q_y)

    and the batch mean is returned. Q (C, C) are the class centroids
    ``Q_y = E[P_X | Y = y]``, held constant (no gradient). Averaged over the
    data, the second term is lambda times the teacher's CMI, so
    ``cmi_weight > 0`` *maximises* CMI. For soft targets (mixup, cutmix,
    label smoothing) the CMI term is its expectation over the label
    distribution, and online centroid updates weight each sample by t.

    The KL term is unbounded: too large a ``cmi_weight`` collapses the
    teacher to chance (``CollapseGuardHook`` stops such runs). The optional
    floor ``Q <- (1 - eps) Q + eps / C`` caps the KL at ``log(C / eps)``.

    Centroids come from ``ClassCentroidHook`` (exact passes or online EMA),
    which must be in ``custom_hooks``. Computed in float32 even under AMP.

    Args:
        num_classes (int): C; must equal the head's ``num_classes``.
        cmi_weight (float): lambda > 0. The paper's code uses 0.15 (few-shot)
            and 0.25; see docs/choosing_cmi_weight.md.
        centroid_floor (float): eps in [0, 1). Defaults to 0 (the paper).
        label_smoothing (float): mix targets with uniform by this amount.
        loss_weight (float): scale of the whole loss. Defaults to 1.0.
    """

    def __init__(self, num_classes: int, cmi_weight: float,
                 centroid_floor: float = 0.0, label_smoothing: float = 0.0,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        if not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(f'MCMILoss needs num_classes >= 2, got '
                             f'{num_classes!r}.')
        if not cmi_weight > 0:
            raise ValueError(
                f'MCMILoss needs cmi_weight > 0 (it maximises CMI), got '
                f'{cmi_weight!r}. For a plain cross-entropy control use '
                "dict(type='CrossEntropyLoss'); typical values are 0.1-0.3.")
        if not 0 <= centroid_floor < 1:
            raise ValueError(f'centroid_floor must be in [0, 1), got '
                             f'{centroid_floor!r}; 1e-3 is a safe choice.')
        if not 0 <= label_smoothing < 1:
            raise ValueError(f'label_smoothing must be in [0, 1), got '
                             f'{label_smoothing!r}.')
        self.num_classes = num_classes
        self.cmi_weight = cmi_weight
        self.centroid_floor = centroid_floor
        self.label_smoothing = label_smoothing
        self.loss_weight = loss_weight
        self.centroids = ClassCentroids(num_classes)
        self.attached = False
        self.last_terms = {}

    def forward(self, cls_score: torch.Tensor, label: torch.Tensor,
                weight: Optional[torch.Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None,
                **kwargs) -> torch.Tensor:
        """Loss of logits ``cls_score`` (N, C) against ``label`` (N,) or
        label scores (N, C); ``weight`` (N,) optional per-sample weights."""
        self._check_inputs(cls_score)
        with torch.autocast(cls_score.device.type, enabled=False):
            log_p = F.log_softmax(cls_score.float(), dim=1)
            targets = to_soft_targets(label, self.num_classes).to(log_p)
            if self.label_smoothing:
                targets = ((1 - self.label_smoothing) * targets
                           + self.label_smoothing / self.num_classes)
            probs = log_p.exp()
            if self.training and self.centroids.ema_momentum is not None:
                self.centroids.update_online(probs.detach(), targets)
            log_q = self._log_centroids()
            # KL(P_x || Q_y) for every class y: (N, C)
            kl_to_each_class = ((probs * log_p).sum(1, keepdim=True)
                                - probs @ log_q.T)
            cross_entropy = -(targets * log_p).sum(1)
            cmi_term = (targets * kl_to_each_class).sum(1)
            loss = cross_entropy - self.cmi_weight * cmi_term
        self.last_terms = dict(
            loss_ce=cross_entropy.mean().detach(),
            cmi_term=cmi_term.mean().detach(),
            train_acc=(log_p.argmax(1) == targets.argmax(1)).float().mean())
        if weight is not None:
            weight = weight.float()
        reduction = reduction_override or 'mean'
        return self.loss_weight * weight_reduce_loss(
            loss, weight=weight, reduction=reduction, avg_factor=avg_factor)

    def _log_centroids(self) -> torch.Tensor:
        online = self.centroids.ema_momentum is not None
        if not (online or self.centroids.ready):
            raise RuntimeError(self._missing_centroids_message())
        q = self.centroids.value.float()
        if self.centroid_floor:
            q = (1 - self.centroid_floor) * q + (
                self.centroid_floor / self.num_classes)
        return q.clamp_min(torch.finfo(torch.float32).tiny).log()

    def _missing_centroids_message(self) -> str:
        if not self.attached:
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

    def _check_inputs(self, cls_score: torch.Tensor) -> None:
        if cls_score.ndim != 2 or cls_score.size(1) != self.num_classes:
            raise ValueError(
                f'MCMILoss(num_classes={self.num_classes}) got logits of '
                f'shape {tuple(cls_score.shape)}: set the loss\'s num_classes '
                "equal to the head's num_classes.")
        if not torch.isfinite(cls_score).all():
            raise FloatingPointError(
                'MCMILoss got NaN or inf logits: training diverged. Lower '
                'the learning rate or cmi_weight, or clip gradients with '
                'optim_wrapper.clip_grad=dict(max_norm=...).')
