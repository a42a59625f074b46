"""HeldOutDataset: a validation split carved out of a training set.

Fashion-MNIST and CIFAR ship a training and a test set only. Choosing a
schedule (or anything else) on the test set makes the reported test numbers
optimistic, so experiments validate on a class-balanced part of the
training set that no model trains on: ``part='val'`` is that part,
``part='train'`` the rest. The two parts of the same ``fraction`` and
``seed`` are disjoint and together are the whole set.
"""
from typing import List

from mcmi_razor.registry import DATASETS

from .class_subset import ClassSubsetDataset
from .few_shot import check_fraction, check_seed, class_balanced_choice

PARTS = ('train', 'val')


@DATASETS.register_module()
class HeldOutDataset(ClassSubsetDataset):
    """One side of a seeded, class-balanced train/validation split.

    The validation side keeps ``max(1, round(fraction * n_c))`` samples of
    each class ``c``, chosen as :class:`FewShotDataset` chooses them; the
    training side keeps the others. Wrap the training side in
    ``FewShotDataset`` / ``ZeroShotDataset`` for few- and zero-shot data.

    Args:
        dataset (BaseDataset | dict): A single-label training set, or its
            config.
        fraction (float): Share of each class held out for validation, in
            (0, 1).
        part (str): ``'val'`` (the held-out samples) or ``'train'`` (the
            rest).
        seed (int): Non-negative seed of the split. Defaults to 0.
        lazy_init (bool): Defer the split to ``full_init``. Defaults to
            False.
    """

    def __init__(self,
                 dataset,
                 fraction: float,
                 part: str,
                 seed: int = 0,
                 lazy_init: bool = False):
        self.fraction = check_fraction(
            'HeldOutDataset', fraction, include_one=False,
            example='e.g. fraction=0.1 holds out 10% of each class for '
            'validation')
        if part not in PARTS:
            raise ValueError(f'HeldOutDataset: part must be one of {PARTS}, '
                             f'got {part!r}.')
        self.part = part
        self.seed = check_seed('HeldOutDataset', seed)
        super().__init__(dataset, lazy_init=lazy_init)

    def _select_indices(self) -> List[int]:
        cat_ids = self._all_cat_ids()
        held_out = class_balanced_choice(cat_ids, self.fraction, self.seed,
                                         type(self).__name__)
        if self.part == 'val':
            return held_out
        return sorted(set(range(len(cat_ids))) - set(held_out))

    def _describe(self) -> str:
        return (f'part={self.part!r} of a {self.fraction:g} validation '
                f'split, seed={self.seed}')
