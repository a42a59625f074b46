"""Count device-to-host reads, to pin that a loop does none per batch.

On a CPU-only machine a ``.cpu()`` is free, so timing cannot see it; this
counts the calls instead: ``Tensor.cpu``, ``.numpy``, ``.tolist``, ``.to``
to the host (or to the string ``'cpu'``), and every scalar read
(``.item()``, ``bool(t)``, ``int(t)``, ...; they all dispatch
``aten._local_scalar_dense``). On a GPU each of these is a copy and a
sync. Each read is recorded with the first calling file outside torch, so
a test can keep to reads made by this package (the data preprocessor's
``.to(device)`` is a host-to-device copy that looks the same on a CPU).
On a CUDA device, :func:`cuda_syncs` records what CUDA itself reports:
every operation that waits for the device.
"""
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Tuple

import torch
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import TorchDispatchMode

PACKAGE = Path(__file__).resolve().parents[1]
_TORCH = str(Path(torch.__file__).parent)


def _caller() -> str:
    frame = sys._getframe(2)
    while frame is not None and (frame.f_code.co_filename.startswith(_TORCH)
                                 or frame.f_code.co_filename == __file__):
        frame = frame.f_back
    return '' if frame is None else frame.f_code.co_filename


class _ScalarReads(TorchDispatchMode):

    def __init__(self, calls: List[Tuple[str, str]]) -> None:
        super().__init__()
        self.calls = calls

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if func is torch.ops.aten._local_scalar_dense.default:
            self.calls.append(('item', _caller()))
        return func(*args, **(kwargs or {}))


def _to_host(tensor: torch.Tensor, args, kwargs) -> bool:
    """A ``.to`` that copies to the host, or names it as a string."""
    device = kwargs.get('device', args[0] if args else None)
    if isinstance(device, str):
        return torch.device(device).type == 'cpu'
    return (isinstance(device, torch.device) and device.type == 'cpu'
            and tensor.device.type != 'cpu')


def in_package(calls: List[Tuple[str, str]]) -> List[Tuple[str, str]]:
    """The reads made from files of this package."""
    return [call for call in calls if Path(call[1]).is_relative_to(PACKAGE)]


class _NamedReads(TorchFunctionMode):
    """Records the tensor methods that read to the host by name."""

    NAMES = ('cpu', 'numpy', 'tolist', 'to')

    def __init__(self, calls: List[Tuple[str, str]]) -> None:
        super().__init__()
        self.calls = calls

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = getattr(func, '__name__', '')
        if name in self.NAMES and (name != 'to'
                                   or _to_host(args[0], args[1:], kwargs)):
            self.calls.append((name, _caller()))
        return func(*args, **kwargs)


@contextmanager
def count_host_transfers() -> Iterator[List[Tuple[str, str]]]:
    """Yield a list that collects (kind, calling file) per host read.

    Torch's own interception modes observe the calls; nothing is patched.
    """
    calls: List[Tuple[str, str]] = []
    with _NamedReads(calls), _ScalarReads(calls):
        yield calls


@contextmanager
def cuda_syncs() -> Iterator[List[Tuple[str, str]]]:
    """Yield a list that collects ('sync', calling file) for every CUDA
    operation inside that synchronises with the device (a host read, a
    blocking copy), from torch's sync debug mode."""
    calls: List[Tuple[str, str]] = []
    previous = torch.cuda.get_sync_debug_mode()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        torch.cuda.set_sync_debug_mode('warn')
        try:
            yield calls
        finally:
            torch.cuda.set_sync_debug_mode(previous)
    calls += [('sync', w.filename) for w in caught
              if 'synchroniz' in str(w.message)]
