"""Helpers shared by the CIFAR model zoo backbones."""
from typing import Iterable, List, Sequence, Tuple, Union

import torch
import torch.nn as nn


def check_out_indices(out_indices: Union[int, Sequence[int]],
                      num_stages: int) -> Tuple[int, ...]:
    """Validate ``out_indices`` and make negative indices positive.

    Args:
        out_indices (int | Sequence[int]): Stage indices to return; ``-1`` is
            the last stage.
        num_stages (int): Number of stages of the backbone.

    Returns:
        tuple[int]: Sorted, positive and unique stage indices.
    """
    if isinstance(out_indices, int):
        out_indices = (out_indices, )
    indices = []
    for index in out_indices:
        if not -num_stages <= index < num_stages:
            raise ValueError(
                f'out_indices {tuple(out_indices)} has {index}, but this '
                f'backbone has {num_stages} stages: use indices in '
                f'[{-num_stages}, {num_stages - 1}].')
        indices.append(index % num_stages)
    return tuple(sorted(set(indices)))


def init_conv_bn(module: nn.Module) -> None:
    """RepDistiller's explicit initialisation of the conv nets it defines.

    Conv weights ~ N(0, 2 / (k * k * C_out)) (Kaiming normal, fan-out, ReLU),
    conv biases 0, BatchNorm weights 1 and biases 0.
    """
    for m in module.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(
                m.weight, mode='fan_out', nonlinearity='relu')
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)


def stage_outputs(x: torch.Tensor,
                  stages: Iterable[nn.Module]) -> List[torch.Tensor]:
    """Run ``stages`` one after the other from ``x``; the output of each
    (what ``out_indices`` picks from)."""
    feats = []
    for stage in stages:
        x = stage(x)
        feats.append(x)
    return feats


def channel_shuffle(x: torch.Tensor, groups: int) -> torch.Tensor:
    """Interleave the channels of ``groups`` groups: (N, C, H, W) -> same.

    Channel ``g * (C / groups) + j`` moves to ``j * groups + g``.
    """
    n, c, h, w = x.shape
    x = x.view(n, groups, c // groups, h, w).transpose(1, 2)
    return x.reshape(n, c, h, w)
