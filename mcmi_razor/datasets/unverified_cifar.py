"""CIFAR readers for test fixtures: the real loading code without md5 checks.

mmpretrain's ``CIFAR10`` / ``CIFAR100`` accept only files whose md5 matches
the original archives, and download them otherwise. That check protects real
data and stays on there. Fixtures written by
:func:`mcmi_razor.testing.write_cifar` have the real layout but other bytes,
so these opt-in subclasses drop the md5 sums and never download; everything
else (file names, pickle keys, image decoding, class names) is mmpretrain's
own code.
"""
from pathlib import Path
from typing import List, Optional

from mmpretrain.datasets import CIFAR10, CIFAR100

from mcmi_razor.registry import DATASETS


def _without_md5(file_list: List[list]) -> List[list]:
    return [[name, None] for name, _ in file_list]


class _FixtureCIFARMixin:
    """Shared ``__init__`` and error of the Unverified CIFAR classes.

    A subclass is declared as ``class X(_FixtureCIFARMixin, Verified)`` with
    ``Verified`` an md5-checked mmpretrain class; it gets that class's file
    list and meta without the md5 sums.
    """

    verified_type: str  # the md5-checked class to use for real data

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        verified = cls.__bases__[1]
        cls.verified_type = verified.__name__
        cls.train_list = _without_md5(verified.train_list)
        cls.test_list = _without_md5(verified.test_list)
        cls.meta = {**verified.meta, 'md5': None}

    def __init__(self,
                 data_root: str = '',
                 split: str = 'train',
                 metainfo: Optional[dict] = None,
                 download: bool = False,
                 data_prefix: str = '',
                 test_mode: bool = False,
                 **kwargs):
        if download:
            raise ValueError(
                f'{self.__class__.__name__} reads test fixtures and never '
                'downloads: set download=False, or use '
                f'type={self.verified_type!r} for the real data (md5-checked, '
                'can download).')
        super().__init__(
            data_root=data_root,
            split=split,
            metainfo=metainfo,
            download=False,
            data_prefix=data_prefix,
            test_mode=test_mode,
            **kwargs)

    def load_data_list(self):
        """Check the fixture files exist, then load them as mmpretrain does."""
        root = self.data_prefix['root']
        missing = [
            str(Path(root, self.base_folder, name))
            for name, _ in self.train_list + self.test_list
            if not Path(root, self.base_folder, name).exists()
        ]
        if missing:
            num_classes = len(self.metainfo['classes'])
            raise FileNotFoundError(
                f'{self.__class__.__name__} found no fixture at '
                f'{root!r}; missing: {", ".join(missing)}. Write one with '
                f'`python tools/misc/make_cifar_fixture.py {root} '
                f'--num-classes {num_classes}` (or '
                f'mcmi_razor.testing.write_cifar), or set data_root.')
        return super().load_data_list()


@DATASETS.register_module()
class UnverifiedCIFAR10(_FixtureCIFARMixin, CIFAR10):
    """mmpretrain's ``CIFAR10`` without md5 checks, for test fixtures only.

    Reads the files of :func:`mcmi_razor.testing.write_cifar` (or any copy
    of the CIFAR-10 python layout) without comparing them to the original
    archive's md5 sums, and never downloads. For the real data use
    ``CIFAR10``, which keeps the check.

    Args:
        data_root (str): Folder holding ``cifar-10-batches-py``.
        split (str): ``'train'`` or ``'test'``. Defaults to ``'train'``.
        metainfo (dict, optional): Overrides the class names.
        download (bool): Must be False (the default).
        data_prefix (str): As in mmpretrain's ``CIFAR10``.
        test_mode (bool): As in mmpretrain's ``CIFAR10``.
        **kwargs: Other keyword arguments of mmpretrain's ``BaseDataset``.
    """


@DATASETS.register_module()
class UnverifiedCIFAR100(_FixtureCIFARMixin, CIFAR100):
    """mmpretrain's ``CIFAR100`` without md5 checks, for test fixtures only.

    As :class:`UnverifiedCIFAR10` (same arguments), for the CIFAR-100 python
    layout: ``data_root`` holds ``cifar-100-python``. For the real data use
    ``CIFAR100``, which keeps the check.
    """
