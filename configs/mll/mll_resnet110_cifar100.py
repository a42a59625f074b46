# Plain cross-entropy (MLL) resnet110 teacher on CIFAR-100, RepDistiller's
# recipe (the paper's resnet110->resnet20/resnet32 setting).
_base_ = ['../_base_/models/resnet110_cifar.py',
          '../_base_/mll_teacher_cifar100.py']
