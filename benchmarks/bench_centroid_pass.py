"""Exact centroid pass vs a plain inference pass over the same loader.

Both run a classifier in eval mode without gradients over the same
DataLoader of random images; the centroid pass also accumulates the class
statistics (on the model's device, float64), drops DDP padding, and saves
and restores the train flags and RNG states. Default: resnet56, CIFAR-100
(C = 100, 32 px). ``--classes C``: mmpretrain's ResNet-18 with a C-way
head on 64 px images. Alternates the two passes and prints the median and
range of the per-repeat ratios. The O(C^2) setup (zeroing the float64
sums: 3.8 GB at C = 21,841) is paid once per pass, however long; it is
measured on a one-batch loader and reported apart, with the ratio of the
per-batch work. Target: <= 1.05. ``--device cuda`` runs both passes on a
GPU (each timed to its end; the loader's images start on the host, as in
training).

    python benchmarks/bench_centroid_pass.py [--images 2048] [--repeats 5]
    python benchmarks/bench_centroid_pass.py --device cuda
    python benchmarks/bench_centroid_pass.py --classes 21841 --images 512
"""
import argparse
import statistics
import time
from pathlib import Path

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpretrain.structures import DataSample
from torch.utils.data import DataLoader

import mcmi_razor  # noqa: F401
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


def wait(device: str) -> None:
    """Let the device finish its queued work (a no-op on the CPU)."""
    if torch.device(device).type == 'cuda':
        torch.cuda.synchronize()


def build(num_classes):
    """(model, image size): resnet56 for None, else ResNet-18 + C-way head."""
    if num_classes is None:
        cfg = Config.fromfile(CONFIG)
        cfg.model.data_preprocessor = dict(type='ClsDataPreprocessor')
        return MODELS.build(cfg.model), 32, 100
    model = MODELS.build(dict(
        type='ImageClassifier', data_preprocessor=dict(
            type='ClsDataPreprocessor'),
        backbone=dict(type='ResNet', depth=18),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=num_classes,
                  in_channels=512)))
    return model, 64, num_classes


def alternate(model, loader, num_classes, repeats, device='cpu'):
    """Seconds per repeat of each pass, alternating, after one warm-up."""
    runs = dict(plain=[], centroid=[])
    for repeat in range(repeats + 1):
        for name in runs:
            wait(device)
            start = time.perf_counter()
            if name == 'plain':
                plain_pass(model, loader)
            else:
                collect_class_statistics(model, loader, num_classes,
                                         show_progress=False)
            wait(device)
            if repeat:
                runs[name].append(time.perf_counter() - start)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--classes', type=int, default=None)
    parser.add_argument('--images', type=int, default=2048)
    parser.add_argument('--batch', type=int, default=64)
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--threads', type=int, default=1,
                        help='torch threads (1 is steadier on a busy box)')
    parser.add_argument('--device', default='cpu', help="e.g. 'cuda'")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    init_default_scope('mcmi_razor')
    model, size, num_classes = build(args.classes)
    model.to(args.device)
    g = torch.Generator().manual_seed(0)
    data = [(torch.randint(0, 256, (3, size, size), generator=g,
                           dtype=torch.uint8), i % num_classes)
            for i in range(args.images)]
    loader = DataLoader(data, batch_size=args.batch, collate_fn=collate)
    one_batch = DataLoader(data[:args.batch], batch_size=args.batch,
                           collate_fn=collate)
    runs = alternate(model, loader, num_classes, args.repeats, args.device)
    small = alternate(model, one_batch, num_classes, args.repeats,
                      args.device)
    fixed = statistics.median(
        c - p for c, p in zip(small['centroid'], small['plain']))
    ratios = sorted(c / p for c, p in zip(runs['centroid'], runs['plain']))
    per_batch = sorted((c - fixed) / p for c, p in
                       zip(runs['centroid'], runs['plain']))
    name = 'resnet56' if args.classes is None else 'ResNet-18'
    print(f'{name} on {args.device}, C = {num_classes}, {args.images} '
          f'images of {size} px, '
          f'batch {args.batch}, {args.repeats} alternating repeats, '
          f'{torch.get_num_threads()} threads; plain pass '
          f'{statistics.median(runs["plain"]):.2f} s')
    print(f'exact centroid pass / plain inference pass: median '
          f'{statistics.median(ratios):.3f} (range {ratios[0]:.3f}-'
          f'{ratios[-1]:.3f})  target <= 1.05')
    print(f'  per-batch work only: median {statistics.median(per_batch):.3f} '
          f'(range {per_batch[0]:.3f}-{per_batch[-1]:.3f}); fixed O(C^2) '
          f'setup {fixed:.2f} s per pass')


if __name__ == '__main__':
    main()
