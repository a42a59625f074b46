# The official MCMI fine-tuning schedule: 20 epochs from a trained MLL
# teacher, SGD lr 0.05 (batch 64) with per-epoch cosine decay to 0,
# momentum 0.9, wd 5e-4.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4))
param_scheduler = dict(
    type='CosineAnnealingLR', by_epoch=True, T_max=20, eta_min=0.0)

train_cfg = dict(by_epoch=True, max_epochs=20, val_interval=1)
val_cfg = dict()
test_cfg = dict()

auto_scale_lr = dict(base_batch_size=64)
