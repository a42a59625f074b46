"""Property sweep of MCMILoss: over shapes, dtypes, temperatures, label
kinds and values, valid batches give the direct formula and invalid ones a
ValueError naming what is wrong."""
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from mcmi_razor.models.losses import MCMILoss
from mcmi_razor.models.utils import ClassConditionalStats

pytestmark = pytest.mark.property
SWEEP = settings(max_examples=60, deadline=None, database=None,
                 derandomize=True)
DTYPES = (torch.float32, torch.float64, torch.bfloat16)


@st.composite
def batches(draw):
    """A valid batch: (loss, logits, targets (N, C) float64, labels)."""
    n, c = draw(st.integers(1, 12)), draw(st.integers(2, 8))
    g = torch.Generator().manual_seed(draw(st.integers(0, 2**31)))
    scale = draw(st.floats(0.01, 30.0))
    logits = (torch.randn(n, c, generator=g) * scale).to(
        draw(st.sampled_from(DTYPES)))
    hard = torch.randint(0, c, (n, ), generator=g)
    kind = draw(st.sampled_from(('hard', 'mixup', 'masked')))
    if kind == 'mixup':
        share = draw(st.floats(0.0, 1.0))
        labels = (share * F.one_hot(hard, c)
                  + (1 - share) * F.one_hot(hard.roll(1), c)).float()
    else:
        labels = hard
    if kind == 'masked' and c > 2:          # mask a class no one has
        labels = hard.clamp(max=c - 2)
        logits[:, c - 1] = float('-inf')
    loss = MCMILoss(num_classes=c, cmi_weight=draw(st.floats(0.01, 1.0)),
                    temperature=draw(st.sampled_from((1.0, 0.5, 4.0))),
                    label_smoothing=(0.0 if kind == 'masked' else
                                     draw(st.sampled_from((0.0, 0.1)))))
    stats = ClassConditionalStats(c)
    stats.prob_sums.copy_(torch.softmax(torch.randn(c, c, generator=g), 1))
    stats.class_mass.fill_(1.0)
    loss.centroids.set_exact(stats)
    targets = (F.one_hot(labels, c) if labels.ndim == 1 else labels).double()
    return loss, logits, targets, labels


def _direct(loss: MCMILoss, logits, targets):
    """Batch mean of ``CE - w * sum_y t_y KL(P^tau || Q_y)`` in float64,
    targets smoothed; the logits as the loss reads them (float32)."""
    z = logits.float().double()
    c = z.size(1)
    a = loss.label_smoothing
    t = (1 - a) * targets + a / c
    log_p = torch.log_softmax(z, 1)
    p_tau = torch.softmax(z / loss.temperature, 1)
    q = loss.centroids.value.double()
    ce = -torch.where(t > 0, t * log_p, 0.0).sum(1)
    # KL(P || Q_y) for every y, (N, C): 0 log 0 = 0 at masked classes
    kl = (torch.xlogy(p_tau, p_tau).sum(1, keepdim=True)
          - p_tau @ q.log().T)
    return (ce - loss.cmi_weight * (t * kl).sum(1)).mean()


@SWEEP
@given(batches())
def test_valid_batches_give_the_direct_formula(batch):
    loss, logits, targets, labels = batch
    value = loss(logits, labels)
    expected = _direct(loss, logits, targets)
    assert torch.isfinite(value)
    assert value.item() == pytest.approx(expected.item(), rel=1e-4,
                                         abs=1e-4)


def _bad_soft(labels, c, how):
    scores = F.one_hot(labels, c).float() if labels.ndim == 1 else \
        labels.clone()
    if how == 'nan':
        scores[0, 0] = float('nan')
    elif how == 'negative':
        scores[0] = scores[0] - 0.5
    else:
        scores[0] = scores[0] * 1.5
    return scores


@SWEEP
@given(batches(), st.sampled_from(('nan_logit', 'inf_logit', 'soft_nan',
                                   'soft_negative', 'soft_sum',
                                   'wide_logits', 'label_too_large',
                                   'label_negative', 'own_label_masked',
                                   'labels_too_few')))
def test_invalid_batches_are_refused_naming_the_problem(batch, kind):
    loss, logits, _, labels = batch
    n, c = logits.shape
    hard = labels if labels.ndim == 1 else labels.argmax(1)
    error, match = ValueError, None
    if kind in ('nan_logit', 'inf_logit'):
        logits[0, 0] = float('nan' if kind == 'nan_logit' else 'inf')
        error, match = FloatingPointError, 'NaN or inf logits'
    elif kind.startswith('soft_'):
        how = kind.removeprefix('soft_')
        labels = _bad_soft(labels, c, how)
        match = dict(nan='NaN or inf', negative='non-negative',
                     sum='sum to 1')[how]
    elif kind == 'wide_logits':
        logits = torch.cat([logits, logits[:, :1]], 1)
        match = "num_classes equal to the head's"
    elif kind.startswith('label_'):
        labels = hard.clone()
        labels[-1] = c if kind == 'label_too_large' else -1
        match = f'Label {int(labels[-1])} is outside'
    elif kind == 'own_label_masked':
        labels = hard
        logits[n - 1, labels[n - 1]] = float('-inf')
        match = f'sample {n - 1} has label {int(labels[n - 1])}'
    else:
        labels = hard[:-1] if n > 1 else hard.repeat(2)
        match = 'labels of shape'
    with pytest.raises(error, match=match):
        loss(logits, labels)
