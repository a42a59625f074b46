# wrn_40_2 -> wrn_16_2 on CIFAR-100 (CRD's benchmark pair): mmrazor's
# SingleTeacherDistill with the student of _base_/models/wrn_16_2_cifar.py
# and the frozen teacher of _base_/models/wrn_40_2_cifar.py. The method
# configs configs/distill/<method>/<method>_wrn_40_2_wrn_16_2_cifar100.py
# add the distiller.
#
# The teacher checkpoint is one setting. The default is the last epoch of
# the MLL teacher of configs/mll/mll_wrn_40_2_cifar100.py; swap in the MCMI
# teacher (or any other wrn_40_2 checkpoint) with one override:
#   --cfg-options \
#       model.teacher_ckpt=work_dirs/mcmi_wrn_40_2_cifar100/epoch_20.pth
_base_ = [
    # Read through the package so the student dict carries
    # _scope_='mcmi_razor': it is built inside the mmrazor scope.
    'mcmi_razor::_base_/models/wrn_16_2_cifar.py',
    './cifar100_distill.py',
]

model = dict(
    _base_.single_teacher_distill,
    _delete_=True,
    architecture=_base_.model,
    teacher=dict(
        cfg_path='mcmi_razor::_base_/models/wrn_40_2_cifar.py',
        pretrained=False),
    teacher_ckpt='work_dirs/mll_wrn_40_2_cifar100/epoch_240.pth')
