"""Campaign: which checkpoint ``--resume`` continues from.

In-process cases use ``tools/train.py``'s ``merge_train_args``; the end-to-end
cases train 1-epoch runs on the CIFAR-100 fixture with a small resnet8.
"""
import hashlib
from pathlib import Path

import pytest

TEACHER = 'configs/mcmi/mcmi_resnet56_cifar100.py'
MLL = 'configs/mll/mll_resnet56_cifar100.py'
SMALL = ['model.backbone.arch=resnet8']


def test_resume_with_another_load_from_is_refused(fault, merged_config):
    fault.expect_error(
        lambda: merged_config('train', TEACHER, '--resume', '--cfg-options',
                              'load_from=work_dirs/other/epoch_3.pth'),
        mentions=['--resume', 'load_from=work_dirs/other/epoch_3.pth',
                  'drop load_from'], types=(ValueError, ))


def test_resume_path_with_a_different_load_from_is_refused(fault,
                                                            merged_config):
    fault.expect_error(
        lambda: merged_config('train', TEACHER, '--resume', 'a/epoch_2.pth',
                              '--cfg-options', 'load_from=b/epoch_3.pth'),
        mentions=['a/epoch_2.pth', 'b/epoch_3.pth', 'drop --resume'],
        types=(ValueError, ))


def test_resume_path_with_the_same_load_from_resumes_it(fault,
                                                         merged_config):
    cfg = merged_config('train', TEACHER, '--resume', 'a/epoch_2.pth',
                        '--cfg-options', 'load_from=./a/epoch_2.pth')
    fault.record('correct' if cfg.resume and cfg.load_from.endswith(
        'a/epoch_2.pth') else 'silent wrong', f'{cfg.resume} {cfg.load_from}')


def test_auto_resume_ignores_the_config_load_from(fault, merged_config):
    """The teacher config fine-tunes from an MLL checkpoint (load_from);
    ``--resume`` must continue this run, not restart from the MLL one."""
    cfg = merged_config('train', TEACHER, '--resume')
    fault.record('correct' if cfg.resume and cfg.load_from is None else
                 'silent wrong', f'resume={cfg.resume} load={cfg.load_from}')


def _digests(work_dir: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(work_dir.glob('*.pth'))}


@pytest.fixture(scope='module')
def two_runs(tmp_path_factory, run_tool, cifar100_options):
    """Two finished 1-epoch MLL runs in their own work dirs."""
    dirs = []
    for name in ('run_a', 'run_b'):
        work_dir = tmp_path_factory.mktemp(name)
        run_tool('train.py', MLL, '--work-dir',
                 work_dir, '--cfg-options', *cifar100_options, *SMALL,
                 'train_cfg.max_epochs=1')
        dirs.append(work_dir)
    return dirs


@pytest.mark.slow
def test_resume_with_other_runs_checkpoint_touches_nothing(
        fault, run_tool, cifar100_options, two_runs):
    run_a, run_b = two_runs
    before = _digests(run_a), _digests(run_b)
    result = run_tool('train.py', MLL, '--work-dir',
                      run_b, '--resume', '--cfg-options', *cifar100_options,
                      *SMALL, 'train_cfg.max_epochs=2',
                      f'load_from={run_a}/epoch_1.pth', check=False)
    after = _digests(run_a), _digests(run_b)
    if after != before:
        fault.record('data loss', f'{before} -> {after}')
    elif result.returncode == 0:
        fault.record('silent wrong', 'resumed with exit 0')
    elif 'two different starting points' not in result.stderr:
        fault.record('unclear', result.stderr[-400:])
    else:
        fault.record('clear error', result.stderr[-300:])


@pytest.mark.slow
def test_resume_with_an_empty_last_checkpoint_uses_the_newest_complete(
        fault, run_tool, cifar100_options, two_runs, tmp_path):
    """The issue's case: a kill emptied ``last_checkpoint`` (dangling and
    corrupt pointers: test_retention.py, in-process)."""
    work_dir = tmp_path / 'run'
    work_dir.mkdir()
    (work_dir / 'epoch_1.pth').write_bytes(
        (two_runs[0] / 'epoch_1.pth').read_bytes())
    (work_dir / 'last_checkpoint').write_text('')
    result = run_tool('train.py', MLL, '--work-dir',
                      work_dir, '--resume', '--cfg-options',
                      *cifar100_options, *SMALL, 'train_cfg.max_epochs=2',
                      check=False)
    log = result.stdout + result.stderr
    fallback = ('resuming from the newest complete checkpoint in the work '
                f'dir, {work_dir / "epoch_1.pth"}')
    if result.returncode != 0:
        fault.record('unclear', log[-400:])
    elif fallback not in log or 'Epoch(train) [2]' not in log:
        fault.record('silent wrong', f'no fallback message: {log[-400:]}')
    else:
        fault.record('correct', fallback)
