# Plain cross-entropy (MLL) resnet56 teacher on CIFAR-100, RepDistiller's
# recipe: the baseline every MCMI teacher is compared with, and the starting
# point of configs/mcmi_teacher_r56.py.
_base_ = [
    './_base_/models/resnet56_cifar.py',
    './_base_/datasets/cifar100_bs64.py',
    './_base_/schedules/repdistiller_240e.py',
    './_base_/default_runtime.py',
]

val_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='CMIMetric', num_classes=100),
]
test_evaluator = val_evaluator
