"""Fail early, and helpfully, when a config's data files are missing.

Without this, a missing CIFAR folder surfaces deep inside the runner as
mmpretrain's "Cannot find CIFAR100 dataset ..., you can specify
`download=True`", which is no help on a machine without internet. Our tools
call :func:`check_data_root` before they build the runner.
"""
import os
from typing import Dict, Iterator, List, Optional, Tuple

from mmpretrain.datasets import CIFAR10, MNIST, FashionMNIST
from mmpretrain.datasets.utils import rm_suffix

from mcmi_razor.registry import DATASETS

from .unverified_cifar import UnverifiedCIFAR10, UnverifiedCIFAR100

DATALOADER_KEYS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
CIFAR_PAGE = 'https://www.cs.toronto.edu/~kriz/cifar.html'
DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist'


def check_data_root(cfg) -> None:
    """Raise if a dataloader of ``cfg`` reads files that are not there.

    Looks at the datasets of ``train_dataloader``, ``val_dataloader`` and
    ``test_dataloader``, including datasets nested in wrappers
    (``dataset=dict(...)``, ``datasets=[...]``). Only datasets whose class
    is, or derives from, mmpretrain's ``CIFAR10`` (so ``CIFAR100`` and our
    ``Unverified*`` too) or ``MNIST`` (so ``FashionMNIST``) are checked, and
    only for the existence of the files those classes open: md5 sums are
    still checked by the classes themselves. Remote roots (``s3://...``)
    and unknown types are skipped.

    Args:
        cfg (Config | dict): A full config, e.g. from ``Config.fromfile``.

    Raises:
        FileNotFoundError: One message covering every missing data root:
            the dataset type, the config keys using it, each expected file
            as an absolute path, and how to get the data.
    """
    problems: Dict[Tuple[type, str], dict] = {}
    for loader_key in DATALOADER_KEYS:
        loader = cfg.get(loader_key)
        if not isinstance(loader, dict):
            continue
        for key, dataset_cfg in _dataset_cfgs(
                loader.get('dataset'), f'{loader_key}.dataset'):
            dataset_cls = _dataset_class(dataset_cfg.get('type'))
            root = _data_root(dataset_cfg)
            if dataset_cls is None or root is None:
                continue
            expected = expected_files(dataset_cls, root)
            missing = [path for path in expected if not os.path.exists(path)]
            if not missing:
                continue
            problem = problems.setdefault(
                (dataset_cls, os.path.abspath(root)),
                dict(root=root, missing=missing, keys=[]))
            problem['keys'].append(key)
    if problems:
        raise FileNotFoundError('\n\n'.join(
            _describe(dataset_cls, **problem)
            for (dataset_cls, _), problem in problems.items()))


def expected_files(dataset_cls: type, root: str) -> List[str]:
    """Absolute paths of the files ``dataset_cls`` opens under ``root``.

    Args:
        dataset_cls (type): A dataset class.
        root (str): Its resolved data root (``data_root`` joined with
            ``data_prefix``).

    Returns:
        list[str]: Empty for classes this module does not know.
    """
    if issubclass(dataset_cls, CIFAR10):
        names = [
            os.path.join(dataset_cls.base_folder, name)
            for name, _ in dataset_cls.train_list + dataset_cls.test_list
        ]
    elif issubclass(dataset_cls, MNIST):
        names = [
            rm_suffix(name)
            for name, _ in dataset_cls.train_list + dataset_cls.test_list
        ]
    else:
        return []
    return [os.path.abspath(os.path.join(root, name)) for name in names]


def _dataset_cfgs(dataset_cfg, key: str) -> Iterator[Tuple[str, dict]]:
    """Yield ``(config key, dataset config)`` for a dataset and its inner
    datasets, outermost first."""
    if not isinstance(dataset_cfg, dict):
        return
    yield key, dataset_cfg
    yield from _dataset_cfgs(dataset_cfg.get('dataset'), f'{key}.dataset')
    inner = dataset_cfg.get('datasets')
    if isinstance(inner, (list, tuple)):
        for i, item in enumerate(inner):
            yield from _dataset_cfgs(item, f'{key}.datasets.{i}')


def _dataset_class(dataset_type) -> Optional[type]:
    if isinstance(dataset_type, type):
        return dataset_type
    if isinstance(dataset_type, str):
        return DATASETS.get(dataset_type)
    return None


def _data_root(dataset_cfg: dict) -> Optional[str]:
    """The folder the dataset reads, as mmengine's ``BaseDataset`` joins
    ``data_root`` and ``data_prefix``; None for remote storage."""
    data_root = dataset_cfg.get('data_root') or ''
    prefix = dataset_cfg.get('data_prefix') or ''
    if isinstance(prefix, dict):
        prefix = prefix.get('root', '')
    if not isinstance(data_root, str) or not isinstance(prefix, str):
        return None
    # An absolute prefix replaces data_root, as in os.path.join.
    root = os.path.join(data_root, prefix) if prefix else data_root
    return None if '://' in root else root


def _describe(dataset_cls: type, root: str, missing: List[str],
              keys: List[str]) -> str:
    name = dataset_cls.__name__
    lines = [
        f'{name} data not found (used by {", ".join(keys)}; '
        f'data_root {root!r}, i.e. {os.path.abspath(root)}).',
        'Expected these files, which are missing:',
        *[f'    {path}' for path in missing],
        _how_to_get(dataset_cls, root),
        'Or, if the data is elsewhere, point the config at it:',
        '    --cfg-options ' +
        ' '.join(f'{key}.data_root=/path/to/data' for key in keys),
    ]
    return '\n'.join(lines)


def _how_to_get(dataset_cls: type, root: str) -> str:
    if hasattr(dataset_cls, 'how_to_get'):  # a data set made locally
        return dataset_cls.how_to_get(root)
    if issubclass(dataset_cls, (UnverifiedCIFAR10, UnverifiedCIFAR100)):
        num_classes = len(dataset_cls.METAINFO['classes'])
        return ('This type reads test fixtures. Write one with\n'
                f'    python tools/misc/make_cifar_fixture.py {root} '
                f'--num-classes {num_classes}\n'
                f'or use type={dataset_cls.verified_type!r} for the real '
                'data.')
    if issubclass(dataset_cls, CIFAR10):
        archive = dataset_cls.filename
        first = os.path.join(root, dataset_cls.base_folder,
                             dataset_cls.train_list[0][0])
        return ('To get it, download the python version of the data set, '
                f'{dataset_cls.url} (listed on {CIFAR_PAGE}), and extract '
                f'it into {root}, so that {first} exists:\n'
                f'    mkdir -p {root} && tar -xzf {archive} -C {root}')
    if issubclass(dataset_cls, FashionMNIST):
        names = ' '.join(
            rm_suffix(name)
            for name, _ in dataset_cls.train_list + dataset_cls.test_list)
        return ('To get it, install the Debian package and unzip its IDX '
                f'files into {root}:\n'
                '    apt-get install -y dataset-fashion-mnist\n'
                f'    mkdir -p {root} && for f in {names}; do gunzip -c '
                f'{DEBIAN_FASHION_MNIST}/$f.gz > {root}/$f; done')
    names = ', '.join(name for name, _ in dataset_cls.train_list +
                      dataset_cls.test_list)
    return (f'To get it, download {names} from {dataset_cls.url_prefix} and '
            f'gunzip them into {root} (or set download=True where the '
            'network allows it).')
