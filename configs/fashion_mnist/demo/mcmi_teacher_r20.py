# The demo's MCMI teacher (tools/demo.sh): mcmi_teacher_r20.py on the demo
# teacher's 3,000 training images, 2 epochs (cosine from lr 0.05).
_base_ = '../mcmi_teacher_r20.py'

train_dataloader = dict(dataset=dict(fraction=0.05))
param_scheduler = dict(T_max=2)
train_cfg = dict(max_epochs=2)
val_cfg = None
val_dataloader = None
val_evaluator = None
# Seeded, so that a re-run on the same machine prints the same table (the
# pipeline passes the students' --seeds as randomness.seed); a progress
# line every 10 iterations for the pipeline's console.
randomness = dict(seed=0)
default_hooks = dict(logger=dict(interval=10))
