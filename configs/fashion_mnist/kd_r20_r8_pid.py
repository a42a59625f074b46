# kd_r20_r8.py plus the PID of teacher and student at every validation:
# pid/red (already distilled), pid/uni_teacher (still distillable), ... in
# bits (docs/pid.md). The one entry is all it takes in any distill config.
# Built: student CE 0.1 | loss_kd: tau 4, loss_weight 0.9
_base_ = './kd_r20_r8.py'

custom_hooks = [dict(type='PIDHook')]
