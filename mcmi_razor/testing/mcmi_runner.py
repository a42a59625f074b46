"""A real MMEngine runner training a small MCMI teacher, for hook tests.

resnet8 with an ``MCMILoss`` head on a CIFAR-10-format data root (e.g. the
fixture of :func:`mcmi_razor.testing.write_cifar`), batch 10, no random
augmentation and no shuffling, so that a test can replay the batches.
"""
from pathlib import Path
from typing import Optional

from mmengine.config import Config
from mmengine.runner import Runner

CONFIGS = Path(__file__).resolve().parents[2] / 'configs/_base_'


def mcmi_runner(data_root, work_dir, centroid_hook: dict, max_epochs: int = 1,
                lr: float = 0.05, resume: bool = False,
                load_from: Optional[str] = None) -> Runner:
    """Runner with ``centroid_hook`` (a ``ClassCentroidHook`` config)."""
    data = Config.fromfile(CONFIGS / 'datasets/cifar10_bs64.py')
    model = Config.fromfile(CONFIGS / 'models/resnet8_cifar.py').model
    model.head.num_classes = 10
    model.head.loss = dict(type='MCMILoss', num_classes=10, cmi_weight=0.1)
    loader = data.train_dataloader
    loader.dataset.update(type='UnverifiedCIFAR10', data_root=str(data_root),
                          pipeline=[dict(type='PackInputs')])
    loader.update(num_workers=0, batch_size=10, persistent_workers=False,
                  sampler=dict(type='DefaultSampler', shuffle=False))
    return Runner(
        model=model, work_dir=str(work_dir), train_dataloader=loader,
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=lr, momentum=0.9)),
        data_preprocessor=data.data_preprocessor,
        default_hooks=dict(checkpoint=dict(type='CheckpointHook',
                                           interval=1),
                           logger=dict(type='LoggerHook', interval=1)),
        custom_hooks=[centroid_hook], default_scope='mcmi_razor',
        randomness=dict(seed=0), resume=resume, load_from=load_from)
