# RID (Dissanayake et al., AISTATS 2025) resnet20 -> resnet8 on
# Fashion-MNIST with the authors' weights, see
# ../distill/_base_/methods/rid.py and docs/rid.md:
#   student phase: 1.0 * CE + 10 * sum_j RID NLL_j,
# over the 15 epochs of kd_r20_r8.py in 3 rounds of 1 filter + 4 student
# epochs (the authors' 1/5 of each round on the filters).
# Built: student CE 1.0 | loss_rid1: loss_weight 10, student_channels 16
# Built: loss_rid2: loss_weight 10, student_channels 32
# Built: loss_rid3: loss_weight 10, student_channels 64
# Teacher, student and schedule: _base_/r20_r8_distill.py.
_base_ = ['./_base_/r20_r8_distill.py', '../distill/_base_/methods/rid.py']

# Set explicitly: the student base's CE weight is what alpha_0 means here.
# The three stages of both nets: (N, 16, 28, 28), (N, 32, 14, 14),
# (N, 64, 7, 7).
model = dict(
    architecture=dict(head=dict(loss=dict(loss_weight=1.0))),
    distiller=dict(
        _base_.rid_distiller,
        student_recorders=_base_.rid_resnet_student_recorders,
        teacher_recorders=_base_.rid_resnet_teacher_recorders,
        distill_losses=dict(
            loss_rid1=dict(
                _base_.rid_loss, num_classes=10, student_channels=16,
                teacher_channels=16),
            loss_rid2=dict(
                _base_.rid_loss, num_classes=10, student_channels=32,
                teacher_channels=32),
            loss_rid3=dict(
                _base_.rid_loss, num_classes=10, student_channels=64,
                teacher_channels=64))))

custom_hooks = [dict(_base_.rid_phase_hook, filter_epochs=1, student_epochs=4)]
optim_wrapper = dict(clip_grad=_base_.rid_clip_grad)
