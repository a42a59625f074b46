# CIFAR-100 as in RepDistiller (and so the MCMI paper): random 32x32 crops of
# the 4-pixel zero-padded image and horizontal flips for training, batch 64.
# The real data goes in data/cifar100/cifar-100-python/{train,test,meta}
# (the python-version archive of https://www.cs.toronto.edu/~kriz/cifar.html,
# extracted into data/cifar100); mmpretrain checks its md5 and never
# downloads here. Test fixtures: type='UnverifiedCIFAR100'.
dataset_type = 'CIFAR100'
data_preprocessor = dict(
    num_classes=100,
    # RGB mean/std of the CIFAR-100 training set, 0-255 scale
    mean=[129.304, 124.070, 112.434],
    std=[68.170, 65.392, 70.418],
    # loaded images are already RGB
    to_rgb=False)

train_pipeline = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]

test_pipeline = [
    dict(type='PackInputs'),
]

train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    dataset=dict(
        type=dataset_type,
        data_root='data/cifar100',
        split='train',
        download=False,
        pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True),
)

val_dataloader = dict(
    batch_size=64,
    num_workers=2,
    dataset=dict(
        type=dataset_type,
        data_root='data/cifar100',
        split='test',
        download=False,
        pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = dict(type='Accuracy', topk=(1, 5))

test_dataloader = val_dataloader
test_evaluator = val_evaluator
