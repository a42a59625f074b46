# Fashion-MNIST: 10 classes of 28x28 grey clothing images, batch 64.
# The real data (Debian: apt-get install dataset-fashion-mnist) goes in
# data/fashion_mnist/ as the four unzipped IDX files
# (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
# t10k-labels-idx1-ubyte); `check_data_root` prints the commands.
#
# Augmentation, chosen to mirror the CIFAR recipe at this size: random 28x28
# crops of the 2-pixel zero-padded image (padding scaled from CIFAR's 4 px at
# 32 px) and horizontal flips, which keep every clothing class recognisable
# (the classes have no left/right meaning).
dataset_type = 'FashionMNIST'
data_preprocessor = dict(
    num_classes=10,
    # mean/std of the 60,000 training images, 0-255 scale (0.2860/0.3530 x 255)
    mean=[72.940],
    std=[90.021])

train_pipeline = [
    dict(type='RandomCrop', crop_size=28, padding=2),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]

test_pipeline = [
    dict(type='PackInputs'),
]

# mmpretrain 1.2.0's MNIST/FashionMNIST pick the files by `test_mode`, not by
# `split`, so both are set.
train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    dataset=dict(
        type=dataset_type,
        data_root='data/fashion_mnist',
        split='train',
        test_mode=False,
        download=False,
        pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True),
)

val_dataloader = dict(
    batch_size=64,
    num_workers=2,
    dataset=dict(
        type=dataset_type,
        data_root='data/fashion_mnist',
        split='test',
        test_mode=True,
        download=False,
        pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = dict(type='Accuracy', topk=(1, 5))

test_dataloader = val_dataloader
test_evaluator = val_evaluator
