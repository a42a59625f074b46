"""Effect of half-precision centroid storage on the MCMI loss and CMI.

``MCMILoss(centroid_dtype='bfloat16' | 'float16')`` stores Q and log Q in
16 bits (half the memory of float32; docs/scale.md). This measures what
that costs against float64 on a synthetic classifier: logits 4 * onehot(y)
plus N(0, 1.5^2) noise (top-1 about 85% at C = 1000), 20 samples per
class, exact centroids of that data. For each storage dtype and floor:

* CMI: the mean CMI term of the loss over the data (the training-time
  estimate of the teacher's CMI) against the exact float64 CMI;
* loss: the largest relative error of a batch's loss (batches of 256);
* gradient: the relative L2 error of d loss / d logits over all batches.

    python benchmarks/bench_centroid_precision.py [--classes 1000 5000]
"""
import argparse

import torch

import mcmi_razor  # noqa: F401
from mcmi_razor.models.losses import MCMILoss
from mcmi_razor.models.utils import ClassConditionalStats

WEIGHT, BATCH = 0.15, 256


def synthetic(num_classes: int, per_class: int = 20):
    g = torch.Generator().manual_seed(0)
    labels = torch.arange(num_classes).repeat(per_class)
    logits = 1.5 * torch.randn(len(labels), num_classes, generator=g)
    logits[torch.arange(len(labels)), labels] += 4
    return logits, labels


def reference(logits, labels, q64, floor):
    """Per-sample loss and KL in float64, and d(mean loss)/d logits."""
    z = logits.double().requires_grad_()
    log_p = z.log_softmax(1)
    log_q = ((1 - floor) * q64 + floor / q64.size(1)).clamp_min(
        1e-300).log()[labels]
    kl = (log_p.exp() * (log_p - log_q)).sum(1)
    loss = -log_p[torch.arange(len(labels)), labels] - WEIGHT * kl
    loss.mean().backward()
    return loss.detach(), kl.detach(), z.grad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--classes', type=int, nargs='+',
                        default=[1000, 5000])
    args = parser.parse_args()
    print(f'{"C":>6} {"floor":>6} {"dtype":>9} {"CMI":>9} {"CMI err":>9} '
          f'{"loss err (max rel)":>19} {"grad err (rel L2)":>18}')
    for c in args.classes:
        logits, labels = synthetic(c)
        stats = ClassConditionalStats(c)
        stats.update(logits.double().softmax(1), labels)
        q64 = stats.centroids()
        for floor in (0.0, 1e-3):
            ref_loss, ref_kl, ref_grad = [], [], []
            for start in range(0, len(labels), BATCH):
                part = slice(start, start + BATCH)
                loss, kl, grad = reference(logits[part], labels[part], q64,
                                           floor)
                ref_loss.append(loss.mean())
                ref_kl.append(kl)
                ref_grad.append(grad)
            exact_cmi = torch.cat(ref_kl).mean().item()
            ref_grad = torch.cat(ref_grad)
            for dtype in ('float32', 'bfloat16', 'float16'):
                loss_fn = MCMILoss(c, WEIGHT, centroid_floor=floor,
                                   centroid_dtype=dtype)
                loss_fn.centroids.set_exact(stats)
                kl_sum, worst, grads = 0.0, 0.0, []
                for i, start in enumerate(range(0, len(labels), BATCH)):
                    part = slice(start, start + BATCH)
                    z = logits[part].clone().requires_grad_()
                    value = loss_fn(z, labels[part])
                    value.backward()
                    grads.append(z.grad.double())
                    kl_sum += loss_fn.last_terms['cmi_term'].item() * len(z)
                    worst = max(worst, abs(value.item() / ref_loss[i].item()
                                           - 1))
                cmi = kl_sum / len(labels)
                grad_err = ((torch.cat(grads) - ref_grad).norm()
                            / ref_grad.norm()).item()
                print(f'{c:>6} {floor:>6g} {dtype:>9} {cmi:>9.5f} '
                      f'{cmi - exact_cmi:>+9.1e} {worst:>19.1e} '
                      f'{grad_err:>18.1e}')
            print(f'{c:>6} {floor:>6g} {"float64":>9} {exact_cmi:>9.5f}')


if __name__ == '__main__':
    main()
