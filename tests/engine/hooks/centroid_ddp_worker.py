"""torchrun worker: one epoch of MCMI training with the real runner.

argv: DATA_ROOT WORK_DIR SCHEDULE ('exact' or 'ema'). The training set
has 49 images (odd, so the distributed sampler pads one) and no random
augmentation, so an exact centroid pass sees the same images however many
ranks share it. Each rank
saves the centroids it trained with to WORK_DIR/centroids_rank{r}.pt.
"""
import sys
from pathlib import Path

import torch
from mmengine.config import Config
from mmengine.dist import get_rank
from mmengine.runner import Runner

import mcmi_razor  # noqa: F401
from mcmi_razor.engine.hooks import find_mcmi_losses

REPO = Path(__file__).resolve().parents[3]


def main() -> None:
    data_root, work_dir, schedule = sys.argv[1:4]
    cfg = Config.fromfile(REPO / 'configs/mcmi/mcmi_resnet56_cifar100.py')
    cfg.model.head.num_classes = cfg.model.head.loss.num_classes = 10
    # Shallow: a deep net at random init saturates in eval mode (every
    # image the same one-hot output), which would hide a wrong centroid.
    cfg.model.backbone.arch = 'resnet8'
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.update(type='UnverifiedCIFAR10',
                                   data_root=data_root)
        cfg[loader].update(num_workers=0, batch_size=8)
    cfg.train_dataloader.dataset.update(indices=49,
                                        pipeline=[dict(type='PackInputs')])
    cfg.val_evaluator = cfg.test_evaluator = [dict(type='Accuracy')]
    cfg.custom_hooks = [dict(type='ClassCentroidHook', schedule=schedule)]
    cfg.update(work_dir=work_dir, load_from=None, launcher='pytorch',
               randomness=dict(seed=0))
    cfg.train_cfg.max_epochs = 1
    runner = Runner.from_cfg(cfg)
    runner.train()
    (_, _, loss), = find_mcmi_losses(runner.model)
    torch.save(loss.centroids.state(),
               Path(work_dir) / f'centroids_rank{get_rank()}.pt')


if __name__ == '__main__':
    main()
