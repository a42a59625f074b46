"""The CIFAR-100 distillation configs: one teacher setting, the right
teacher and student, and the published hyper-parameters."""
import re

import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import MODELS, DefaultScope

from .conftest import LEAF_CONFIGS, load_config

# pair: teacher, student, the MLL teacher config (configs/mll/<name>.py).
PAIRS = {
    'resnet56_resnet20': ('resnet56', 'resnet20', 'mll_resnet56_cifar100'),
    'wrn_40_2_wrn_16_2': ('wrn_40_2', 'wrn_16_2', 'mll_wrn_40_2_cifar100'),
    'resnet32x4_resnet8x4':
    ('resnet32x4', 'resnet8x4', 'mll_resnet32x4_cifar100'),
    'vgg13_vgg8': ('vgg13', 'vgg8', 'mll_vgg13_cifar100'),
}
METHODS = ('kd', 'dkd', 'dist', 'fitnets', 'at', 'crd')
DISTILL = [
    f'configs/distill/{method}/{method}_{pair}_cifar100.py'
    for method in METHODS
    for pair in PAIRS
]
# DKD's beta per pair (mdistiller configs/cifar100/dkd/*.yaml).
DKD_BETA = {
    'resnet56_resnet20': 2.0,
    'wrn_40_2_wrn_16_2': 6.0,
    'resnet32x4_resnet8x4': 8.0,
    'vgg13_vgg8': 6.0
}


def _pair(path):
    return re.match(r'configs/distill/([a-z]+)/\1_(.+)_cifar100\.py',
                    path)[2]


def _losses(cfg):
    return cfg.model.distiller.distill_losses


def test_every_method_and_pair_has_a_config():
    assert set(DISTILL) <= set(LEAF_CONFIGS)


@pytest.mark.parametrize('path', DISTILL)
def test_teacher_is_the_mll_teacher_of_its_pair_by_default(path):
    cfg = load_config(path)
    teacher_arch, student_arch, mll = PAIRS[_pair(path)]
    # Where the pair's MLL teacher config writes its last epoch.
    mll_cfg = load_config(f'configs/mll/{mll}.py')
    epochs = mll_cfg.train_cfg.max_epochs
    assert cfg.model.teacher_ckpt == f'work_dirs/{mll}/epoch_{epochs}.pth'
    assert cfg.model.teacher.cfg_path == (
        f'mcmi_razor::_base_/models/{teacher_arch}_cifar.py')
    assert not cfg.model.get('teacher_trainable', False)


@pytest.mark.parametrize('path', DISTILL)
def test_student_is_the_student_config_model(path):
    """The extracted student is evaluated with configs/students/: same net."""
    cfg = load_config(path)
    student = load_config(
        f'configs/students/{PAIRS[_pair(path)][1]}_cifar100.py').model
    architecture = cfg.model.architecture
    assert architecture._scope_ == 'mcmi_razor'
    for part in ('type', 'backbone', 'neck'):
        assert architecture[part] == student[part]
    assert architecture.head.in_channels == student.head.in_channels


@pytest.mark.parametrize('path', DISTILL)
def test_one_override_swaps_the_teacher_and_nothing_else(path):
    cfg = load_config(path)
    before = cfg.to_dict()
    cfg.merge_from_dict(
        {'model.teacher_ckpt': 'work_dirs/mcmi_teacher/epoch_20.pth'})
    after = cfg.to_dict()
    assert after['model'].pop('teacher_ckpt') == (
        'work_dirs/mcmi_teacher/epoch_20.pth')
    before['model'].pop('teacher_ckpt')
    assert after == before


@pytest.mark.parametrize('pair', PAIRS)
def test_kd_is_repdistillers_kd(pair):
    cfg = load_config(f'configs/distill/kd/kd_{pair}_cifar100.py')
    assert cfg.model.architecture.head.loss.loss_weight == 0.1
    loss = _losses(cfg).loss_kd
    assert (loss.type, loss.tau, loss.loss_weight) == ('KLDivergence', 4, 0.9)


