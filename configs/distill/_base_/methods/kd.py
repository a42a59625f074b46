# KD (Hinton et al., 2015) with RepDistiller's CIFAR-100 setting
# (scripts/run_cifar_distill.sh: --distill kd -r 0.1 -a 0.9 -b 0, kd_T 4):
#   loss = 0.1 * CE(student) + 0.9 * T^2 * KL(p_T || p_S),
# p = softmax(logits / T), T = 4, on the logits of both heads (head.fc).
# A method config applies it to a pair: model = dict(_base_.kd_model).
_base_ = ['../recorders.py']

kd_model = dict(
    architecture=dict(head=dict(loss=dict(loss_weight=0.1))),
    distiller=dict(
        student_recorders=_base_.logits_recorders,
        teacher_recorders=_base_.logits_recorders,
        distill_losses=dict(
            loss_kd=dict(type='KLDivergence', tau=4, loss_weight=0.9)),
        loss_forward_mappings=dict(
            loss_kd=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits')))))
