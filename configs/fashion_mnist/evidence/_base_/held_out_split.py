# The evidence study's data (docs/results.md): validation on a held-out,
# class-balanced 5,000 images of the training set (500 per class, seed
# 2026) that no model trains on; the 10,000-image test set is only for the
# reported numbers. Leaves use the two datasets:
#   train_dataloader = dict(dataset=dict(dataset=_base_.held_out_train))
#   val_dataloader = dict(dataset=_base_.held_out_val)
# (the training side goes inside the base configs' FewShotDataset).
held_out_fraction = 1 / 12   # of 6,000 images per class: 500
fashion_mnist_train = dict(
    type='FashionMNIST',
    data_root='data/fashion_mnist',
    split='train',
    test_mode=False,
    download=False)

held_out_train = dict(
    _delete_=True,
    type='HeldOutDataset',
    part='train',
    fraction=held_out_fraction,
    seed=2026,
    dataset=dict(
        fashion_mnist_train,
        pipeline=[
            dict(type='RandomCrop', crop_size=28, padding=2),
            dict(type='RandomFlip', prob=0.5, direction='horizontal'),
            dict(type='PackInputs'),
        ]))

held_out_val = dict(
    held_out_train,
    part='val',
    dataset=dict(fashion_mnist_train, pipeline=[dict(type='PackInputs')]))
