import math

import pytest
import torch
import torch.nn.functional as F

from mcmi_razor.models.losses import MCMILoss
from mcmi_razor.models.utils import ClassConditionalStats

C = 5


def _direct_loss(logits, targets, q, cmi_weight, temperature=1.0):
    """Per-sample loss from the paper's formula, float64, explicit loops:
    CE of softmax(z), KL of softmax(z / temperature) to the centroid."""
    out = []
    for z, t in zip(logits.double(), targets.double()):
        p = torch.softmax(z, 0)
        p_tau = torch.softmax(z / temperature, 0)
        total = 0.0
        for y in range(len(t)):
            ce = -torch.log(p[y])
            kl = (p_tau * torch.log(p_tau / q[y])).sum()
            total = total + t[y] * (ce - cmi_weight * kl)
        out.append(total)
    return torch.stack(out)


def _loss_with_centroids(q, **kwargs):
    loss = MCMILoss(num_classes=C, cmi_weight=kwargs.pop('cmi_weight', 0.3),
                    **kwargs)
    stats = ClassConditionalStats(C)
    stats.prob_sums.copy_(q)
    stats.class_mass.fill_(1.0)
    loss.centroids.set_exact(stats)
    return loss


@pytest.fixture
def data():
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(8, C, generator=g) * 3
    labels = torch.randint(0, C, (8, ), generator=g)
    q = torch.softmax(torch.randn(C, C, generator=g), 1).double()
    return logits, labels, q


def test_loss_equals_direct_formula(data):
    logits, labels, q = data
    loss = _loss_with_centroids(q)
    expected = _direct_loss(logits, F.one_hot(labels, C), q, 0.3).mean()
    assert torch.allclose(loss(logits, labels).double(), expected, atol=1e-5)
    assert loss.last_terms['loss_ce'] == pytest.approx(
        F.cross_entropy(logits, labels).item(), abs=1e-5)


def test_gradient_matches_formula_and_centroids_get_none(data):
    logits, labels, q = data
    loss = _loss_with_centroids(q)
    z1 = logits.clone().double().requires_grad_()
    z2 = logits.clone().requires_grad_()
    _direct_loss(z1, F.one_hot(labels, C), q, 0.3).mean().backward()
    loss(z2, labels).backward()
    assert torch.allclose(z2.grad.double(), z1.grad, atol=1e-5)
    assert not loss.centroids.value.requires_grad
    assert loss.centroids.value.grad is None
    assert list(loss.parameters()) == []


def test_train_acc_is_top1_with_ties_counted_for_hard_and_mixed_labels(data):
    logits, labels, q = data
    logits = logits.clone()
    logits[0, labels[0]] = logits[0].max()       # a tie at the label counts
    expected = (logits.gather(1, labels[:, None]).squeeze(1)
                >= logits.max(1).values).float().mean().item()
    loss = _loss_with_centroids(q)
    loss(logits, labels)
    assert loss.last_terms['train_acc'].item() == pytest.approx(expected)
    scores = 0.7 * F.one_hot(labels, C) + 0.3 * F.one_hot(labels.roll(1), C)
    loss(logits, scores.float())              # the larger weight is the label
    assert loss.last_terms['train_acc'].item() == pytest.approx(expected)
    assert 0 < expected < 1


def test_soft_targets_take_the_expectation_over_labels(data):
    logits, labels, q = data
    g = torch.Generator().manual_seed(1)
    soft = torch.softmax(torch.randn(8, C, generator=g), 1)
    loss = _loss_with_centroids(q)
    expected = _direct_loss(logits, soft, q, 0.3).mean()
    assert torch.allclose(loss(logits, soft).double(), expected, atol=1e-5)


def test_label_smoothing_equals_smoothed_soft_targets(data):
    logits, labels, q = data
    smoothed = 0.9 * F.one_hot(labels, C).float() + 0.1 / C
    plain = _loss_with_centroids(q)
    smooth = _loss_with_centroids(q, label_smoothing=0.1)
    assert torch.allclose(smooth(logits, labels), plain(logits, smoothed))


