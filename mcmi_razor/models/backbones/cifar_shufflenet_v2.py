"""ShuffleNetV2 of the KD literature (RepDistiller's ``ShuffleV2``)."""
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.backbones.base_backbone import BaseBackbone

from mcmi_razor.registry import MODELS

from .cifar_utils import channel_shuffle, check_out_indices, stage_outputs


class ShuffleV2Block(nn.Module):
    """Split the channels in halves; transform the second half; shuffle.

    The second half goes through 1x1-BN-ReLU, depthwise 3x3-BN and
    1x1-BN-ReLU, is concatenated after the untouched first half, and the
    two halves are shuffled: (N, C, H, W) -> (N, C, H, W).

    Args:
        channels (int): Input and output channels (even).
    """

    def __init__(self, channels: int) -> None:
        super().__init__()
        half = channels // 2
        self.conv1 = nn.Conv2d(half, half, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(half)
        self.conv2 = nn.Conv2d(
            half, half, 3, padding=1, groups=half, bias=False)
        self.bn2 = nn.BatchNorm2d(half)
        self.conv3 = nn.Conv2d(half, half, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(half)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C, H, W) -> (N, C, H, W)."""
        kept, x = x.chunk(2, dim=1)
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out = F.relu(self.bn3(self.conv3(out)))
        return channel_shuffle(torch.cat([kept, out], dim=1), 2)


class ShuffleV2DownBlock(nn.Module):
    """Two stride-2 branches, concatenated and shuffled.

    Left: depthwise 3x3/2-BN (``conv1``), 1x1-BN-ReLU (``conv2``). Right:
    1x1-BN-ReLU (``conv3``), depthwise 3x3/2-BN (``conv4``), 1x1-BN-ReLU
    (``conv5``). Each branch gives ``out_channels / 2`` channels:
    (N, C_in, H, W) -> (N, C_out, ceil(H / 2), ceil(W / 2)).

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels (even).
    """

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        mid = out_channels // 2
        self.conv1 = nn.Conv2d(
            in_channels, in_channels, 3, 2, padding=1, groups=in_channels,
            bias=False)
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv2 = nn.Conv2d(in_channels, mid, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(mid)
        self.conv3 = nn.Conv2d(in_channels, mid, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(mid)
        self.conv4 = nn.Conv2d(
            mid, mid, 3, 2, padding=1, groups=mid, bias=False)
        self.bn4 = nn.BatchNorm2d(mid)
        self.conv5 = nn.Conv2d(mid, mid, 1, bias=False)
        self.bn5 = nn.BatchNorm2d(mid)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C_in, H, W) -> (N, C_out, ceil(H / 2), ceil(W / 2))."""
        left = self.bn1(self.conv1(x))
        left = F.relu(self.bn2(self.conv2(left)))
        right = F.relu(self.bn3(self.conv3(x)))
        right = self.bn4(self.conv4(right))
        right = F.relu(self.bn5(self.conv5(right)))
        return channel_shuffle(torch.cat([left, right], dim=1), 2)


@MODELS.register_module()
class CifarShuffleNetV2(BaseBackbone):
    """ShuffleNetV2 for 32x32 inputs as defined in RepDistiller.

    A 1x1 conv-BN-ReLU stem (``conv1``, ``bn1``) to 24 channels at full
    resolution, three stages ``layer1``, ``layer2``, ``layer3``, each a
    :class:`ShuffleV2DownBlock` followed by 3, 7 and 3
    :class:`ShuffleV2Block`, then a 1x1 conv-BN-ReLU (``conv2``, ``bn2``).
    For a 32x32 input and ``widen_factor=1.0`` the stage outputs are
    ``(N, 116, 16, 16)``, ``(N, 232, 8, 8)``, ``(N, 464, 4, 4)`` and
    ``(N, 1024, 4, 4)``; a 28x28 input gives 14/7/4/4. RepDistiller leaves
    the PyTorch default initialisation, so do we.

    Stages, by index for ``out_indices`` and by attribute name for hooks:
    ``0: layer1``, ``1: layer2``, ``2: layer3``, ``3: relu(bn2(conv2))``
    (the default; a hook on ``bn2`` records it before the ReLU). Outputs
    0-2 are RepDistiller's features ``f1, f2, f3``.

    Args:
        widen_factor (float): One of :attr:`arch_settings`; RepDistiller's
            ``ShuffleV2`` is 1.0.
        in_channels (int): Image channels (3 for CIFAR, 1 for
            Fashion-MNIST).
        out_indices (int | Sequence[int]): Stages whose outputs are
            returned. Defaults to the last one (index 3).
        init_cfg (dict, optional): MMEngine initialisation config.
    """

    #: widen_factor -> (stage widths + final width, blocks after each down).
    arch_settings = {
        0.5: ((48, 96, 192, 1024), (3, 7, 3)),
        1.0: ((116, 232, 464, 1024), (3, 7, 3)),
        1.5: ((176, 352, 704, 1024), (3, 7, 3)),
        2.0: ((224, 488, 976, 2048), (3, 7, 3)),
    }
    stem_width = 24
    num_stages = 4

    def __init__(self,
                 widen_factor: float = 1.0,
                 in_channels: int = 3,
                 out_indices: Union[int, Sequence[int]] = -1,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if widen_factor not in self.arch_settings:
            raise ValueError(
                f'Unknown CifarShuffleNetV2 widen_factor {widen_factor}; '
                f'expected one of {sorted(self.arch_settings)}.')
        widths, stage_blocks = self.arch_settings[widen_factor]
        self.out_indices = check_out_indices(out_indices, self.num_stages)
        self.out_channels = widths
        self.conv1 = nn.Conv2d(in_channels, self.stem_width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(self.stem_width)
        width = self.stem_width
        for i, (out_width, num_blocks) in enumerate(
                zip(widths[:3], stage_blocks)):
            blocks = [ShuffleV2DownBlock(width, out_width)]
            blocks += [ShuffleV2Block(out_width) for _ in range(num_blocks)]
            self.add_module(f'layer{i + 1}', nn.Sequential(*blocks))
            width = out_width
        self.conv2 = nn.Conv2d(width, widths[-1], 1, bias=False)
        self.bn2 = nn.BatchNorm2d(widths[-1])

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """(N, in_channels, H, W) -> tuple of the ``out_indices`` stages."""
        x = F.relu(self.bn1(self.conv1(x)))
        feats = stage_outputs(x, (self.layer1, self.layer2, self.layer3))
        feats.append(F.relu(self.bn2(self.conv2(feats[-1]))))
        return tuple(feats[i] for i in self.out_indices)
