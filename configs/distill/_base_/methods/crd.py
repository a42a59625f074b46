# CRD (Tian et al., ICLR 2020) as RepDistiller runs it on CIFAR-100
# (--distill crd -a 0 -b 0.8, feat_dim 128, nce_k 16384, nce_t 0.07,
# nce_m 0.5, mode exact):
#   loss = CE(student) + 0.8 * CRD,
# on the pooled features (RepDistiller's feat[-1], our neck.gap), each
# embedded by a linear layer to 128 dims and l2-normalised (CRDConnector,
# RepDistiller's Embed), contrasted against 16384 negatives drawn per sample
# from the other classes, with a memory bank of all 50000 training images.
# neg_num appears twice (loss and data) and must be equal: override both.
# sample_n must be at least the training set size.
#
# Data, as mmrazor's crd config: mmrazor's CRDDataset wraps the training set
# and adds the negatives; PackCRDInputs (ours: mmrazor's PackCRDClsInputs
# needs mmcls, which mmpretrain replaced) packs the sample index and the
# negatives as tensors. The training set with PackCRDInputs is
# crd_train_dataset of ../cifar100_distill.py. A method config:
#   model = dict(distiller=dict(_base_.crd_distiller, connectors=dict(
#       embed_s=dict(_base_.crd_embed, dim_in=<student width>),
#       embed_t=dict(_base_.crd_embed, dim_in=<teacher width>))))
#   train_dataloader = dict(dataset=dict(
#       _base_.crd_dataset, _delete_=True,
#       dataset=_base_.crd_train_dataset))
# The memory bank lives in buffers, which DDP broadcasts from rank 0 before
# every forward: the other ranks' updates are lost. Train CRD in one process,
# as RepDistiller does.
crd_neg_num = 16384
crd_distiller = dict(
    student_recorders=dict(
        pooled=dict(type='ModuleOutputs', source='neck.gap'),
        # the data samples (sample indices, negatives) the student receives
        data_samples=dict(type='ModuleInputs', source='')),
    teacher_recorders=dict(
        pooled=dict(type='ModuleOutputs', source='neck.gap')),
    distill_losses=dict(
        loss_crd=dict(
            type='CRDLoss',
            loss_weight=0.8,
            neg_num=crd_neg_num,
            sample_n=50000,
            dim_out=128,
            temperature=0.07,
            momentum=0.5)),
    loss_forward_mappings=dict(
        loss_crd=dict(
            s_feats=dict(
                from_student=True, recorder='pooled', connector='embed_s'),
            t_feats=dict(
                from_student=False, recorder='pooled', connector='embed_t'),
            data_samples=dict(
                from_student=True, recorder='data_samples', data_idx=1))))
crd_embed = dict(type='CRDConnector', dim_out=128)
crd_dataset = dict(
    _scope_='mmrazor',
    type='CRDDataset',
    neg_num=crd_neg_num,
    sample_mode='exact',
    percent=1.0)
