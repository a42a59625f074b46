# wrn_40_2 -> wrn_16_2 on CIFAR-100 with RID (Dissanayake et al., AISTATS
# 2025), the authors' weights and schedule, see ../_base_/methods/rid.py and
# docs/rid.md. Student recipe and teacher checkpoint:
# ../_base_/wrn_40_2_wrn_16_2_cifar100.py (240 epochs = 20 rounds of 3 filter
# + 9 student epochs).
# Built: student CE 1.0 | loss_rid1: loss_weight 10, student_channels 32
# Built: loss_rid2: loss_weight 10, student_channels 64
# Built: loss_rid3: loss_weight 10, student_channels 128
_base_ = [
    '../_base_/wrn_40_2_wrn_16_2_cifar100.py', '../_base_/methods/rid.py'
]

# The three stages of both nets: (N, 32, 32, 32), (N, 64, 16, 16),
# (N, 128, 8, 8) (block3 before the final BN-ReLU, as RepDistiller's f3).
model = dict(
    distiller=dict(
        _base_.rid_distiller,
        student_recorders=dict(
            _base_.wrn_stage_recorders, labels=_base_.rid_labels),
        teacher_recorders=_base_.wrn_stage_recorders,
        distill_losses=dict(
            loss_rid1=dict(
                _base_.rid_loss, student_channels=32, teacher_channels=32),
            loss_rid2=dict(
                _base_.rid_loss, student_channels=64, teacher_channels=64),
            loss_rid3=dict(
                _base_.rid_loss, student_channels=128,
                teacher_channels=128))))

custom_hooks = [_base_.rid_phase_hook]
optim_wrapper = dict(clip_grad=_base_.rid_clip_grad)
