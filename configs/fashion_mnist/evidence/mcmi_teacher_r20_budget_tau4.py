# The evidence study's budget teacher at the distillation temperature
# (docs/evidence_protocol.md, teacher 5): mcmi_teacher_r20_budget.py of this
# folder with the CMI term and its centroids on softmax(z / 4), the outputs
# its KD students learn from; the cross-entropy stays at tau 1
# (docs/choosing_cmi_weight.md, "CMI at a temperature"). Budget 0.25:
# --cfg-options custom_hooks.3.ce_budget=0.25.
_base_ = './mcmi_teacher_r20_budget.py'

model = dict(head=dict(loss=dict(temperature=4.0)))
