# KD resnet56 -> resnet20 on CIFAR-100 (RepDistiller's setting, see
# ../_base_/methods/kd.py); student recipe and the teacher checkpoint setting:
# ../_base_/resnet56_resnet20_cifar100.py. Swap the MLL and the MCMI
# teacher with
#   --cfg-options \
#       model.teacher_ckpt=work_dirs/mcmi_resnet56_cifar100/epoch_20.pth
# Built: student CE 0.1 | loss_kd: tau 4, loss_weight 0.9
_base_ = ['../_base_/resnet56_resnet20_cifar100.py', '../_base_/methods/kd.py']

model = dict(_base_.kd_model)
