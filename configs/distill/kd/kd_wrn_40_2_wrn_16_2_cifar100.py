# wrn_40_2 -> wrn_16_2 on CIFAR-100 with KD (Hinton et al.), T = 4, loss = 0.1
# * CE + 0.9 * KD: RepDistiller's setting, see ../_base_/methods/kd.py.
# Student recipe and teacher checkpoint:
# ../_base_/wrn_40_2_wrn_16_2_cifar100.py.
# Built: student CE 0.1 | loss_kd: tau 4, loss_weight 0.9
_base_ = ['../_base_/wrn_40_2_wrn_16_2_cifar100.py', '../_base_/methods/kd.py']

model = dict(_base_.kd_model)
