# vgg13 -> vgg8 on CIFAR-100 (CRD's benchmark pair): mmrazor's
# SingleTeacherDistill with the student of _base_/models/vgg8_cifar.py and
# the frozen teacher of _base_/models/vgg13_cifar.py. The method configs
# configs/distill/<method>/<method>_vgg13_vgg8_cifar100.py add the distiller.
#
# The teacher checkpoint is one setting. The default is the last epoch of
# the MLL teacher of configs/mll/mll_vgg13_cifar100.py; swap in the MCMI
# teacher (or any other vgg13 checkpoint) with one override:
#   --cfg-options \
#       model.teacher_ckpt=work_dirs/mcmi_vgg13_cifar100/epoch_20.pth
_base_ = [
    # Read through the package so the student dict carries
    # _scope_='mcmi_razor': it is built inside the mmrazor scope.
    'mcmi_razor::_base_/models/vgg8_cifar.py',
    './cifar100_distill.py',
]

model = dict(
    _base_.single_teacher_distill,
    _delete_=True,
    architecture=_base_.model,
    teacher=dict(
        cfg_path='mcmi_razor::_base_/models/vgg13_cifar.py',
        pretrained=False),
    teacher_ckpt='work_dirs/mll_vgg13_cifar100/epoch_240.pth')
