# Test of the evidence study's resnet20 teachers (every kind, MLL too) with
# the CMI at tau = 4 as well (`cmi_t4/cmi`): the CMI that the tau = 4 budget
# teacher raises, and the temperature its KD students learn at.
_base_ = './mcmi_teacher_r20.py'

test_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='CMIMetric', num_classes=10),
    dict(type='CMIMetric', num_classes=10, temperature=4.0, prefix='cmi_t4'),
]
