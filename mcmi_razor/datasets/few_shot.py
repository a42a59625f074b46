"""FewShotDataset: a class-balanced, seeded fraction of a training set."""
import numbers
from collections import defaultdict
from typing import List, Sequence

import numpy as np

from mcmi_razor.registry import DATASETS

from .class_subset import ClassSubsetDataset


def check_fraction(owner: str, fraction, include_one: bool,
                   example: str) -> float:
    """``fraction`` as a float, or a ValueError naming ``owner``, the
    interval ((0, 1] with ``include_one``, else (0, 1)) and ``example``."""
    interval = '(0, 1]' if include_one else '(0, 1)'
    if (isinstance(fraction, bool) or not isinstance(fraction, numbers.Real)
            or not 0 < fraction <= 1 or (fraction == 1 and not include_one)):
        raise ValueError(f'{owner}: fraction must be a number in {interval}, '
                         f'got {fraction!r}; {example}.')
    return float(fraction)


def check_seed(owner: str, seed) -> int:
    """``seed`` as an int, or a ValueError naming ``owner``."""
    if (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)
            or seed < 0):
        raise ValueError(
            f'{owner}: seed must be an integer >= 0, got {seed!r}.')
    return int(seed)


def class_balanced_choice(all_cat_ids: Sequence[Sequence[int]],
                          fraction: float, seed: int,
                          owner: str) -> List[int]:
    """Indices of ``max(1, round(fraction * n_c))`` samples of each class c.

    The permutation of class ``c`` comes from
    ``numpy.random.default_rng([seed, c])``; the result is ascending.
    ``owner`` names the caller in errors.
    """
    by_class = defaultdict(list)
    for idx, cat_ids in enumerate(all_cat_ids):
        if len(cat_ids) != 1:
            raise ValueError(
                f'{owner} needs a single-label dataset, but sample '
                f'{idx} has categories {list(cat_ids)}.')
        by_class[cat_ids[0]].append(idx)
    if not by_class:
        raise ValueError(f'{owner}: the wrapped dataset is empty; '
                         'check its data_root and split.')
    kept = []
    for label in sorted(by_class):
        members = np.asarray(by_class[label])
        keep = max(1, round(fraction * len(members)))
        order = np.random.default_rng([seed, label]).permutation(
            len(members))
        kept.extend(members[order[:keep]].tolist())
    return sorted(kept)


@DATASETS.register_module()
class FewShotDataset(ClassSubsetDataset):
    """Keep the same fraction of every class, chosen at random with a seed.

    For each class ``c`` with ``n_c`` samples in the wrapped dataset, keeps
    ``k_c = max(1, round(fraction * n_c))`` of them (Python's ``round``:
    halves go to the even neighbour, so 2.5 -> 2 and 3.5 -> 4; a class is
    never emptied). Which ones is decided by a permutation from
    ``numpy.random.default_rng([seed, c])``: the choice depends only on
    ``seed``, the class and that class's samples, so it is the same in
    every process and every run, and does not change when other classes
    change. Kept samples stay in the wrapped dataset's order.

    CIFAR-100 (500 training images per class) at ``fraction=0.05`` keeps 25
    images of each class, 2,500 in all.

    Note:
        The official MCMI code takes the *first* ``fraction`` of the training
        set, which is not class-balanced (and depends on the file order).
        This wrapper is balanced and seeded on purpose, so numbers will not
        match the official few-shot logs sample for sample.

    Args:
        dataset (BaseDataset | dict): A single-label classification dataset,
            or its config (e.g. ``dict(type='CIFAR100', ...)``).
        fraction (float): Share of each class to keep, in (0, 1]. 1.0 keeps
            everything.
        seed (int): Non-negative seed of the choice. Defaults to 0.
        lazy_init (bool): Defer the choice to ``full_init``. Defaults to
            False.
    """

    def __init__(self,
                 dataset,
                 fraction: float,
                 seed: int = 0,
                 lazy_init: bool = False):
        self.fraction = check_fraction(
            'FewShotDataset', fraction, include_one=True,
            example='e.g. fraction=0.05 keeps 5% of each class, 1.0 keeps '
            'everything')
        self.seed = check_seed('FewShotDataset', seed)
        super().__init__(dataset, lazy_init=lazy_init)

    def _select_indices(self) -> List[int]:
        return class_balanced_choice(self._all_cat_ids(), self.fraction,
                                     self.seed, type(self).__name__)

    def _describe(self) -> str:
        return f'fraction={self.fraction}, seed={self.seed}'
