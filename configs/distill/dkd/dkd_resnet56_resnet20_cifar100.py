# resnet56 -> resnet20 on CIFAR-100 with DKD (Zhao et al., CVPR 2022), T = 4,
# alpha = 1, beta = 2: DKD's CIFAR-100 setting for this pair
# (res56_res20.yaml), see ../_base_/methods/dkd.py (no 20-epoch warm-up in
# stock mmrazor).
# Student recipe and teacher checkpoint:
# ../_base_/resnet56_resnet20_cifar100.py.
# Built: student CE 1.0 | loss_dkd: tau 4, alpha 1.0, beta 2.0, loss_weight 1.0
_base_ = [
    '../_base_/resnet56_resnet20_cifar100.py', '../_base_/methods/dkd.py'
]

model = dict(
    distiller=dict(
        _base_.dkd_distiller,
        distill_losses=dict(
            loss_dkd=dict(_base_.dkd_loss, beta=2.0))))
