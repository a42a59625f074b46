# DIST (Huang et al., NeurIPS 2022) with its CIFAR-100 setting as we read
# the paper: beta = gamma = 2, tau = 4, CE weight 1. Not checked against the
# authors' CIFAR config (configs/strategies/distill/dist_cifar.yaml of their
# classification code), which was not available here.
#   loss = CE(student) + tau^2 * (beta * inter + gamma * intra),
# inter / intra = 1 - mean Pearson correlation of softmax(z / tau) between
# student and teacher across classes (per sample) / across samples (per
# class), on the logits of both heads.
# A method config applies it to a pair: model = dict(_base_.dist_model).
_base_ = ['../recorders.py']

dist_model = dict(
    distiller=dict(
        student_recorders=_base_.logits_recorders,
        teacher_recorders=_base_.logits_recorders,
        distill_losses=dict(
            loss_dist=dict(
                type='DISTLoss',
                inter_loss_weight=2.0,
                intra_loss_weight=2.0,
                tau=4,
                loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_dist=dict(
                logits_S=dict(from_student=True, recorder='logits'),
                logits_T=dict(from_student=False, recorder='logits')))))
