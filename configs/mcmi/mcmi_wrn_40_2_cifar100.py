# MCMI wrn_40_2 teacher on CIFAR-100 (the paper's wrn_40_2->wrn_16_2 setting):
# 20-epoch MCMI fine-tune of configs/mll/mll_wrn_40_2_cifar100.py, as
# configs/mcmi/mcmi_resnet56_cifar100.py.
_base_ = ['../_base_/models/wrn_40_2_cifar.py',
          '../_base_/mcmi_teacher_cifar100.py']

model = dict(head=dict(loss={{_base_.mcmi_loss}}))

load_from = 'work_dirs/mll_wrn_40_2_cifar100/epoch_240.pth'
