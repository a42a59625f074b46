"""MCMI teachers with the real runner: any mmpretrain backbone; collapse."""
import copy

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from mcmi_razor.engine.hooks import TeacherCollapseError, find_mcmi_losses

pytestmark = pytest.mark.slow

MCMI_LOSS = dict(_delete_=True, type='mcmi_razor.MCMILoss', num_classes=10,
                 cmi_weight=0.1)


def _cifar10_runner(model: dict, work_dir, data_root, max_epochs: int,
                    custom_hooks: list, load_from=None) -> Runner:
    """A real runner: the given model on the CIFAR-10 fixture (50 images)."""
    cfg = Config.fromfile('configs/_base_/datasets/cifar10_bs64.py')
    for loader in ('train_dataloader', 'val_dataloader'):
        cfg[loader].dataset.update(type='UnverifiedCIFAR10',
                                   data_root=str(data_root))
        cfg[loader].update(num_workers=0, batch_size=10)
    runtime = Config.fromfile('configs/_base_/default_runtime.py')
    return Runner(
        model=model, work_dir=str(work_dir),
        train_dataloader=cfg.train_dataloader,
        val_dataloader=cfg.val_dataloader, val_cfg=dict(),
        val_evaluator=[dict(type='Accuracy'),
                       dict(type='CMIMetric', num_classes=10)],
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs,
                       val_interval=max_epochs),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.05,
                                          momentum=0.9)),
        data_preprocessor=cfg.data_preprocessor,
        default_hooks=dict(runtime.default_hooks,
                           logger=dict(type='LoggerHook', interval=5)),
        custom_hooks=custom_hooks, default_scope='mcmi_razor',
        randomness=dict(seed=0), load_from=load_from)


@pytest.mark.parametrize('config', [
    'mmpretrain::resnet/resnet18_8xb16_cifar10.py',      # ResNet_CIFAR
    'mmpretrain::mobilenet_v2/mobilenet-v2_8xb32_in1k.py',  # MobileNetV2
    # ConvNeXt; its config trains with Mixup + CutMix: soft targets.
    'mmpretrain::convnext/convnext-tiny_32xb128_in1k.py',
])
def test_stock_backbone_becomes_an_mcmi_teacher_by_its_head_loss(
        config, tmp_path, cifar10_fixture_root):
    user_config = tmp_path / 'teacher.py'
    user_config.write_text(
        f'_base_ = {config!r}\n'
        # num_classes because the fixture is CIFAR-10; the loss is the
        # only other change.
        f'model = dict(head=dict(num_classes=10, loss={MCMI_LOSS!r}))\n')
    model = Config.fromfile(user_config).model
    model.pop('data_preprocessor', None)
    runner = _cifar10_runner(
        model, tmp_path, cifar10_fixture_root, max_epochs=1,
        custom_hooks=[dict(type='ClassCentroidHook')])
    runner.train()
    (_, _, loss), = find_mcmi_losses(runner.model)
    # Without the exact pass train() raises (no centroids); after it each
    # row is a class mean of distributions, so a distribution itself (a
    # mis-normalised mean fails here; mobilenet_v2's fresh head predicts
    # uniform, so the rows may equal the uniform start). Their values are
    # pinned by tests/engine/test_class_statistics_pass.py.
    assert loss.centroids.ready
    q = loss.centroids.value.float()
    assert torch.allclose(q.sum(1), torch.ones(10), atol=1e-5)
    scalars = runner.message_hub.log_scalars
    assert torch.isfinite(torch.tensor(
        scalars['train/cmi_term'].current())).item()
    assert 'train/loss_ce' in scalars


def test_collapse_is_detected_and_never_saved(tmp_path,
                                              cifar10_fixture_root):
    model = Config.fromfile('configs/_base_/models/resnet8_cifar.py').model
    model.head.num_classes = 10
    mll = _cifar10_runner(copy.deepcopy(model), tmp_path / 'mll',
                          cifar10_fixture_root, max_epochs=15,
                          custom_hooks=[])
    mll.train()
    model.head.loss = dict(type='mcmi_razor.MCMILoss', num_classes=10,
                           cmi_weight=5.0)
    mcmi = _cifar10_runner(
        model, tmp_path / 'mcmi', cifar10_fixture_root, max_epochs=30,
        custom_hooks=[dict(type='ClassCentroidHook'),
                      dict(type='CollapseGuardHook', window=5)],
        load_from=str(tmp_path / 'mll/epoch_15.pth'))
    with pytest.raises(TeacherCollapseError,
                       match='Lower cmi_weight') as error:
        mcmi.train()
    collapsed_epoch = mcmi.epoch + 1
    assert collapsed_epoch < 30
    assert not (tmp_path / f'mcmi/epoch_{collapsed_epoch}.pth').exists()
    assert 'chance 0.100' in str(error.value)
