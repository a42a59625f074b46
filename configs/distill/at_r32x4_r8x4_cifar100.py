# resnet32x4 -> resnet8x4 on CIFAR-100 with AT (Zagoruyko & Komodakis), p =
# 2, weight 1000 per stage: RepDistiller's setting, see _base_/methods/at.py.
# Student recipe and teacher checkpoint: _base_/r32x4_r8x4_cifar100.py.
_base_ = ['./_base_/r32x4_r8x4_cifar100.py', './_base_/methods/at.py']

# The output of every stage of both nets (layer1..layer3).
model = dict(
    distiller=dict(
        _base_.at_distiller,
        student_recorders=dict(
            f1=dict(type='ModuleOutputs', source='backbone.layer1'),
            f2=dict(type='ModuleOutputs', source='backbone.layer2'),
            f3=dict(type='ModuleOutputs', source='backbone.layer3')),
        teacher_recorders=dict(
            f1=dict(type='ModuleOutputs', source='backbone.layer1'),
            f2=dict(type='ModuleOutputs', source='backbone.layer2'),
            f3=dict(type='ModuleOutputs', source='backbone.layer3'))))
