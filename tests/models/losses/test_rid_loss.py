"""RIDLoss against RID's formulas, written out here element by element."""
import math

import pytest
import torch
import torch.nn.functional as F

from mcmi_razor.models.losses import RIDLoss

C_S, C_T, CLASSES = 3, 5, 4


@pytest.fixture
def loss():
    torch.manual_seed(0)
    module = RIDLoss(student_channels=C_S, teacher_channels=C_T,
                     num_classes=CLASSES, loss_weight=2.5).double()
    # distinct variances per channel, so a broadcast error shows
    module.variance_param.data = torch.tensor([-1.0, 0.3, 2.0]).double()
    return module


@pytest.fixture
def batch():
    g = torch.Generator().manual_seed(1)
    s = torch.randn(6, C_S, 4, 3, generator=g).double()
    t = torch.randn(6, C_T, 4, 3, generator=g).double()
    y = torch.randint(0, CLASSES, (6, ), generator=g)
    return s, t, y


def _parts(loss, s, t):
    """f_s(S), f_t(T) (same BN batch statistics) and s^2, without grad."""
    with torch.no_grad():
        return (loss.student_filter(s), loss.teacher_filter(t),
                F.softplus(loss.variance_param) + 1e-3)


def _mean_over_elements(fs, ft, var, with_log):
    """mean over n, c, h, w of [log s_c^2] + (fs - ft)^2 / s_c^2, looped."""
    total, count = 0.0, 0
    n, c, h, w = fs.shape
    for i in range(n):
        for k in range(c):
            for a in range(h):
                for b in range(w):
                    d = (fs[i, k, a, b] - ft[i, k, a, b]).item()
                    total += d * d / var[k].item()
                    total += math.log(var[k].item()) if with_log else 0.0
                    count += 1
    return total / count


def _grads(module):
    return {
        name: p.grad is not None and p.grad.abs().sum().item() > 0
        for name, p in module.named_parameters()
    }


def _trained(grads, prefix):
    return all(v for k, v in grads.items() if k.startswith(prefix))


def _untouched(grads, prefix):
    return not any(v for k, v in grads.items() if k.startswith(prefix))


def test_variance_is_softplus_plus_floor_and_starts_at_one():
    fresh = RIDLoss(4, 4, CLASSES)
    assert torch.allclose(fresh.variance, torch.ones(4))
    fresh.variance_param.data = torch.tensor([-30.0, 0.0, 1.0, 30.0])
    assert torch.allclose(
        fresh.variance,
        torch.tensor([1e-3, math.log(2) + 1e-3,
                      math.log(1 + math.e) + 1e-3, 30 + 1e-3]))


def test_first_filter_round_is_the_head_cross_entropy_only(loss, batch):
    s, t, y = batch
    loss.set_phase('filter', 0)
    value = loss(s, t, y)
    _, ft, _ = _parts(loss, s, t)
    pooled = ft.mean(dim=(2, 3))
    logits = pooled @ loss.head.weight.detach().T + loss.head.bias.detach()
    expected = -torch.log_softmax(logits, 1)[torch.arange(6), y].mean()
    assert value.item() == pytest.approx(expected.item(), abs=1e-10)


def test_later_filter_rounds_add_the_scaled_match(loss, batch):
    s, t, y = batch
    loss.set_phase('filter', 0)
    ce = loss(s, t, y).item()
    loss.set_phase('filter', 3)
    fs, ft, var = _parts(loss, s, t)
    expected = ce + _mean_over_elements(fs, ft, var, with_log=False)
    assert loss(s, t, y).item() == pytest.approx(expected, abs=1e-10)


def test_student_phase_is_the_weighted_gaussian_nll(loss, batch):
    s, t, y = batch
    loss.set_phase('student', 2)
    fs, ft, var = _parts(loss, s, t)
    expected = 2.5 * _mean_over_elements(fs, ft, var, with_log=True)
    assert loss(s, t, y).item() == pytest.approx(expected, abs=1e-10)


def test_filter_phase_trains_only_the_teacher_filter_and_head(loss, batch):
    s, t, y = batch
    s.requires_grad_()
    loss.set_phase('filter', 1)
    loss(s, t, y).backward()
    grads = _grads(loss)
    assert _trained(grads, 'teacher_filter') and _trained(grads, 'head')
    assert _untouched(grads, 'student_filter')
    assert _untouched(grads, 'variance_param') and s.grad is None


def test_student_phase_trains_the_student_side_only(loss, batch):
    s, t, y = batch
    s.requires_grad_()
    t.requires_grad_()
    loss.set_phase('student', 1)
    loss(s, t, y).backward()
    grads = _grads(loss)
    assert _trained(grads, 'student_filter')
    assert _trained(grads, 'variance_param')
    assert s.grad is not None and s.grad.abs().sum() > 0
    assert _untouched(grads, 'teacher_filter') and _untouched(grads, 'head')
    assert t.grad is None


def test_variance_gradient_vanishes_at_the_mean_squared_gap(loss, batch):
    """d/ds^2 [log s^2 + d^2 / s^2] = 0 at s^2 = E[d^2]: the learned
    variance of each channel converges to its mean squared gap."""
    s, t, y = batch
    fs, ft, _ = _parts(loss, s, t)
    target = (fs - ft).square().mean(dim=(0, 2, 3))
    loss.variance_param.data = torch.log(torch.expm1(target - 1e-3))
    loss.set_phase('student', 0)
    loss(s, t, y).backward()
    assert loss.variance_param.grad.abs().max() < 1e-10


def test_soft_labels_give_the_expected_cross_entropy(loss, batch):
    s, t, y = batch
    loss.set_phase('filter', 0)
    soft = F.one_hot(y, CLASSES).double()
    assert loss(s, t, soft).item() == pytest.approx(
        loss(s, t, y).item(), abs=1e-10)


def test_loss_without_phase_names_the_hook(loss, batch):
    with pytest.raises(RuntimeError, match='RIDPhaseHook'):
        loss(*batch)


@pytest.mark.parametrize('s_shape, t_shape, match', [
    ((6, C_S + 1, 4, 3), (6, C_T, 4, 3), 'student_channels'),
    ((6, C_S, 4, 3), (6, C_T, 2, 3), 'same resolution'),
    ((6, C_S), (6, C_T), r'\(N, 3, H, W\)'),
])
def test_mismatched_stages_are_refused_with_the_fix(loss, s_shape, t_shape,
                                                    match):
    loss.set_phase('student', 0)
    with pytest.raises(ValueError, match=match):
        loss(torch.zeros(s_shape).double(), torch.zeros(t_shape).double(),
             torch.zeros(6, dtype=torch.long))


@pytest.mark.parametrize('kwargs, match', [
    (dict(student_channels=0), 'student_channels'),
    (dict(num_classes=1), 'num_classes'),
    (dict(loss_weight=0.0), 'loss_weight'),
])
def test_bad_arguments_are_refused(kwargs, match):
    args = dict(student_channels=2, teacher_channels=2, num_classes=3)
    with pytest.raises(ValueError, match=match):
        RIDLoss(**{**args, **kwargs})


def test_unknown_phase_is_refused(loss):
    with pytest.raises(ValueError, match='filter'):
        loss.set_phase('teacher', 0)
