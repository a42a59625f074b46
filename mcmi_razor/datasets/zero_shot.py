"""ZeroShotDataset: a training set with some classes left out entirely."""
import numbers
from typing import List, Sequence, Tuple, Union

from mcmi_razor.registry import DATASETS

from .class_subset import ClassSubsetDataset


@DATASETS.register_module()
class ZeroShotDataset(ClassSubsetDataset):
    """Drop every sample of the omitted classes from the wrapped dataset.

    This is the student's training data in the zero-shot experiment: the
    student never sees the omitted classes and can only learn about them
    from the teacher's soft labels. Wrap only ``train_dataloader.dataset``;
    keep the validation and test sets complete, so the accuracy on the
    omitted classes is measured. ``metainfo`` (classes included) is the
    wrapped dataset's, so the label indices, and the classifier's outputs,
    keep their original meaning. A sample with several labels is dropped
    if any of them is omitted.

    Args:
        dataset (BaseDataset | dict): A classification dataset, or its
            config (e.g. ``dict(type='CIFAR10', ...)``).
        omit_classes (Sequence[int | str]): Classes to leave out, by index
            or by name (as in ``metainfo['classes']``), e.g. ``['cat', 5]``.
        lazy_init (bool): Defer filtering to ``full_init``. Defaults to
            False.

    Attributes:
        omitted_classes (tuple[int]): The omitted class indices, ascending.
    """

    def __init__(self,
                 dataset,
                 omit_classes: Sequence[Union[int, str]],
                 lazy_init: bool = False):
        if isinstance(omit_classes, (str, numbers.Integral)):
            omit_classes = [omit_classes]
        self.omit_classes = list(omit_classes)
        if not self.omit_classes:
            raise ValueError(
                'ZeroShotDataset: omit_classes is empty; name at least one '
                'class to omit, or use the dataset without this wrapper.')
        super().__init__(dataset, lazy_init=lazy_init)

    def _prepare(self) -> None:
        self.omitted_classes = self._resolve(self.omit_classes)

    def _resolve(self, omit_classes: list) -> Tuple[int, ...]:
        classes = self._metainfo.get('classes')
        classes = list(classes) if classes is not None else None
        resolved, unknown = set(), []
        for item in omit_classes:
            if isinstance(item, str):
                if classes is not None and item in classes:
                    resolved.add(classes.index(item))
                else:
                    unknown.append(item)
            elif (isinstance(item, numbers.Integral)
                  and not isinstance(item, bool) and item >= 0
                  and (classes is None or item < len(classes))):
                resolved.add(int(item))
            else:
                unknown.append(item)
        if unknown:
            if classes is None:
                valid = ('class indices >= 0 only: the wrapped dataset has '
                         "no metainfo['classes'] to look names up in")
            else:
                valid = (f'indices 0-{len(classes) - 1} or names '
                         f'{", ".join(map(repr, classes))}')
            raise ValueError(
                f'ZeroShotDataset: unknown classes in omit_classes: '
                f'{unknown}. Valid: {valid}.')
        return tuple(sorted(resolved))

    def _select_indices(self) -> List[int]:
        omitted = set(self.omitted_classes)
        kept = [
            idx for idx, cat_ids in enumerate(self._all_cat_ids())
            if not omitted.intersection(cat_ids)
        ]
        if not kept:
            raise ValueError(
                'ZeroShotDataset: no sample is left after omitting classes '
                f'{list(self.omitted_classes)}; omit fewer classes (the '
                f'wrapped dataset has {len(self.dataset)} samples).')
        return kept

    def _describe(self) -> str:
        return f'omitted classes {list(self.omitted_classes)}'
