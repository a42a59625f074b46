"""The teacher's regime: how confident it is, and so whether MCMI can help.

MCMI raises ``KL(P_x || Q_y)``; the cheapest way to do that is to move mass
onto the classes least likely under the centroid ``Q_y``. For a confident
(near one-hot) teacher those entries are close to 0: the term then rewards
mass on unrelated classes, not the "context" KD relies on. The measured
MCMI fine-tunes that gave students no gain (docs/results_grid.md,
Fashion-MNIST) were of such teachers; the paper's gains are on CIFAR-100
teachers at 72-79% test top-1. :class:`RegimeAccumulator` sums what
describes the regime in one streaming pass; :func:`regime_warning` says
when to worry.
"""
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

import torch
from mmengine import dist

from mcmi_razor.models.utils import ClassConditionalStats

#: Mean max-probability above which :func:`regime_warning` warns. The
#: Fashion-MNIST teachers of docs/results_grid.md, where MCMI gave students no
#: measurable gain (-1.4 points at 5% data), had test top-1 0.877-0.885 and
#: ECE <= 0.017, so a mean max-probability of 0.87-0.90
#: (``|mean confidence - accuracy| <= ECE``); their training accuracy was
#: about 0.90. 0.85 flags that regime.
CONFIDENT_MAX_PROB = 0.85


@dataclass
class Regime:
    """What describes a teacher's regime on one split.

    Attributes:
        split (str): where it was measured, e.g. ``'train'``.
        num_samples (int): samples seen.
        accuracy (float): top-1 as a fraction.
        cross_entropy (float): mean ``-log P_x(y)``, nats.
        cmi (float): ``I(X; Yhat | Y)``, nats (centroids of this split).
        mean_max_prob (float): mean of ``max_c P_x(c)``.
        smallest_centroid_entries (list): the smallest ``Q_y(c)`` as
            ``(y, c, value)``, smallest first.
    """

    split: str
    num_samples: int
    accuracy: float
    cross_entropy: float
    cmi: float
    mean_max_prob: float
    smallest_centroid_entries: List[Tuple[int, int, float]] = field(
        default_factory=list)

    def summary(self) -> str:
        """One log line with every number."""
        smallest = ', '.join(f'Q_{y}({c})={q:.2e}'
                             for y, c, q in self.smallest_centroid_entries)
        return (f'Teacher regime on {self.num_samples} {self.split} samples:'
                f' accuracy {self.accuracy:.4f}, cross-entropy '
                f'{self.cross_entropy:.4f} nats, CMI {self.cmi:.4f} nats, '
                f'mean max-probability {self.mean_max_prob:.4f}; smallest '
                f'centroid entries {smallest}.')


class RegimeAccumulator:
    """Streaming sums for a :class:`Regime` (float64; all-reducible)."""

    def __init__(self, num_classes: int,
                 device: Optional[torch.device] = None) -> None:
        # On the model's device, so that a pass never waits for the host.
        self.stats = ClassConditionalStats(num_classes, device)
        # samples, correct, sum of -log P_x(y), sum of max_c P_x(c)
        self.sums = torch.zeros(4, dtype=self.stats.prob_sums.dtype,
                                device=device)

    def update(self, logits: torch.Tensor, labels: torch.Tensor) -> None:
        """Add logits (N, C) of samples with class labels (N,)."""
        log_p = logits.detach().double().log_softmax(1)
        labels = labels.long().view(-1).to(log_p.device)
        probs = log_p.exp()
        self.stats.update(probs, labels)
        self.sums += torch.stack([
            log_p.new_tensor(float(len(labels))),
            (log_p.argmax(1) == labels).double().sum(),
            -log_p.gather(1, labels.view(-1, 1)).sum(),
            probs.max(1).values.sum()]).to(self.sums)

    def all_reduce(self) -> None:
        """Sum over ranks (a no-op without DDP)."""
        self.stats.all_reduce()
        dist.all_reduce(self.sums, op='sum')

    def result(self, split: str, num_smallest: int = 3) -> Regime:
        """The regime of everything added so far."""
        count, correct, nll, max_prob = self.sums.tolist()
        if count <= 0:
            raise ValueError(f'No sample of the {split} split was seen: '
                             'check that its data loader is not empty.')
        return Regime(
            split=split, num_samples=int(count), accuracy=correct / count,
            cross_entropy=nll / count, cmi=self.stats.cmi(),
            mean_max_prob=max_prob / count,
            smallest_centroid_entries=_smallest_entries(
                self.stats.centroids(), self.stats.seen, num_smallest))


def _smallest_entries(centroids: torch.Tensor, seen: torch.Tensor,
                      k: int) -> List[Tuple[int, int, float]]:
    rows = seen.nonzero().flatten()
    values = centroids[rows].flatten()
    k = min(k, values.numel())
    smallest = values.topk(k, largest=False)
    width = centroids.size(1)
    return [(int(rows[i // width]), int(i % width), float(v))
            for v, i in zip(smallest.values, smallest.indices)]


def regime_from_logits(logits: torch.Tensor, labels: torch.Tensor,
                       split: str = 'test') -> Regime:
    """:class:`Regime` of logits (N, C) with class labels (N,)."""
    accumulator = RegimeAccumulator(logits.size(1), logits.device)
    accumulator.update(logits, labels)
    return accumulator.result(split)


def regime_warning(regime: Regime,
                   threshold: float = CONFIDENT_MAX_PROB) -> Optional[str]:
    """A plain warning if the teacher is near one-hot, else ``None``."""
    if regime.mean_max_prob <= threshold:
        return None
    return (
        f'The teacher is near one-hot on the {regime.split} split: mean '
        f'max-probability {regime.mean_max_prob:.3f} > {threshold}. Its '
        'class centroids put almost no mass on the other classes, so the '
        'CMI term gains most by moving mass onto classes that do not look '
        'alike. In our measured runs with teachers this confident '
        '(Fashion-MNIST, docs/results_grid.md) MCMI did not make students '
        'better. Compare against the cmi_weight-0 control '
        '(tools/mcmi_pipeline.py --control) before using this teacher, keep '
        'cmi_weight small or use CMIBudgetHook, and see '
        'docs/choosing_cmi_weight.md.')
