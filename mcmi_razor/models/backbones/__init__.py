"""The CIFAR knowledge-distillation model zoo (RepDistiller definitions).

Each backbone returns a tuple of (N, C, H, W) stage maps; with
``GlobalAveragePooling`` and ``LinearClsHead`` it computes RepDistiller's
classifier exactly. :mod:`.repdistiller_keys` maps their checkpoints to ours.
"""
from .cifar_mobilenet_v2 import CifarMobileNetV2
from .cifar_resnet import CifarResNet
from .cifar_shufflenet_v1 import CifarShuffleNetV1
from .cifar_shufflenet_v2 import CifarShuffleNetV2
from .cifar_vgg import CifarVGG
from .cifar_wide_resnet import CifarWideResNet

__all__ = [
    'CifarResNet', 'CifarWideResNet', 'CifarVGG', 'CifarMobileNetV2',
    'CifarShuffleNetV1', 'CifarShuffleNetV2'
]
