"""PackCRDInputs feeds mmrazor's CRDDataset samples to its CRDLoss."""
import pytest
import torch
from mmengine.registry import DATASETS, DefaultScope
from mmrazor.models.losses import CRDLoss

from mcmi_razor.datasets.crd_inputs import META_KEYS, PackCRDInputs
from mcmi_razor.testing import write_cifar

NEGATIVES = 5


@pytest.fixture(scope='module')
def crd_dataset(tmp_path_factory):
    """mmrazor's CRDDataset around a 100-image CIFAR-100 fixture."""
    root = write_cifar(tmp_path_factory.mktemp('cifar100_1pc'),
                       num_classes=100, train_per_class=1, test_per_class=1)
    cfg = dict(
        _scope_='mmrazor',
        type='CRDDataset',
        neg_num=NEGATIVES,
        percent=1.0,
        dataset=dict(
            _scope_='mcmi_razor',
            type='UnverifiedCIFAR100',
            data_root=str(root),
            split='train',
            pipeline=[dict(type='PackCRDInputs')]))
    with DefaultScope.overwrite_default_scope('mcmi_razor'):
        return DATASETS.build(cfg)


def test_sample_index_and_negatives_are_int64_tensors(crd_dataset):
    sample = crd_dataset[7]['data_samples']
    assert sample.sample_idx.dtype == torch.long
    assert sample.sample_idx.shape == () and int(sample.sample_idx) == 7
    negatives = sample.contrast_sample_idxs
    assert negatives.dtype == torch.long
    assert negatives.shape == (NEGATIVES + 1, )
    assert int(negatives[0]) == 7   # 'exact' mode: the positive is itself
    label = int(sample.gt_label)
    labels = crd_dataset.dataset.get_gt_labels()
    assert all(labels[int(i)] != label for i in negatives[1:])
    assert 'sample_idx' not in sample.metainfo_keys()


def test_crd_loss_trains_on_packed_samples_and_updates_its_memory(
        crd_dataset):
    samples = [crd_dataset[i]['data_samples'] for i in (3, 50, 99)]
    loss = CRDLoss(neg_num=NEGATIVES, sample_n=len(crd_dataset), dim_out=8)
    memory = loss.contrast.memory_v1.clone()
    s_feats = torch.nn.functional.normalize(torch.randn(3, 8), dim=1)
    t_feats = torch.nn.functional.normalize(torch.randn(3, 8), dim=1)
    s_feats.requires_grad_()
    value = loss(s_feats, t_feats, samples)
    value.backward()
    assert torch.isfinite(value) and s_feats.grad.abs().sum() > 0
    changed = (loss.contrast.memory_v1 != memory).any(1).nonzero().flatten()
    assert changed.tolist() == [3, 50, 99]


def test_sample_idx_cannot_also_be_metainfo():
    assert 'sample_idx' not in META_KEYS
    with pytest.raises(ValueError, match='meta_keys'):
        PackCRDInputs(meta_keys=('sample_idx', 'img_shape'))


def test_a_sample_without_index_is_rejected():
    with pytest.raises(KeyError, match='sample_idx'):
        PackCRDInputs().transform(dict(img=torch.zeros(4, 4, 3).numpy()))
