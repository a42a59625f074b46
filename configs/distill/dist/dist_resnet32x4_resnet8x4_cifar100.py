# resnet32x4 -> resnet8x4 on CIFAR-100 with DIST (Huang et al., NeurIPS 2022),
# beta = gamma = 2, tau = 4: the paper's CIFAR-100 setting, see
# ../_base_/methods/dist.py.
# Student recipe and teacher checkpoint:
# ../_base_/resnet32x4_resnet8x4_cifar100.py.
# Built: student CE 1.0
# Built: loss_dist: tau 4, inter_loss_weight 2.0, intra_loss_weight 2.0
_base_ = [
    '../_base_/resnet32x4_resnet8x4_cifar100.py', '../_base_/methods/dist.py'
]

model = dict(_base_.dist_model)
