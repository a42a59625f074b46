# The students' lr schedule (protocol, amendment 3): SGD lr 0.05 (batch 64),
# momentum 0.9, wd 5e-4; linear warm-up from 0.001 over the first 5 epochs,
# then cosine to 0, both per iteration. Without the warm-up a resnet8 sat
# on its uniform-output plateau for 1 to 29 epochs, by teacher. For E
# epochs pass
#   --cfg-options train_cfg.max_epochs=E param_scheduler.1.T_max=E-5
#   param_scheduler.1.end=E
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.02, by_epoch=True, begin=0, end=5,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', by_epoch=True, begin=5, end=40, T_max=35,
         eta_min=0.0, convert_to_iter_based=True),
]
train_cfg = dict(by_epoch=True, max_epochs=40, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=64)
