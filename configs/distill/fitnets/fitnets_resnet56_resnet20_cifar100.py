# resnet56 -> resnet20 on CIFAR-100 with FitNets (Romero et al.), hint = second
# stage, weight 100: RepDistiller's setting, see ../_base_/methods/fitnets.py.
# Student recipe and teacher checkpoint:
# ../_base_/resnet56_resnet20_cifar100.py.
# Built: student CE 1.0 | loss_hint: loss_weight 100
_base_ = [
    '../_base_/resnet56_resnet20_cifar100.py', '../_base_/methods/fitnets.py'
]

# The hint: the second stage of both nets, (N, 32, 16, 16).
model = dict(
    distiller=dict(
        _base_.fitnets_distiller,
        student_recorders=dict(hint=_base_.resnet_stage_recorders.f2),
        teacher_recorders=dict(hint=_base_.resnet_stage_recorders.f2),
        connectors=dict(
            regressor=dict(
                _base_.fitnets_regressor, in_channel=32, out_channel=32))))
