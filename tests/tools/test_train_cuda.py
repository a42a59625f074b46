"""An MCMI teacher trained by tools/train.py on a CUDA device with AMP and
bfloat16 centroids (the CIFAR-100 fixture, resnet8, one epoch)."""
import os

import pytest
import torch

from mcmi_razor.fileio import load_checkpoint

pytestmark = [pytest.mark.cuda, pytest.mark.slow]

MCMI = 'configs/mcmi/mcmi_resnet56_cifar100.py'


def test_amp_training_with_bfloat16_centroids_on_cuda(tmp_path, run_tool,
                                                      cifar100_resnet8_options):
    # from scratch (no MLL checkpoint): the near-chance fixture teacher's
    # accuracy swings past the guard's arming level, so its CE-rise
    # condition is set out of reach (as in test_mcmi_teacher.py)
    result = run_tool(
        'train.py', MCMI, '--work-dir', tmp_path, '--amp', '--cfg-options',
        'load_from=None', 'train_cfg.max_epochs=1',
        'model.head.loss.centroid_dtype=bfloat16',
        'custom_hooks.1.ce_rise=1000', 'default_hooks.logger.interval=1',
        'randomness.seed=0', *cifar100_resnet8_options,
        env=dict(CUDA_VISIBLE_DEVICES=os.environ.get('CUDA_VISIBLE_DEVICES',
                                                     '0')))
    log = next(tmp_path.glob('*/*.log')).read_text()
    assert 'AmpOptimWrapper' in log and 'Class centroids set' in log
    checkpoint = load_checkpoint(str(tmp_path / 'epoch_1.pth'))
    q = checkpoint['mcmi_centroids']['head.loss_module']['value']
    assert q.dtype == torch.bfloat16 and torch.isfinite(q.float()).all()
    assert all(torch.isfinite(v.float()).all()
               for v in checkpoint['state_dict'].values()
               if v.is_floating_point()), result.stdout[-2000:]
