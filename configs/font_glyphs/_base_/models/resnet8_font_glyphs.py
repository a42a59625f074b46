# RepDistiller's resnet8 with a 100-way head for FontGlyphs100: the student
# of every FontGlyphs100 distillation config and of the label-only r8.py.
_base_ = '../../../_base_/models/resnet8_cifar.py'

model = dict(head=dict(num_classes=100))
