"""Bytes each rank exchanges per EMA centroid update, as C grows.

The EMA schedule combines the per-class sums of the global batch across
ranks. Before: an all-reduce of the full C x C sums (and C masses) every
iteration. Now: each rank sends the rows of the classes in its batch, one
(U_max, C + 2) float32 block gathered from every rank (or the dense sums
when those are smaller, at small C). Counted as the bytes one rank
receives (a ring all-reduce of S bytes: 2 (w - 1) / w * S). This runs the real
``ClassCentroids.update_online`` with a stand-in for an 8-rank group that
counts the bytes handed to the collectives (every rank sees the same
batch, the worst case for U_max), so no cluster is needed.

    python benchmarks/bench_ema_sync_bytes.py [--world 8] [--batch 256]
"""
import argparse

import torch
from mmengine import dist

import mcmi_razor  # noqa: F401
from mcmi_razor.models.utils import (
    ClassCentroids,
    LabelTargets,
    class_centroids,
)


def ring_all_reduce_bytes(num_bytes: int, world: int) -> float:
    """Bytes a rank receives in a ring all-reduce of ``num_bytes``."""
    return 2 * (world - 1) / world * num_bytes


class CountingGroup:
    """Pretends to be ``world`` ranks; counts bytes a rank receives."""

    def __init__(self, world: int) -> None:
        self.world, self.received = world, 0

    def get_world_size(self) -> int:
        return self.world

    def all_gather(self, tensor):
        size = tensor.numel() * tensor.element_size()
        self.received += (self.world - 1) * size
        return [tensor.clone() for _ in range(self.world)]

    def all_reduce(self, tensor, op):
        size = tensor.numel() * tensor.element_size()
        self.received += ring_all_reduce_bytes(size, self.world)
        tensor.mul_(self.world)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--world', type=int, default=8)
    parser.add_argument('--batch', type=int, default=256)
    parser.add_argument('--classes', type=int, nargs='+',
                        default=[100, 1000, 5000, 21841])
    args = parser.parse_args()
    group = CountingGroup(args.world)
    class_centroids.dist = group        # the module's view of mmengine.dist
    print(f'{args.world} ranks, batch {args.batch} per rank, hard labels '
          '(MiB received per rank per step)')
    print(f'{"C":>6} {"now":>10} {"full all-reduce (before)":>25} '
          f'{"ratio":>7}')
    try:
        for c in args.classes:
            centroids = ClassCentroids(c, dtype='bfloat16')
            centroids.attach(ema_momentum=0.1)
            g = torch.Generator().manual_seed(0)
            labels = torch.randint(0, c, (args.batch, ), generator=g)
            probs = torch.softmax(torch.randn(args.batch, c, generator=g), 1)
            group.received = 0
            centroids.update_online(probs, LabelTargets.from_label(labels, c))
            full = ring_all_reduce_bytes(4 * (c * c + c), args.world)
            print(f'{c:>6} {group.received / 2**20:>10.2f} '
                  f'{full / 2**20:>25.2f} {group.received / full:>7.4f}')
    finally:
        class_centroids.dist = dist


if __name__ == '__main__':
    main()
