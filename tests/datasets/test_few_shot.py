"""FewShotDataset: class-balanced, seeded, stable subsets."""
import numpy as np
import pytest

from mcmi_razor.datasets import FewShotDataset
from mcmi_razor.registry import DATASETS


def _cfg(root, **kwargs):
    return dict(
        type='FewShotDataset',
        dataset=dict(type='UnverifiedCIFAR10', data_root=str(root)),
        **kwargs)


def _labels(dataset):
    return np.array([dataset.get_cat_ids(i)[0] for i in range(len(dataset))])


def test_keeps_the_same_rounded_count_of_every_class(tmp_path,
                                                     mcmi_razor_scope):
    from mcmi_razor.testing import write_cifar
    write_cifar(tmp_path, 10, train_per_class=10, test_per_class=1)
    subset = DATASETS.build(_cfg(tmp_path, fraction=0.25))
    # round(0.25 * 10) = round(2.5) = 2 (halves to even)
    assert np.bincount(_labels(subset)).tolist() == [2] * 10
    assert len(subset) == 20


def test_keeps_at_least_one_sample_per_class(cifar100_fixture_root,
                                             mcmi_razor_scope):
    subset = DATASETS.build(
        dict(type='FewShotDataset', fraction=0.01,
             dataset=dict(type='UnverifiedCIFAR100',
                          data_root=str(cifar100_fixture_root))))
    assert np.bincount(_labels(subset), minlength=100).tolist() == [1] * 100


def test_subset_samples_are_the_wrapped_samples(cifar10_fixture_root,
                                                mcmi_razor_scope):
    subset = DATASETS.build(_cfg(cifar10_fixture_root, fraction=0.4))
    for i in range(len(subset)):
        original = subset.dataset.get_data_info(subset.indices[i])
        assert subset.get_cat_ids(i) == [original['gt_label']]
        assert np.array_equal(subset[i]['img'], original['img'])
    assert subset.metainfo == subset.dataset.metainfo


def test_same_seed_same_subset_in_a_fresh_build(cifar10_fixture_root,
                                                mcmi_razor_scope):
    first = DATASETS.build(_cfg(cifar10_fixture_root, fraction=0.4, seed=7))
    again = DATASETS.build(_cfg(cifar10_fixture_root, fraction=0.4, seed=7))
    other = DATASETS.build(_cfg(cifar10_fixture_root, fraction=0.4, seed=8))
    assert first.indices == again.indices
    assert first.indices != other.indices
    assert np.array_equal(np.bincount(_labels(first)),
                          np.bincount(_labels(other)))


def test_seeded_choice_is_pinned(cifar10_fixture_root, mcmi_razor_scope):
    # default_rng([seed, class]) per class: a change here changes published
    # subsets, so it must be deliberate.
    subset = DATASETS.build(_cfg(cifar10_fixture_root, fraction=0.2, seed=0))
    labels = _labels(subset.dataset)
    expected = []
    for c in range(10):
        members = np.flatnonzero(labels == c)
        order = np.random.default_rng([0, c]).permutation(len(members))
        expected.extend(members[order[:1]].tolist())
    assert subset.indices == sorted(expected)


def test_fraction_one_keeps_everything(cifar10_fixture_root,
                                       mcmi_razor_scope):
    subset = DATASETS.build(_cfg(cifar10_fixture_root, fraction=1.0))
    assert subset.indices == list(range(len(subset.dataset)))


@pytest.mark.parametrize('fraction', [0, -0.1, 1.5, float('nan'), '0.5',
                                      True])
def test_fraction_outside_zero_one_is_rejected(cifar10_fixture_root,
                                               fraction):
    with pytest.raises(ValueError, match=r'fraction must be a number in'):
        FewShotDataset(
            dict(type='UnverifiedCIFAR10',
                 data_root=str(cifar10_fixture_root)),
            fraction=fraction)


def test_lazy_init_defers_the_choice_to_full_init(cifar10_fixture_root,
                                                  mcmi_razor_scope):
    subset = DATASETS.build(
        _cfg(cifar10_fixture_root, fraction=0.5, lazy_init=True))
    assert not hasattr(subset, 'indices')
    subset.full_init()
    assert len(subset) == 20  # round(0.5 * 5) = round(2.5) = 2 per class


def test_wrapped_config_builds_without_a_default_scope(cifar10_fixture_root):
    subset = FewShotDataset(
        dict(type='UnverifiedCIFAR10', data_root=str(cifar10_fixture_root)),
        fraction=0.2)
    assert len(subset) == 10
