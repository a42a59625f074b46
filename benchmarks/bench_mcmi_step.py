"""MCMI train step vs the same step with plain cross-entropy (resnet56).

Builds the resnet56 CIFAR-100 classifier twice from the same config, once
with CrossEntropyLoss and once with MCMILoss (exact centroids set), and
times full SGD steps (forward, loss, backward, update) on the same batch,
alternating the two so machine noise hits both alike. Prints the median and
interquartile range of the per-pair ratios; the target is <= 1.02.
``--device cuda`` runs the same steps on a GPU (each timed to its end).

    python benchmarks/bench_mcmi_step.py [--steps 30] [--batch 64]
    python benchmarks/bench_mcmi_step.py --device cuda
"""
import argparse
import statistics
import time
from pathlib import Path

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mcmi_razor  # noqa: F401
from mcmi_razor.models.utils import ClassConditionalStats
from mcmi_razor.registry import MODELS

CONFIG = Path(__file__).parents[1] / 'configs/_base_/models/resnet56_cifar.py'


def build(loss_cfg: dict, device: str) -> torch.nn.Module:
    cfg = Config.fromfile(CONFIG)
    cfg.model.head.loss = loss_cfg
    torch.manual_seed(0)
    return MODELS.build(cfg.model).to(device).train()


def wait(device: str) -> None:
    """Let the device finish its queued work (a no-op on the CPU)."""
    if torch.device(device).type == 'cuda':
        torch.cuda.synchronize()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--steps', type=int, default=30)
    parser.add_argument('--batch', type=int, default=64)
    parser.add_argument('--threads', type=int, default=1,
                        help='torch threads (1 is steadier on a busy box)')
    parser.add_argument('--device', default='cpu', help="e.g. 'cuda'")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    init_default_scope('mcmi_razor')
    device = args.device
    ce_model = build(dict(type='CrossEntropyLoss'), device)
    mcmi_model = build(dict(type='MCMILoss', num_classes=100,
                            cmi_weight=0.15), device)
    stats = ClassConditionalStats(100, torch.device(device))
    stats.update(torch.softmax(torch.randn(1000, 100), 1).to(device),
                 (torch.arange(1000) % 100).to(device))
    mcmi_model.head.loss_module.centroids.set_exact(stats)
    inputs = torch.randn(args.batch, 3, 32, 32).to(device)
    labels = torch.randint(0, 100, (args.batch, ))
    from mmpretrain.structures import DataSample
    samples = [DataSample().set_gt_label(int(y)).to(device) for y in labels]
    optims = {m: torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
              for m in (ce_model, mcmi_model)}

    def step(model):
        wait(device)
        start = time.perf_counter()
        loss = model(inputs, samples, mode='loss')['loss']
        optims[model].zero_grad()
        loss.backward()
        optims[model].step()
        wait(device)
        return time.perf_counter() - start

    for model in (ce_model, mcmi_model):   # warm-up
        step(model)
    times = {ce_model: [], mcmi_model: []}
    for _ in range(args.steps):
        for model in (ce_model, mcmi_model):
            times[model].append(step(model))
    ratios = [m / c for m, c in zip(times[mcmi_model], times[ce_model])]
    q1, median, q3 = statistics.quantiles(ratios, n=4)
    print(f'resnet56 on {device}, batch {args.batch}, {args.steps} '
          f'alternating steps, {torch.get_num_threads()} threads')
    print(f'MCMI step / CE step: median {median:.3f} (IQR {q1:.3f}-{q3:.3f})'
          '  target <= 1.02')


if __name__ == '__main__':
    main()
