"""Shared pytest fixtures: small, learnable data sets in the real formats.

Session-scoped (written once per test run, about 0.1 s each) and read-only:
tests must not modify the files; write your own with
``mcmi_razor.testing`` under ``tmp_path`` if you need other sizes.

- ``cifar100_fixture_root`` (Path): a data root holding
  ``cifar-100-python/{train,test,meta}``: 100 classes, 5 train and 2 test
  images per class (500 / 200), seed 0. Load with
  ``type='UnverifiedCIFAR100', data_root=str(cifar100_fixture_root)``, e.g.
  ``--cfg-options train_dataloader.dataset.type=UnverifiedCIFAR100
  train_dataloader.dataset.data_root=<root>`` (same for val/test).
- ``cifar10_fixture_root`` (Path): ``cifar-10-batches-py/...``: 10 classes,
  5 train and 2 test images per class (50 / 20), seed 0; use
  ``type='UnverifiedCIFAR10'``.
- ``fashion_mnist_fixture_root`` (Path): the four unzipped Fashion-MNIST IDX
  files: 10 classes, 5 train and 2 test images per class, seed 0; mmpretrain's
  plain ``FashionMNIST`` reads it.
- ``mcmi_razor_scope``: makes ``mcmi_razor`` the default registry scope for
  one test, as our configs' ``default_scope`` does in a runner, so
  unprefixed types (ours and mmpretrain's) build.
"""
import pytest

FIXTURE_TRAIN_PER_CLASS = 5
FIXTURE_TEST_PER_CLASS = 2


@pytest.fixture(scope='session')
def cifar100_fixture_root(tmp_path_factory):
    from mcmi_razor.testing import write_cifar
    return write_cifar(
        tmp_path_factory.mktemp('cifar100'),
        num_classes=100,
        train_per_class=FIXTURE_TRAIN_PER_CLASS,
        test_per_class=FIXTURE_TEST_PER_CLASS,
        seed=0)


@pytest.fixture(scope='session')
def cifar10_fixture_root(tmp_path_factory):
    from mcmi_razor.testing import write_cifar
    return write_cifar(
        tmp_path_factory.mktemp('cifar10'),
        num_classes=10,
        train_per_class=FIXTURE_TRAIN_PER_CLASS,
        test_per_class=FIXTURE_TEST_PER_CLASS,
        seed=0)


@pytest.fixture(scope='session')
def fashion_mnist_fixture_root(tmp_path_factory):
    from mcmi_razor.testing import write_fashion_mnist_idx
    return write_fashion_mnist_idx(
        tmp_path_factory.mktemp('fashion_mnist'),
        train_per_class=FIXTURE_TRAIN_PER_CLASS,
        test_per_class=FIXTURE_TEST_PER_CLASS,
        seed=0)


@pytest.fixture
def mcmi_razor_scope():
    import mcmi_razor  # noqa: F401  (registers our types)
    from mmengine.registry import DefaultScope
    with DefaultScope.overwrite_default_scope('mcmi_razor'):
        yield 'mcmi_razor'
