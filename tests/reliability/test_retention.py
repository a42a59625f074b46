"""Campaign: kills and failures while checkpoints are saved and rotated.

A resumable, complete checkpoint must remain whatever happens during a save,
for ``max_keep_ckpts`` 1 and 3; ``last_checkpoint`` is never left empty, and
``--resume`` survives a bad one.
"""
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mmengine.hooks import Hook
from mmengine.runner import Runner
from mmengine.runner import runner as runner_module

from mcmi_razor.compat.last_checkpoint import (
    is_complete_checkpoint,
    newest_complete_checkpoint,
    write_last_checkpoint,
)

REPO = Path(__file__).resolve().parents[2]


def find_latest_checkpoint(work_dir: str):
    """What ``Runner.load_or_resume`` calls for ``--resume``."""
    return runner_module.find_latest_checkpoint(work_dir)
SMALL = ['model.backbone.arch=resnet8']
MLL = 'configs/mll/mll_resnet56_cifar100.py'
KILLS = 3


class _FailingSave(Hook):
    """Makes the save of epoch ``epoch`` fail, as a kill or full disk would.
    """

    def __init__(self, epoch: int) -> None:
        self.epoch = epoch

    def before_save_checkpoint(self, runner, checkpoint) -> None:
        if checkpoint['meta']['epoch'] == self.epoch:
            raise OSError('No space left on device (simulated)')


def _runner(work_dir: Path, data_root: Path, keep: int,
            fail_epoch: int) -> Runner:
    from mmengine.config import Config
    cfg = Config.fromfile('configs/_base_/datasets/cifar10_bs64.py')
    for loader in ('train_dataloader', 'val_dataloader'):
        cfg[loader].dataset.update(type='UnverifiedCIFAR10',
                                   data_root=str(data_root))
        cfg[loader].update(num_workers=0, batch_size=25)
    model = Config.fromfile('configs/_base_/models/resnet8_cifar.py').model
    model.head.num_classes = 10
    return Runner(
        model=model, work_dir=str(work_dir),
        train_dataloader=cfg.train_dataloader,
        val_dataloader=cfg.val_dataloader, val_cfg=dict(),
        val_evaluator=dict(type='Accuracy'),
        train_cfg=dict(by_epoch=True, max_epochs=fail_epoch),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
        data_preprocessor=cfg.data_preprocessor,
        default_hooks=dict(checkpoint=dict(
            type='CheckpointHook', interval=1, max_keep_ckpts=keep)),
        custom_hooks=[_FailingSave(fail_epoch)], default_scope='mcmi_razor')


@pytest.mark.parametrize('keep', [1, 3])
def test_failed_save_removes_no_kept_checkpoint(fault, tmp_path, keep,
                                                cifar10_fixture_root):
    fail_epoch = keep + 1
    runner = _runner(tmp_path, cifar10_fixture_root, keep, fail_epoch)
    try:
        runner.train()
    except OSError:
        pass
    kept = sorted(p.name for p in tmp_path.glob('epoch_*.pth'))
    expected = [f'epoch_{e}.pth' for e in range(1, fail_epoch)]
    pointer = (tmp_path / 'last_checkpoint').read_text()
    if kept != expected or pointer != str(tmp_path / f'epoch_{keep}.pth'):
        fault.record('data loss', f'left {kept}, last_checkpoint {pointer}')
    else:
        fault.record('correct', f'left {kept}')


def _checkpoint_bytes(tmp_path: Path) -> bytes:
    import torch
    path = tmp_path / 'source.pth'
    torch.save({'state_dict': {'w': torch.arange(2000.)}}, path)
    return path.read_bytes()


