# Plain cross-entropy (MLL) wrn_40_2 teacher on CIFAR-100, RepDistiller's
# recipe (the paper's wrn_40_2->wrn_16_2 setting).
_base_ = ['../_base_/models/wrn_40_2_cifar.py',
          '../_base_/mll_teacher_cifar100.py']
