"""The shared base of our student-data wrappers: a fixed subset of samples.

Like mmengine's ``ClassBalancedDataset``, a wrapper takes any classification
dataset, by object or by config, and initialises lazily: the wrapped dataset
is built in ``__init__`` (so ``metainfo`` is known and arguments can be
checked early), the subset is chosen in ``full_init``.
"""
import copy
import logging
from typing import List, Sequence, Union

from mmengine.dataset import force_full_init
from mmengine.logging import print_log

from mcmi_razor.registry import DATASETS


def build_wrapped_dataset(dataset):
    """Build ``dataset`` if it is a config, else return it unchanged.

    The config is built through our ``DATASETS`` node. Under a default scope
    this is the same lookup as mmengine's root ``DATASETS.build`` (both
    switch to the registry of the current default scope, so
    ``type='CIFAR100'`` means mmpretrain's class in an mmpretrain- or
    mcmi_razor-scoped config); without a default scope it falls back to the
    mcmi_razor node instead of mmengine's root, which knows no dataset.
    """
    if isinstance(dataset, dict):
        return DATASETS.build(dataset)
    if hasattr(dataset, 'get_cat_ids') and hasattr(dataset, 'metainfo'):
        return dataset
    raise TypeError('dataset must be a config dict or a dataset with '
                    f'`get_cat_ids` and `metainfo`, got {type(dataset)}.')


class ClassSubsetDataset:
    """A fixed subset of a wrapped dataset's samples, labels unchanged.

    Subclasses implement :meth:`_select_indices` and may check their
    arguments in :meth:`_prepare`.

    Args:
        dataset (BaseDataset | dict): The dataset, or its config.
        lazy_init (bool): Defer choosing the subset to the first
            ``full_init`` (the runner calls it). Defaults to False.
    """

    def __init__(self, dataset, lazy_init: bool = False):
        self.dataset = build_wrapped_dataset(dataset)
        self._metainfo = self.dataset.metainfo
        self._prepare()
        self._fully_initialized = False
        if not lazy_init:
            self.full_init()

    @property
    def metainfo(self) -> dict:
        """The wrapped dataset's meta information, classes unchanged, so
        label indices keep their original meaning."""
        return copy.deepcopy(self._metainfo)

    def full_init(self) -> None:
        """Initialise the wrapped dataset, then choose the subset."""
        if self._fully_initialized:
            return
        if hasattr(self.dataset, 'full_init'):
            self.dataset.full_init()
        # Indices of the kept samples in the wrapped dataset, ascending.
        self.indices: List[int] = self._select_indices()
        self._fully_initialized = True
        print_log(
            f'{self.__class__.__name__}: {len(self.indices)} of '
            f'{len(self.dataset)} samples ({self._describe()}).',
            logger='current',
            level=logging.INFO)

    def _prepare(self) -> None:
        """Check arguments against ``self.metainfo``; runs in ``__init__``."""

    def _select_indices(self) -> List[int]:
        """Indices of the kept samples in the wrapped dataset, ascending."""
        raise NotImplementedError

    def _describe(self) -> str:
        """A short account of the arguments, for the log."""
        return ''

    def _all_cat_ids(self) -> List[List[int]]:
        """Category ids of every sample of the wrapped dataset."""
        return [
            list(self.dataset.get_cat_ids(idx))
            for idx in range(len(self.dataset))
        ]

    @force_full_init
    def get_cat_ids(self, idx: int) -> List[int]:
        """Category ids of sample ``idx`` (original label indices)."""
        return self.dataset.get_cat_ids(self.indices[idx])

    @force_full_init
    def get_data_info(self, idx: int) -> dict:
        """Annotation of sample ``idx``, as the wrapped dataset gives it."""
        return self.dataset.get_data_info(self.indices[idx])

    def __getitem__(self, idx: int):
        if not self._fully_initialized:
            print_log(
                'Please call `full_init` method manually to accelerate '
                'the speed.',
                logger='current',
                level=logging.WARNING)
            self.full_init()
        return self.dataset[self.indices[idx]]

    @force_full_init
    def __len__(self) -> int:
        return len(self.indices)

    def get_subset_(self, indices: Union[Sequence[int], int]) -> None:
        """Not supported: take subsets of the wrapped dataset instead."""
        raise NotImplementedError(
            f'{self.__class__.__name__} does not support `get_subset_`; '
            'call it on the wrapped dataset before wrapping.')

    def get_subset(self, indices: Union[Sequence[int], int]):
        """Not supported: take subsets of the wrapped dataset instead."""
        raise NotImplementedError(
            f'{self.__class__.__name__} does not support `get_subset`; '
            'call it on the wrapped dataset before wrapping.')
