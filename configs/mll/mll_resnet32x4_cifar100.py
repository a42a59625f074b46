# Plain cross-entropy (MLL) resnet32x4 teacher on CIFAR-100, RepDistiller's
# recipe (the paper's resnet32x4->resnet8x4 setting).
_base_ = ['../_base_/models/resnet32x4_cifar.py',
          '../_base_/mll_teacher_cifar100.py']
