"""Files that appear complete or not at all.

A crash, a kill or a full disk while a file is written must never leave a
truncated file under its final name, nor replace a good file with a broken
one. Every writer here writes to a temporary file in the target's folder,
flushes it to disk and renames it over the target (``os.replace`` is atomic
on POSIX within one file system).
"""
import os
import os.path as osp
import tempfile
from contextlib import contextmanager
from typing import Any, Iterator

import torch


@contextmanager
def atomic_path(path: str) -> Iterator[str]:
    """A temporary path beside ``path``; renamed to ``path`` on success.

    Write the file at the yielded path inside the ``with`` block (directly,
    or through a subprocess). When the block exits without an exception the
    file is renamed over ``path``; when it raises, or the file was not
    written, the temporary file is removed and ``path`` is left untouched.
    Missing folders are created.

    Args:
        path (str): The file to write.

    Raises:
        FileNotFoundError: if the block completed but wrote nothing at the
            yielded path.
    """
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    stem, extension = osp.splitext(osp.basename(path))
    # The extension stays last: writers such as mmengine.dump choose the
    # format by it.
    handle, partial = tempfile.mkstemp(
        prefix=f'.{stem}.', suffix=f'.partial{extension}', dir=folder)
    os.close(handle)
    os.remove(partial)   # the writer creates it; absent = nothing written
    try:
        yield partial
        if not osp.exists(partial):
            raise FileNotFoundError(
                f'Nothing was written to {partial}, so {path} was not '
                'created: the writer did not produce its output file.')
        _flush_to_disk(partial)
        os.replace(partial, path)
    finally:
        if osp.exists(partial):
            os.remove(partial)


def _flush_to_disk(path: str) -> None:
    """fsync ``path``: its bytes are on disk before the rename makes it the
    target (else a power cut could leave the new name on empty blocks)."""
    with open(path, 'rb+') as f:
        os.fsync(f.fileno())


def save_atomic(obj: Any, path: str) -> None:
    """``torch.save(obj)`` to ``path``, atomically (see :func:`atomic_path`).
    """
    with atomic_path(path) as partial:
        torch.save(obj, partial)


def write_text_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path``, atomically (see :func:`atomic_path`)."""
    with atomic_path(path) as partial:
        with open(partial, 'w') as f:
            f.write(text)
