"""MCMI step vs cross-entropy step as the number of classes C grows.

Head only (the worst case: nothing else to hide the loss behind): a linear
head 512 -> C on fixed features, batch 256, hard labels, SGD step
(forward, loss, backward, update), for each C. With ``--backbone``: an
mmpretrain ResNet-18 with a C-way head on 112 px images instead. Both
variants start from the same weights; their steps alternate so machine
noise hits both alike. Prints the median and interquartile range of the
per-pair ratios. Targets: <= 1.05 head only, <= 1.02 with a backbone.

    python benchmarks/bench_mcmi_step_scale.py [--classes 100 1000 5000 21841]
    python benchmarks/bench_mcmi_step_scale.py --backbone --classes 1000
"""
import argparse
import copy
import statistics
import time

import torch
from mmengine.registry import init_default_scope
from mmpretrain.models.losses import CrossEntropyLoss
from torch import nn

import mcmi_razor  # noqa: F401
from mcmi_razor.models.losses import MCMILoss
from mcmi_razor.registry import MODELS


def random_centroids(loss: MCMILoss, seed: int = 0) -> None:
    """Give ``loss`` random centroids, written a block of rows at a time."""
    c = loss.num_classes
    g = torch.Generator().manual_seed(seed)
    value = torch.empty(c, c)
    for rows in torch.arange(c).split(1024):
        value[rows] = torch.softmax(
            torch.randn(len(rows), c, generator=g) * 2, 1)
    loss.centroids.load_state(dict(value=value,
                                   initialized=torch.ones(c, dtype=bool)))


class HeadOnly(nn.Module):
    """Linear head 512 -> C on fixed features, with a loss module."""

    def __init__(self, num_classes: int, loss: nn.Module) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.fc = nn.Linear(512, num_classes)
        self.loss = loss

    def forward(self, inputs, labels):
        return self.loss(self.fc(inputs), labels)


class WithBackbone(nn.Module):
    """mmpretrain ResNet-18, global pooling and a C-way linear head."""

    def __init__(self, num_classes: int, loss: nn.Module) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.backbone = MODELS.build(dict(type='ResNet', depth=18))
        self.neck = MODELS.build(dict(type='GlobalAveragePooling'))
        self.fc = nn.Linear(512, num_classes)
        self.loss = loss

    def forward(self, inputs, labels):
        return self.loss(self.fc(self.neck(self.backbone(inputs))[-1]),
                         labels)


def measure(num_classes: int, backbone: bool, steps: int, batch: int):
    """Per-pair ratios MCMI / CE, and the median CE step in seconds."""
    mcmi = MCMILoss(num_classes=num_classes, cmi_weight=0.15)
    random_centroids(mcmi)
    build = WithBackbone if backbone else HeadOnly
    models = dict(ce=build(num_classes, CrossEntropyLoss()))
    models['mcmi'] = copy.deepcopy(models['ce'])
    models['mcmi'].loss = mcmi
    for model in models.values():
        model.train()
    optims = {k: torch.optim.SGD(m.parameters(), lr=1e-3, momentum=0.9)
              for k, m in models.items()}
    g = torch.Generator().manual_seed(1)
    inputs = (torch.randn(batch, 3, 112, 112, generator=g) if backbone
              else torch.randn(batch, 512, generator=g))
    labels = torch.randint(0, num_classes, (batch, ), generator=g)

    def step(name):
        start = time.perf_counter()
        loss = models[name](inputs, labels)
        optims[name].zero_grad()
        loss.backward()
        optims[name].step()
        return time.perf_counter() - start

    times = dict(ce=[], mcmi=[])
    for name in times:                    # warm-up
        step(name)
    for i in range(steps):
        order = ('ce', 'mcmi') if i % 2 == 0 else ('mcmi', 'ce')
        for name in order:
            times[name].append(step(name))
    ratios = [m / c for m, c in zip(times['mcmi'], times['ce'])]
    return ratios, statistics.median(times['ce'])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--classes', type=int, nargs='+',
                        default=[100, 1000, 5000, 21841])
    parser.add_argument('--backbone', action='store_true',
                        help='ResNet-18 at 112 px instead of the head only')
    parser.add_argument('--steps', type=int, default=30)
    parser.add_argument('--batch', type=int, default=None,
                        help='default 256 head only, 32 with the backbone')
    parser.add_argument('--threads', type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    init_default_scope('mcmi_razor')
    batch = args.batch or (32 if args.backbone else 256)
    what = 'ResNet-18, 112 px' if args.backbone else 'linear head 512 -> C'
    target = 1.02 if args.backbone else 1.05
    print(f'{what}, batch {batch}, hard labels, {args.steps} alternating '
          f'SGD steps, {torch.get_num_threads()} threads')
    for c in args.classes:
        ratios, ce_step = measure(c, args.backbone, args.steps, batch)
        q1, median, q3 = statistics.quantiles(ratios, n=4)
        print(f'C = {c:>6}: MCMI step / CE step median {median:.3f} '
              f'(IQR {q1:.3f}-{q3:.3f}), CE step {ce_step * 1e3:.1f} ms  '
              f'target <= {target}')


if __name__ == '__main__':
    main()
