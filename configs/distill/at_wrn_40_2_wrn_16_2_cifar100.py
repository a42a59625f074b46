# wrn_40_2 -> wrn_16_2 on CIFAR-100 with AT (Zagoruyko & Komodakis), p = 2,
# weight 1000 per stage: RepDistiller's setting, see _base_/methods/at.py.
# Student recipe and teacher checkpoint: _base_/wrn_40_2_wrn_16_2_cifar100.py.
_base_ = ['./_base_/wrn_40_2_wrn_16_2_cifar100.py', './_base_/methods/at.py']

# The output of every stage of both nets (block1..block3).
model = dict(
    distiller=dict(
        _base_.at_distiller,
        student_recorders=dict(
            f1=dict(type='ModuleOutputs', source='backbone.block1'),
            f2=dict(type='ModuleOutputs', source='backbone.block2'),
            f3=dict(type='ModuleOutputs', source='backbone.block3')),
        teacher_recorders=dict(
            f1=dict(type='ModuleOutputs', source='backbone.block1'),
            f2=dict(type='ModuleOutputs', source='backbone.block2'),
            f3=dict(type='ModuleOutputs', source='backbone.block3'))))
