"""RepDistiller checkpoints as our classifiers: the arch table and key map.

RepDistiller (and the official MCMI code built on it) names a network by its
``model_dict`` key and saves ``{'model': state_dict, ...}``. Our classifier
for the same arch is ``ImageClassifier(backbone, GlobalAveragePooling,
LinearClsHead)``, whose state-dict keys are RepDistiller's prefixed with
``backbone.``, except:

- the final linear layer (``fc``, ``classifier``, ``classifier.0`` or
  ``linear``, per family) becomes ``head.fc``;
- WRN stages have no ``NetworkBlock`` wrapper: ``block1.layer.0.*`` becomes
  ``backbone.block1.0.*``.

Shapes are unchanged, and the order of the keys is kept.
"""
import re
from collections import OrderedDict
from typing import Dict, Mapping, NamedTuple


class ArchSpec(NamedTuple):
    """How one RepDistiller arch is built and converted.

    Attributes:
        backbone (dict): Our backbone config.
        feat_channels (int): Channels after global pooling, i.e. the
            ``in_channels`` of the linear head.
        fc_prefix (str): RepDistiller's name of the final linear layer.
    """
    backbone: dict
    feat_channels: int
    fc_prefix: str


def _resnets() -> Dict[str, ArchSpec]:
    archs = {
        f'resnet{depth}': 64
        for depth in (8, 14, 20, 32, 44, 56, 110)
    }
    archs.update(resnet8x4=256, resnet32x4=256)
    return {
        name: ArchSpec(dict(type='CifarResNet', arch=name), width, 'fc')
        for name, width in archs.items()
    }


#: Our arch names (those of ``configs/_base_/models/<arch>_cifar.py``).
ARCHS: Dict[str, ArchSpec] = {
    **_resnets(),
    **{
        f'wrn_{depth}_{k}': ArchSpec(
            dict(type='CifarWideResNet', depth=depth, widen_factor=k),
            64 * k, 'fc')
        for depth, k in ((16, 1), (16, 2), (40, 1), (40, 2))
    },
    **{
        f'vgg{depth}': ArchSpec(
            dict(type='CifarVGG', depth=depth), 512, 'classifier')
        for depth in (8, 11, 13, 16, 19)
    },
    'mobilenetv2': ArchSpec(
        dict(type='CifarMobileNetV2', widen_factor=0.5), 1280,
        'classifier.0'),
    'shufflenetv1': ArchSpec(dict(type='CifarShuffleNetV1'), 960, 'linear'),
    'shufflenetv2': ArchSpec(
        dict(type='CifarShuffleNetV2', widen_factor=1.0), 1024, 'linear'),
}

#: RepDistiller ``model_dict`` names that differ from ours.
REPDISTILLER_ALIASES = {
    'mobile_half': 'mobilenetv2',
    'ShuffleV1': 'shufflenetv1',
    'ShuffleV2': 'shufflenetv2',
}

_WRN_WRAPPER = re.compile(r'^(block\d)\.layer\.')


def resolve_arch(name: str) -> str:
    """Our arch name for ``name`` (ours or RepDistiller's ``model_dict``)."""
    arch = REPDISTILLER_ALIASES.get(name, name)
    if arch not in ARCHS:
        raise ValueError(
            f'Unknown arch {name!r}. Valid archs: {", ".join(ARCHS)} (or '
            f'RepDistiller\'s names {", ".join(REPDISTILLER_ALIASES)}).')
    return arch


def classifier_cfg(arch: str,
                   num_classes: int = 100,
                   in_channels: int = 3) -> dict:
    """The ``ImageClassifier`` config of ``arch`` (as in its model config).

    Args:
        arch (str): Our or RepDistiller's arch name.
        num_classes (int): Classes of the linear head.
        in_channels (int): Image channels; only written when not 3.
    """
    spec = ARCHS[resolve_arch(arch)]
    backbone = dict(spec.backbone)
    if in_channels != 3:
        backbone['in_channels'] = in_channels
    return dict(
        type='ImageClassifier',
        backbone=backbone,
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=num_classes,
            in_channels=spec.feat_channels,
            loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))


def convert_key(arch: str, key: str) -> str:
    """Our classifier's key for RepDistiller's state-dict ``key``."""
    spec = ARCHS[resolve_arch(arch)]
    if key.startswith(spec.fc_prefix + '.'):
        return 'head.fc.' + key[len(spec.fc_prefix) + 1:]
    if spec.backbone['type'] == 'CifarWideResNet':
        key = _WRN_WRAPPER.sub(r'\1.', key)
    return 'backbone.' + key


def convert_state_dict(arch: str, state_dict: Mapping) -> OrderedDict:
    """Rename every key of a RepDistiller state dict; values are kept."""
    return OrderedDict(
        (convert_key(arch, key), value) for key, value in state_dict.items())
