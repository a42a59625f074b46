"""CMIMetric on a CUDA device: the CPU's values, and no synchronisation
per batch."""
import pytest
import torch

from mcmi_razor.evaluation.metrics import CMIMetric

pytestmark = pytest.mark.cuda

N, C, BATCH = 48, 4, 8


def _split(device):
    g = torch.Generator().manual_seed(0)
    probs = (torch.randn(N, C, generator=g) * 2).softmax(1)
    return probs.to(device), (torch.arange(N) % C).to(device)


def _batches(probs, labels):
    for start in range(0, N, BATCH):
        yield [dict(pred_score=p, gt_label=y.view(1))
               for p, y in zip(probs[start:start + BATCH],
                               labels[start:start + BATCH])]


@pytest.mark.parametrize('temperature', [1.0, 4.0])
def test_the_metric_on_cuda_gives_the_cpu_values(temperature):
    results = {}
    for device in ('cpu', 'cuda'):
        metric = CMIMetric(num_classes=C, temperature=temperature)
        for samples in _batches(*_split(device)):
            metric.process(None, samples)
        results[device] = metric.evaluate(N)
    assert results['cuda'] == pytest.approx(results['cpu'], rel=1e-9)


def test_process_does_not_synchronise_after_the_first_batch():
    """Sync debug mode 'error' raises on any operation that waits for the
    device; the first batch allocates the sums (a small host-to-device
    copy), every later one must run without a wait."""
    metric = CMIMetric(num_classes=C)
    batches = list(_batches(*_split('cuda')))
    metric.process(None, batches[0])
    previous = torch.cuda.get_sync_debug_mode()
    torch.cuda.set_sync_debug_mode('error')
    try:
        for samples in batches[1:]:
            metric.process(None, samples)
    finally:
        torch.cuda.set_sync_debug_mode(previous)
    assert metric.evaluate(N)['cmi/cmi'] > 0
