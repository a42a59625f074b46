# MCMI resnet56 teacher on CIFAR-100, as the paper's official code trains it
# (ICLR 2024; resnet56 -> resnet20, the few-shot and zero-shot settings):
# fine-tune the trained MLL teacher for 20 epochs with
# L = CE - 0.15 * KL(P_x || Q_y), centroids from one exact pass, frozen.
_base_ = ['../_base_/models/resnet56_cifar.py',
          '../_base_/mcmi_teacher_cifar100.py']

model = dict(head=dict(loss={{_base_.mcmi_loss}}))

# The MLL teacher of configs/mll/mll_resnet56_cifar100.py (last epoch).
load_from = 'work_dirs/mll_resnet56_cifar100/epoch_240.pth'
