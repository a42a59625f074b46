# Plain cross-entropy (MLL) resnet20 teacher on FontGlyphs100 (100 classes,
# 3 x 32 x 32), trained on a class-balanced 40% of the training side
# (18,000 images, 180 per class; train_dataloader.dataset.fraction).
# Shortened RepDistiller schedule at a fifth of its lr: SGD lr 0.01 (batch
# 64), momentum 0.9, wd 5e-4, lr x0.1 at epochs 9/11/13 of 15. At lr 0.05
# the outputs stayed uniform (loss ln 100) for 8 epochs with seed 1 and for
# 3 with seed 0; at 0.01 seed 1 left that plateau within 2 epochs. The
# teacher is the last epoch.
# Every epoch's checkpoint is kept (fine-tunes may start from an earlier
# one). Seeds: --cfg-options randomness.seed=<k>.
_base_ = [
    '../_base_/models/resnet20_cifar.py',
    './_base_/font_glyphs_bs64.py',
    '../_base_/schedules/repdistiller_240e.py',
    '../_base_/default_runtime.py',
]

model = dict(head=dict(num_classes=100))
optim_wrapper = dict(optimizer=dict(lr=0.01))
train_dataloader = dict(dataset=dict(fraction=0.4))
param_scheduler = dict(milestones=[9, 11, 13])
train_cfg = dict(max_epochs=15)
default_hooks = dict(checkpoint=dict(max_keep_ckpts=-1))
randomness = dict(seed=0)
