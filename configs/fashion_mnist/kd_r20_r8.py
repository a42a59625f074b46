# KD (Hinton et al.) resnet20 -> resnet8 on Fashion-MNIST:
# loss = 0.1 * CE + 0.9 * T^2 KL(teacher || student), T = 4 (RepDistiller).
# The teacher is the MLL one by default; swap in the MCMI (or control)
# teacher with one override:
#   --cfg-options model.teacher_ckpt=work_dirs/mcmi_teacher_r20/epoch_5.pth
#
# Shortened schedule: SGD lr 0.05 (batch 64), momentum 0.9, wd 5e-4, cosine
# to 0 per iteration, over 15 epochs (RepDistiller: 240 epochs, step decay).
# Few-shot / zero-shot students wrap train_dataloader.dataset in
# FewShotDataset / ZeroShotDataset (see docs/results.md).
_base_ = [
    '../_base_/datasets/fashion_mnist_subset_bs64.py',
    '../_base_/schedules/mcmi_finetune_20e.py',
    '../_base_/default_runtime.py',
]

data_preprocessor = dict(type='mmpretrain.ClsDataPreprocessor')

model = dict(
    _scope_='mmrazor',
    type='SingleTeacherDistill',
    architecture=dict(
        cfg_path='mcmi_razor::fashion_mnist/students/r8.py',
        pretrained=False),
    teacher=dict(
        cfg_path='mcmi_razor::fashion_mnist/mll_teacher_r20.py',
        pretrained=False),
    teacher_ckpt='work_dirs/mll_teacher_r20/epoch_15.pth',
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

param_scheduler = dict(T_max=15, convert_to_iter_based=True)
train_cfg = dict(max_epochs=15)

find_unused_parameters = True

# Evaluates the student and the teacher: the teacher's accuracy in the log
# proves its checkpoint loaded.
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
