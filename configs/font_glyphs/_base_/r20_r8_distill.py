# resnet20 -> resnet8 on FontGlyphs100: mmrazor's SingleTeacherDistill with
# the resnet8 of models/resnet8_font_glyphs.py and the frozen resnet20 of
# ../mll_teacher_r20.py; method configs (kd_r20_r8.py, dkd_r20_r8.py) add
# the distiller. Students train on a class-balanced 10% of the training
# side (4,500 images, 45 per class; the student seed picks them with
# train_dataloader.dataset.seed=<k>), 40 epochs of ./student_schedule.py
# (lr 0.05, 5-epoch warm-up, then cosine). Swap the teacher with
#   --cfg-options model.teacher_ckpt=<checkpoint>
_base_ = [
    # Read through the package so the student dict carries
    # _scope_='mcmi_razor': it is built inside the mmrazor scope.
    'mcmi_razor::font_glyphs/_base_/models/resnet8_font_glyphs.py',
    './font_glyphs_bs64.py',
    './student_schedule.py',
    '../../_base_/default_runtime.py',
    '../../distill/_base_/single_teacher_distill.py',
]

data_preprocessor = dict(type='mmpretrain.ClsDataPreprocessor')

model = dict(
    _base_.single_teacher_distill,
    _delete_=True,
    architecture=_base_.model,
    teacher=dict(
        cfg_path='mcmi_razor::font_glyphs/mll_teacher_r20.py',
        pretrained=False),
    teacher_ckpt='work_dirs/mll_teacher_r20/epoch_15.pth')

train_dataloader = dict(dataset=dict(fraction=0.1))

# Evaluates the student and the teacher: the teacher's accuracy in the log
# proves its checkpoint loaded.
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
