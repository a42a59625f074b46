# The evidence study's budget teachers (docs/evidence_protocol.md):
# mcmi_teacher_r20.py of this folder with CMIBudgetHook adapting cmi_weight
# in [0, 1] so that the smoothed training CE stays within +5% of the
# reference (budget 0.25: --cfg-options custom_hooks.3.ce_budget=0.25).
_base_ = './mcmi_teacher_r20.py'

custom_hooks = _base_.custom_hooks + [
    dict(type='CMIBudgetHook', ce_budget=0.05, max_weight=1.0),
]
