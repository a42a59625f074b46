"""Fault cases: resuming an MCMI run whose checkpoint lacks its centroids."""
import warnings

import pytest
import torch

from mcmi_razor.engine.hooks import find_mcmi_losses
from mcmi_razor.testing.mcmi_runner import mcmi_runner

pytestmark = pytest.mark.slow
HOOK = dict(type='ClassCentroidHook')


@pytest.fixture(scope='module')
def checkpoints(tmp_path_factory, cifar10_fixture_root):
    """(with centroids, same without) after one MCMI epoch."""
    work = tmp_path_factory.mktemp('mcmi')
    mcmi_runner(cifar10_fixture_root, work, centroid_hook=HOOK).train()
    full = _load(work / 'epoch_1.pth')
    stripped = {k: v for k, v in full.items() if k != 'mcmi_centroids'}
    torch.save(stripped, work / 'no_centroids.pth')
    return work / 'epoch_1.pth', work / 'no_centroids.pth'


def _load(path):
    return torch.load(path, weights_only=False)   # written by this test


def _resume(root, work, checkpoint, **hook):
    return mcmi_runner(root, work, centroid_hook=dict(HOOK, **hook),
                       max_epochs=2, resume=True, load_from=str(checkpoint))


def test_resume_without_centroids_is_refused(fault, checkpoints, tmp_path,
                                            cifar10_fixture_root):
    runner = _resume(cifar10_fixture_root, tmp_path, checkpoints[1])
    fault.expect_error(runner.train, ['without saved class centroids',
                                      'recompute_missing_centroids=True'])


def test_resume_without_centroids_recomputes_when_asked(
        fault, checkpoints, tmp_path, cifar10_fixture_root):
    runner = _resume(cifar10_fixture_root, tmp_path, checkpoints[1],
                     recompute_missing_centroids=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        runner.train()
    (_, _, loss), = find_mcmi_losses(runner.model)
    warned = any('recompute_missing_centroids' in str(w.message)
                 for w in caught)
    ok = warned and loss.centroids.ready and runner.epoch == 2
    fault.record('correct' if ok else 'silent wrong',
                 f'warned={warned} ready={loss.centroids.ready}')


def test_resume_with_centroids_restores_them_exactly(
        fault, checkpoints, tmp_path, cifar10_fixture_root):
    saved = _load(checkpoints[0])['mcmi_centroids']
    runner = _resume(cifar10_fixture_root, tmp_path, checkpoints[0])
    runner.train()
    (name, _, loss), = find_mcmi_losses(runner.model)
    same = torch.equal(loss.centroids.value, saved[name]['value'])
    fault.record('correct' if same else 'silent wrong')
