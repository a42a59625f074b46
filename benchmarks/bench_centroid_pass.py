"""Exact centroid pass vs a plain inference pass over the same loader.

Both run the resnet56 CIFAR-100 classifier in eval mode without gradients
over the same DataLoader of random images; the centroid pass also
accumulates the class statistics, checks for DDP padding and saves and
restores the train flags and RNG states. Alternates the two and prints the
median and range of the per-repeat ratios; the target is <= 1.05.

    python benchmarks/bench_centroid_pass.py [--images 2048] [--repeats 5]
"""
import argparse
import statistics
import time
from pathlib import Path

import mcmi_razor  # noqa: F401
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpretrain.structures import DataSample
from torch.utils.data import DataLoader

from mcmi_razor.engine.class_statistics_pass import collect_class_statistics
from mcmi_razor.registry import MODELS

CONFIG = Path(__file__).parents[1] / 'configs/_base_/models/resnet56_cifar.py'


def collate(batch):
    images, labels = zip(*batch)
    return dict(inputs=list(images),
                data_samples=[DataSample().set_gt_label(y) for y in labels])


def plain_pass(model, loader) -> None:
    model.eval()
    with torch.no_grad():
        for data in loader:
            data = model.data_preprocessor(data, False)
            model(data['inputs'], data['data_samples'], mode='tensor')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--images', type=int, default=2048)
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--threads', type=int, default=1,
                        help='torch threads (1 is steadier on a busy box)')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    init_default_scope('mcmi_razor')
    cfg = Config.fromfile(CONFIG)
    cfg.model.data_preprocessor = dict(type='ClsDataPreprocessor')
    model = MODELS.build(cfg.model)
    g = torch.Generator().manual_seed(0)
    data = [(torch.randint(0, 256, (3, 32, 32), generator=g,
                           dtype=torch.uint8), i % 100)
            for i in range(args.images)]
    loader = DataLoader(data, batch_size=64, collate_fn=collate)
    runs = dict(plain=[], centroid=[])
    for repeat in range(args.repeats + 1):
        for name in runs:
            start = time.perf_counter()
            if name == 'plain':
                plain_pass(model, loader)
            else:
                collect_class_statistics(model, loader, 100,
                                         show_progress=False)
            if repeat:   # the first round warms up
                runs[name].append(time.perf_counter() - start)
    ratios = sorted(c / p for c, p in zip(runs['centroid'], runs['plain']))
    print(f'resnet56, {args.images} images, batch 64, {args.repeats} '
          f'alternating repeats, {torch.get_num_threads()} threads')
    print(f'exact centroid pass / plain inference pass: median '
          f'{statistics.median(ratios):.3f} (range {ratios[0]:.3f}-'
          f'{ratios[-1]:.3f})  target <= 1.05')


if __name__ == '__main__':
    main()
