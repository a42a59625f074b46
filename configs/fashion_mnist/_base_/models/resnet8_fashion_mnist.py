# RepDistiller's resnet8 for Fashion-MNIST: 1 x 28 x 28 inputs, 10 classes.
# The student of every Fashion-MNIST distillation config and of the
# labels-only baseline students/r8.py: the extracted students and the
# baseline are the same network.
_base_ = '../../../_base_/models/resnet8_cifar.py'

model = dict(backbone=dict(in_channels=1), head=dict(num_classes=10))
