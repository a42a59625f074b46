# CIFAR-10 with the CIFAR-100 recipe of cifar100_bs64.py (same augmentation,
# batch 64, top-1/top-5); only the data set, its root and its statistics
# differ. The real data goes in data/cifar10/cifar-10-batches-py/
# (the python-version archive of https://www.cs.toronto.edu/~kriz/cifar.html,
# extracted into data/cifar10). Test fixtures: type='UnverifiedCIFAR10'.
_base_ = ['./cifar100_bs64.py']

dataset_type = 'CIFAR10'
data_preprocessor = dict(
    num_classes=10,
    # RGB mean/std of the CIFAR-10 training set, 0-255 scale
    mean=[125.307, 122.961, 113.8575],
    std=[51.5865, 50.847, 51.255])

train_dataloader = dict(
    dataset=dict(type=dataset_type, data_root='data/cifar10'))
val_dataloader = dict(
    dataset=dict(type=dataset_type, data_root='data/cifar10'))
test_dataloader = val_dataloader
