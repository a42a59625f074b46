"""Wide ResNets of the KD literature (RepDistiller's ``wrn_d_k``)."""
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmpretrain.models.backbones.base_backbone import BaseBackbone

from mcmi_razor.registry import MODELS

from .cifar_utils import check_out_indices, init_conv_bn, stage_outputs


class PreActBlock(nn.Module):
    """Pre-activation block: BN-ReLU-conv3x3, BN-ReLU-conv3x3, plus shortcut.

    With equal in/out widths the shortcut is the raw input ``x``. Otherwise
    (first block of a stage) the shortcut is ``convShortcut`` (1x1, stride
    ``stride``) applied to the *activated* input ``relu(bn1(x))``, exactly as
    in the reference WRN code.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (int): Stride of ``conv1`` and of the shortcut.
    """

    def __init__(self, in_channels: int, out_channels: int,
                 stride: int = 1) -> None:
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.relu1 = nn.ReLU()
        self.conv1 = nn.Conv2d(
            in_channels, out_channels, 3, stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.relu2 = nn.ReLU()
        self.conv2 = nn.Conv2d(
            out_channels, out_channels, 3, padding=1, bias=False)
        self.convShortcut = None
        if in_channels != out_channels:
            self.convShortcut = nn.Conv2d(
                in_channels, out_channels, 1, stride, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C_in, H, W) -> (N, C_out, H / stride, W / stride)."""
        act = self.relu1(self.bn1(x))
        out = self.conv2(self.relu2(self.bn2(self.conv1(act))))
        if self.convShortcut is None:
            return x + out
        return self.convShortcut(act) + out


@MODELS.register_module()
class CifarWideResNet(BaseBackbone):
    """WRN-d-k for 32x32 inputs as defined in RepDistiller (CRD, ICLR 2020).

    A 3x3 conv stem ``conv1`` (16 channels), three stages ``block1``,
    ``block2``, ``block3`` of ``n = (d - 4) / 6`` :class:`PreActBlock` at
    widths ``16k, 32k, 64k`` (the last two halve the resolution), then the
    closing BN-ReLU (``bn1``, ``relu``) of a pre-activation net. For a 32x32
    input: ``(N, 16k, 32, 32)``, ``(N, 32k, 16, 16)``, ``(N, 64k, 8, 8)``;
    a 28x28 input gives 28/14/7.

    Stages, by index for ``out_indices`` and by attribute name for hooks:
    ``0: block1``, ``1: block2``, ``2: block3``, ``3: relu(bn1(block3))``.
    Outputs 0-2 are RepDistiller's features ``f1, f2, f3``; index 3 (the
    default) is what its global pooling and ``fc`` consume. A hook on
    ``bn1`` records RepDistiller's pre-activation ``f3``.

    Args:
        depth (int): ``6n + 4``, e.g. 16 or 40.
        widen_factor (int): Width multiplier ``k``.
        in_channels (int): Image channels (3 for CIFAR, 1 for
            Fashion-MNIST).
        out_indices (int | Sequence[int]): Stages whose outputs are
            returned. Defaults to the last one (index 3).
        init_cfg (dict, optional): MMEngine initialisation config, applied by
            ``init_weights`` on top of RepDistiller's initialisation done at
            construction.
    """

    num_stages = 4

    def __init__(self,
                 depth: int = 40,
                 widen_factor: int = 2,
                 in_channels: int = 3,
                 out_indices: Union[int, Sequence[int]] = -1,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if depth < 10 or (depth - 4) % 6 != 0:
            raise ValueError(
                f'CifarWideResNet depth must be 6n + 4 with n >= 1 (e.g. 16, '
                f'40), got {depth}.')
        num_blocks = (depth - 4) // 6
        widths = (16 * widen_factor, 32 * widen_factor, 64 * widen_factor)
        self.out_indices = check_out_indices(out_indices, self.num_stages)
        self.out_channels = widths + widths[-1:]

        self.conv1 = nn.Conv2d(in_channels, 16, 3, padding=1, bias=False)
        in_width = 16
        for i, width in enumerate(widths):
            stride = 1 if i == 0 else 2
            blocks = [PreActBlock(in_width, width, stride)]
            blocks += [
                PreActBlock(width, width) for _ in range(num_blocks - 1)
            ]
            self.add_module(f'block{i + 1}', nn.Sequential(*blocks))
            in_width = width
        self.bn1 = nn.BatchNorm2d(in_width)
        self.relu = nn.ReLU()
        init_conv_bn(self)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """(N, in_channels, H, W) -> tuple of the ``out_indices`` stages."""
        feats = stage_outputs(self.conv1(x),
                              (self.block1, self.block2, self.block3))
        feats.append(self.relu(self.bn1(feats[-1])))
        return tuple(feats[i] for i in self.out_indices)
