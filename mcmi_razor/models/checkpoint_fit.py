"""A checkpoint must fit its model exactly, or the run stops and says why.

MMEngine loads ``load_from`` and mmrazor loads ``teacher_ckpt`` with
``strict=False``: a checkpoint of another architecture, or one in
RepDistiller's format, leaves part of the model random, and the only trace
is a "missing keys" line in the log. Where a partial load is never what the
user wants (a distillation teacher, ``tools/test.py``) :func:`check_fit`
compares names and shapes and raises :class:`CheckpointMismatchError`
listing a few of each kind of difference and what to do, recognising a
RepDistiller checkpoint (the error spells the converter command) and a
distillation checkpoint given where a classifier was expected.
"""
from collections.abc import Mapping
from typing import Any, Dict, List

import torch
from torch import nn

from mcmi_razor.fileio import load_checkpoint

from .backbones.repdistiller_checkpoint import (
    converter_command,
    listed,
    repdistiller_state_dict,
)

STUDENT_PREFIX = 'architecture.'
#: Keys listed per kind of difference.
SHOWN = 3


class CheckpointMismatchError(ValueError):
    """The checkpoint's weights do not match the model's."""


def state_dict_of(checkpoint: Any) -> Mapping:
    """The weights in a loaded checkpoint: its ``state_dict`` entry, or the
    checkpoint itself when it is a bare state dict; ``module.`` prefixes
    (DataParallel) removed, as MMEngine's loader does."""
    state = checkpoint.get('state_dict', checkpoint) if isinstance(
        checkpoint, Mapping) else {}
    if not isinstance(state, Mapping):
        return {}
    return {(key[len('module.'):] if key.startswith('module.') else key):
            value for key, value in state.items()}


def _differences(model: nn.Module, state: Mapping) -> Dict[str, List[str]]:
    expected = model.state_dict()
    shapes = [f'{key}: checkpoint {tuple(value.shape)}, model '
              f'{tuple(expected[key].shape)}'
              for key, value in state.items()
              if key in expected and torch.is_tensor(value) and
              value.shape != expected[key].shape]
    return {
        'missing from the checkpoint': [k for k in expected
                                        if k not in state],
        'not in the model': [k for k in state if k not in expected],
        'with another shape': shapes,
    }


def check_fit(model: nn.Module, checkpoint: Any, source: str,
              role: str) -> Mapping:
    """Raise unless ``checkpoint`` has exactly ``model``'s weights.

    Args:
        model (nn.Module): The model the checkpoint is for.
        checkpoint: The loaded checkpoint (MMEngine dict or state dict).
        source (str): Its path or URL, for the message.
        role (str): What it was given as, e.g. ``'teacher_ckpt'``.

    Returns:
        Mapping: The state dict, ready for ``load_state_dict(strict=True)``.

    Raises:
        CheckpointMismatchError: naming up to a few missing, unexpected and
            mis-shaped keys, and the fix.
    """
    state = state_dict_of(checkpoint)
    differences = {kind: keys for kind, keys in
                   _differences(model, state).items() if keys}
    if not differences:
        return state
    what = f'the {type(model).__name__} it is for'
    repdistiller = repdistiller_state_dict(checkpoint)
    if repdistiller is not None:
        raise CheckpointMismatchError(
            f'{role} {source} is a RepDistiller / official-MCMI checkpoint '
            "({'model': state_dict} with their key names), not an MMEngine "
            f'one, so its weights do not fit {what}. Convert it first, then '
            f'give the converted file as {role}:\n    '
            f'{converter_command(source, repdistiller)}')
    found = '; '.join(f'{len(keys)} {kind} ({listed(keys, SHOWN)})'
                      for kind, keys in differences.items())
    raise CheckpointMismatchError(
        f'{role} {source} does not fit {what} '
        f'({len(model.state_dict())} tensors): {found}. '
        f'{_advice(model, state, source, role)}')


def unwrap(model: nn.Module) -> nn.Module:
    """The model inside DDP / test-time-augmentation wrappers."""
    while isinstance(getattr(model, 'module', None), nn.Module):
        model = model.module
    return model


def load_fitting(model: nn.Module, source: str, role: str) -> Mapping:
    """Load ``source`` safely and check it with :func:`check_fit` against
    ``model`` (unwrapped); returns the state dict."""
    return check_fit(unwrap(model), load_checkpoint(source), source, role)


def _advice(model: nn.Module, state: Mapping, source: str,
            role: str) -> str:
    model_is_distiller = any(
        k.startswith(STUDENT_PREFIX) for k in model.state_dict())
    if not model_is_distiller and any(
            k.startswith(STUDENT_PREFIX) for k in state):
        return ('It is a distillation checkpoint (student under '
                "'architecture.', teacher under 'teacher.'): take its "
                f'student with python tools/extract_student.py {source} '
                f'student.pth, and give student.pth as {role}.')
    return ('Give a checkpoint trained with the same architecture, number '
            'of classes and input channels as this model (for a teacher: '
            'the config in model.teacher), or fix the config to match the '
            'checkpoint.')
