# MCMI resnet20 teacher on FontGlyphs100: a 5-epoch fine-tune of the MLL
# teacher of mll_teacher_r20.py (last epoch) with
# L = CE - 0.15 * KL(P_x || Q_y) (the paper's few-shot lambda), exact
# centroids from one pass before fine-tuning, then frozen, on the same
# 18,000 training images. SGD lr 0.05, cosine to 0 per iteration (the
# official 20-epoch fine-tune, shortened). Its control is this config with
# plain cross-entropy (cmi_weight 0).
_base_ = [
    '../_base_/models/resnet20_cifar.py',
    './_base_/font_glyphs_bs64.py',
    '../_base_/schedules/mcmi_finetune_20e.py',
    '../_base_/mcmi_runtime.py',
]

model = dict(
    head=dict(
        num_classes=100,
        loss=dict(
            _delete_=True, type='MCMILoss', num_classes=100,
            cmi_weight=0.15)))
train_dataloader = dict(dataset=dict(fraction=0.4))
param_scheduler = dict(T_max=5, convert_to_iter_based=True)
train_cfg = dict(max_epochs=5)
load_from = 'work_dirs/mll_teacher_r20/epoch_15.pth'
randomness = dict(seed=0)
