# MCMI resnet56 teacher on CIFAR-100, as the paper's official code trains it
# (ICLR 2024, resnet56 -> resnet20 few-shot runs): fine-tune the trained MLL
# teacher for 20 epochs with L = CE - 0.15 * KL(P_x || Q_y), centroids from
# one exact pass before fine-tuning, then frozen.
_base_ = [
    './_base_/models/resnet56_cifar.py',
    './_base_/datasets/cifar100_bs64.py',
    './_base_/schedules/mcmi_finetune_20e.py',
    './_base_/mcmi_runtime.py',
]

model = dict(
    head=dict(
        loss=dict(
            _delete_=True, type='MCMILoss', num_classes=100,
            cmi_weight=0.15)))

# The MLL teacher of configs/mll_teacher_r56.py (last epoch).
load_from = 'work_dirs/mll_teacher_r56/epoch_240.pth'

val_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='CMIMetric', num_classes=100),
]
test_evaluator = val_evaluator
