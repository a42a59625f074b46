# RepDistiller's mobile_half (MobileNetV2, width 0.5) for CIFAR-100.
model = dict(
    type='ImageClassifier',
    backbone=dict(type='CifarMobileNetV2', widen_factor=0.5),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=100,
        in_channels=1280,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
