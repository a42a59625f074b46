# kd_resnet56_resnet20_cifar100.py plus the PID of teacher and student at every
# validation (pid/red, pid/uni_teacher, ... in bits; docs/pid.md). With
# C = 100 and the 10,000 test images the sample-size rule allows k = 3
# only: compare runs at that k, or evaluate super-classes.
# Built: student CE 0.1 | loss_kd: tau 4, loss_weight 0.9
_base_ = './kd_resnet56_resnet20_cifar100.py'

custom_hooks = [dict(type='PIDHook')]
