# DKD (Zhao et al., CVPR 2022) resnet20 -> resnet8 on FontGlyphs100 with the
# CIFAR-100 setting of its resnet56 -> resnet20 pair (beta 2), see
# ../distill/_base_/methods/dkd.py (no 20-epoch warm-up in mmrazor):
#   loss = CE + TCKD + 2 * NCKD, T = 4.
# Built: student CE 1.0 | loss_dkd: tau 4, alpha 1.0, beta 2.0, loss_weight 1.0
# Teacher, student, data and schedule: _base_/r20_r8_distill.py.
_base_ = ['./_base_/r20_r8_distill.py', '../distill/_base_/methods/dkd.py']

model = dict(
    distiller=dict(
        _base_.dkd_distiller,
        distill_losses=dict(loss_dkd=dict(_base_.dkd_loss, beta=2.0))))
