"""Unzip Debian's Fashion-MNIST into the layout mmpretrain reads.

Debian's ``dataset-fashion-mnist`` installs the four gzipped IDX files in
``/usr/share/datasets/fashion-mnist/``; mmpretrain's ``FashionMNIST`` reads
them unzipped, directly under its ``data_root`` (``data/fashion_mnist`` in
our configs). Used by ``tools/demo.sh``::

    python -m mcmi_razor.utils.fashion_mnist_files SOURCE_DIR TARGET_DIR
"""
import argparse
import gzip
import os
import os.path as osp
import shutil
import struct
import sys
from typing import List

from mcmi_razor.fileio import atomic_path

DEBIAN_DIR = '/usr/share/datasets/fashion-mnist'
# file stem -> (IDX magic number, number of items)
FILES = {
    'train-images-idx3-ubyte': (0x803, 60000),
    'train-labels-idx1-ubyte': (0x801, 60000),
    't10k-images-idx3-ubyte': (0x803, 10000),
    't10k-labels-idx1-ubyte': (0x801, 10000),
}


def idx_header(path: str) -> tuple:
    """(magic, number of items) of an uncompressed IDX file."""
    with open(path, 'rb') as f:
        return struct.unpack('>II', f.read(8))


def is_prepared(target: str, expect_full: bool = True) -> bool:
    """True if ``target`` holds the four IDX files with valid headers (and,
    with ``expect_full``, the full 60,000 / 10,000 items)."""
    for stem, (magic, count) in FILES.items():
        path = osp.join(target, stem)
        if not osp.isfile(path):
            return False
        found_magic, found_count = idx_header(path)
        if found_magic != magic or (expect_full and found_count != count):
            return False
    return True


def prepare_fashion_mnist(source: str, target: str,
                          expect_full: bool = True) -> List[str]:
    """Gunzip ``source/<stem>.gz`` into ``target/<stem>`` for the 4 files.

    Each file is written to a temporary name and renamed when complete, so
    an interrupted run never leaves a truncated file behind. Files already
    valid in ``target`` are kept.

    Args:
        source (str): folder of the ``.gz`` files (Debian's by default).
        target (str): the data root, created if missing.
        expect_full (bool): require the full 60,000 / 10,000 items
            (False for test fixtures).

    Returns:
        list[str]: the files written (empty if all were there).

    Raises:
        FileNotFoundError: a ``.gz`` file is missing, with what to install.
        ValueError: a file is not the IDX file it should be.
    """
    missing = [f'{stem}.gz' for stem in FILES
               if not osp.isfile(osp.join(source, f'{stem}.gz'))]
    if missing and not is_prepared(target, expect_full):
        raise FileNotFoundError(
            f'Fashion-MNIST: {", ".join(missing)} not found in {source}. '
            'On Debian/Ubuntu: sudo apt-get install dataset-fashion-mnist '
            f'(installs them in {DEBIAN_DIR}); elsewhere, download the four '
            '.gz files from https://github.com/zalandoresearch/fashion-mnist '
            'into a folder and pass it as the source.')
    os.makedirs(target, exist_ok=True)
    written = []
    for stem, (magic, count) in FILES.items():
        path = osp.join(target, stem)
        if osp.isfile(path) and _valid(path, magic, count, expect_full):
            continue
        with atomic_path(path) as partial:
            with gzip.open(osp.join(source, f'{stem}.gz'), 'rb') as src, \
                    open(partial, 'wb') as dst:
                shutil.copyfileobj(src, dst)
            if not _valid(partial, magic, count, expect_full):
                found = idx_header(partial)
                raise ValueError(
                    f'{source}/{stem}.gz is not the Fashion-MNIST file '
                    f'expected (IDX magic {magic:#x}, {count} items); its '
                    f'header says magic {found[0]:#x}, {found[1]} items.')
        written.append(path)
    return written


def _valid(path: str, magic: int, count: int, expect_full: bool) -> bool:
    found_magic, found_count = idx_header(path)
    return found_magic == magic and (not expect_full or found_count == count)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('source', nargs='?', default=DEBIAN_DIR)
    parser.add_argument('target', nargs='?', default='data/fashion_mnist')
    parser.add_argument('--allow-small', action='store_true',
                        help='accept files with fewer items (fixtures)')
    args = parser.parse_args(argv)
    try:
        written = prepare_fashion_mnist(args.source, args.target,
                                        expect_full=not args.allow_small)
    except (FileNotFoundError, ValueError) as error:
        print(f'error: {error}', file=sys.stderr)
        return 1
    print(f'Fashion-MNIST ready in {args.target} '
          f'({len(written)} file(s) written).')
    return 0


if __name__ == '__main__':
    sys.exit(main())
