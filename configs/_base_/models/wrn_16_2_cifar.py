_base_ = './wrn_40_2_cifar.py'

model = dict(
    backbone=dict(depth=16, widen_factor=2),
    head=dict(in_channels=128))
