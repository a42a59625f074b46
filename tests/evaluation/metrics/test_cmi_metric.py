import json
import math
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from mcmi_razor.evaluation.metrics import CMIMetric
from mcmi_razor.testing.host_transfers import count_host_transfers, in_package

# Kept equal to the worker script's split.
N, C = 45, 4
WORKER = Path(__file__).with_name('cmi_metric_worker.py')


def _split():
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(N, C, generator=g) * 2
    labels = torch.arange(N) % C
    return logits.softmax(1), labels


def _brute_force_cmi(probs, labels):
    probs = probs.double()
    q = torch.stack([probs[labels == y].mean(0) for y in range(C)])
    return (probs * (probs / q[labels]).log()).sum(1).mean().item()


def _feed(metric, probs, labels, batch_size):
    for start in range(0, len(labels), batch_size):
        samples = [dict(pred_score=p, gt_label=y.view(1))
                   for p, y in zip(probs[start:start + batch_size],
                                   labels[start:start + batch_size])]
        metric.process(None, samples)


def test_metric_equals_brute_force_cmi():
    probs, labels = _split()
    metric = CMIMetric(num_classes=C)
    _feed(metric, probs, labels, batch_size=8)
    result = metric.evaluate(N)
    cmi = _brute_force_cmi(probs, labels)
    assert result['cmi/cmi'] == pytest.approx(cmi, abs=1e-6)
    assert result['cmi/ncmi'] == pytest.approx(
        cmi / _brute_force_separation(probs, labels), rel=1e-5)
    assert result['cmi/ce'] == pytest.approx(torch.nn.functional.nll_loss(
        probs.double().log(), labels).item(), abs=1e-9)


def _brute_force_separation(probs, labels):
    """Mean pairwise KL(Q_a || Q_b) over a != b, weighted by class priors."""
    probs = probs.double()
    q = torch.stack([probs[labels == y].mean(0) for y in range(C)])
    prior = torch.bincount(labels, minlength=C).double() / len(labels)
    num = den = 0.0
    for a in range(C):
        for b in range(C):
            if a != b:
                w = (prior[a] * prior[b]).item()
                num += w * (q[a] * (q[a] / q[b]).log()).sum().item()
                den += w
    return num / den


def test_collapsed_model_reports_cmi_and_undefined_ncmi():
    """Every prediction the same distribution: the centroid separation is
    0, so NCMI is undefined (NaN and a warning, not ZeroDivisionError)."""
    _, labels = _split()
    same = torch.tensor([0.7, 0.1, 0.1, 0.1]).expand(N, C)
    metric = CMIMetric(num_classes=C)
    _feed(metric, same, labels, batch_size=8)
    with pytest.warns(RuntimeWarning, match='NCMI is undefined'):
        result = metric.evaluate(N)
    assert result['cmi/cmi'] == pytest.approx(0.0, abs=1e-12)
    assert math.isnan(result['cmi/ncmi'])


def test_no_host_transfer_per_batch():
    """The metric's host reads do not grow with the number of batches
    (the old one copied every batch's scores with .cpu())."""
    probs, labels = _split()
    counts = []
    for batches in (2, 5):
        metric = CMIMetric(num_classes=C)
        with count_host_transfers() as calls:
            _feed(metric, probs[:8 * batches], labels[:8 * batches],
                  batch_size=8)
        counts.append(in_package(calls))
    assert len(counts[0]) == len(counts[1]), counts


def test_temperature_is_exact():
    probs, labels = _split()
    metric = CMIMetric(num_classes=C, temperature=4.0)
    _feed(metric, probs, labels, batch_size=10)
    tempered = (probs.double().log() / 4.0).softmax(1)
    assert metric.evaluate(N)['cmi/cmi'] == pytest.approx(
        _brute_force_cmi(tempered, labels), abs=1e-6)


def test_a_padded_last_sample_is_dropped():
    probs, labels = _split()
    padded_probs = torch.cat([probs, probs[:1]])
    padded_labels = torch.cat([labels, labels[:1]])
    metric = CMIMetric(num_classes=C)
    _feed(metric, padded_probs, padded_labels, batch_size=8)
    assert metric.evaluate(N)['cmi/cmi'] == pytest.approx(
        _brute_force_cmi(probs, labels), abs=1e-6)


def test_state_is_reset_between_evaluations():
    probs, labels = _split()
    metric = CMIMetric(num_classes=C)
    _feed(metric, probs, labels, batch_size=8)
    first = metric.evaluate(N)
    _feed(metric, probs, labels, batch_size=8)
    assert metric.evaluate(N) == first


def test_wrong_num_classes_is_named():
    probs, labels = _split()
    metric = CMIMetric(num_classes=C + 1)
    with pytest.raises(ValueError, match="head's"):
        _feed(metric, probs, labels, batch_size=8)


def test_two_gloo_ranks_equal_one_process(tmp_path):
    """torchrun, 2 gloo ranks, DefaultSampler order with one padded sample."""
    out = tmp_path / 'result.json'
    subprocess.run(
        [sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node=2',
         '--master_port', str(_free_port()), str(WORKER), str(out)],
        check=True, timeout=300, cwd=tmp_path)
    results = json.loads(out.read_text())
    probs, labels = _split()
    expected = _brute_force_cmi(probs, labels)
    assert results['0']['cmi/cmi'] == pytest.approx(expected, abs=1e-6)
    assert results['0']['cmi/ce'] == pytest.approx(
        torch.nn.functional.nll_loss(probs.double().log(), labels).item(),
        abs=1e-9)
    assert results['1'] == results['0']


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize('temperature', [0.0, -2.0, float('nan'),
                                         float('inf')])
def test_bad_temperature_names_the_argument(temperature):
    with pytest.raises(ValueError, match='CMIMetric temperature must be'):
        CMIMetric(num_classes=C, temperature=temperature)
