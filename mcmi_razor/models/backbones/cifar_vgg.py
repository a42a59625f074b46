"""VGG-BN nets of the KD literature (RepDistiller's ``vgg*``, FC removed)."""
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmpretrain.models.backbones.base_backbone import BaseBackbone

from mcmi_razor.registry import MODELS

from .cifar_utils import check_out_indices, init_conv_bn


@MODELS.register_module()
class CifarVGG(BaseBackbone):
    """VGG with BatchNorm for 32x32 inputs as defined in RepDistiller.

    Five stages ``block0`` ... ``block4`` of conv3x3(bias)-BN-ReLU layers at
    widths 64/128/256/512/512, separated by 2x2 max pools ``pool0``,
    ``pool1``, ``pool2``. ``pool3`` is only applied to 64-pixel inputs, as in
    RepDistiller, so for a 32x32 input the stage outputs are
    ``(N, 64, 32, 32)``, ``(N, 128, 16, 16)``, ``(N, 256, 8, 8)``,
    ``(N, 512, 4, 4)``, ``(N, 512, 4, 4)``; a 28x28 input gives 28/14/7/3/3.
    The classifier of RepDistiller is adaptive average pooling then one
    linear layer, i.e. GAP + ``LinearClsHead(in_channels=512)``.

    Stages, by index for ``out_indices`` and by attribute name for hooks:
    ``i: block{i}`` for ``i`` in 0..4, whose outputs (after the ReLU) are
    RepDistiller's features ``f0 ... f4``. The pre-activation features
    ``f1_pre ... f4_pre`` are the outputs of each block's last BN,
    ``block{i}.{3 * n_i - 2}`` for a block of ``n_i`` convs.

    Args:
        depth (int): One of 8, 11, 13, 16, 19.
        in_channels (int): Image channels (3 for CIFAR, 1 for
            Fashion-MNIST).
        out_indices (int | Sequence[int]): Stages whose outputs are
            returned. Defaults to the last stage.
        init_cfg (dict, optional): MMEngine initialisation config, applied by
            ``init_weights`` on top of RepDistiller's initialisation done at
            construction.
    """

    #: depth -> number of convs in each of the five stages.
    arch_settings = {
        8: (1, 1, 1, 1, 1),
        11: (1, 1, 2, 2, 2),
        13: (2, 2, 2, 2, 2),
        16: (2, 2, 3, 3, 3),
        19: (2, 2, 4, 4, 4),
    }
    stage_widths = (64, 128, 256, 512, 512)
    num_stages = 5

    def __init__(self,
                 depth: int = 13,
                 in_channels: int = 3,
                 out_indices: Union[int, Sequence[int]] = -1,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if depth not in self.arch_settings:
            raise ValueError(
                f'Unknown CifarVGG depth {depth}; expected one of '
                f'{sorted(self.arch_settings)}.')
        self.out_indices = check_out_indices(out_indices, self.num_stages)
        self.out_channels = self.stage_widths

        in_width = in_channels
        for i, (num_convs, width) in enumerate(
                zip(self.arch_settings[depth], self.stage_widths)):
            layers = []
            for _ in range(num_convs):
                layers += [
                    nn.Conv2d(in_width, width, 3, padding=1),
                    nn.BatchNorm2d(width),
                    nn.ReLU()
                ]
                in_width = width
            self.add_module(f'block{i}', nn.Sequential(*layers))
        for i in range(4):
            self.add_module(f'pool{i}', nn.MaxPool2d(kernel_size=2, stride=2))
        init_conv_bn(self)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """(N, in_channels, H, W) -> tuple of the ``out_indices`` stages."""
        input_size = x.shape[2]
        feats = []
        for i in range(self.num_stages):
            # pool{i-1} precedes block{i}; RepDistiller skips pool3 unless
            # the input has 64 pixels.
            if i in (1, 2, 3) or (i == 4 and input_size == 64):
                x = getattr(self, f'pool{i - 1}')(x)
            x = getattr(self, f'block{i}')(x)
            feats.append(x)
        return tuple(feats[i] for i in self.out_indices)
