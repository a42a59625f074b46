# KD (Hinton et al.) resnet56 -> resnet20 on CIFAR-100, RepDistiller's
# student recipe: 240 epochs, SGD lr 0.05 (batch 64), x0.1 at 150/180/210;
# loss = 0.1 * CE + 0.9 * T^2 KL(teacher || student), T = 4.
# Swap the MLL and the MCMI teacher with one override:
#   --cfg-options model.teacher_ckpt=work_dirs/mcmi_teacher_r56/epoch_20.pth
_base_ = [
    '../_base_/datasets/cifar100_bs64.py',
    '../_base_/schedules/repdistiller_240e.py',
    '../_base_/default_runtime.py',
]

data_preprocessor = dict(type='mmpretrain.ClsDataPreprocessor')

model = dict(
    _scope_='mmrazor',
    type='SingleTeacherDistill',
    architecture=dict(
        _scope_='mcmi_razor',
        type='ImageClassifier',
        backbone=dict(type='CifarResNet', arch='resnet20'),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead', num_classes=100, in_channels=64,
            loss=dict(type='CrossEntropyLoss', loss_weight=0.1))),
    teacher=dict(
        cfg_path='mcmi_razor::_base_/models/resnet56_cifar.py',
        pretrained=False),
    teacher_ckpt='work_dirs/mll_teacher_r56/epoch_240.pth',
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(
            logits=dict(type='ModuleOutputs', source='head.fc')),
        teacher_recorders=dict(
            logits=dict(type='ModuleOutputs', source='head.fc')),
        distill_losses=dict(
            loss_kd=dict(type='KLDivergence', tau=4, loss_weight=0.9)),
        loss_forward_mappings=dict(
            loss_kd=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits')))))

find_unused_parameters = True

# Evaluates the student and the teacher: the teacher's accuracy in the log
# proves its checkpoint loaded.
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
