# resnet20 -> resnet8 on Fashion-MNIST: mmrazor's SingleTeacherDistill with
# the student of _base_/models/resnet8_fashion_mnist.py and the frozen
# resnet20 teacher of mll_teacher_r20.py. Method configs (kd_r20_r8.py, ...)
# add the distiller, as configs/distill/<method>_<pair>_cifar100.py do.
#
# The teacher is the MLL one by default; swap in the MCMI (or control)
# teacher with one override:
#   --cfg-options model.teacher_ckpt=work_dirs/mcmi_teacher_r20/epoch_5.pth
#
# Shortened schedule: SGD lr 0.05 (batch 64), momentum 0.9, wd 5e-4, cosine
# to 0 per iteration, over 15 epochs (RepDistiller: 240 epochs, step decay).
# Few-shot / zero-shot students wrap train_dataloader.dataset in
# FewShotDataset / ZeroShotDataset (see docs/results_grid.md).
_base_ = [
    # Read through the package so the student dict carries
    # _scope_='mcmi_razor': it is built inside the mmrazor scope.
    'mcmi_razor::fashion_mnist/_base_/models/resnet8_fashion_mnist.py',
    '../../_base_/datasets/fashion_mnist_subset_bs64.py',
    '../../_base_/schedules/mcmi_finetune_20e.py',
    '../../_base_/default_runtime.py',
    '../../distill/_base_/single_teacher_distill.py',
]

data_preprocessor = dict(type='mmpretrain.ClsDataPreprocessor')

model = dict(
    _base_.single_teacher_distill,
    _delete_=True,
    architecture=_base_.model,
    teacher=dict(
        cfg_path='mcmi_razor::fashion_mnist/mll_teacher_r20.py',
        pretrained=False),
    teacher_ckpt='work_dirs/mll_teacher_r20/epoch_15.pth')

param_scheduler = dict(T_max=15, convert_to_iter_based=True)
train_cfg = dict(max_epochs=15)

# Evaluates the student and the teacher: the teacher's accuracy in the log
# proves its checkpoint loaded.
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
