# What every CIFAR-100 distillation config shares: RepDistiller's student
# recipe (240 epochs, SGD lr 0.05 with batch 64, momentum 0.9, wd 5e-4, lr
# x0.1 at epochs 150/180/210), its CIFAR-100 pipeline, and mmrazor's loop
# that validates the student and the teacher. The pair bases beside this file
# add the SingleTeacherDistill model; ./methods/ holds each method's part.
_base_ = [
    '../../_base_/datasets/cifar100_bs64.py',
    '../../_base_/schedules/repdistiller_240e.py',
    '../../_base_/default_runtime.py',
    './single_teacher_distill.py',
]

# The algorithm normalises each batch once for student and teacher. The model
# is built in the mmrazor scope, hence the prefix.
data_preprocessor = dict(type='mmpretrain.ClsDataPreprocessor')

# Validates the student and the teacher: the teacher's accuracy in the log
# proves its checkpoint loaded.
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')

# The training set as CRD (./methods/crd.py) reads it: the same images and
# augmentation, packed by PackCRDInputs (sample index and negatives) instead
# of PackInputs, for mmrazor's CRDDataset to wrap.
crd_train_dataset = dict(
    _base_.train_dataloader.dataset,
    _scope_='mcmi_razor',
    pipeline=[
        *_base_.train_dataloader.dataset.pipeline[:-1],
        dict(type='PackCRDInputs')
    ])
