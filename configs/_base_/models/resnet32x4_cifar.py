_base_ = './resnet56_cifar.py'

model = dict(backbone=dict(arch='resnet32x4'), head=dict(in_channels=256))
