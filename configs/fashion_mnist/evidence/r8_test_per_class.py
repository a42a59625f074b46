# Test of the evidence study's resnet8 students with the accuracy of each
# class too (its recall, `single-label/recall_classwise`, in %): the
# zero-shot setting reports its omitted class 2 from it.
_base_ = '../students/r8.py'

test_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='CMIMetric', num_classes=10),
    dict(type='SingleLabelMetric', items=('recall', ), average=None),
]
