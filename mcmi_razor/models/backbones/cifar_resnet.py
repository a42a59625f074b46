"""CIFAR ResNets of the KD literature (RepDistiller's ``resnet*``)."""
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmpretrain.models.backbones.base_backbone import BaseBackbone

from mcmi_razor.registry import MODELS

from .cifar_utils import check_out_indices, init_conv_bn, stage_outputs


class CifarBasicBlock(nn.Module):
    """Two 3x3 conv-BN layers with an identity (or 1x1 conv-BN) shortcut.

    ``relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))``; the shortcut
    is ``downsample`` (1x1 conv stride ``stride`` + BN) when the shape
    changes.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (int): Stride of ``conv1`` and of the shortcut.
    """

    def __init__(self, in_channels: int, out_channels: int,
                 stride: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(
            in_channels, out_channels, 3, stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(
            out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride, bias=False),
                nn.BatchNorm2d(out_channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C_in, H, W) -> (N, C_out, H / stride, W / stride)."""
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


@MODELS.register_module()
class CifarResNet(BaseBackbone):
    """ResNet for 32x32 inputs as defined in RepDistiller (CRD, ICLR 2020).

    A 3x3 conv-BN-ReLU stem (``conv1``, ``bn1``, ``relu``) at full
    resolution, then three stages ``layer1``, ``layer2``, ``layer3`` of
    ``n = (depth - 2) / 6`` :class:`CifarBasicBlock`; ``layer2`` and
    ``layer3`` halve the resolution. For a 32x32 input the stage outputs are
    ``(N, w1, 32, 32)``, ``(N, w2, 16, 16)`` and ``(N, w3, 8, 8)`` with widths
    16/32/64 (stem 16), or 64/128/256 (stem 32) for the ``x4`` variants.
    A 28x28 input gives 28/14/7.

    Stages, by index for ``out_indices`` and by attribute name for hooks:
    ``0: layer1``, ``1: layer2``, ``2: layer3``. Their outputs are
    RepDistiller's features ``f1, f2, f3`` (after the ReLU); global average
    pooling of the last one is its ``f4``, the input of the classifier.

    Args:
        arch (str): One of :attr:`arch_settings`, e.g. ``'resnet56'``.
        in_channels (int): Image channels (3 for CIFAR, 1 for
            Fashion-MNIST).
        out_indices (int | Sequence[int]): Stages whose outputs are
            returned. Defaults to the last stage.
        init_cfg (dict, optional): MMEngine initialisation config, applied by
            ``init_weights`` on top of RepDistiller's initialisation done at
            construction.
    """

    #: arch -> (depth, (stem width, stage widths ...)).
    arch_settings = {
        'resnet8': (8, (16, 16, 32, 64)),
        'resnet14': (14, (16, 16, 32, 64)),
        'resnet20': (20, (16, 16, 32, 64)),
        'resnet32': (32, (16, 16, 32, 64)),
        'resnet44': (44, (16, 16, 32, 64)),
        'resnet56': (56, (16, 16, 32, 64)),
        'resnet110': (110, (16, 16, 32, 64)),
        'resnet8x4': (8, (32, 64, 128, 256)),
        'resnet32x4': (32, (32, 64, 128, 256)),
    }
    num_stages = 3

    def __init__(self,
                 arch: str = 'resnet56',
                 in_channels: int = 3,
                 out_indices: Union[int, Sequence[int]] = -1,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if arch not in self.arch_settings:
            raise ValueError(
                f'Unknown CifarResNet arch {arch!r}; expected one of '
                f'{sorted(self.arch_settings)}.')
        depth, widths = self.arch_settings[arch]
        num_blocks = (depth - 2) // 6
        self.out_indices = check_out_indices(out_indices, self.num_stages)
        self.out_channels = widths[1:]

        self.conv1 = nn.Conv2d(
            in_channels, widths[0], 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.relu = nn.ReLU()
        in_width = widths[0]
        for i, width in enumerate(widths[1:]):
            stride = 1 if i == 0 else 2
            blocks = [CifarBasicBlock(in_width, width, stride)]
            blocks += [
                CifarBasicBlock(width, width) for _ in range(num_blocks - 1)
            ]
            self.add_module(f'layer{i + 1}', nn.Sequential(*blocks))
            in_width = width
        init_conv_bn(self)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """(N, in_channels, H, W) -> tuple of the ``out_indices`` stages."""
        x = self.relu(self.bn1(self.conv1(x)))
        feats = stage_outputs(x, (self.layer1, self.layer2, self.layer3))
        return tuple(feats[i] for i in self.out_indices)
