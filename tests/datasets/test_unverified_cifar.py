"""UnverifiedCIFAR10/100 read fixtures through mmpretrain's own CIFAR code;
plain CIFAR10/100 keep refusing files whose md5 is not the original's."""
import numpy as np
import pytest
from mmpretrain.datasets import CIFAR10, CIFAR100
from mmpretrain.datasets.categories import CIFAR100_CATEGORIES

from mcmi_razor.datasets import UnverifiedCIFAR10, UnverifiedCIFAR100
from mcmi_razor.registry import DATASETS


def test_cifar100_fixture_loads_through_mmpretrain_logic(
        cifar100_fixture_root):
    train = UnverifiedCIFAR100(data_root=str(cifar100_fixture_root))
    test = UnverifiedCIFAR100(
        data_root=str(cifar100_fixture_root), split='test')
    assert isinstance(train, CIFAR100)
    assert (len(train), len(test)) == (500, 200)
    assert train.metainfo['classes'] == CIFAR100_CATEGORIES
    assert np.bincount(train.get_gt_labels()).tolist() == [5] * 100
    assert np.bincount(test.get_gt_labels()).tolist() == [2] * 100
    image = train.get_data_info(0)['img']
    assert image.shape == (32, 32, 3) and image.dtype == np.uint8


def test_cifar10_fixture_loads_through_mmpretrain_logic(cifar10_fixture_root):
    train = UnverifiedCIFAR10(data_root=str(cifar10_fixture_root))
    assert isinstance(train, CIFAR10)
    assert len(train) == 50
    assert np.bincount(train.get_gt_labels()).tolist() == [5] * 10
    assert train.metainfo['classes'][0] == 'airplane'


def test_fixture_pixels_survive_mmpretrain_decoding(tmp_path):
    from mcmi_razor.testing import write_cifar
    from mcmi_razor.testing.class_images import class_images
    write_cifar(tmp_path, 10, train_per_class=1, test_per_class=1, seed=4)
    images, labels = class_images(10, 1, 32, 3, seed=4, stream=2)
    test = UnverifiedCIFAR10(data_root=str(tmp_path), split='test')
    assert np.array_equal(test.get_data_info(3)['img'], images[3])
    assert test.get_cat_ids(3) == [labels[3]]


@pytest.mark.parametrize('cls,root_fixture', [
    (CIFAR100, 'cifar100_fixture_root'),
    (CIFAR10, 'cifar10_fixture_root'),
])
def test_plain_cifar_keeps_its_md5_check_on_fixtures(cls, root_fixture,
                                                     request):
    root = request.getfixturevalue(root_fixture)
    with pytest.raises(RuntimeError, match='Cannot find'):
        cls(data_root=str(root), download=False)


def test_unverified_cifar_never_downloads(tmp_path):
    with pytest.raises(ValueError, match="type='CIFAR100'"):
        UnverifiedCIFAR100(data_root=str(tmp_path), download=True)


def test_missing_fixture_names_the_files_and_the_writer(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        UnverifiedCIFAR100(data_root=str(tmp_path / 'nowhere'))
    message = str(info.value)
    assert str(tmp_path / 'nowhere' / 'cifar-100-python' / 'train') in message
    assert 'make_cifar_fixture.py' in message


def test_unverified_types_build_by_name_in_our_scope(cifar10_fixture_root,
                                                     mcmi_razor_scope):
    dataset = DATASETS.build(
        dict(type='UnverifiedCIFAR10', data_root=str(cifar10_fixture_root),
             split='test'))
    assert len(dataset) == 20
