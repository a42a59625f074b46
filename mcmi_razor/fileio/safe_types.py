"""The types a checkpoint may contain beyond torch's own ``weights_only`` set.

``torch.load(weights_only=True)`` rebuilds tensors, containers and plain
Python values only, so loading cannot run code hidden in the file. The
checkpoints this project reads also hold a few other objects; each entry
below is one of them, found by loading real checkpoints and listing what
``weights_only`` rejected (``tests/fileio/test_safe_types.py`` writes them
with the real runner and checks that every entry is needed):

- ``mmengine.logging.HistoryBuffer``: MMEngine's ``message_hub`` keeps one
  per logged scalar (loss, lr, accuracy, ...) in every runner checkpoint.
  Rebuilding it sets three attributes (two arrays and an int).
- ``getattr``, restricted to :func:`history_buffer_statistic`: a
  ``HistoryBuffer`` pickles its statistics methods (``min``, ``max``,
  ``current``, ``mean``) as ``getattr(HistoryBuffer, 'min')``. The stand-in
  resolves exactly those names on exactly that class and refuses the rest, so
  the general ``getattr`` never runs.
- ``numpy.ndarray``, ``numpy.dtype``, ``numpy.dtypes.Float64DType`` and
  ``Int64DType``, ``numpy._core.multiarray._reconstruct`` and ``scalar``: the
  buffer's history arrays (float64 values, int64 counts) and numpy scalars
  in the message hub's runtime info. ``_reconstruct`` only allocates an
  array of an allowed class; ``scalar`` builds a number from its bytes.
- ``bytes``: pickle protocol 2 (torch's default) writes an empty byte
  string as the call ``bytes()``; an empty array's data is one (a
  ``HistoryBuffer`` that has logged nothing yet). ``bytes`` only builds a
  byte string.
- the same two functions under their numpy 1.x names
  (``numpy.core.multiarray.*``): checkpoints written before numpy 2, which
  includes most mmpretrain and mmrazor training runs, name them so.
- ``argparse.Namespace``: RepDistiller and the official MCMI code save their
  command-line options as ``{'opt': Namespace, 'model': ...}``. Rebuilding
  one only sets attributes, whose values are vetted like everything else.

Our own ``mcmi_centroids`` entry (dicts of tensors), optimizer and scheduler
states, meta data and mmrazor's distiller states need nothing beyond
torch's default set.
"""
import argparse
import pickle
from typing import Any, Callable, List, Tuple, Union

import numpy as np
from mmengine.logging import HistoryBuffer
from numpy._core import multiarray

SafeGlobal = Union[Callable, Tuple[Callable, str]]

#: HistoryBuffer's built-in statistics; ``register_statistics`` adds more.
_STATISTICS = ('current', 'max', 'mean', 'min')


def history_buffer_statistic(owner: Any, name: str) -> Callable:
    """``getattr`` as a checkpoint may use it: HistoryBuffer statistics only.

    Raises:
        pickle.UnpicklingError: for any other object or attribute.
    """
    allowed = set(_STATISTICS) | set(HistoryBuffer._statistics_methods)
    if owner is HistoryBuffer and name in allowed:
        return getattr(owner, name)
    raise pickle.UnpicklingError(
        f'getattr({getattr(owner, "__qualname__", type(owner).__name__)}, '
        f'{name!r}) is not allowed: a checkpoint may only name the '
        f'statistics methods of HistoryBuffer ({", ".join(sorted(allowed))}).')


def safe_globals() -> List[SafeGlobal]:
    """The allow-list, as ``torch.serialization.safe_globals`` takes it."""
    return [
        HistoryBuffer,
        (history_buffer_statistic, 'builtins.getattr'),
        np.ndarray,
        np.dtype,
        np.dtypes.Float64DType,
        np.dtypes.Int64DType,
        multiarray._reconstruct,
        multiarray.scalar,
        bytes,
        (multiarray._reconstruct, 'numpy.core.multiarray._reconstruct'),
        (multiarray.scalar, 'numpy.core.multiarray.scalar'),
        argparse.Namespace,
    ]
