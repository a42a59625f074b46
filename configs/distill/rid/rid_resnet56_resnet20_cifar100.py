# resnet56 -> resnet20 on CIFAR-100 with RID (Dissanayake et al., AISTATS
# 2025), the authors' weights and schedule, see ../_base_/methods/rid.py and
# docs/rid.md. Student recipe and teacher checkpoint:
# ../_base_/resnet56_resnet20_cifar100.py (240 epochs = 20 rounds of 3 filter +
# 9 student epochs).
# Built: student CE 1.0 | loss_rid1: loss_weight 10, student_channels 16
# Built: loss_rid2: loss_weight 10, student_channels 32
# Built: loss_rid3: loss_weight 10, student_channels 64
_base_ = [
    '../_base_/resnet56_resnet20_cifar100.py', '../_base_/methods/rid.py'
]

# The three stages of both nets: (N, 16, 32, 32), (N, 32, 16, 16),
# (N, 64, 8, 8).
model = dict(
    distiller=dict(
        _base_.rid_distiller,
        student_recorders=_base_.rid_resnet_student_recorders,
        teacher_recorders=_base_.rid_resnet_teacher_recorders,
        distill_losses=dict(
            loss_rid1=dict(
                _base_.rid_loss, student_channels=16, teacher_channels=16),
            loss_rid2=dict(
                _base_.rid_loss, student_channels=32, teacher_channels=32),
            loss_rid3=dict(
                _base_.rid_loss, student_channels=64, teacher_channels=64))))

custom_hooks = [_base_.rid_phase_hook]
optim_wrapper = dict(clip_grad=_base_.rid_clip_grad)
