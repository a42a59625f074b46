"""Effect of half-precision centroid storage on the MCMI loss and CMI.

``MCMILoss(centroid_dtype='bfloat16' | 'float16')`` stores Q and log Q in
16 bits (half the memory of float32; docs/scale.md). This measures what
that costs against float64 on a synthetic classifier: logits 4 * onehot(y)
plus N(0, 1.5^2) noise (top-1 about 85% at C = 1000), 20 samples per
class (``--per-class``), exact centroids of that data. For each storage
dtype and floor:

* CMI: the mean CMI term of the loss over the data (the training-time
  estimate of the teacher's CMI) against the exact float64 CMI;
* loss: the largest relative error of a batch's loss (batches of 256);
* gradient: the relative L2 error of d loss / d logits over all batches.

    python benchmarks/bench_centroid_precision.py [--classes 1000 5000]
    python benchmarks/bench_centroid_precision.py --classes 21841 \\
        --per-class 2 --dtypes bfloat16 float16
"""
import argparse

import torch

import mcmi_razor  # noqa: F401
from mcmi_razor.models.losses import MCMILoss
from mcmi_razor.models.utils import ClassConditionalStats

WEIGHT, BATCH = 0.15, 256


def batches(num_classes: int, per_class: int):
    """The synthetic data, one batch at a time (each from its own seed, so
    every pass sees the same batches without holding all (N, C) logits)."""
    labels = torch.arange(num_classes).repeat(per_class)
    for i, start in enumerate(range(0, len(labels), BATCH)):
        y = labels[start:start + BATCH]
        g = torch.Generator().manual_seed(i)
        z = 1.5 * torch.randn(len(y), num_classes, generator=g)
        z[torch.arange(len(y)), y] += 4
        yield z, y


def reference(logits, labels, q64, floor):
    """Per-sample loss and KL in float64, and d(mean loss)/d logits."""
    z = logits.double().requires_grad_()
    log_p = z.log_softmax(1)
    rows = q64[labels]
    log_q = ((1 - floor) * rows + floor / q64.size(1)).clamp_min(1e-300).log()
    kl = (log_p.exp() * (log_p - log_q)).sum(1)
    loss = -log_p[torch.arange(len(labels)), labels] - WEIGHT * kl
    loss.mean().backward()
    return loss.detach(), kl.detach(), z.grad


def compare(stats, q64, floor, dtypes, num_classes, per_class):
    """Print one row per storage dtype against the float64 reference."""
    losses = [MCMILoss(num_classes, WEIGHT, centroid_floor=floor,
                       centroid_dtype=dtype) for dtype in dtypes]
    for loss_fn in losses:
        loss_fn.centroids.set_exact(stats)
    kl_ref, kl_sum = 0.0, [0.0] * len(dtypes)
    worst, grad_sq, ref_sq = [0.0] * len(dtypes), [0.0] * len(dtypes), 0.0
    count = 0
    for z, y in batches(num_classes, per_class):
        ref_loss, ref_kl, ref_grad = reference(z, y, q64, floor)
        kl_ref += ref_kl.sum().item()
        ref_sq += ref_grad.square().sum().item()
        count += len(y)
        for i, loss_fn in enumerate(losses):
            logits = z.clone().requires_grad_()
            value = loss_fn(logits, y)
            value.backward()
            kl_sum[i] += loss_fn.last_terms['cmi_term'].item() * len(y)
            worst[i] = max(worst[i],
                           abs(value.item() / ref_loss.mean().item() - 1))
            grad_sq[i] += (logits.grad.double() - ref_grad).square().sum(
            ).item()
    exact_cmi = kl_ref / count
    for i, dtype in enumerate(dtypes):
        cmi = kl_sum[i] / count
        print(f'{num_classes:>6} {floor:>6g} {dtype:>9} {cmi:>9.5f} '
              f'{cmi - exact_cmi:>+9.1e} {worst[i]:>19.1e} '
              f'{(grad_sq[i] / ref_sq) ** 0.5:>18.1e}', flush=True)
    print(f'{num_classes:>6} {floor:>6g} {"float64":>9} {exact_cmi:>9.5f}',
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--classes', type=int, nargs='+',
                        default=[1000, 5000])
    parser.add_argument('--per-class', type=int, default=20,
                        help='samples per class (2 keeps C = 21,841 '
                        'within memory and minutes)')
    parser.add_argument('--dtypes', nargs='+',
                        default=['float32', 'bfloat16', 'float16'])
    args = parser.parse_args()
    print(f'{"C":>6} {"floor":>6} {"dtype":>9} {"CMI":>9} {"CMI err":>9} '
          f'{"loss err (max rel)":>19} {"grad err (rel L2)":>18}')
    for c in args.classes:
        stats = ClassConditionalStats(c)
        for z, y in batches(c, args.per_class):
            stats.update(z.double().softmax(1), y)
        q64 = stats.centroids()
        for floor in (0.0, 1e-3):
            compare(stats, q64, floor, args.dtypes, c, args.per_class)


if __name__ == '__main__':
    main()
