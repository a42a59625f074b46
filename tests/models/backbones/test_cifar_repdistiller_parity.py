"""Our classifiers have exactly RepDistiller's layers, keys and sizes.

The facts come from running RepDistiller's own ``models`` package
(HobbitLong/RepDistiller, commit eedab9d) with ``num_classes=100``:
``tests/fixtures/repdistiller_state_dicts.json`` lists, per ``model_dict``
name, the (key, shape) of every state-dict entry in order, and
``NUM_PARAMS`` is ``sum(p.numel() for p in model.parameters())``.
"""
import json
from pathlib import Path

import pytest
import torch
from mmengine.config import Config

import mcmi_razor  # noqa: F401  (registers the backbones)
from mcmi_razor.models.backbones import CifarShuffleNetV2
from mcmi_razor.models.backbones.repdistiller_keys import (
    ARCHS,
    REPDISTILLER_ALIASES,
    classifier_cfg,
    convert_key,
    resolve_arch,
)
from mcmi_razor.registry import MODELS

REPO = Path(__file__).resolve().parents[3]
MANIFEST = json.loads(
    (REPO / 'tests/fixtures/repdistiller_state_dicts.json').read_text())

NUM_PARAMS = {
    'resnet8': 83892,
    'resnet14': 181108,
    'resnet20': 278324,
    'resnet32': 472756,
    'resnet44': 667188,
    'resnet56': 861620,
    'resnet110': 1736564,
    'resnet8x4': 1233540,
    'resnet32x4': 7433860,
    'wrn_16_1': 180916,
    'wrn_16_2': 703284,
    'wrn_40_1': 569780,
    'wrn_40_2': 2255156,
    'vgg8': 3965028,
    'vgg11': 9277284,
    'vgg13': 9462180,
    'vgg16': 14774436,
    'vgg19': 20086692,
    'mobile_half': 812836,
    'ShuffleV1': 949258,
    'ShuffleV2': 1355528,
}
#: ``ShuffleNetV2(net_size=s, num_classes=100)`` of RepDistiller.
SHUFFLENET_V2_NUM_PARAMS = {0.5: 443716, 1.5: 2580548, 2.0: 5521860}


def classifier(arch: str) -> torch.nn.Module:
    return MODELS.build(classifier_cfg(arch))


def test_zoo_covers_every_repdistiller_cifar_net():
    assert set(MANIFEST) == set(NUM_PARAMS)
    assert {resolve_arch(name) for name in NUM_PARAMS} == set(ARCHS)
    assert set(REPDISTILLER_ALIASES) <= set(NUM_PARAMS)


@pytest.mark.parametrize('name', list(NUM_PARAMS))
def test_parameter_count_equals_repdistiller(name, mcmi_razor_scope):
    model = classifier(resolve_arch(name))
    assert sum(p.numel() for p in model.parameters()) == NUM_PARAMS[name]


@pytest.mark.parametrize('widen_factor', list(SHUFFLENET_V2_NUM_PARAMS))
def test_shufflenet_v2_widths_equal_repdistiller(widen_factor):
    backbone = CifarShuffleNetV2(widen_factor=widen_factor)
    head = backbone.out_channels[-1] * 100 + 100
    assert sum(p.numel() for p in backbone.parameters()) + head == \
        SHUFFLENET_V2_NUM_PARAMS[widen_factor]


@pytest.mark.parametrize('name', list(MANIFEST))
def test_converted_keys_and_shapes_equal_ours_in_order(
        name, mcmi_razor_scope):
    arch = resolve_arch(name)
    theirs = [(convert_key(arch, key), tuple(shape))
              for key, shape in MANIFEST[name]]
    ours = [(key, tuple(value.shape))
            for key, value in classifier(arch).state_dict().items()]
    assert theirs == ours


@pytest.mark.parametrize('arch', list(ARCHS))
def test_model_config_builds_the_converter_classifier(arch):
    path = REPO / f'configs/_base_/models/{arch}_cifar.py'
    assert Config.fromfile(path).model.to_dict() == classifier_cfg(arch)
