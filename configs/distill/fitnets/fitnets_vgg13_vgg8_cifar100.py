# vgg13 -> vgg8 on CIFAR-100 with FitNets (Romero et al.), hint = second
# stage, weight 100: RepDistiller's setting, see ../_base_/methods/fitnets.py.
# Student recipe and teacher checkpoint: ../_base_/vgg13_vgg8_cifar100.py.
# Built: student CE 1.0 | loss_hint: loss_weight 100
_base_ = ['../_base_/vgg13_vgg8_cifar100.py', '../_base_/methods/fitnets.py']

# The hint: the second stage of both nets, (N, 256, 8, 8).
model = dict(
    distiller=dict(
        _base_.fitnets_distiller,
        student_recorders=dict(hint=_base_.vgg_stage_recorders.f2),
        teacher_recorders=dict(hint=_base_.vgg_stage_recorders.f2),
        connectors=dict(
            regressor=dict(
                _base_.fitnets_regressor, in_channel=256, out_channel=256))))
