"""torchrun worker: EMA centroid updates whose batches are split over ranks.

argv: OUT_DIR. Every step has a global batch of hard labels or mixup scores
that the ranks share unevenly (rank r takes a different slice length), so
the exchange must handle ranks with different classes and sizes. Each rank
saves its final Q to OUT_DIR/rank{r}.pt; with one process it sees the whole
global batches.
"""
import sys
from pathlib import Path

import torch
import torch.distributed as torch_dist

from mcmi_razor.models.utils import ClassCentroids, LabelTargets

C, STEPS = 12, 6


def global_batches():
    """(probs (B, C), labels (B,) or scores (B, C)) per step, seeded."""
    g = torch.Generator().manual_seed(0)
    for step in range(STEPS):
        size = 7 + step
        probs = torch.softmax(torch.randn(size, C, generator=g) * 2, 1)
        labels = torch.randint(0, C // 2 + step, (size, ), generator=g)
        if step % 2:
            other = torch.randint(0, C // 2 + step, (size, ), generator=g)
            lam = torch.rand(size, 1, generator=g)
            eye = torch.eye(C)
            labels = lam * eye[labels] + (1 - lam) * eye[other]
        yield probs, labels


def main() -> None:
    out = Path(sys.argv[1])
    distributed = 'WORLD_SIZE' in __import__('os').environ
    if distributed:
        torch_dist.init_process_group('gloo')
    rank = torch_dist.get_rank() if distributed else 0
    world = torch_dist.get_world_size() if distributed else 1
    centroids = ClassCentroids(C, floor=1e-3)
    centroids.attach(ema_momentum=0.4)
    for probs, labels in global_batches():
        # uneven shards: rank 0 takes the first 3 samples, rank 1 the rest
        cut = 3 if world == 2 else len(probs)
        part = slice(0, cut) if rank == 0 else slice(cut, None)
        centroids.update_online(probs[part],
                                LabelTargets.from_label(labels[part], C))
    torch.save(dict(value=centroids.value, log=centroids.log_value,
                    initialized=centroids.initialized),
               out / f'rank{rank}.pt')
    if distributed:
        torch_dist.destroy_process_group()


if __name__ == '__main__':
    main()
