# vgg8 trained alone on CIFAR-100 with RepDistiller's recipe: the
# no-teacher baseline of the vgg13 -> vgg8 students, and the config
# tools/test.py evaluates their extracted checkpoints with.
_base_ = [
    '../_base_/models/vgg8_cifar.py',
    '../_base_/datasets/cifar100_bs64.py',
    '../_base_/schedules/repdistiller_240e.py',
    '../_base_/default_runtime.py',
]
