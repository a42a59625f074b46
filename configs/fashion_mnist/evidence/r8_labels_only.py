# The evidence study's label-only baseline (docs/evidence_protocol.md): the
# resnet8 of kd_r20_r8.py trained alone (cross-entropy, weight 1.0), on the
# same class-balanced 5% of the training side of the held-out split, with
# the same recipe (SGD lr 0.05, batch 64, cosine to 0); the student seed
# picks the data and the randomness (train_dataloader.dataset.seed=<k>,
# randomness.seed=<k>). experiments/evidence/students.sh sets the
# students' 50 epochs.
_base_ = ['../students/r8.py', './_base_/held_out_split.py']

train_dataloader = dict(
    num_workers=0, dataset=dict(fraction=0.05, dataset=_base_.held_out_train))
val_dataloader = dict(num_workers=0, dataset=_base_.held_out_val)
test_dataloader = dict(num_workers=0)
randomness = dict(seed=0)
