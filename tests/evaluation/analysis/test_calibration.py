"""ECE, NLL, CMI and the temperature sweep against direct computations."""
import math

import numpy as np
import pytest
import torch

from mcmi_razor.evaluation.analysis import (
    expected_calibration_error,
    logit_summary,
    negative_log_likelihood,
    temperature_sweep,
)


def _data(n=400, c=5, seed=0):
    gen = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, c, (n, ), generator=gen)
    logits = torch.randn(n, c, generator=gen) * 2
    logits[torch.arange(n), labels] += 2.0
    return logits, labels


def _softmax(z):
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def _ece_loop(probs, labels, bins):
    """Guo et al.'s ECE, written as the textbook loop over bins."""
    conf, pred = probs.max(1), probs.argmax(1)
    total = 0.0
    for k in range(bins):
        lo, hi = k / bins, (k + 1) / bins
        inside = (conf > lo) & (conf <= hi)
        if inside.any():
            acc = (pred[inside] == labels[inside]).mean()
            gap = abs(acc - conf[inside].mean())
            total += inside.sum() / len(labels) * gap
    return total


def _cmi_direct(probs, labels, c):
    """E[KL(P_x || Q_y)] with Q_y the class mean of P_x, by the definition."""
    total = 0.0
    for y in range(c):
        p = probs[labels == y]
        q = p.mean(0)
        total += (p * (np.log(p) - np.log(q))).sum()
    return total / len(labels)


def test_nll_equals_mean_negative_log_softmax_of_the_true_class():
    logits, labels = _data()
    for t in (0.5, 1.0, 3.0):
        probs = _softmax(logits.numpy().astype(np.float64) / t)
        expected = -np.log(probs[np.arange(len(labels)), labels.numpy()])
        assert negative_log_likelihood(logits, labels, t) == pytest.approx(
            expected.mean(), rel=1e-9)


@pytest.mark.parametrize('bins', [1, 10, 15])
def test_ece_matches_the_textbook_loop(bins):
    logits, labels = _data()
    probs = _softmax(logits.numpy().astype(np.float64))
    assert expected_calibration_error(torch.from_numpy(probs), labels,
                                      bins) == pytest.approx(
                                          _ece_loop(probs, labels.numpy(),
                                                    bins), abs=1e-12)


def test_ece_is_zero_when_calibrated_and_the_gap_when_overconfident():
    # 4 samples at confidence 0.75, 3 of them right: calibrated.
    probs = torch.tensor([[0.75, 0.25]] * 4)
    assert expected_calibration_error(probs, torch.tensor([0, 0, 0, 1])) == \
        pytest.approx(0.0)
    # all at confidence 0.9 but half right: gap 0.4.
    probs = torch.tensor([[0.9, 0.1]] * 4)
    assert expected_calibration_error(probs, torch.tensor([0, 0, 1, 1])) == \
        pytest.approx(0.4)


def test_summary_cmi_equals_the_definition_and_top1_the_argmax_rate():
    logits, labels = _data(c=4)
    summary = logit_summary(logits, labels, temperature=2.0)
    probs = _softmax(logits.numpy().astype(np.float64) / 2.0)
    assert summary['cmi'] == pytest.approx(
        _cmi_direct(probs, labels.numpy(), 4), rel=1e-9)
    assert summary['top1'] == pytest.approx(
        100 * (logits.argmax(1) == labels).float().mean().item())
    assert summary['temperature'] == 2.0


def test_temperature_sweep_is_the_summary_at_each_temperature():
    logits, labels = _data()
    temps = [0.5, 1, 4]
    sweep = temperature_sweep(logits, labels, temps)
    assert [r['temperature'] for r in sweep] == temps
    for row, t in zip(sweep, temps):
        assert row == logit_summary(logits, labels, t)
    assert len({r['top1'] for r in sweep}) == 1


def test_cmi_vanishes_at_high_temperature_and_for_one_hot_outputs():
    logits, labels = _data()
    hot = logit_summary(logits, labels, temperature=1e4)
    assert hot['cmi'] < 1e-6
    one_hot = torch.nn.functional.one_hot(labels, 5).double() * 1e3
    assert logit_summary(one_hot, labels)['cmi'] == pytest.approx(
        0.0, abs=1e-9)


def test_summary_rejects_a_non_positive_temperature():
    logits, labels = _data()
    with pytest.raises(ValueError, match='temperature'):
        logit_summary(logits, labels, temperature=0)


def test_summary_agrees_with_the_cmi_metric(mcmi_razor_scope):
    from mcmi_razor.evaluation import CMIMetric
    logits, labels = _data(c=6)
    metric = CMIMetric(num_classes=6, temperature=2.0)
    probs = logits.softmax(1)
    metric.process(None, [dict(pred_score=p, gt_label=label.view(1))
                          for p, label in zip(probs, labels)])
    result = metric.evaluate(len(labels))
    summary = logit_summary(logits, labels, temperature=2.0)
    assert summary['cmi'] == pytest.approx(result['cmi/cmi'], rel=1e-5)
    assert math.isfinite(summary['ncmi'])
