# Zero-shot twin of kd_r20_r8.py: its 10% without the 10 classes of
# _base_/zero_shot.py (digit_2, digit_7, upper_G, upper_Y, upper_Z, lower_a,
# lower_i, lower_y, greek_beta, greek_rho); the student seed still picks the
# 10% (train_dataloader.dataset.dataset.seed=<k>).
# Built: student CE 0.1 | loss_kd: tau 4, loss_weight 0.9
_base_ = ['./kd_r20_r8.py', './_base_/zero_shot.py']

train_dataloader = dict(
    dataset=dict(_delete_=True, **_base_.zero_shot,
                 dataset=_base_.train_dataloader.dataset))
