"""One stage of RID, redundant information distillation (Dissanayake et al.,
AISTATS 2025, arXiv 2411.07483)."""
import math
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn

from mcmi_razor.registry import MODELS
from mcmi_razor.utils.arguments import integer_argument, real_argument

PHASES = ('filter', 'student')
VARIANCE_FLOOR = 1e-3


def rid_filter(in_channels: int, out_channels: int) -> nn.Sequential:
    """1x1 conv -> BN -> ReLU -> 1x1 conv: (N, in, H, W) -> (N, out, H, W).

    Its BatchNorm statistics are never used: filters run in training mode
    only (in the loss), never in evaluation.
    """
    return nn.Sequential(
        nn.Conv2d(in_channels, in_channels, 1, bias=False),
        nn.BatchNorm2d(in_channels), nn.ReLU(inplace=True),
        nn.Conv2d(in_channels, out_channels, 1, bias=False))


@MODELS.register_module()
class RIDLoss(nn.Module):
    r"""RID's loss on one pair of same-resolution stages, in two phases.

    With T (N, C_t, H, W) and S (N, C_s, H, W) the teacher's and the
    student's stage outputs, the teacher filter f_t and the student filter
    f_s (both to C_s channels), a head g (global average pool, then linear to
    the classes) and per-channel variances s^2 = softplus(a) + 1e-3, mean
    over all N C_s H W elements (nats):

    .. math::
        L_{filter}  = CE(g(f_t(T)), y)
                      + [r \ge 1]\, mean((f_s(S) - f_t(T))^2 / s^2) \\
        L_{student} = w \cdot mean(\log s^2 + (f_s(S) - f_t(T))^2 / s^2)

    The filter phase trains f_t and g only (f_s(S) and s^2 are constants):
    f_t keeps the part of T that predicts y and, from the second round
    (r >= 1) on, that the student's filtered features already reach, which
    is the redundant information. The student phase trains f_s and a (and,
    through S, the student) on the Gaussian negative log-likelihood of
    f_t(T) given f_s(S), with f_t(T) constant; the student's own
    cross-entropy is added by the algorithm. ``RIDPhaseHook`` sets the phase
    and the round before every epoch and must be in ``custom_hooks``.

    Args:
        student_channels (int): C_s of the student stage, the filters' width.
        teacher_channels (int): C_t of the teacher stage.
        num_classes (int): classes of the filter head.
        loss_weight (float): w, the weight of the student-phase term (the
            paper's alpha_1; its code uses 10). The filter-phase loss is
            unweighted. Defaults to 10.0.
    """

    def __init__(self, student_channels: int, teacher_channels: int,
                 num_classes: int, loss_weight: float = 10.0) -> None:
        super().__init__()
        channels_hint = ('Set it to the channels of the recorded stage '
                         '(docs/model_zoo.md lists them).')
        self.student_channels = integer_argument(
            'RIDLoss', 'student_channels', student_channels, 1,
            channels_hint)
        self.teacher_channels = integer_argument(
            'RIDLoss', 'teacher_channels', teacher_channels, 1,
            channels_hint)
        num_classes = integer_argument(
            'RIDLoss', 'num_classes', num_classes, 2,
            hint='Set it to the number of classes of the dataset.')
        self.loss_weight = real_argument(
            'RIDLoss', 'loss_weight', loss_weight, 0.0, low_inclusive=False,
            hint='The paper uses 10.')
        self.teacher_filter = rid_filter(teacher_channels, student_channels)
        self.student_filter = rid_filter(student_channels, student_channels)
        self.head = nn.Linear(student_channels, num_classes)
        # a such that s^2 starts at 1
        start = math.log(math.expm1(1 - VARIANCE_FLOOR))
        self.variance_param = nn.Parameter(
            torch.full((student_channels, ), start))
        self.phase: Optional[str] = None
        self.round = 0

    @property
    def variance(self) -> torch.Tensor:
        """s^2 = softplus(a) + 1e-3, (C_s,)."""
        return F.softplus(self.variance_param) + VARIANCE_FLOOR

    def set_phase(self, phase: str, round_index: int) -> None:
        """Select what ``forward`` computes (see the class docstring)."""
        if phase not in PHASES:
            raise ValueError(f'RID phase must be one of {PHASES}, got '
                             f'{phase!r}.')
        self.phase = phase
        self.round = round_index

    def forward(self, s_feature: torch.Tensor, t_feature: torch.Tensor,
                gt_labels: torch.Tensor) -> torch.Tensor:
        """Loss of the current phase from the stage outputs ``s_feature``
        (N, C_s, H, W), ``t_feature`` (N, C_t, H, W) and ``gt_labels`` (N,)
        class indices (or (N, classes) probabilities)."""
        if self.phase is None:
            raise RuntimeError(
                'RIDLoss has no phase: add '
                "dict(type='mcmi_razor.RIDPhaseHook', filter_epochs=..., "
                'student_epochs=...) to custom_hooks.')
        self._check(s_feature, t_feature)
        if self.phase == 'filter':
            filtered_t = self.teacher_filter(t_feature)
            logits = self.head(filtered_t.flatten(2).mean(2))
            loss = F.cross_entropy(logits, gt_labels)
            if self.round >= 1:
                with torch.no_grad():
                    filtered_s = self.student_filter(s_feature)
                    variance = self.variance
                loss = loss + self._scaled_squares(filtered_s, filtered_t,
                                                   variance).mean()
            return loss
        with torch.no_grad():
            filtered_t = self.teacher_filter(t_feature)
        filtered_s = self.student_filter(s_feature)
        variance = self.variance
        nll = self._scaled_squares(filtered_s, filtered_t, variance) + \
            self._per_channel(variance, filtered_s).log()
        return self.loss_weight * nll.mean()

    @staticmethod
    def _per_channel(variance: torch.Tensor,
                     like: torch.Tensor) -> torch.Tensor:
        """(C,) -> (1, C, 1, 1) broadcastable against ``like``."""
        return variance.view(1, -1, *([1] * (like.dim() - 2)))

    def _scaled_squares(self, filtered_s: torch.Tensor,
                        filtered_t: torch.Tensor,
                        variance: torch.Tensor) -> torch.Tensor:
        """(f_s(S) - f_t(T))^2 / s^2, (N, C_s, H, W)."""
        return (filtered_s - filtered_t).square() / self._per_channel(
            variance, filtered_s)

    def _check(self, s_feature: torch.Tensor,
               t_feature: torch.Tensor) -> None:
        for side, feature, channels in (
                ('student', s_feature, self.student_channels),
                ('teacher', t_feature, self.teacher_channels)):
            if feature.dim() != 4 or feature.shape[1] != channels:
                raise ValueError(
                    f'RIDLoss expects the {side} stage as (N, {channels}, '
                    f'H, W), got {tuple(feature.shape)}: record a stage '
                    f'output (e.g. backbone.layer1) and set '
                    f'{side}_channels to its channels.')
        if s_feature.shape[2:] != t_feature.shape[2:]:
            raise ValueError(
                'RIDLoss matches the two stages position by position, but '
                f'the student stage is {tuple(s_feature.shape[2:])} and the '
                f'teacher stage {tuple(t_feature.shape[2:])}: record stages '
                'of the same resolution.')
