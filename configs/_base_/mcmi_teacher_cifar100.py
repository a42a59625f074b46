# Everything of an MCMI CIFAR-100 teacher but the model: the official code's
# 20-epoch fine-tune of a trained MLL teacher, exact centroids once before
# fine-tuning, the collapse guard. Leaf configs set the model, its loss
# (model = dict(head=dict(loss={{_base_.mcmi_loss}}))) and load_from.
_base_ = [
    './datasets/cifar100_bs64.py',
    './schedules/mcmi_finetune_20e.py',
    './mcmi_runtime.py',
]

# L = CE - 0.15 * KL(P_x || Q_y): the paper's code (few-shot runs).
mcmi_loss = dict(_delete_=True, type='MCMILoss', num_classes=100,
                 cmi_weight=0.15)

val_evaluator = [
    dict(type='Accuracy', topk=(1, 5)),
    dict(type='CMIMetric', num_classes=100),
]
test_evaluator = val_evaluator
