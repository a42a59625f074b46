# MCMI resnet56 teacher on CIFAR-100 trained from scratch (the paper's text
# describes this; its code fine-tunes instead, see mcmi_resnet56_cifar100.py):
# RepDistiller's 240-epoch recipe with L = CE - 0.15 * KL(P_x || Q_y) from
# the first iteration. A random network has no meaningful centroids to
# freeze, so Q follows the training outputs online (EMA, no extra pass).
_base_ = ['../_base_/models/resnet56_cifar.py',
          '../_base_/mll_teacher_cifar100.py']

model = dict(
    head=dict(
        loss=dict(
            _delete_=True, type='MCMILoss', num_classes=100,
            cmi_weight=0.15)))

custom_hooks = [
    dict(type='ClassCentroidHook', schedule='ema', momentum=0.1),
    dict(type='CollapseGuardHook'),
]
