# The evidence study's KD resnet8 student (docs/evidence_protocol.md): the
# recipe of ../kd_r20_r8.py on a class-balanced 5% of the training side of
# the held-out split (2,750 images; the student seed picks them:
# train_dataloader.dataset.seed=<k> and randomness.seed=<k>), validated on
# the held-out 5,000, from the teacher given by model.teacher_ckpt.
# Built: student CE 0.1 | loss_kd: tau 4, loss_weight 0.9
_base_ = ['../kd_r20_r8.py', './_base_/held_out_split.py']

model = dict(
    teacher_ckpt='work_dirs/evidence/teachers/mll_seed0/epoch_15.pth')
train_dataloader = dict(
    num_workers=0, dataset=dict(fraction=0.05, dataset=_base_.held_out_train))
val_dataloader = dict(num_workers=0, dataset=_base_.held_out_val)
test_dataloader = dict(num_workers=0)
randomness = dict(seed=0)
