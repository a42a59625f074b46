# MCMI resnet110 teacher on CIFAR-100 (the paper's resnet110 -> resnet20 /
# resnet32 setting):
# 20-epoch MCMI fine-tune of configs/mll_teacher_resnet110.py, as
# configs/mcmi_teacher_r56.py.
_base_ = ['./_base_/models/resnet110_cifar.py',
          './_base_/mcmi_teacher_cifar100.py']

model = dict(head=dict(loss={{_base_.mcmi_loss}}))

load_from = 'work_dirs/mll_teacher_resnet110/epoch_240.pth'
