# Everything of a plain cross-entropy (MLL) CIFAR-100 teacher but the model:
# RepDistiller's 240-epoch recipe, accuracy and CMI on the test split.
_base_ = [
    './datasets/cifar100_bs64.py',
    './schedules/repdistiller_240e.py',
    './default_runtime.py',
]

val_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='CMIMetric', num_classes=100),
]
test_evaluator = val_evaluator
