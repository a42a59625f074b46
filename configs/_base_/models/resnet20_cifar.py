_base_ = './resnet56_cifar.py'

model = dict(backbone=dict(arch='resnet20'))