def test_per_sample_weight_and_avg_factor(data):
    logits, labels, q = data
    loss = _loss_with_centroids(q)
    weight = torch.arange(8).float()
    z1 = logits.clone().double().requires_grad_()
    z2 = logits.clone().requires_grad_()
    per_sample = _direct_loss(z1, F.one_hot(labels, C), q, 0.3)
    expected = (per_sample * weight.double()).sum() / 4
    got = loss(z2, labels, weight=weight, avg_factor=4)
    assert torch.allclose(got.double(), expected, atol=1e-5)
    expected.backward()
    got.backward()
    assert torch.allclose(z2.grad.double(), z1.grad, atol=1e-5)


def test_centroid_floor_caps_the_kl_term(data):
    logits, labels, _ = data
    q = torch.zeros(C, C, dtype=torch.float64)
    q[:, 0] = 1.0   # centroids that put no mass on classes 1..C-1
    eps = 1e-3
    loss = _loss_with_centroids(q, centroid_floor=eps)
    loss(logits * 10, labels)
    assert loss.last_terms['cmi_term'] <= math.log(C / eps) + 1e-5
    floored = (1 - eps) * q + eps / C
    expected = _direct_loss(logits * 10, F.one_hot(labels, C), floored, 0.3)
    assert torch.allclose(loss(logits * 10, labels).double(),
                          expected.mean(), rtol=1e-4)


def test_float32_under_autocast(data):
    logits, labels, q = data
    loss = _loss_with_centroids(q)
    reference = loss(logits, labels)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        got = loss(logits.bfloat16(), labels)
    assert got.dtype == torch.float32
    assert torch.allclose(got, reference, atol=0.05)


def test_ema_update_follows_the_formula():
    loss = MCMILoss(num_classes=3, cmi_weight=0.1)
    loss.centroids.attach(ema_momentum=0.25)
    logits1 = torch.tensor([[2., 0., 0.], [0., 2., 0.]])
    loss(logits1, torch.tensor([0, 1]))
    p1 = logits1.softmax(1)
    assert torch.allclose(loss.centroids.value[0], p1[0])   # first sight
    assert torch.allclose(loss.centroids.value[1], p1[1])
    assert loss.centroids.initialized.tolist() == [True, True, False]
    assert torch.allclose(loss.centroids.value[2], torch.full((3, ), 1 / 3))
    logits2 = torch.tensor([[0., 0., 3.], [1., 0., 0.], [0., 1., 1.]])
    loss(logits2, torch.tensor([0, 0, 2]))
    p2 = logits2.softmax(1)
    expected0 = 0.75 * p1[0] + 0.25 * (p2[0] + p2[1]) / 2
    assert torch.allclose(loss.centroids.value[0], expected0)
    assert torch.allclose(loss.centroids.value[1], p1[1])   # absent: kept
    assert torch.allclose(loss.centroids.value[2], p2[2])
    loss.eval()
    before = loss.centroids.value.clone()
    loss(logits2, torch.tensor([1, 1, 1]))
    assert torch.equal(loss.centroids.value, before)        # no eval update


def test_centroids_stay_out_of_the_state_dict():
    loss = MCMILoss(num_classes=4, cmi_weight=0.2)
    assert loss.state_dict() == {}


