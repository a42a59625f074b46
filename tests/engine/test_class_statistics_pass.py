"""The exact pass: equal to a direct computation, on-device, no side effect."""
import random

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpretrain.structures import DataSample
from torch.utils.data import DataLoader

from mcmi_razor.engine.class_statistics_pass import collect_class_statistics
from mcmi_razor.models.utils import ClassConditionalStats
from mcmi_razor.registry import MODELS
from mcmi_razor.testing.host_transfers import count_host_transfers, in_package

C = 10


def _collate(batch):
    images, labels = zip(*batch)
    return dict(inputs=list(images),
                data_samples=[DataSample().set_gt_label(y) for y in labels])


def _loader(num_images, batch_size=4):
    g = torch.Generator().manual_seed(0)
    data = [(torch.randint(0, 256, (3, 32, 32), generator=g,
                           dtype=torch.uint8), i % C)
            for i in range(num_images)]
    return DataLoader(data, batch_size=batch_size, collate_fn=_collate)


@pytest.fixture(scope='module')
def model():
    init_default_scope('mcmi_razor')
    cfg = Config.fromfile('configs/_base_/models/resnet8_cifar.py')
    cfg.model.head.num_classes = C
    cfg.model.data_preprocessor = dict(type='ClsDataPreprocessor')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.train()
    # non-trivial BN statistics, as after training
    with torch.no_grad():
        model(torch.randn(16, 3, 32, 32) * 3 + 1, mode='tensor')
    return model


def test_pass_equals_statistics_of_the_eval_mode_logits(model):
    loader = _loader(10)
    stats = collect_class_statistics(model, loader, C, show_progress=False)
    expected = ClassConditionalStats(C)
    model.eval()
    with torch.no_grad():
        for data in loader:
            data = model.data_preprocessor(data, False)
            logits = model(data['inputs'], mode='tensor')
            expected.update(logits.softmax(1),
                            torch.cat([s.gt_label
                                       for s in data['data_samples']]))
    model.train()
    assert torch.allclose(stats.prob_sums, expected.prob_sums, atol=1e-6)
    assert stats.cmi() == pytest.approx(expected.cmi(), abs=1e-6)
    assert stats.prob_sums.dtype == torch.float64


class _AugmentingData(torch.utils.data.Dataset):
    """Images drawn from python's, numpy's and torch's global generators as
    a training pipeline's random augmentations draw (flip, crop, ...)."""

    def __init__(self, num_images: int) -> None:
        self.num_images = num_images

    def __len__(self) -> int:
        return self.num_images

    def __getitem__(self, i):
        shift = random.randrange(8) + int(np.random.randint(8))
        image = torch.randint(0, 256 - 16, (3, 32, 32), dtype=torch.uint8)
        return image + shift, i % C


def test_pass_leaves_batchnorm_statistics_modes_and_rng_untouched(model):
    before = {k: v.clone() for k, v in model.state_dict().items()}
    model.backbone.layer1.eval()      # a mixed-mode model stays mixed
    modes = {name: m.training for name, m in model.named_modules()}
    random.seed(1)
    np.random.seed(1)
    torch.manual_seed(1)
    rng = (random.random(), np.random.rand(), torch.rand(3))
    random.seed(1)
    np.random.seed(1)
    torch.manual_seed(1)
    loader = DataLoader(_AugmentingData(8), batch_size=4,
                        collate_fn=_collate)
    collect_class_statistics(model, loader, C, show_progress=False)
    assert (random.random(), np.random.rand()) == rng[:2]
    assert torch.equal(torch.rand(3), rng[2])
    after = model.state_dict()
    changed = [k for k in before if not torch.equal(before[k], after[k])]
    assert changed == []     # running_mean / var / num_batches_tracked
    assert {n: m.training for n, m in model.named_modules()} == modes
    model.train()


def test_no_host_transfer_per_batch(model):
    """Our code's host reads do not grow with the number of batches (the
    old pass called .cpu() on every batch's probabilities)."""
    counts = []
    for num_images in (8, 24):
        with count_host_transfers() as calls:
            collect_class_statistics(model, _loader(num_images), C,
                                     show_progress=False)
        counts.append(in_package(calls))
    assert len(counts[0]) == len(counts[1]), counts


def test_a_label_outside_the_classes_is_named_after_the_pass(model):
    bad = [(torch.zeros(3, 32, 32, dtype=torch.uint8), y) for y in (1, 12)]
    loader = DataLoader(bad, batch_size=2, collate_fn=_collate)
    with pytest.raises(ValueError, match=r'Label 12 is outside \[0, 10\)'):
        collect_class_statistics(model, loader, C, show_progress=False)


def test_pass_at_temperature_4_gives_class_means_of_softmax_z_over_4(model):
    loader = _loader(20)
    stats = collect_class_statistics(model, loader, C, show_progress=False,
                                     temperature=4.0)
    model.eval()
    with torch.no_grad():
        batches = [model.data_preprocessor(data, False) for data in loader]
        logits = torch.cat([model(b['inputs'], mode='tensor')
                            for b in batches]).double()
    model.train()
    labels = torch.cat([s.gt_label for b in batches
                        for s in b['data_samples']])
    p4 = (logits / 4).softmax(1)
    q4 = torch.stack([p4[labels == y].mean(0) for y in range(C)])
    cmi4 = (p4 * (p4 / q4[labels]).log()).sum(1).mean().item()
    assert torch.allclose(stats.centroids(), q4, atol=1e-6)
    assert stats.cmi() == pytest.approx(cmi4, abs=1e-6)
    p1 = logits.softmax(1)
    q1 = torch.stack([p1[labels == y].mean(0) for y in range(C)])
    assert not torch.allclose(q1, q4, atol=1e-3)     # tau matters here


@pytest.mark.parametrize('temperature', [0.0, -1.0, float('nan')])
def test_pass_refuses_a_temperature_that_is_not_positive(model, temperature):
    with pytest.raises(ValueError, match='finite temperature > 0'):
        collect_class_statistics(model, _loader(4), C, show_progress=False,
                                 temperature=temperature)
