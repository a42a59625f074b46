# DKD (Zhao et al., CVPR 2022) with its CIFAR-100 setting (the authors'
# mdistiller, configs/cifar100/dkd/*.yaml and engine/cfg.py):
#   loss = CE(student) + alpha * TCKD + beta * NCKD,
# T = 4, alpha = 1, and beta per pair, set by each method config: 2 for
# resnet56 -> resnet20, 6 for wrn_40_2 -> wrn_16_2 and vgg13 -> vgg8, 8 for
# resnet32x4 -> resnet8x4. Keep DKDLoss's default reduction='batchmean', DKD's
# mean over the batch: mmrazor's DKDLoss passes size_average=False to
# F.kl_div, so 'mean' (as in mmrazor's own dkd config) and 'sum' both sum
# over the batch. One difference from DKD's code: DKD ramps its loss in
# linearly over the first 20 epochs (warmup 20); mmrazor has no schedule for
# loss weights, so the full weight applies from the first iteration.
# A method config: model = dict(distiller=dict(_base_.dkd_distiller,
#     distill_losses=dict(loss_dkd=dict(_base_.dkd_loss, beta=...)))).
_base_ = ['../recorders.py']

dkd_distiller = dict(
    student_recorders=dict(
        _base_.logits_recorders,
        # the labels, as the student's head hands them to its loss
        gt_labels=dict(type='ModuleInputs', source='head.loss_module')),
    teacher_recorders=_base_.logits_recorders,
    loss_forward_mappings=dict(
        loss_dkd=dict(
            preds_S=dict(from_student=True, recorder='logits'),
            preds_T=dict(from_student=False, recorder='logits'),
            gt_labels=dict(
                from_student=True, recorder='gt_labels', data_idx=1))))
dkd_loss = dict(type='DKDLoss', tau=4, alpha=1.0, beta=8.0, loss_weight=1.0)
