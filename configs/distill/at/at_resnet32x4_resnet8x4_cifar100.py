# resnet32x4 -> resnet8x4 on CIFAR-100 with AT (Zagoruyko & Komodakis), p = 2,
# weight 1000 per stage: RepDistiller's setting, see ../_base_/methods/at.py.
# Student recipe and teacher checkpoint:
# ../_base_/resnet32x4_resnet8x4_cifar100.py.
# Built: student CE 1.0 | loss_at1: loss_weight 1000
# Built: loss_at2: loss_weight 1000 | loss_at3: loss_weight 1000
_base_ = [
    '../_base_/resnet32x4_resnet8x4_cifar100.py', '../_base_/methods/at.py'
]

# The output of every stage of both nets (layer1..layer3).
model = dict(
    distiller=dict(
        _base_.at_distiller,
        student_recorders=_base_.resnet_stage_recorders,
        teacher_recorders=_base_.resnet_stage_recorders))
