# Plain cross-entropy (MLL) resnet56 teacher on CIFAR-100, RepDistiller's
# recipe: the baseline every MCMI result is compared with, and the starting
# point of configs/mcmi/mcmi_resnet56_cifar100.py.
_base_ = ['../_base_/models/resnet56_cifar.py',
          '../_base_/mll_teacher_cifar100.py']
