# KD (Hinton et al.) resnet20 -> resnet8 on FontGlyphs100 with RepDistiller's
# CIFAR-100 weights, see ../distill/_base_/methods/kd.py:
#   loss = 0.1 * CE + 0.9 * T^2 KL(teacher || student), T = 4.
# Built: student CE 0.1 | loss_kd: tau 4, loss_weight 0.9
# Teacher, student, data and schedule: _base_/r20_r8_distill.py.
_base_ = ['./_base_/r20_r8_distill.py', '../distill/_base_/methods/kd.py']

model = dict(_base_.kd_model)