@pytest.mark.parametrize('kwargs, match', [
    (dict(num_classes=5, cmi_weight=0.0), 'cmi_weight > 0'),
    (dict(num_classes=5, cmi_weight=-0.15), 'cmi_weight > 0'),
    (dict(num_classes=1, cmi_weight=0.1),
     'num_classes must be an integer >= 2'),
    (dict(num_classes=5, cmi_weight=0.1, centroid_floor=1.0), 'floor'),
])
def test_bad_arguments_are_rejected_at_build_time(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MCMILoss(**kwargs)


def test_bad_inputs_name_the_problem(data):
    logits, labels, q = data
    loss = _loss_with_centroids(q)
    with pytest.raises(ValueError, match="head's num_classes"):
        loss(torch.randn(8, C + 1), labels)
    with pytest.raises(ValueError, match=r'Label 7 is outside \[0, 5\)'):
        loss(logits, torch.tensor([0, 1, 7, 0, 0, 0, 0, 0]))
    bad = logits.clone()
    bad[3, 2] = float('nan')
    with pytest.raises(FloatingPointError, match='NaN or inf'):
        loss(bad, labels)


def test_missing_centroids_say_which_hook_to_add(data):
    logits, labels, _ = data
    loss = MCMILoss(num_classes=C, cmi_weight=0.1)
    with pytest.raises(RuntimeError, match='ClassCentroidHook'):
        loss(logits, labels)


def _mixup_scores(n, generator):
    eye = torch.eye(C)
    a = torch.randint(0, C, (n, ), generator=generator)
    b = torch.randint(0, C, (n, ), generator=generator)
    lam = torch.rand(n, 1, generator=generator)
    return lam * eye[a] + (1 - lam) * eye[b]


@pytest.mark.parametrize('smoothing', [0.0, 0.1])
def test_mixup_scores_and_smoothing_equal_the_direct_formula(data, smoothing):
    logits, _, q = data
    mixed = _mixup_scores(8, torch.Generator().manual_seed(4))
    loss = _loss_with_centroids(q, label_smoothing=smoothing)
    targets = (1 - smoothing) * mixed + smoothing / C
    z1 = logits.clone().double().requires_grad_()
    z2 = logits.clone().requires_grad_()
    expected = _direct_loss(z1, targets, q, 0.3).mean()
    got = loss(z2, mixed)
    assert torch.allclose(got.double(), expected, atol=1e-5)
    expected.backward()
    got.backward()
    assert torch.allclose(z2.grad.double(), z1.grad, atol=1e-5)


def test_masked_classes_with_minus_inf_logits_are_allowed(data):
    logits, labels, q = data
    labels = labels.clamp(max=C - 2)          # no label on the masked class
    masked = logits.clone()
    masked[:, C - 1] = float('-inf')
    loss = _loss_with_centroids(q)
    z = masked.clone().requires_grad_()
    got = loss(z, labels)
    got.backward()
    # the formula with P(C-1) = 0: KL sums over the other classes only
    p = torch.softmax(masked.double(), 1)
    kl = (torch.special.xlogy(p, p) - p * q[labels].log()).sum(1)
    ce = -p[torch.arange(8), labels].log()
    assert torch.allclose(got.double(), (ce - 0.3 * kl).mean(), atol=1e-5)
    assert torch.isfinite(z.grad).all()


def test_hard_labels_never_touch_a_c_by_c_tensor_beyond_a_row_gather():
    """O(N C): apart from gathering rows of log Q, no op in forward or
    backward reads or makes a C x C tensor (the old loss took log Q and an
    (N, C) x (C, C) product every step)."""
    from torch.utils._python_dispatch import TorchDispatchMode
    from torch.utils._pytree import tree_leaves

    class BigOps(TorchDispatchMode):
        def __init__(self, limit):
            super().__init__()
            self.limit, self.ops = limit, []

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            sizes = [t.numel() for t in tree_leaves((args, kwargs, out))
                     if isinstance(t, torch.Tensor)]
            if (max(sizes, default=0) >= self.limit
                    and func is not torch.ops.aten.index_select.default):
                self.ops.append(str(func))
            return out

    c, n = 300, 4
    loss = MCMILoss(num_classes=c, cmi_weight=0.2)
    stats = ClassConditionalStats(c)
    stats.update(torch.softmax(torch.randn(2 * c, c), 1),
                 torch.arange(2 * c) % c)
    loss.centroids.set_exact(stats)
    z = torch.randn(n, c, requires_grad=True)
    with BigOps(limit=c * c) as mode:
        loss(z, torch.randint(0, c, (n, ))).backward()
    assert mode.ops == []


def test_online_update_uses_the_labels_not_the_smoothed_targets():
    loss = MCMILoss(num_classes=3, cmi_weight=0.1, label_smoothing=0.3)
    loss.centroids.attach(ema_momentum=0.5)
    logits = torch.tensor([[2., 0., 0.], [0., 1., 0.]])
    loss(logits, torch.tensor([0, 0]))
    assert loss.centroids.initialized.tolist() == [True, False, False]
    assert torch.allclose(loss.centroids.value[0], logits.softmax(1).mean(0))


def _class_means(probs, labels):
    """Centroids by definition: the mean of ``probs`` (N, C) per class."""
    return torch.stack([probs[labels == y].mean(0) for y in range(C)])


@pytest.mark.parametrize('soft', [False, True])
def test_temperature_4_loss_and_gradient_equal_the_direct_formula(data,
                                                                  soft):
    """CE at tau 1, KL of softmax(z / 4) to class means of softmax(z / 4),
    and the analytic gradient (with its 1 / tau) against autograd."""
    logits, labels, _ = data
    g = torch.Generator().manual_seed(5)
    train_logits = torch.randn(40, C, generator=g).double() * 3
    q = _class_means((train_logits / 4).softmax(1), torch.arange(40) % C)
    smoothing = 0.1 if soft else 0.0
    label = _mixup_scores(8, g) if soft else labels
    targets = label if soft else F.one_hot(labels, C).double()
    targets = (1 - smoothing) * targets + smoothing / C
    loss = _loss_with_centroids(q, temperature=4.0, label_smoothing=smoothing)
    z1 = logits.clone().double().requires_grad_()
    z2 = logits.clone().requires_grad_()
    expected = _direct_loss(z1, targets, q, 0.3, temperature=4.0).mean()
    got = loss(z2, label)
    assert torch.allclose(got.double(), expected, atol=1e-5)
    expected.backward()
    got.backward()
    assert torch.allclose(z2.grad.double(), z1.grad, atol=1e-5)
    p_tau = (logits.double() / 4).softmax(1)
    kl = (targets.double() @ q.log() * -p_tau).sum(1) + (
        targets.double().sum(1) * torch.special.xlogy(p_tau, p_tau).sum(1))
    assert loss.last_terms['cmi_term'] == pytest.approx(kl.mean().item(),
                                                        abs=1e-5)
    ce = -(targets.double() * logits.double().log_softmax(1)).sum(1)
    assert loss.last_terms['loss_ce'] == pytest.approx(ce.mean().item(),
                                                       abs=1e-5)


def test_online_centroids_at_temperature_4_are_means_of_softmax_z_over_4():
    loss = MCMILoss(num_classes=3, cmi_weight=0.1, temperature=4.0)
    loss.centroids.attach(ema_momentum=0.25)
    logits1 = torch.tensor([[2., 0., 0.], [3., 1., 0.], [0., 2., 0.]])
    loss(logits1, torch.tensor([0, 0, 1]))
    p1 = (logits1 / 4).softmax(1)
    assert torch.allclose(loss.centroids.value[0], p1[:2].mean(0))
    assert torch.allclose(loss.centroids.value[1], p1[2])
    logits2 = torch.tensor([[0., 0., 3.]])
    loss(logits2, torch.tensor([0]))
    p2 = (logits2 / 4).softmax(1)
    assert torch.allclose(loss.centroids.value[0],
                          0.75 * p1[:2].mean(0) + 0.25 * p2[0])
    assert not torch.allclose(p1, logits1.softmax(1), atol=0.05)


@pytest.mark.parametrize('temperature, error', [
    (0.0, ValueError), (-4.0, ValueError), (float('nan'), ValueError),
    (float('inf'), ValueError), ('4', TypeError)])
def test_bad_temperature_is_rejected_naming_the_argument(temperature, error):
    with pytest.raises(error, match='MCMILoss temperature must be'):
        MCMILoss(num_classes=C, cmi_weight=0.1, temperature=temperature)


def test_the_loss_temperature_is_the_one_its_centroids_record():
    loss = MCMILoss(num_classes=C, cmi_weight=0.1, temperature=4)
    assert loss.temperature == 4.0
    assert loss.centroids.state()['temperature'] == 4.0
