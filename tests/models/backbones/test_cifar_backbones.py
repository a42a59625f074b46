"""Shapes, stage outputs and initialisation of the CIFAR zoo backbones."""
import pytest
import torch

import mcmi_razor  # noqa: F401  (registers the backbones)
from mcmi_razor.models.backbones import (
    CifarMobileNetV2,
    CifarResNet,
    CifarShuffleNetV1,
    CifarShuffleNetV2,
    CifarVGG,
    CifarWideResNet,
)
from mcmi_razor.models.backbones.cifar_utils import channel_shuffle
from mcmi_razor.models.backbones.repdistiller_keys import ARCHS
from mcmi_razor.registry import MODELS

# Spatial size of every stage for 32x32 and 28x28 inputs. The last 32-pixel
# size is the window of RepDistiller's fixed pooling (AvgPool2d(8) for
# ResNet/WRN, avg_pool2d(4) for ShuffleNets, AvgPool2d(2) for MobileNetV2;
# VGG pools adaptively), so global average pooling computes the same thing.
STAGE_SIZES = {
    'CifarResNet': ((32, 16, 8), (28, 14, 7)),
    'CifarWideResNet': ((32, 16, 8, 8), (28, 14, 7, 7)),
    'CifarVGG': ((32, 16, 8, 4, 4), (28, 14, 7, 3, 3)),
    'CifarMobileNetV2': ((16, 16, 8, 4, 4, 2, 2, 2),
                         (14, 14, 7, 4, 4, 2, 2, 2)),
    'CifarShuffleNetV1': ((16, 8, 4), (14, 7, 4)),
    'CifarShuffleNetV2': ((16, 8, 4, 4), (14, 7, 4, 4)),
}


@pytest.fixture(autouse=True, scope='module')
def one_thread():
    """Batches of 2: one thread is faster, and not slowed by busy cores."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def build(arch: str, **kwargs) -> torch.nn.Module:
    backbone = MODELS.build(dict(ARCHS[arch].backbone, **kwargs))
    backbone.eval()
    return backbone


@pytest.mark.parametrize('arch', list(ARCHS))
def test_default_output_is_the_last_stage_fed_to_the_head(
        arch, mcmi_razor_scope):
    backbone = build(arch)
    assert backbone.out_indices == (backbone.num_stages - 1, )
    assert backbone.out_channels[-1] == ARCHS[arch].feat_channels


@pytest.mark.parametrize('arch', list(ARCHS))
@pytest.mark.parametrize('in_channels,size', [(3, 32), (1, 28)])
def test_all_stages_have_documented_shapes(arch, in_channels, size,
                                           mcmi_razor_scope):
    num_stages = MODELS.get(ARCHS[arch].backbone['type']).num_stages
    backbone = build(
        arch, in_channels=in_channels, out_indices=tuple(range(num_stages)))
    with torch.no_grad():
        outs = backbone(torch.randn(2, in_channels, size, size))
    sizes = STAGE_SIZES[type(backbone).__name__][size == 28]
    assert [tuple(out.shape) for out in outs] == [
        (2, channels, hw, hw)
        for channels, hw in zip(backbone.out_channels, sizes)
    ]


@pytest.mark.parametrize('cls,num_stages', [(CifarResNet, 3),
                                            (CifarWideResNet, 4),
                                            (CifarVGG, 5),
                                            (CifarShuffleNetV1, 3),
                                            (CifarShuffleNetV2, 4)])
def test_out_indices_select_stages(cls, num_stages):
    backbone = cls(out_indices=(0, -1))
    assert backbone.out_indices == (0, num_stages - 1)
    outs = backbone(torch.randn(1, 3, 32, 32))
    assert [out.shape[1] for out in outs] == [
        backbone.out_channels[0], backbone.out_channels[-1]
    ]
    with pytest.raises(ValueError, match=f'has {num_stages} stages'):
        cls(out_indices=(num_stages, ))


def test_mobilenet_v2_stage_7_is_conv2():
    backbone = CifarMobileNetV2(out_indices=(1, 7))
    outs = backbone(torch.randn(1, 3, 32, 32))
    assert [out.shape[1] for out in outs] == [12, 1280]


def test_vgg_applies_pool3_only_to_64_pixel_inputs():
    backbone = CifarVGG(depth=8, out_indices=(3, 4))
    outs = backbone(torch.randn(1, 3, 64, 64))
    assert [out.shape[-1] for out in outs] == [8, 4]


def test_stage_modules_record_the_returned_features():
    """Distillation configs hook ``layer1..3``; they must see the outputs."""
    backbone = CifarResNet('resnet8', out_indices=(0, 1, 2))
    recorded = []
    for name in ('layer1', 'layer2', 'layer3'):
        getattr(backbone, name).register_forward_hook(
            lambda module, args, out: recorded.append(out))
    outs = backbone(torch.randn(1, 3, 32, 32))
    for out, seen in zip(outs, recorded):
        assert out is seen


def test_convs_are_kaiming_fan_out_and_bns_unit():
    backbone = CifarResNet('resnet56')
    weight = backbone.layer3[1].conv1.weight
    expected_std = (2 / (9 * 64))**0.5
    assert abs(weight.std().item() / expected_std - 1) < 0.05
    assert torch.equal(backbone.layer3[1].bn1.weight, torch.ones(64))
    vgg = CifarVGG(depth=8)
    assert torch.equal(vgg.block0[0].bias, torch.zeros(64))


@pytest.mark.parametrize('cfg,message', [
    (dict(type='CifarResNet', arch='resnet18'), 'Unknown CifarResNet arch'),
    (dict(type='CifarWideResNet', depth=30), '6n \\+ 4'),
    (dict(type='CifarVGG', depth=12), 'Unknown CifarVGG depth'),
    (dict(type='CifarShuffleNetV2', widen_factor=0.3), 'widen_factor 0.3'),
])
def test_bad_arch_arguments_name_the_valid_ones(cfg, message,
                                                mcmi_razor_scope):
    with pytest.raises(ValueError, match=message):
        MODELS.build(cfg)


def test_channel_shuffle_interleaves_groups():
    x = torch.arange(6.).view(1, 6, 1, 1)
    assert channel_shuffle(x, 2).flatten().tolist() == [0, 3, 1, 4, 2, 5]
