# MCMI vgg13 teacher on CIFAR-100 (the paper's vgg13->vgg8 setting):
# 20-epoch MCMI fine-tune of configs/mll/mll_vgg13_cifar100.py, as
# configs/mcmi/mcmi_resnet56_cifar100.py.
_base_ = ['../_base_/models/vgg13_cifar.py',
          '../_base_/mcmi_teacher_cifar100.py']

model = dict(head=dict(loss={{_base_.mcmi_loss}}))

load_from = 'work_dirs/mll_vgg13_cifar100/epoch_240.pth'
