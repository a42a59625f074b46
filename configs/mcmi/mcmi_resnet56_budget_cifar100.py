# MCMI resnet56 teacher on CIFAR-100 under a likelihood budget: as
# mcmi_resnet56_cifar100.py, but cmi_weight is not fixed. CMIBudgetHook
# raises it while the smoothed training cross-entropy stays within +5% of
# the teacher's starting value and lowers it when over, in [0, 1.0]; the
# weight in use is logged as cmi_weight (docs/choosing_cmi_weight.md).
_base_ = './mcmi_resnet56_cifar100.py'

custom_hooks = _base_.custom_hooks + [
    dict(type='CMIBudgetHook', ce_budget=0.05, max_weight=1.0),
]
