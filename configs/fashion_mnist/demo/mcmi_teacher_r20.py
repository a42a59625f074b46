# The demo's MCMI teacher (tools/demo.sh): mcmi_teacher_r20.py on the demo
# teacher's 3,000 training images, 2 epochs (cosine from lr 0.05). It starts
# from the demo's MLL teacher, which tools/mcmi_pipeline.py passes as
# load_from; the load_from inherited here is the full-size teacher's, so run
# this config by hand with --cfg-options
# load_from=work_dirs/demo_fashion_mnist/mll_teacher/epoch_6.pth.
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
