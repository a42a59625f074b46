"""Committed teacher weights: what a fine-tune and a student load."""
import pytest
import torch
from mmengine.runner import load_checkpoint
from mmengine.runner.checkpoint import save_checkpoint

from experiments.many_class.store import store_weights
from mcmi_razor.models.backbones import CifarResNet


def test_stored_weights_load_as_the_trained_ones_without_the_optimizer(
        tmp_path):
    trained = CifarResNet(arch='resnet8')
    optimizer = torch.optim.SGD(trained.parameters(), lr=0.1, momentum=0.9)
    checkpoint = tmp_path / 'epoch_5.pth'
    save_checkpoint(dict(meta=dict(epoch=5, seed=1),
                         state_dict=trained.state_dict(),
                         optimizer=optimizer.state_dict()), str(checkpoint))
    out = tmp_path / 'store' / 'fixed_t1.pth'
    store_weights(checkpoint, out)
    saved = torch.load(out, weights_only=True)
    assert set(saved) == {'state_dict', 'meta'}
    assert saved['meta'] == dict(source=str(checkpoint), epoch=5, seed=1)
    fresh = CifarResNet(arch='resnet8')
    load_checkpoint(fresh, str(out), strict=True)
    for name, value in trained.state_dict().items():
        assert torch.equal(fresh.state_dict()[name], value), name
    assert [p.name for p in out.parent.iterdir()] == ['fixed_t1.pth']


def test_a_checkpoint_without_weights_is_refused_and_nothing_stored(
        tmp_path):
    checkpoint = tmp_path / 'epoch_5.pth'
    torch.save(dict(meta=dict(epoch=5)), checkpoint)
    out = tmp_path / 'store' / 'fixed_t1.pth'
    with pytest.raises(ValueError, match='holds no state_dict'):
        store_weights(checkpoint, out)
    assert not out.exists()
