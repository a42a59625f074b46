# RepDistiller's resnet56 for CIFAR-100; the other CIFAR ResNets inherit it.
model = dict(
    type='ImageClassifier',
    backbone=dict(type='CifarResNet', arch='resnet56'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
