# The MLL teacher with as many epochs as its fine-tuned rivals: the 15-epoch
# teacher of mll_teacher_r20.py (load_from its last epoch) trained 5 more
# epochs with plain cross-entropy at its final learning rate (1e-5), on the
# same 18,000 images. 15 + 5 = 20 epochs, as for the control and the MCMI
# teachers of mcmi_teacher_r20.py.
_base_ = './mll_teacher_r20.py'

load_from = 'work_dirs/mll_teacher_r20/epoch_15.pth'
optim_wrapper = dict(optimizer=dict(lr=1e-5))
param_scheduler = dict(_delete_=True, type='ConstantLR', factor=1.0)
train_cfg = dict(max_epochs=5)
default_hooks = dict(checkpoint=dict(max_keep_ckpts=1))
