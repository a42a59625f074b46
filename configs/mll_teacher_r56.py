# Quick-start name kept for the README/brief command: the config of
# ./mll/mll_resnet56_cifar100.py (work dir work_dirs/mll_teacher_r56, where
# configs/mcmi_teacher_r56.py loads it from).
_base_ = ['./mll/mll_resnet56_cifar100.py']
