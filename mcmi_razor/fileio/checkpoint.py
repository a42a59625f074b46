"""Reading checkpoints without running code hidden in them.

Every checkpoint this project reads (``load_from``, ``--resume``,
``teacher_ckpt``, the tools, remote URLs) goes through
:func:`load_checkpoint`:

- the file is checked first: a missing, empty (0 bytes), truncated or
  damaged file (a zip record failing its CRC-32, e.g. a flipped bit) or one
  that is no torch checkpoint at all is a :class:`CheckpointError` naming the
  file, what is wrong and what to do;
- it is then unpickled with ``weights_only=True`` plus the allow-list of
  :mod:`.safe_types`, scoped to this load. Anything else is refused with an
  :class:`UntrustedCheckpointError` naming the offending types;
- a user who trusts a file opts in with ``--trust-checkpoint`` on any tool or
  ``MCMI_TRUST_CHECKPOINTS=1`` in the environment; the load then warns once
  per process and unpickles with ``weights_only=False``.
"""
import os
import os.path as osp
import pickle
import pickletools
import re
import threading
import warnings
import zipfile
from contextlib import contextmanager
from typing import Any, Iterator, List, Optional
from urllib.parse import urlparse

import torch

from .safe_types import safe_globals

# torch.serialization.safe_globals adds to and removes from one process-wide
# list: without this lock, a load in one thread could lose the allow-list
# when another thread's load ends (seen with two pipelines in threads).
_ALLOW_LIST_LOCK = threading.Lock()


@contextmanager
def _allow_listed() -> Iterator[None]:
    """Our allow-list in force for ``weights_only`` loads, one thread at a
    time."""
    with _ALLOW_LIST_LOCK, torch.serialization.safe_globals(safe_globals()):
        yield

#: Environment variable that trusts every checkpoint (1, true or yes).
TRUST_ENV = 'MCMI_TRUST_CHECKPOINTS'
#: The tools' flag for the same opt-in.
TRUST_FLAG = '--trust-checkpoint'
_OPT_IN = (f'If you trust this file (you wrote it, or know where it comes '
           f'from), pass {TRUST_FLAG} to the tool or set {TRUST_ENV}=1 in '
           'the environment; it is then loaded with weights_only=False.')
#: How a checkpoint of torch < 1.6 (not a zip archive) begins: the pickled
#: magic number of torch's legacy format.
_LEGACY_MAGIC = b'\x80\x02\x8a\x0al\xfc\x9cF\xf9 j\xa8P\x19'
_warned = False


class CheckpointError(ValueError):
    """A checkpoint that cannot be read: missing parts, damage, wrong kind."""


class UntrustedCheckpointError(CheckpointError):
    """A checkpoint holding types outside the allow-list (possible code)."""


def trust_checkpoints() -> None:
    """Trust every checkpoint in this process and the processes it starts.

    Sets ``MCMI_TRUST_CHECKPOINTS=1``, so the stages a tool runs as
    subprocesses (``tools/mcmi_pipeline.py``) inherit the choice.
    """
    os.environ[TRUST_ENV] = '1'


def checkpoints_trusted() -> bool:
    """Whether the user opted in to loading checkpoints unrestricted."""
    return os.environ.get(TRUST_ENV, '').strip().lower() in ('1', 'true',
                                                             'yes')


def add_trust_argument(parser) -> None:
    """Add ``--trust-checkpoint`` to an ``argparse`` parser.

    Giving the flag calls :func:`trust_checkpoints` while parsing, so a tool
    needs nothing else.
    """
    import argparse

    class _Trust(argparse.Action):

        def __call__(self, parser, namespace, values, option_string=None):
            setattr(namespace, self.dest, True)
            trust_checkpoints()

    parser.add_argument(
        TRUST_FLAG, action=_Trust, nargs=0, default=False,
        help='load checkpoints that hold types beyond tensors, containers '
        'and the allow-listed MMEngine/numpy/RepDistiller objects, with '
        f'weights_only=False (runs code in the file!); same as {TRUST_ENV}=1')


