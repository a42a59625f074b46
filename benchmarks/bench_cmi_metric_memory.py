"""Memory held by CMIMetric as the number of evaluated samples grows.

Feeds N random predictions (C = 100) through ``process`` in batches of 256
and then counts the bytes of every tensor and Python object the metric still
holds (its state before ``evaluate``; tracemalloc cannot see torch's
allocator, so the state is walked instead). A streaming metric holds O(C^2)
whatever N: the printed ratio of the state at the largest N to the state at
the smallest should be 1.0. mmpretrain's Accuracy, which keeps every
prediction (O(N C)), is shown for comparison.

Then, against C: the metric's state after one batch (float64 sums, O(C^2))
and the memory of one loss's centroids Q + log Q in each storage dtype
(allocated for real, one at a time).

    python benchmarks/bench_cmi_metric_memory.py [--classes 100 ... 21841]
"""
import argparse
import gc
import sys

import torch
from mmpretrain.evaluation import Accuracy

import mcmi_razor  # noqa: F401
from mcmi_razor.evaluation.metrics import CMIMetric
from mcmi_razor.models.utils import STORAGE_DTYPES, ClassCentroids

C, BATCH = 100, 256


def state_bytes(obj, seen=None) -> int:
    """Bytes of the tensors and containers reachable from ``obj``."""
    seen = set() if seen is None else seen
    key = (obj.untyped_storage().data_ptr() if isinstance(obj, torch.Tensor)
           else id(obj))
    if key in seen:
        return 0
    seen.add(key)
    if isinstance(obj, torch.Tensor):
        return obj.untyped_storage().nbytes()
    size = sys.getsizeof(obj)
    if isinstance(obj, dict):
        items = list(obj.keys()) + list(obj.values())
    elif isinstance(obj, (list, tuple, set)):
        items = list(obj)
    elif hasattr(obj, '__dict__'):
        items = list(vars(obj).values())
    else:
        items = []
    return size + sum(state_bytes(item, seen) for item in items)


def held_memory(metric, num_samples: int, num_classes: int = C) -> int:
    g = torch.Generator().manual_seed(0)
    for start in range(0, num_samples, BATCH):
        n = min(BATCH, num_samples - start)
        scores = torch.softmax(torch.randn(n, num_classes, generator=g), 1)
        labels = torch.randint(0, num_classes, (n, ), generator=g)
        metric.process(None, [dict(pred_score=s, gt_label=y.view(1),
                                   pred_label=s.argmax().view(1))
                              for s, y in zip(scores, labels)])
    return state_bytes(metric)


def centroid_bytes(num_classes: int, dtype: str) -> int:
    centroids = ClassCentroids(num_classes, dtype=dtype)
    centroids.attach(ema_momentum=0.1)
    centroids.log_column_sums()           # allocates Q and log Q
    return sum(b.untyped_storage().nbytes() for b in centroids.buffers())


def by_classes(classes) -> None:
    dtypes = list(STORAGE_DTYPES)
    print(f'\n{"C":>6} {"CMIMetric (MiB)":>16} ' + ' '.join(
        f'{"Q+logQ " + d + " (MiB)":>22}' for d in dtypes))
    for c in classes:
        metric = held_memory(CMIMetric(num_classes=c), BATCH, c)
        gc.collect()
        row = [centroid_bytes(c, d) for d in dtypes]
        gc.collect()
        print(f'{c:>6} {metric / 2**20:>16.1f} ' + ' '.join(
            f'{b / 2**20:>22.1f}' for b in row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--classes', type=int, nargs='+',
                        default=[100, 1000, 5000, 21841])
    args = parser.parse_args()
    sizes = (1_000, 10_000, 100_000)
    print(f'{"samples":>8} {"CMIMetric state (KiB)":>22} '
          f'{"Accuracy state (KiB)":>21}')
    cmi_held = []
    for n in sizes:
        cmi = held_memory(CMIMetric(num_classes=C), n)
        acc = held_memory(Accuracy(), n)
        cmi_held.append(cmi)
        print(f'{n:>8} {cmi / 1024:>22.1f} {acc / 1024:>21.1f}')
    print(f'CMIMetric state at {sizes[-1]} / at {sizes[0]} samples: '
          f'{cmi_held[-1] / cmi_held[0]:.2f}  (flat = 1.0)')
    by_classes(args.classes)


if __name__ == '__main__':
    main()
