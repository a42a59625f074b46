# The demo's KD student (tools/demo.sh): kd_r20_r8.py on the teachers'
# 3,000 training images, 3 epochs (cosine from lr 0.05).
# Built: student CE 0.1 | loss_kd: tau 4, loss_weight 0.9
_base_ = '../kd_r20_r8.py'

train_dataloader = dict(dataset=dict(fraction=0.05))
param_scheduler = dict(T_max=3)
train_cfg = dict(max_epochs=3)
val_cfg = None
val_dataloader = None
val_evaluator = None
# Seeded, so that a re-run on the same machine prints the same table (the
# pipeline passes the students' --seeds as randomness.seed); a progress
# line every 10 iterations for the pipeline's console.
randomness = dict(seed=0)
default_hooks = dict(logger=dict(interval=10))
