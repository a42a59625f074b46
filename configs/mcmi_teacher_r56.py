# Quick-start name kept for the README/brief command: the config of
# ./mcmi/mcmi_resnet56_cifar100.py, fine-tuning the teacher that the
# quick-start configs/mll_teacher_r56.py writes.
_base_ = ['./mcmi/mcmi_resnet56_cifar100.py']
load_from = 'work_dirs/mll_teacher_r56/epoch_240.pth'
