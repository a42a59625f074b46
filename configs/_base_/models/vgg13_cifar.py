# RepDistiller's vgg13 (with BN) for CIFAR-100; the other VGGs inherit it.
model = dict(
    type='ImageClassifier',
    backbone=dict(type='CifarVGG', depth=13),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
