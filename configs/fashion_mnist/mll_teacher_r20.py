# Plain cross-entropy (MLL) resnet20 teacher on Fashion-MNIST (1 x 28 x 28,
# 10 classes): the baseline every MCMI teacher is compared with, and the
# starting point of mcmi_teacher_r20.py.
#
# Shortened schedule: RepDistiller's recipe (SGD lr 0.05, batch 64, momentum
# 0.9, wd 5e-4, lr x0.1 at 150/180/210 of 240 epochs) scaled to 15 epochs:
# lr x0.1 at epochs 9/11/13. About 4 min per epoch on all 60,000 images on
# 2 CPU cores (resnet20: ~230 img/s per core); docs/results_grid.md trains
# it on a class-balanced 10% (train_dataloader.dataset.fraction=0.1).
# The teacher is the last epoch (epoch_15.pth), never the best on test.
_base_ = [
    '../_base_/models/resnet20_cifar.py',
    '../_base_/datasets/fashion_mnist_subset_bs64.py',
    '../_base_/schedules/repdistiller_240e.py',
    '../_base_/default_runtime.py',
]

model = dict(backbone=dict(in_channels=1), head=dict(num_classes=10))

param_scheduler = dict(milestones=[9, 11, 13])
train_cfg = dict(max_epochs=15)

val_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='CMIMetric', num_classes=10),
]
test_evaluator = val_evaluator