@pytest.mark.parametrize('damage', ['empty', 'truncated', 'bit flip'])
def test_resume_lookup_skips_a_damaged_newest_checkpoint(fault, tmp_path,
                                                         damage):
    good = _checkpoint_bytes(tmp_path)
    (tmp_path / 'epoch_1.pth').write_bytes(good)
    bad = bytearray(good)
    if damage == 'empty':
        bad = b''
    elif damage == 'truncated':
        bad = bad[:len(bad) // 2]
    else:
        bad[len(bad) // 2] ^= 0xFF
    newer = tmp_path / 'epoch_2.pth'
    newer.write_bytes(bytes(bad))
    os.utime(newer, (time.time() + 5, time.time() + 5))
    write_last_checkpoint(str(tmp_path), str(newer))
    found = find_latest_checkpoint(str(tmp_path))
    fault.record('correct' if found == str(tmp_path / 'epoch_1.pth') else
                 'data loss', f'resume would use {found}')


@pytest.mark.parametrize('pointer', ['', 'dangling', 'absent'])
def test_resume_lookup_survives_a_bad_last_checkpoint(fault, tmp_path,
                                                       pointer):
    (tmp_path / 'epoch_3.pth').write_bytes(_checkpoint_bytes(tmp_path))
    if pointer != 'absent':
        text = '' if pointer == '' else str(tmp_path / 'epoch_9.pth')
        (tmp_path / 'last_checkpoint').write_text(text)
    found = find_latest_checkpoint(str(tmp_path))
    fault.record('correct' if found == str(tmp_path / 'epoch_3.pth') else
                 'data loss', f'resume would use {found!r}')


def test_last_checkpoint_is_replaced_whole(fault, tmp_path):
    write_last_checkpoint(str(tmp_path), '/a/epoch_1.pth')
    write_last_checkpoint(str(tmp_path), '/a/epoch_2.pth')
    left = sorted(p.name for p in tmp_path.iterdir())
    text = (tmp_path / 'last_checkpoint').read_text()
    fault.record('correct' if (text, left) == (
        '/a/epoch_2.pth', ['last_checkpoint']) else 'silent wrong',
        f'{text!r} {left}')


def _epochs(work_dir: Path) -> frozenset:
    return frozenset(p.name for p in work_dir.glob('epoch_*.pth'))


def _train(work_dir: Path, options: list, log: Path) -> subprocess.Popen:
    """``tools/train.py --resume`` in the background, output to ``log``."""
    command = [sys.executable, str(REPO / 'tools/train.py'),
               MLL, '--work-dir', str(work_dir), '--resume', '--cfg-options',
               *options]
    env = dict(os.environ, CUDA_VISIBLE_DEVICES='', OMP_NUM_THREADS='1')
    with open(log, 'w') as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                env=env, cwd=REPO)


def _kill_at_a_save_or_at_random(process: subprocess.Popen, work_dir: Path,
                                 rng: random.Random, at_save: bool) -> None:
    """SIGKILL the run the instant the set of checkpoints changes (a save or
    a removal: the moments retention can go wrong), or at a random time
    after its first change; give up after 600 s (a loaded machine)."""
    deadline = time.monotonic() + 600
    before = _epochs(work_dir)
    while time.monotonic() < deadline and process.poll() is None:
        if _epochs(work_dir) != before:
            break
        time.sleep(0.001)
    if not at_save:
        time.sleep(rng.uniform(0, 1.5))
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.mark.slow
@pytest.mark.parametrize('keep', [1, 3])
def test_kill_during_saves_always_leaves_a_resumable_checkpoint(
        fault, tmp_path, keep, cifar100_options):
    options = [*cifar100_options, *SMALL, 'train_dataloader.batch_size=100',
               'train_cfg.val_interval=1000',
               f'default_hooks.checkpoint.max_keep_ckpts={keep}']
    rng = random.Random(keep)
    for cycle in range(KILLS):
        log = tmp_path / f'kill_{cycle}.log'
        process = _train(tmp_path, options + ['train_cfg.max_epochs=100'],
                         log)
        _kill_at_a_save_or_at_random(process, tmp_path, rng,
                                     at_save=cycle % 2 == 0)
        if process.returncode != -signal.SIGKILL:
            fault.record('unclear', f'run {cycle + 1} ended by itself '
                         f'({process.returncode}): {log.read_text()[-400:]}')
            return
        found = find_latest_checkpoint(str(tmp_path))
        if not found or not is_complete_checkpoint(found):
            fault.record('data loss', f'after kill {cycle + 1}: resume would '
                         f'use {found!r}; files {sorted(_epochs(tmp_path))}')
            return
    newest = Path(newest_complete_checkpoint(str(tmp_path)))
    epoch = int(newest.stem.split('_')[1])
    result = subprocess.run(
        [sys.executable, str(REPO / 'tools/train.py'),
         MLL, '--work-dir', str(tmp_path),
         '--resume', '--cfg-options', *options,
         f'train_cfg.max_epochs={epoch + 1}'],
        capture_output=True, text=True, cwd=REPO, timeout=600,
        env=dict(os.environ, CUDA_VISIBLE_DEVICES='', OMP_NUM_THREADS='1'))
    resumed = f'Epoch(train) [{epoch + 1}]' in result.stdout
    if result.returncode != 0 or not resumed:
        fault.record('data loss', f'resume from {newest} failed: '
                     f'{result.stdout[-300:]} {result.stderr[-300:]}')
    else:
        fault.record('correct', f'{KILLS} kills; resumed from {newest.name}')
