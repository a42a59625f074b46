"""MCMILoss on a CUDA device under AMP, with bfloat16 centroids: the loss
and gradient of float32 on the CPU."""
import copy

import pytest
import torch

from mcmi_razor.models.losses import MCMILoss
from mcmi_razor.models.utils import ClassConditionalStats

pytestmark = pytest.mark.cuda

N, C, FEATURES = 64, 100, 512


def _loss_and_gradient(device, centroid_dtype, amp):
    g = torch.Generator().manual_seed(0)
    stats = ClassConditionalStats(C)
    stats.update((torch.randn(2000, C, generator=g) * 2).softmax(1),
                 torch.arange(2000) % C)
    features = torch.randn(N, FEATURES, generator=g).to(device)
    labels = torch.randint(0, C, (N,), generator=g).to(device)
    torch.manual_seed(0)
    head = torch.nn.Linear(FEATURES, C).to(device)
    loss = MCMILoss(C, cmi_weight=0.15,
                    centroid_dtype=centroid_dtype).to(device)
    loss.centroids.attach()
    loss.centroids.set_exact(stats)
    with torch.autocast(device, dtype=torch.float16, enabled=amp):
        logits = head(features)
        value = loss(logits, labels)
    assert logits.dtype == (torch.float16 if amp else torch.float32)
    value.backward()
    return value.item(), copy.deepcopy(head.weight.grad).cpu()


def test_amp_and_bfloat16_centroids_on_cuda_match_float32_on_the_cpu():
    cpu_loss, cpu_grad = _loss_and_gradient('cpu', 'float32', amp=False)
    cuda_loss, cuda_grad = _loss_and_gradient('cuda', 'bfloat16', amp=True)
    assert cuda_loss == pytest.approx(cpu_loss, rel=1e-3)
    assert ((cuda_grad - cpu_grad).norm() / cpu_grad.norm()) < 1e-2
