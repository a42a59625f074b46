# RepDistiller's ShuffleV2 (width 1.0) for CIFAR-100.
model = dict(
    type='ImageClassifier',
    backbone=dict(type='CifarShuffleNetV2', widen_factor=1.0),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=1024,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
