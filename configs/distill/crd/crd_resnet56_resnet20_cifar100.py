# resnet56 -> resnet20 on CIFAR-100 with CRD (Tian et al., ICLR 2020), weight
# 0.8, 16384 negatives, T 0.07: RepDistiller's setting, see
# ../_base_/methods/crd.py.
# Student recipe and teacher checkpoint:
# ../_base_/resnet56_resnet20_cifar100.py.
# Built: student CE 1.0 | loss_crd: loss_weight 0.8, contrast.params[1] 0.07
_base_ = [
    '../_base_/resnet56_resnet20_cifar100.py', '../_base_/methods/crd.py'
]

# Both nets' pooled features have 64 channels.
model = dict(
    distiller=dict(
        _base_.crd_distiller,
        connectors=dict(
            embed_s=dict(_base_.crd_embed, dim_in=64),
            embed_t=dict(_base_.crd_embed, dim_in=64))))

# mmrazor's CRDDataset around the training set as CRD reads it.
train_dataloader = dict(
    dataset=dict(
        _base_.crd_dataset, _delete_=True,
        dataset=_base_.crd_train_dataset))
