"""MobileNetV2 of the KD literature (RepDistiller's ``mobile_half``)."""
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmpretrain.models.backbones.base_backbone import BaseBackbone

from mcmi_razor.registry import MODELS

from .cifar_utils import check_out_indices, init_conv_bn, stage_outputs


def conv_bn_relu(in_channels: int, out_channels: int, kernel_size: int,
                 stride: int = 1) -> nn.Sequential:
    """Conv (no bias) - BN - ReLU, keyed ``0`` (conv) and ``1`` (BN)."""
    return nn.Sequential(
        nn.Conv2d(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding=kernel_size // 2,
            bias=False), nn.BatchNorm2d(out_channels), nn.ReLU())


class InvertedResidual(nn.Module):
    """Expand (1x1) - depthwise 3x3 - project (1x1, linear) in ``conv``.

    The expansion conv is kept even for ``expand_ratio == 1``, as in the
    reference code. The input is added back when ``stride == 1`` and the
    widths match.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (int): Stride of the depthwise conv, 1 or 2.
        expand_ratio (int): Hidden width is ``in_channels * expand_ratio``.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int,
                 expand_ratio: int) -> None:
        super().__init__()
        hidden = in_channels * expand_ratio
        self.use_residual = stride == 1 and in_channels == out_channels
        self.conv = nn.Sequential(
            nn.Conv2d(in_channels, hidden, 1, bias=False),
            nn.BatchNorm2d(hidden),
            nn.ReLU(),
            nn.Conv2d(
                hidden, hidden, 3, stride, padding=1, groups=hidden,
                bias=False),
            nn.BatchNorm2d(hidden),
            nn.ReLU(),
            nn.Conv2d(hidden, out_channels, 1, bias=False),
            nn.BatchNorm2d(out_channels),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C_in, H, W) -> (N, C_out, H / stride, W / stride)."""
        out = self.conv(x)
        return x + out if self.use_residual else out


@MODELS.register_module()
class CifarMobileNetV2(BaseBackbone):
    """MobileNetV2 for 32x32 inputs as defined in RepDistiller.

    A stride-2 conv3x3-BN-ReLU stem ``conv1``, seven stages ``blocks[0..6]``
    of :class:`InvertedResidual` (expansion 6, first stage 1), then a
    conv1x1-BN-ReLU ``conv2`` to 1280 channels (``int(1280 * w)`` if
    ``w > 1``). Unlike ImageNet MobileNetV2, the second stage keeps the
    resolution. For a 32x32 input and ``w = 0.5`` the stage outputs are
    ``(N, 8, 16, 16)``, ``(N, 12, 16, 16)``, ``(N, 16, 8, 8)``,
    ``(N, 32, 4, 4)``, ``(N, 48, 4, 4)``, ``(N, 80, 2, 2)``,
    ``(N, 160, 2, 2)`` and ``conv2`` gives ``(N, 1280, 2, 2)``; a 28x28 input
    gives 14/14/7/4/4/2/2.

    Stages, by index for ``out_indices`` and by attribute name for hooks:
    ``i: blocks.{i}`` for ``i`` in 0..6 and ``7: conv2`` (the default).
    RepDistiller's features ``f1, f2, f3, f4`` are the outputs of
    ``blocks.1``, ``blocks.2``, ``blocks.4``, ``blocks.6``.

    Args:
        widen_factor (float): Width multiplier ``w``; RepDistiller's
            ``mobile_half`` is 0.5.
        in_channels (int): Image channels (3 for CIFAR, 1 for
            Fashion-MNIST).
        out_indices (int | Sequence[int]): Stages whose outputs are
            returned. Defaults to the last one (index 7).
        init_cfg (dict, optional): MMEngine initialisation config, applied by
            ``init_weights`` on top of RepDistiller's initialisation done at
            construction.
    """

    #: (expand ratio t, channels c, blocks n, stride of the first block s).
    arch_settings = ((1, 16, 1, 1), (6, 24, 2, 1), (6, 32, 3, 2),
                     (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                     (6, 320, 1, 1))
    num_stages = 8

    def __init__(self,
                 widen_factor: float = 0.5,
                 in_channels: int = 3,
                 out_indices: Union[int, Sequence[int]] = -1,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.out_indices = check_out_indices(out_indices, self.num_stages)
        width = int(32 * widen_factor)
        self.conv1 = conv_bn_relu(in_channels, width, 3, stride=2)
        self.blocks = nn.ModuleList()
        out_channels = []
        for t, c, n, s in self.arch_settings:
            out_width = int(c * widen_factor)
            layers = []
            for i in range(n):
                layers.append(
                    InvertedResidual(width, out_width, s if i == 0 else 1, t))
                width = out_width
            self.blocks.append(nn.Sequential(*layers))
            out_channels.append(out_width)
        last_width = int(1280 * widen_factor) if widen_factor > 1 else 1280
        self.conv2 = conv_bn_relu(width, last_width, 1)
        self.out_channels = tuple(out_channels) + (last_width, )
        init_conv_bn(self)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """(N, in_channels, H, W) -> tuple of the ``out_indices`` stages."""
        feats = stage_outputs(self.conv1(x), self.blocks)
        feats.append(self.conv2(feats[-1]))
        return tuple(feats[i] for i in self.out_indices)
