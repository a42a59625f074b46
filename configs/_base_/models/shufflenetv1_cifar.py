# RepDistiller's ShuffleV1 (groups 3) for CIFAR-100.
model = dict(
    type='ImageClassifier',
    backbone=dict(type='CifarShuffleNetV1'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=960,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
