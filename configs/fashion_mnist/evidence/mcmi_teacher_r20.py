# The evidence study's MCMI teacher (docs/evidence_protocol.md): the 5-epoch
# fine-tune of ../mcmi_teacher_r20.py (cmi_weight 0.15, exact centroids once)
# of the study's MLL teacher, on the same 5,500 training images, validated
# on the held-out 5,000. Other seeds: --cfg-options randomness.seed=<k>
# load_from=work_dirs/evidence/teachers/mll_seed<k>/epoch_15.pth. The
# control and the budget teachers are this config with overrides
# (docs/results.md lists the exact commands).
_base_ = ['../mcmi_teacher_r20.py', './_base_/held_out_split.py']

load_from = 'work_dirs/evidence/teachers/mll_seed0/epoch_15.pth'
train_dataloader = dict(
    num_workers=0, dataset=dict(fraction=0.1, dataset=_base_.held_out_train))
val_dataloader = dict(num_workers=0, dataset=_base_.held_out_val)
test_dataloader = dict(num_workers=0)
randomness = dict(seed=0)
