# Zero-shot twin of r8.py: its 10% without the 10 classes of
# _base_/zero_shot.py (digit_2, digit_7, upper_G, upper_Y, upper_Z, lower_a,
# lower_i, lower_y, greek_beta, greek_rho); the student seed still picks the
# 10% (train_dataloader.dataset.dataset.seed=<k>).
_base_ = ['./r8.py', './_base_/zero_shot.py']

train_dataloader = dict(
    dataset=dict(_delete_=True, **_base_.zero_shot,
                 dataset=_base_.train_dataloader.dataset))