def load_checkpoint(source: str, map_location: Any = 'cpu') -> Any:
    """Load a checkpoint from a local path or an ``http(s)://`` URL.

    Args:
        source (str): A local file, or a URL (downloaded once into torch's
            hub cache, then loaded like a local file).
        map_location: As for ``torch.load``. Defaults to ``'cpu'``.

    Returns:
        The unpickled checkpoint (usually a dict).

    Raises:
        FileNotFoundError: if a local file does not exist.
        CheckpointError: if the file is empty, truncated, damaged or not a
            torch checkpoint.
        UntrustedCheckpointError: if it holds types outside the allow-list
            and the user did not opt in.
    """
    source = str(source)
    if source.startswith(('http://', 'https://')):
        return load_url(source, map_location=map_location)
    return _load_file(osp.expanduser(source), map_location, source)


def load_url(url: str, model_dir: Optional[str] = None,
             map_location: Any = None, progress: bool = True,
             check_hash: bool = False, file_name: Optional[str] = None) -> Any:
    """Download ``url`` into ``model_dir`` (torch's hub cache by default)
    unless present, then load it with :func:`load_checkpoint`'s checks.

    The signature is that of ``torch.hub.load_state_dict_from_url`` (which
    MMEngine calls for ``http(s)://``, ``torchvision://`` and
    ``open-mmlab://`` sources), without its ``weights_only=False`` default.
    """
    folder = model_dir or osp.join(torch.hub.get_dir(), 'checkpoints')
    os.makedirs(folder, exist_ok=True)
    cached = osp.join(folder,
                      file_name or osp.basename(urlparse(url).path))
    if not osp.exists(cached):
        hash_prefix = None
        if check_hash:
            match = torch.hub.HASH_REGEX.search(osp.basename(cached))
            hash_prefix = match.group(1) if match else None
        torch.hub.download_url_to_file(url, cached, hash_prefix,
                                       progress=progress)
    try:
        return _load_file(cached, map_location, url)
    except CheckpointError as error:
        raise type(error)(
            f'{error} The download is cached as {cached}: delete it to '
            'download the file again.') from None


def _load_file(path: str, map_location: Any, name: str) -> Any:
    check_checkpoint_file(path, name)
    if checkpoints_trusted():
        _warn_trusted()
        try:
            return torch.load(path, map_location=map_location,
                              weights_only=False)
        except Exception as error:  # noqa: BLE001  (any failure: explain)
            raise _unreadable(name, error) from error
    try:
        with _allow_listed():
            return torch.load(path, map_location=map_location,
                              weights_only=True)
    except pickle.UnpicklingError as error:
        if 'weights only load failed' not in str(error).lower():
            raise _unreadable(name, error) from error
        raise UntrustedCheckpointError(
            f'Checkpoint {name} was refused: it holds '
            f'{_offending(path, error)}, which no checkpoint of ours, '
            "mmpretrain's, mmrazor's or RepDistiller's contains, and "
            'unpickling it could run code hidden in the file. '
            f'{_OPT_IN}') from None
    except Exception as error:  # noqa: BLE001  (any failure: explain)
        raise _unreadable(name, error) from error


def check_checkpoint_file(path: str, name: Optional[str] = None) -> None:
    """Raise unless ``path`` is a complete torch checkpoint file.

    Checks what can be checked without unpickling: it exists, is not empty,
    is a whole zip archive (or torch < 1.6's format) and every zip record
    passes its CRC-32.

    Args:
        path (str): The local file.
        name (str, optional): How to call it in messages (e.g. its URL).

    Raises:
        FileNotFoundError: if it does not exist.
        CheckpointError: naming what is wrong and what to do.
    """
    name = name or path
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'Checkpoint {name} does not exist: check the path given to '
            '`load_from`, `--resume`, `teacher_ckpt` or the tool.')
    size = osp.getsize(path)
    if size == 0:
        raise CheckpointError(
            f'Checkpoint {name} is empty (0 bytes): a save or copy was '
            'interrupted. Use an earlier checkpoint (e.g. the previous '
            'epoch_*.pth) or write this one again.')
    with open(path, 'rb') as f:
        head = f.read(len(_LEGACY_MAGIC))
    if head.startswith(_LEGACY_MAGIC):
        return   # torch < 1.6 format: no checksums to verify
    if not zipfile.is_zipfile(path):
        if head.startswith(b'PK\x03\x04'):
            raise CheckpointError(
                f'Checkpoint {name} is truncated ({size} bytes; its zip '
                'directory, written last, is missing): a save or copy was '
                'interrupted. Use an earlier checkpoint or copy it again.')
        raise CheckpointError(
            f'{name} is not a torch checkpoint: torch.save writes a zip '
            f'archive, this file starts with {head[:12]!r}. Give the .pth '
            'file that training (or torch.save) wrote.')
    damaged = _damaged_record(path)
    if damaged:
        raise CheckpointError(
            f'Checkpoint {name} is damaged: {damaged} (a flipped bit on '
            'disk or a corrupted copy). Copy it again from its source or '
            'use an earlier checkpoint.')


