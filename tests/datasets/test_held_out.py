"""HeldOutDataset: disjoint, complete, class-balanced validation splits."""
import numpy as np
import pytest

from mcmi_razor.registry import DATASETS


def _split(root, part, **kwargs):
    return DATASETS.build(
        dict(type='HeldOutDataset', part=part,
             dataset=dict(type='UnverifiedCIFAR10', data_root=str(root)),
             **kwargs))


def _images(dataset):
    return [dataset.get_data_info(i)['img'].tobytes()
            for i in range(len(dataset))]


@pytest.fixture
def root(tmp_path):
    from mcmi_razor.testing import write_cifar
    return write_cifar(tmp_path, 10, train_per_class=10, test_per_class=1)


def test_parts_are_disjoint_and_cover_the_training_set(root,
                                                       mcmi_razor_scope):
    val = _split(root, 'val', fraction=0.3, seed=5)
    train = _split(root, 'train', fraction=0.3, seed=5)
    labels = np.array([val.get_cat_ids(i)[0] for i in range(len(val))])
    assert np.bincount(labels).tolist() == [3] * 10
    assert len(train) == 70
    assert set(val.indices).isdisjoint(train.indices)
    assert sorted(val.indices + train.indices) == list(range(100))
    # The images, not just the indices, differ between the parts.
    assert not set(_images(val)) & set(_images(train))


def test_the_seed_moves_the_split_and_is_stable(root, mcmi_razor_scope):
    first = _split(root, 'val', fraction=0.3, seed=5).indices
    assert _split(root, 'val', fraction=0.3, seed=5).indices == first
    assert _split(root, 'val', fraction=0.3, seed=6).indices != first


def test_a_few_shot_subset_of_the_train_part_never_sees_val(
        root, mcmi_razor_scope):
    inner = dict(type='HeldOutDataset', part='train', fraction=0.3, seed=5,
                 dataset=dict(type='UnverifiedCIFAR10', data_root=str(root)))
    few = DATASETS.build(dict(type='FewShotDataset', fraction=0.5,
                              dataset=inner))
    val = _split(root, 'val', fraction=0.3, seed=5)
    assert len(few) == 40
    assert not set(_images(few)) & set(_images(val))


@pytest.mark.parametrize('kwargs, message', [
    (dict(fraction=1.0, part='val'), 'fraction must be a number in (0, 1)'),
    (dict(fraction=0.1, part='test'), "part must be one of ('train', 'val')"),
    (dict(fraction=0.1, part='val', seed=-1), 'seed must be an integer'),
])
def test_bad_arguments_name_the_fix(root, mcmi_razor_scope, kwargs, message):
    with pytest.raises(ValueError, match=message.replace('(', r'\(').replace(
            ')', r'\)')):
        _split(root, **kwargs)
