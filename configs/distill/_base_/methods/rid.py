# RID, redundant information distillation (Dissanayake et al., AISTATS 2025,
# arXiv 2411.07483), with the weights and the phase schedule of the authors'
# CIFAR-100 runs (alpha = [1, 10], 20 rounds of 12 epochs, the first 3 on
# the filters, gradient norm clipped at 100); docs/rid.md has the maths and
# where we differ from their code. On each of the three stages j
# (RepDistiller's feat[1:-1], as for AT), a teacher filter f_t with a
# classification head and a student filter f_s (RIDLoss, one per stage):
#   filter phase:  sum_j [CE(head_j(f_t(T_j)), y)
#                  + [round >= 1] mean((f_s(S_j) - f_t(T_j))^2 / s_j^2)],
#   student phase: 1.0 * CE(student) + 10 * sum_j mean(log s_j^2
#                  + (f_s(S_j) - f_t(T_j))^2 / s_j^2),
# alternating 3 filter and 9 student epochs per round (RIDPhaseHook).
# A method config records the stages as f1, f2, f3 (../recorders.py) and
# gives their channels:
#   model = dict(distiller=dict(_base_.rid_distiller,
#       student_recorders=dict(_base_.wrn_stage_recorders,
#                              labels=_base_.rid_labels),
#       teacher_recorders=_base_.wrn_stage_recorders,
#       distill_losses=dict(loss_rid1=dict(_base_.rid_loss,
#           student_channels=..., teacher_channels=...), ...)))
#   custom_hooks = [_base_.rid_phase_hook]
#   optim_wrapper = dict(clip_grad=_base_.rid_clip_grad)
# The student's cross-entropy keeps its weight 1.0 (alpha_0).
_base_ = ['../recorders.py']

rid_distiller = dict(
    loss_forward_mappings={
        f'loss_rid{j}': dict(
            s_feature=dict(from_student=True, recorder=f'f{j}'),
            t_feature=dict(from_student=False, recorder=f'f{j}'),
            gt_labels=dict(from_student=True, recorder='labels', data_idx=1))
        for j in (1, 2, 3)
    })
# the labels, as the student's head hands them to its loss
rid_labels = dict(type='ModuleInputs', source='head.loss_module')
rid_loss = dict(type='mcmi_razor.RIDLoss', num_classes=100, loss_weight=10.0)
rid_phase_hook = dict(
    type='mcmi_razor.RIDPhaseHook', filter_epochs=3, student_epochs=9)
rid_clip_grad = dict(max_norm=100)
# The recorders of the CIFAR ResNets (resnet8..110, both nets of a pair):
# their three stages backbone.layer1..3 as f1..f3, plus the labels.
rid_resnet_teacher_recorders = _base_.resnet_stage_recorders
rid_resnet_student_recorders = dict(_base_.resnet_stage_recorders,
                                    labels=rid_labels)
