# The label-only baseline of the zero-shot setting: r8_labels_only.py on its
# 5% without class 2 ("Pullover"), as kd_r20_r8_zero_shot.py; the student
# seed picks the 5% (train_dataloader.dataset.dataset.seed=<k>).
_base_ = './r8_labels_only.py'

train_dataloader = dict(
    dataset=dict(_delete_=True, type='ZeroShotDataset', omit_classes=[2],
                 dataset=_base_.train_dataloader.dataset))