def _damaged_record(path: str) -> Optional[str]:
    """The first zip record whose CRC-32 does not match, described."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.CRC == 0:
                    continue   # written with torch's CRC-32 option off
                with archive.open(info) as record:
                    while record.read(1 << 24):
                        pass
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        return f'{error}'
    return None


def _offending(path: str, error: Exception) -> str:
    """The types outside the allow-list, or torch's reason if none found."""
    try:
        with _allow_listed():
            found = torch.serialization.get_unsafe_globals_in_checkpoint(path)
    except Exception:  # noqa: BLE001  (not a zip: fall back to a scan)
        found = []
    found = found or _globals_in_pickle(path) or re.findall(
        r'GLOBAL ([\w.]+) was not an allowed global', str(error))
    if found:
        return 'the types ' + ', '.join(sorted(set(found)))
    reason = str(error).split('WeightsUnpickler error:')[-1]
    return 'an object the safe loader rejects (' + \
        reason.split('Check the documentation')[0].strip() + ')'


def _globals_in_pickle(path: str) -> List[str]:
    """``module.name`` of every global a checkpoint's pickle imports that
    is not on the allow-list (a static scan: nothing is executed)."""
    known = set(torch._weights_only_unpickler._get_allowed_globals())
    known |= {entry[1] if isinstance(entry, tuple) else
              f'{entry.__module__}.{entry.__qualname__}'
              for entry in safe_globals()}
    try:
        with zipfile.ZipFile(path) as archive:
            record = next(n for n in archive.namelist()
                          if n.endswith('data.pkl'))
            data = archive.read(record)
    except (zipfile.BadZipFile, StopIteration, OSError):
        return []
    names, pushed, memo = [], [None, None], {}
    try:
        for opcode, arg, _ in pickletools.genops(data):
            kind = opcode.name
            if kind == 'GLOBAL':
                names.append(arg.replace(' ', '.'))
            elif kind == 'STACK_GLOBAL':
                module, name = pushed[-2:]
                if isinstance(module, str) and isinstance(name, str):
                    names.append(f'{module}.{name}')
            if kind == 'MEMOIZE':
                memo[len(memo)] = pushed[-1]
            elif kind in ('BINPUT', 'LONG_BINPUT', 'PUT'):
                memo[arg] = pushed[-1]
            elif kind in ('BINGET', 'LONG_BINGET', 'GET'):
                pushed.append(memo.get(arg))
            else:
                pushed.append(arg if 'UNICODE' in kind else None)
    except (ValueError, pickle.UnpicklingError):
        pass
    return [name.replace('__builtin__.', 'builtins.') for name in names
            if name.replace('__builtin__.', 'builtins.') not in known]


def _unreadable(name: str, error: Exception) -> CheckpointError:
    return CheckpointError(
        f'Checkpoint {name} cannot be read ({type(error).__name__}: '
        f'{str(error)[:300]}). If it is damaged or not a torch checkpoint, '
        'copy it again from its source or use another checkpoint.')


def _warn_trusted() -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(
            f'{TRUST_ENV}=1 / {TRUST_FLAG}: checkpoints are loaded with '
            'weights_only=False, which runs any code they contain. Use it '
            'only for files you trust.', stacklevel=3)
