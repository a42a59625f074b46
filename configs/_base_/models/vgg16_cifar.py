_base_ = './vgg13_cifar.py'

model = dict(backbone=dict(depth=16))
