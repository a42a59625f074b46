# Plain cross-entropy (MLL) resnet20 teacher on FontGlyphs100 (100 classes,
# 3 x 32 x 32), trained on a class-balanced 40% of the training side
# (18,000 images, 180 per class; train_dataloader.dataset.fraction).
# Shortened RepDistiller schedule: SGD lr 0.05 (batch 64), momentum 0.9,
# wd 5e-4, lr x0.1 at epochs 9/11/13 of 15. The teacher is the last epoch.
# Every epoch's checkpoint is kept (fine-tunes may start from an earlier
# one). Seeds: --cfg-options randomness.seed=<k>.
_base_ = [
    '../_base_/models/resnet20_cifar.py',
    './_base_/font_glyphs_bs64.py',
    '../_base_/schedules/repdistiller_240e.py',
    '../_base_/default_runtime.py',
]

model = dict(head=dict(num_classes=100))
train_dataloader = dict(dataset=dict(fraction=0.4))
param_scheduler = dict(milestones=[9, 11, 13])
train_cfg = dict(max_epochs=15)
default_hooks = dict(checkpoint=dict(max_keep_ckpts=-1))
randomness = dict(seed=0)
