# resnet8 student on Fashion-MNIST trained alone (labels only): the
# no-teacher baseline of the KD students in ../kd_r20_r8.py.
#
# Shortened schedule: the student recipe of kd_r20_r8.py (SGD lr 0.05,
# batch 64, cosine to 0 per iteration) over 15 epochs.
_base_ = [
    '../_base_/models/resnet8_fashion_mnist.py',
    '../../_base_/datasets/fashion_mnist_subset_bs64.py',
    '../../_base_/schedules/mcmi_finetune_20e.py',
    '../../_base_/default_runtime.py',
]

param_scheduler = dict(T_max=15, convert_to_iter_based=True)
train_cfg = dict(max_epochs=15)

val_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='CMIMetric', num_classes=10),
]
test_evaluator = val_evaluator
