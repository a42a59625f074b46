"""ShuffleNetV1 of the KD literature (RepDistiller's ``ShuffleV1``)."""
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.backbones.base_backbone import BaseBackbone

from mcmi_razor.registry import MODELS

from .cifar_utils import channel_shuffle, check_out_indices, stage_outputs


class ShuffleV1Block(nn.Module):
    """Grouped 1x1 - shuffle - depthwise 3x3 - grouped 1x1, plus shortcut.

    ``conv1`` reduces to ``out_channels / 4`` with ``in_groups`` groups, the
    channels are shuffled across those groups, ``conv2`` is depthwise (then
    BN-ReLU, as in the reference code), ``conv3`` expands with ``groups``
    groups. With ``stride == 1`` the input is added; with ``stride == 2`` a
    3x3 average pool of the input is concatenated, so the block outputs
    ``out_channels + in_channels`` channels. ReLU at the end.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Channels produced by ``conv3``.
        stride (int): 1 or 2.
        groups (int): Groups of ``conv3``.
        in_groups (int): Groups of ``conv1`` and of the shuffle.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int,
                 groups: int, in_groups: int) -> None:
        super().__init__()
        mid = out_channels // 4
        self.stride = stride
        self.in_groups = in_groups
        self.conv1 = nn.Conv2d(
            in_channels, mid, 1, groups=in_groups, bias=False)
        self.bn1 = nn.BatchNorm2d(mid)
        self.conv2 = nn.Conv2d(
            mid, mid, 3, stride, padding=1, groups=mid, bias=False)
        self.bn2 = nn.BatchNorm2d(mid)
        self.conv3 = nn.Conv2d(mid, out_channels, 1, groups=groups, bias=False)
        self.bn3 = nn.BatchNorm2d(out_channels)
        self.shortcut = nn.AvgPool2d(3, 2, padding=1) if stride == 2 else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C_in, H, W) -> (N, C_out [+ C_in], H / stride, W / stride)."""
        out = F.relu(self.bn1(self.conv1(x)))
        out = channel_shuffle(out, self.in_groups)
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.shortcut is None:
            return F.relu(out + x)
        return F.relu(torch.cat([out, self.shortcut(x)], dim=1))


@MODELS.register_module()
class CifarShuffleNetV1(BaseBackbone):
    """ShuffleNetV1 (g = 3) for 32x32 inputs as defined in RepDistiller.

    A 1x1 conv-BN-ReLU stem (``conv1``, ``bn1``) to 24 channels at full
    resolution, then three stages ``layer1``, ``layer2``, ``layer3`` of 4, 8
    and 4 :class:`ShuffleV1Block`, each starting with a stride-2 block. For
    a 32x32 input the stage outputs are ``(N, 240, 16, 16)``,
    ``(N, 480, 8, 8)``, ``(N, 960, 4, 4)``; a 28x28 input gives 14/7/4.
    RepDistiller leaves the PyTorch default initialisation, so do we.

    Stages, by index for ``out_indices`` and by attribute name for hooks:
    ``0: layer1``, ``1: layer2``, ``2: layer3``; their outputs are
    RepDistiller's features ``f1, f2, f3``.

    Args:
        in_channels (int): Image channels (3 for CIFAR, 1 for
            Fashion-MNIST).
        out_indices (int | Sequence[int]): Stages whose outputs are
            returned. Defaults to the last stage.
        init_cfg (dict, optional): MMEngine initialisation config.
    """

    stem_width = 24
    stage_widths = (240, 480, 960)
    stage_blocks = (4, 8, 4)
    groups = 3
    num_stages = 3

    def __init__(self,
                 in_channels: int = 3,
                 out_indices: Union[int, Sequence[int]] = -1,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.out_indices = check_out_indices(out_indices, self.num_stages)
        self.out_channels = self.stage_widths
        self.conv1 = nn.Conv2d(in_channels, self.stem_width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(self.stem_width)
        width = self.stem_width
        for i, (out_width, num_blocks) in enumerate(
                zip(self.stage_widths, self.stage_blocks)):
            # The first block of a stage concatenates its input, so it only
            # produces the missing channels. The 24-channel stem is too
            # narrow to group, so the very first block reads it ungrouped.
            in_groups = 1 if width == self.stem_width else self.groups
            blocks = [
                ShuffleV1Block(width, out_width - width, 2, self.groups,
                               in_groups)
            ]
            blocks += [
                ShuffleV1Block(out_width, out_width, 1, self.groups,
                               self.groups) for _ in range(num_blocks - 1)
            ]
            self.add_module(f'layer{i + 1}', nn.Sequential(*blocks))
            width = out_width

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """(N, in_channels, H, W) -> tuple of the ``out_indices`` stages."""
        x = F.relu(self.bn1(self.conv1(x)))
        feats = stage_outputs(x, (self.layer1, self.layer2, self.layer3))
        return tuple(feats[i] for i in self.out_indices)