@pytest.mark.parametrize('pair', PAIRS)
def test_dkd_uses_the_pairs_beta(pair):
    cfg = load_config(f'configs/distill/dkd/dkd_{pair}_cifar100.py')
    loss = _losses(cfg).loss_dkd
    assert (loss.tau, loss.alpha, loss.beta) == (4, 1.0, DKD_BETA[pair])
    assert loss.loss_weight == 1.0
    # 'mean' and 'sum' would sum over the batch (mmrazor passes
    # size_average=False to F.kl_div); the default 'batchmean' averages.
    assert loss.get('reduction', 'batchmean') == 'batchmean'
    assert cfg.model.architecture.head.loss.loss_weight == 1.0


@pytest.mark.parametrize('pair', PAIRS)
def test_feature_methods_use_repdistillers_weights(pair):
    fitnets = load_config(
        f'configs/distill/fitnets/fitnets_{pair}_cifar100.py')
    assert _losses(fitnets).loss_hint.loss_weight == 100
    at = load_config(f'configs/distill/at/at_{pair}_cifar100.py')
    stages = 4 if pair == 'vgg13_vgg8' else 3
    assert [loss.loss_weight for loss in _losses(at).values()
            ] == [1000] * stages
    crd = load_config(f'configs/distill/crd/crd_{pair}_cifar100.py')
    loss = _losses(crd).loss_crd
    assert (loss.loss_weight, loss.temperature, loss.momentum) == (0.8, 0.07,
                                                                   0.5)
    assert loss.neg_num == crd.train_dataloader.dataset.neg_num == 16384
    dist = load_config(f'configs/distill/dist/dist_{pair}_cifar100.py')
    loss = _losses(dist).loss_dist
    assert (loss.inter_loss_weight, loss.intra_loss_weight,
            loss.tau) == (2.0, 2.0, 4)



def official_dkd(logits_s, logits_t, target, alpha, beta, tau):
    """DKD as its authors compute it (mdistiller, distillers/DKD.py)."""
    gt = torch.zeros_like(logits_s).scatter_(1, target[:, None], 1).bool()

    def binary(p):
        return torch.stack([(p * gt).sum(1), (p * ~gt).sum(1)], 1)

    p_s, p_t = F.softmax(logits_s / tau, 1), F.softmax(logits_t / tau, 1)
    tckd = F.kl_div(binary(p_s).log(), binary(p_t), reduction='sum')
    nckd = F.kl_div(
        F.log_softmax(logits_s / tau - 1000.0 * gt, 1),
        F.softmax(logits_t / tau - 1000.0 * gt, 1),
        reduction='sum')
    return (alpha * tckd + beta * nckd) * tau**2 / target.numel()


def test_dkd_config_computes_the_papers_loss():
    cfg = load_config('configs/distill/dkd/dkd_resnet56_resnet20_cifar100.py')
    loss_cfg = _losses(cfg).loss_dkd
    with DefaultScope.overwrite_default_scope('mmrazor'):
        loss = MODELS.build(loss_cfg)
    torch.manual_seed(0)
    batch = cfg.train_dataloader.batch_size
    logits_s, logits_t = torch.randn(batch, 100), 3 * torch.randn(batch, 100)
    target = torch.randint(0, 100, (batch, ))
    expected = official_dkd(logits_s, logits_t, target, loss_cfg.alpha,
                            loss_cfg.beta, loss_cfg.tau)
    assert torch.allclose(loss(logits_s, logits_t, target), expected,
                          rtol=1e-5)


def test_fitnets_hint_loss_is_the_mean_squared_error():
    cfg = load_config(
        'configs/distill/fitnets/fitnets_resnet56_resnet20_cifar100.py')
    loss_cfg = _losses(cfg).loss_hint
    with DefaultScope.overwrite_default_scope('mmrazor'):
        loss = MODELS.build(loss_cfg)
    s, t = torch.randn(4, 32, 16, 16), torch.randn(4, 32, 16, 16)
    assert torch.allclose(
        loss(s, t), loss_cfg.loss_weight * F.mse_loss(s, t), rtol=1e-5)
