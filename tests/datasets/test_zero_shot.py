"""ZeroShotDataset: omitted classes leave the student's training data only."""
import numpy as np
import pytest

from mcmi_razor.datasets import ZeroShotDataset
from mcmi_razor.registry import DATASETS


def _cfg(root, omit_classes, split='train'):
    return dict(
        type='ZeroShotDataset',
        omit_classes=omit_classes,
        dataset=dict(type='UnverifiedCIFAR10', data_root=str(root),
                     split=split))


def _labels(dataset):
    return {dataset.get_cat_ids(i)[0] for i in range(len(dataset))}


def test_omitted_classes_are_absent_from_training(cifar10_fixture_root,
                                                  mcmi_razor_scope):
    train = DATASETS.build(_cfg(cifar10_fixture_root, [3, 5]))
    assert _labels(train) == set(range(10)) - {3, 5}
    assert len(train) == 40
    assert train.omitted_classes == (3, 5)
    # classes unchanged, so labels keep their original indices
    assert train.metainfo['classes'] == train.dataset.metainfo['classes']


def test_test_split_stays_complete(cifar10_fixture_root, mcmi_razor_scope):
    DATASETS.build(_cfg(cifar10_fixture_root, ['cat']))
    test = DATASETS.build(
        dict(type='UnverifiedCIFAR10', data_root=str(cifar10_fixture_root),
             split='test'))
    assert _labels(test) == set(range(10))


def test_names_and_indices_mean_the_same_classes(cifar10_fixture_root,
                                                 mcmi_razor_scope):
    by_name = DATASETS.build(_cfg(cifar10_fixture_root, ['cat', 'dog']))
    by_index = DATASETS.build(_cfg(cifar10_fixture_root, [3, 5]))
    mixed = DATASETS.build(_cfg(cifar10_fixture_root, ['cat', 5]))
    assert by_name.indices == by_index.indices == mixed.indices
    single = DATASETS.build(_cfg(cifar10_fixture_root, 'cat'))
    assert single.omitted_classes == (3, )


@pytest.mark.parametrize('omit, shown', [
    (['kitten'], "'kitten'"),
    ([10], '10'),
    ([-1], '-1'),
])
def test_unknown_classes_are_rejected_with_the_valid_ones(
        cifar10_fixture_root, mcmi_razor_scope, omit, shown):
    with pytest.raises(ValueError) as info:
        DATASETS.build(_cfg(cifar10_fixture_root, omit))
    message = str(info.value)
    assert shown in message
    assert "indices 0-9 or names 'airplane'" in message
    assert "'truck'" in message


def test_empty_omit_list_and_empty_result_are_rejected(cifar10_fixture_root,
                                                       mcmi_razor_scope):
    with pytest.raises(ValueError, match='omit_classes is empty'):
        DATASETS.build(_cfg(cifar10_fixture_root, []))
    with pytest.raises(ValueError, match='omit fewer classes'):
        DATASETS.build(_cfg(cifar10_fixture_root, list(range(10))))


def test_nests_with_few_shot(cifar100_fixture_root, mcmi_razor_scope):
    dataset = ZeroShotDataset(
        dict(type='FewShotDataset', fraction=0.4,
             dataset=dict(type='UnverifiedCIFAR100',
                          data_root=str(cifar100_fixture_root))),
        omit_classes=['apple'])
    labels = np.array([dataset.get_cat_ids(i)[0] for i in range(len(dataset))])
    assert 0 not in labels
    assert np.bincount(labels, minlength=100)[1:].tolist() == [2] * 99
