# MCMI resnet20 teacher on Fashion-MNIST under a likelihood budget: as
# mcmi_teacher_r20.py, but CMIBudgetHook adapts cmi_weight in [0, 1.0] so
# that the smoothed training cross-entropy stays within +5% of the
# teacher's starting value (docs/choosing_cmi_weight.md).
_base_ = './mcmi_teacher_r20.py'

custom_hooks = _base_.custom_hooks + [
    dict(type='CMIBudgetHook', ce_budget=0.05, max_weight=1.0),
]
