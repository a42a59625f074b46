# Fashion-MNIST with the training set behind a class-balanced, seeded
# FewShotDataset (fraction 1.0 = all 60,000 images). Subsample from the
# command line of any tool, e.g. 10% (600 per class, seed 0):
#   --cfg-options train_dataloader.dataset.fraction=0.1
# The validation/test split stays the full 10,000-image test set.
_base_ = './fashion_mnist_bs64.py'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='FewShotDataset',
        fraction=1.0,
        seed=0,
        dataset={{_base_.train_dataloader.dataset}}))
