"""MCMI teacher training through the real tools and runner on CPU fixtures."""
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mcmi_razor.fileio import load_checkpoint
from mcmi_razor.registry import MODELS

MLL = 'configs/mll/mll_resnet56_cifar100.py'
MCMI = 'configs/mcmi/mcmi_resnet56_cifar100.py'
FAST = ['default_hooks.logger.interval=1', 'randomness.seed=0']
KEY = 'head.loss_module'

pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def options(cifar100_resnet8_options) -> list:
    return cifar100_resnet8_options


@pytest.fixture(scope='module')
def mll_checkpoint(tmp_path_factory, run_tool, options):
    work = tmp_path_factory.mktemp('mll')
    run_tool('train.py', MLL, '--work-dir', work, '--cfg-options',
             'train_cfg.max_epochs=1', *FAST, *options)
    return work / 'epoch_1.pth'


@pytest.fixture(scope='module')
def mcmi_run(tmp_path_factory, run_tool, options, mll_checkpoint):
    work = tmp_path_factory.mktemp('mcmi')
    # The 1-epoch fixture teacher is near chance (1% on 100 classes); its
    # batch accuracy swings 0-3%, past the guard's arming level (2x
    # chance), and CollapseGuardHook rightly cannot tell noise from a
    # collapse there: this test checks the MCMI mechanics, so it sets the
    # guard's CE-rise condition out of reach.
    result = run_tool('train.py', MCMI, '--work-dir', work, '--cfg-options',
                      f'load_from={mll_checkpoint}', 'train_cfg.max_epochs=2',
                      'custom_hooks.1.ce_rise=1000', *FAST,
                      *options)
    return work, result.stdout + result.stderr


def test_log_shows_ce_cmi_term_and_cmi_metric(mcmi_run):
    work, output = mcmi_run
    log = next(work.glob('*/*.log')).read_text()
    for key in ('loss_ce', 'cmi_term', 'train_acc', 'cmi/cmi', 'cmi/ncmi',
                'accuracy/top1', 'Class centroids set'):
        assert key in log, key


def test_centroids_are_checkpointed_and_frozen(mcmi_run):
    work, _ = mcmi_run
    first = load_checkpoint(str(work / 'epoch_1.pth'))
    second = load_checkpoint(str(work / 'epoch_2.pth'))
    q = first['mcmi_centroids'][KEY]['value']
    assert q.shape == (100, 100)
    assert torch.allclose(q.sum(1), torch.ones(100), atol=1e-5)
    assert torch.equal(second['mcmi_centroids'][KEY]['value'], q)
    assert not any('centroid' in k for k in first['state_dict'])


def test_checkpoint_strict_loads_into_the_plain_ce_classifier(mcmi_run):
    work, _ = mcmi_run
    init_default_scope('mcmi_razor')
    cfg = Config.fromfile(MLL)
    cfg.model.backbone.arch = 'resnet8'
    model = MODELS.build(cfg.model)
    state = load_checkpoint(str(work / 'epoch_2.pth'))['state_dict']
    model.load_state_dict(state, strict=True)


def test_resume_restores_centroids_bit_for_bit(mcmi_run, run_tool,
                                               options):
    work, _ = mcmi_run
    saved = load_checkpoint(str(work / 'epoch_2.pth'))
    result = run_tool('train.py', MCMI, '--work-dir', work, '--resume',
                      '--cfg-options', 'train_cfg.max_epochs=3', *FAST,
                      *options)
    assert 'Class centroids restored from checkpoint' in result.stdout
    resumed = load_checkpoint(str(work / 'epoch_3.pth'))
    for field in ('value', 'initialized'):
        assert torch.equal(resumed['mcmi_centroids'][KEY][field],
                           saved['mcmi_centroids'][KEY][field])
