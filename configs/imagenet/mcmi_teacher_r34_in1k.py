# MCMI ResNet-34 teacher on ImageNet-1k (the paper's ResNet-34 -> ResNet-18
# setting): mmpretrain's stock ResNet-34 and ImageNet pipeline, fine-tuned
# from mmpretrain's released ResNet-34 with the MCMI objective. Dicts from
# the mmpretrain base carry _scope_='mmpretrain', so ours are prefixed.
# The schedule below (5 epochs, lr 0.01 cosine, batch 8 x 32) is our choice,
# not a published one, and has not been run here (no ImageNet, no GPU).
_base_ = 'mmpretrain::resnet/resnet34_8xb32_in1k.py'

default_scope = 'mcmi_razor'
custom_imports = dict(imports=['mcmi_razor'], allow_failed_imports=False)

model = dict(
    head=dict(
        loss=dict(
            _delete_=True, type='mcmi_razor.MCMILoss', num_classes=1000,
            cmi_weight=0.15)))

load_from = ('https://download.openmmlab.com/mmclassification/v0/resnet/'
             'resnet34_8xb32_in1k_20210831-f257d4e6.pth')

optim_wrapper = dict(optimizer=dict(lr=0.01))
param_scheduler = dict(
    _delete_=True, type='CosineAnnealingLR', by_epoch=True, T_max=5,
    eta_min=0.0)
train_cfg = dict(max_epochs=5)
# Collective timeout of our runtime (configs/_base_/default_runtime.py).
env_cfg = dict(dist_cfg=dict(timeout=600))

custom_hooks = [
    dict(type='ClassCentroidHook', schedule='exact', interval=0),
    dict(type='CollapseGuardHook'),
]

val_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='mcmi_razor.CMIMetric', num_classes=1000),
]
test_evaluator = val_evaluator
