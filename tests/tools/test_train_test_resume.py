"""The foundation's tools end to end on CPU: train, test, resume, 2 ranks."""
import json

import pytest
import torch

from mcmi_razor.fileio import load_checkpoint

CONFIG = 'configs/mll/mll_resnet56_cifar100.py'
FAST = ['default_hooks.logger.interval=1', 'randomness.seed=0']

pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def options(cifar100_resnet8_options) -> list:
    return cifar100_resnet8_options


@pytest.fixture(scope='module')
def mll_run(tmp_path_factory, run_tool, options):
    """One epoch of the MLL teacher config on the CIFAR-100 fixture."""
    work = tmp_path_factory.mktemp('mll_resnet56_cifar100')
    run_tool('train.py', CONFIG, '--work-dir', work, '--cfg-options',
             'train_cfg.max_epochs=1', *FAST, *options)
    return work


def test_train_writes_a_checkpoint_and_logs_accuracy_and_cmi(mll_run):
    assert (mll_run / 'epoch_1.pth').is_file()
    log = next(mll_run.glob('*/*.log')).read_text()
    assert 'accuracy/top1' in log and 'cmi/cmi' in log


def test_test_tool_evaluates_the_checkpoint(mll_run, tmp_path, run_tool,
                                            options,
                                            reference_metrics):
    out = tmp_path / 'metrics.json'
    run_tool('test.py', CONFIG, mll_run / 'epoch_1.pth', '--work-dir',
             tmp_path, '--out', out, '--out-item', 'metrics',
             '--cfg-options', *options)
    metrics = json.loads(out.read_text())
    expected = reference_metrics(CONFIG, mll_run / 'epoch_1.pth',
                                 options)
    assert metrics['accuracy/top1'] == pytest.approx(expected['top1'],
                                                       abs=expected['top1_abs'])
    assert metrics['cmi/cmi'] == pytest.approx(expected['cmi'], rel=1e-4,
                                               abs=1e-9)


def test_resume_continues_from_the_last_epoch(mll_run, run_tool,
                                              options):
    first = load_checkpoint(str(mll_run / 'epoch_1.pth'))
    result = run_tool('train.py', CONFIG, '--work-dir', mll_run, '--resume',
                      '--cfg-options', 'train_cfg.max_epochs=2', *FAST,
                      *options)
    assert 'resumed epoch: 1' in result.stdout + result.stderr
    second = load_checkpoint(str(mll_run / 'epoch_2.pth'))
    assert second['meta']['epoch'] == 2
    assert second['meta']['iter'] == 2 * first['meta']['iter']


def test_two_gloo_processes_train_test_and_resume(tmp_path, run_tool,
                                                  options,
                                                  test_tool_agrees):
    """dist_train.sh, dist_test.sh and a 2-process resume, on the CPU."""
    result = run_tool('train.py', CONFIG, '--work-dir', tmp_path,
                      '--cfg-options', 'train_cfg.max_epochs=1', *FAST,
                      *options, nproc=2)
    output = result.stdout + result.stderr
    assert 'GPU number: 2' in output   # MMEngine's name for world size
    checkpoint = load_checkpoint(str(tmp_path / 'epoch_1.pth'))
    # 500 images, batch 64 per rank, 2 ranks: 4 iterations per epoch.
    assert checkpoint['meta']['iter'] == 4
    assert torch.isfinite(
        checkpoint['state_dict']['head.fc.weight']).all()

    test_tool_agrees(CONFIG, tmp_path / 'epoch_1.pth', options,
                     tmp_path / 'test', nproc=2)

    result = run_tool('train.py', CONFIG, '--work-dir', tmp_path, '--resume',
                      '--cfg-options', 'train_cfg.max_epochs=2', *FAST,
                      *options, nproc=2)
    assert 'resumed epoch: 1' in result.stdout + result.stderr
    assert load_checkpoint(
        str(tmp_path / 'epoch_2.pth'))['meta']['iter'] == 8
