"""Property sweep of CMIMetric: over shapes, dtypes, batchings,
temperatures and label kinds, valid scores give the direct formula in
float64 numpy and invalid ones a ValueError naming what is wrong."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from mcmi_razor.evaluation.metrics import CMIMetric

pytestmark = pytest.mark.property
SWEEP = settings(max_examples=60, deadline=None, database=None,
                 derandomize=True)
DTYPES = (torch.float32, torch.float64, torch.bfloat16)


@st.composite
def splits(draw):
    """(scores (N, C), hard labels (N,), soft targets (N, C) or None,
    batch size, temperature)."""
    n, c = draw(st.integers(2, 40)), draw(st.integers(2, 8))
    g = torch.Generator().manual_seed(draw(st.integers(0, 2**31)))
    scale = draw(st.floats(0.01, 20.0))
    scores = torch.softmax(torch.randn(n, c, generator=g, dtype=torch.float64)
                           * scale, 1).to(draw(st.sampled_from(DTYPES)))
    labels = torch.randint(0, c, (n, ), generator=g)
    soft = None
    if draw(st.booleans()):
        share = draw(st.floats(0.0, 1.0))
        soft = (share * F.one_hot(labels, c)
                + (1 - share) * F.one_hot(labels.roll(1), c)).float()
    return (scores, labels, soft, draw(st.integers(1, n)),
            draw(st.sampled_from((1.0, 0.5, 4.0))))


def _evaluate(scores, labels, soft, batch_size, temperature,
              num_classes=None):
    metric = CMIMetric(num_classes=num_classes or scores.size(1),
                       temperature=temperature)
    for start in range(0, len(scores), batch_size):
        part = slice(start, start + batch_size)
        if soft is None:
            samples = [dict(pred_score=p, gt_label=y.view(1))
                       for p, y in zip(scores[part], labels[part])]
        else:
            samples = [dict(pred_score=p, gt_score=w)
                       for p, w in zip(scores[part], soft[part])]
        metric.process(None, samples)
    return metric.evaluate(len(scores))


def _direct(scores, labels, soft, temperature):
    """CMI = sum_y pi_y H(Q_y) - E[H(P)] and CE, float64 numpy, from the
    scores as stored, tempered as softmax(log P / T)."""
    p = scores.double().numpy()
    if temperature != 1:
        z = np.log(np.maximum(p, np.finfo(np.float64).tiny)) / temperature
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
    w = (np.eye(p.shape[1])[labels.numpy()] if soft is None
         else soft.double().numpy())

    def entropy(x):
        return -np.where(x > 0, x * np.log(np.where(x > 0, x, 1)), 0).sum(-1)

    mass = w.sum(0)
    seen = mass > 0
    q = (w.T @ p)[seen] / mass[seen, None]
    total = w.sum()
    cmi = ((mass[seen] / total) * entropy(q)).sum() \
        - (w.sum(1) * entropy(p)).sum() / total
    ce = -np.where(w > 0, w * np.log(np.where(w > 0, p, 1)), 0).sum() / total
    return max(cmi, 0.0), ce


@SWEEP
@given(splits())
def test_valid_scores_give_the_direct_formula(split):
    scores, labels, soft, batch_size, temperature = split
    result = _evaluate(*split)
    cmi, ce = _direct(scores, labels, soft, temperature)
    assert result['cmi/cmi'] == pytest.approx(cmi, rel=1e-6, abs=1e-9)
    assert result['cmi/ce'] == pytest.approx(ce, rel=1e-6, abs=1e-9)


@SWEEP
@given(splits(), st.sampled_from(('nan', 'inf', 'sum', 'negative',
                                  'logits', 'wide', 'label_too_large')),
       st.floats(1.1, 3.0))
def test_invalid_scores_are_refused_naming_the_problem(split, kind, factor):
    scores, labels, soft, batch_size, temperature = split
    scores, num_classes = scores.clone(), scores.size(1)
    row = len(scores) // 2
    match = 'CMIMetric pred_score'
    if kind in ('nan', 'inf'):
        scores[row, 0] = float(kind)
        match += ' must be finite probabilities, but 1 of'
    elif kind == 'sum':
        scores[row] *= factor
        match += ' rows must sum to 1, but 1 of'
    elif kind == 'negative':
        scores[row, 0] = -0.25
        match += ' must be probabilities, but 1 of'
    elif kind == 'logits':
        scores = scores.double().clamp_min(1e-30).log().to(scores.dtype)
        match = 'look like logits'
    elif kind == 'wide':
        scores = torch.cat([scores, scores[:, :1]], 1)
        match = r"expected \(\d\,\): set num_classes"
    else:
        soft = None
        labels = labels.clone()
        labels[row] = scores.size(1)
        match = f'Label {scores.size(1)} is outside'
    with pytest.raises(ValueError, match=match):
        _evaluate(scores, labels, soft, batch_size, temperature,
                  num_classes)
