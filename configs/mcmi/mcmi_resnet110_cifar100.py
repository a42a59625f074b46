# MCMI resnet110 teacher on CIFAR-100 (the paper's resnet110 -> resnet20 /
# resnet32 setting):
# 20-epoch MCMI fine-tune of configs/mll/mll_resnet110_cifar100.py, as
# configs/mcmi/mcmi_resnet56_cifar100.py.
_base_ = ['../_base_/models/resnet110_cifar.py',
          '../_base_/mcmi_teacher_cifar100.py']

model = dict(head=dict(loss={{_base_.mcmi_loss}}))

load_from = 'work_dirs/mll_resnet110_cifar100/epoch_240.pth'
