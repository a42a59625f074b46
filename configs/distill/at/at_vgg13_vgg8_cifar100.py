# vgg13 -> vgg8 on CIFAR-100 with AT (Zagoruyko & Komodakis), p = 2, weight
# 1000 per stage: RepDistiller's setting, see ../_base_/methods/at.py.
# Student recipe and teacher checkpoint: ../_base_/vgg13_vgg8_cifar100.py.
# Built: student CE 1.0 | loss_at1: loss_weight 1000
# Built: loss_at2: loss_weight 1000 | loss_at3: loss_weight 1000
# Built: loss_at4: loss_weight 1000
_base_ = ['../_base_/vgg13_vgg8_cifar100.py', '../_base_/methods/at.py']

# The output of every stage but the first of both VGGs (block1..block4),
# RepDistiller's feat[1:-1].
model = dict(
    distiller=dict(
        _base_.at_distiller_vgg,
        student_recorders=_base_.vgg_stage_recorders,
        teacher_recorders=_base_.vgg_stage_recorders))
