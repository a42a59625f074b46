# The evidence study's MLL resnet20 teacher (docs/results.md): the recipe of
# ../mll_teacher_r20.py (15 epochs, lr x0.1 at 9/11/13) on a class-balanced
# 10% of the training side of the held-out split (5,500 images, seed 0),
# validated on the held-out 5,000. Teacher seeds: --cfg-options
# randomness.seed=<k>.
_base_ = ['../mll_teacher_r20.py', './_base_/held_out_split.py']

train_dataloader = dict(
    num_workers=0, dataset=dict(fraction=0.1, dataset=_base_.held_out_train))
val_dataloader = dict(num_workers=0, dataset=_base_.held_out_val)
test_dataloader = dict(num_workers=0)
randomness = dict(seed=0)
