# Plain cross-entropy (MLL) vgg13 teacher on CIFAR-100, RepDistiller's
# recipe (the paper's vgg13->vgg8 setting).
_base_ = ['../_base_/models/vgg13_cifar.py',
          '../_base_/mll_teacher_cifar100.py']
