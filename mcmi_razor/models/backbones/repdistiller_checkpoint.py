"""RepDistiller checkpoints: recognise them, and convert them into ours.

RepDistiller (and the official MCMI code built on it) saves
``{'model': state_dict, 'epoch': ..., 'opt': Namespace, ...}`` (a bare state
dict is accepted too). :func:`convert_file` writes ``{'state_dict': ...,
'meta': ...}`` for our ``ImageClassifier`` of the same arch (key map:
:mod:`.repdistiller_keys`), usable as ``load_from`` or ``teacher_ckpt``.
``tools/convert_repdistiller_ckpt.py`` is its command line
(:mod:`mcmi_razor.apis.repdistiller_cli`);
:func:`converter_command` spells that command for a file given where an
mmpretrain checkpoint was expected.
"""
import functools
import os.path as osp
from collections import OrderedDict
from collections.abc import Mapping
from typing import Dict, List, NamedTuple, Optional, Tuple

import torch
from mmengine.registry import DefaultScope

from mcmi_razor.fileio import load_checkpoint, save_atomic
from mcmi_razor.registry import MODELS

from .repdistiller_keys import ARCHS, classifier_cfg, convert_key

#: Scalars of the source checkpoint copied into ``meta``.
META_KEYS = ('epoch', 'best_acc', 'accuracy')
MAX_LISTED = 8
TOOL = 'tools/convert_repdistiller_ckpt.py'


class ConversionError(ValueError):
    """The checkpoint cannot be read as the requested arch."""


class ArchGuess(NamedTuple):
    """The converter arguments that make a RepDistiller state dict fit."""
    arch: str
    num_classes: int
    in_channels: int


def listed(keys: List[str], limit: int = MAX_LISTED) -> str:
    """The first ``limit`` of ``keys``, and how many more."""
    shown = ', '.join(keys[:limit])
    more = len(keys) - limit
    return shown + (f' and {more} more' if more > 0 else '')


def extract_state_dict(checkpoint: object) -> Mapping:
    """RepDistiller's state dict from a loaded checkpoint.

    Accepts ``{'model': state_dict, ...}`` or a bare state dict, and strips
    the ``module.`` prefix that ``nn.DataParallel`` adds.

    Raises:
        ConversionError: for anything else, saying what was found.
    """
    if not isinstance(checkpoint, Mapping):
        raise ConversionError(
            f'expected a dict, got {type(checkpoint).__name__}: save the '
            "state dict (`{'model': model.state_dict()}`), not the model.")
    if isinstance(checkpoint.get('model'), Mapping):
        state_dict = checkpoint['model']
    elif 'state_dict' in checkpoint:
        raise ConversionError(
            "it has a 'state_dict' entry, so it is already an "
            'MMEngine/mmpretrain checkpoint: load it directly.')
    elif checkpoint and all(
            isinstance(v, torch.Tensor) for v in checkpoint.values()):
        state_dict = checkpoint
    else:
        raise ConversionError(
            "expected {'model': state_dict, ...} or a state dict of tensors, "
            f'found the entries {listed(list(checkpoint))}.')
    if state_dict and all(k.startswith('module.') for k in state_dict):
        state_dict = OrderedDict(
            (k[len('module.'):], v) for k, v in state_dict.items())
    return state_dict


def check_compatible(source: Mapping, expected: Mapping, arch: str) -> None:
    """Raise :class:`ConversionError` naming every key that does not fit.

    Args:
        source: RepDistiller's state dict.
        expected: Our classifier's state dict (tensors or shapes).
        arch: Our arch name.
    """
    converted = {convert_key(arch, key): key for key in source}
    missing = [key for key in expected if key not in converted]
    unexpected = [key for new, key in converted.items() if new not in expected]
    if missing or unexpected:
        parts = []
        if missing:
            parts.append(f'{len(missing)} weights of {arch} are not in the '
                         f'checkpoint: {listed(missing)}')
        if unexpected:
            parts.append(f'{len(unexpected)} checkpoint entries have no '
                         f'place in {arch}: {listed(unexpected)}')
        raise ConversionError(
            f'the checkpoint is not a {arch}: ' + '; '.join(parts) +
            '. Check --arch (depth and width must match the trained net).')
    stem_key = next(iter(expected))
    mismatched, hints = [], []
    for new, key in converted.items():
        have, want = tuple(source[key].shape), tuple(expected[new].shape)
        if have == want:
            continue
        mismatched.append(f'{key} -> {new}: checkpoint {have}, model {want}')
        if new == 'head.fc.weight':
            hints.append(f'the checkpoint has {have[0]} classes: pass '
                         f'--num-classes {have[0]}')
        elif new == stem_key and have[0] == want[0] and len(have) == 4:
            hints.append(f'the checkpoint takes {have[1]}-channel images: '
                         f'pass --in-channels {have[1]}')
    if mismatched:
        raise ConversionError(
            f'shapes differ from {arch} for {len(mismatched)} of the '
            'checkpoint entries: ' + '; '.join(mismatched[:MAX_LISTED]) +
            ('.' if not hints else '. Hint: ' + '; '.join(hints) + '.'))


def _build(arch: str, num_classes: int, in_channels: int,
           device: str = 'cpu') -> torch.nn.Module:
    with DefaultScope.overwrite_default_scope('mcmi_razor'), \
            torch.device(device):
        return MODELS.build(classifier_cfg(arch, num_classes, in_channels))


@functools.lru_cache(maxsize=None)
def _shapes(arch: str, num_classes: int,
            in_channels: int) -> Dict[str, Tuple[int, ...]]:
    """Key -> shape of our classifier (built on the meta device: no data).
    """
    model = _build(arch, num_classes, in_channels, device='meta')
    return {k: tuple(v.shape) for k, v in model.state_dict().items()}


def guess_arch(state_dict: Mapping) -> Optional[ArchGuess]:
    """The arch, classes and channels whose classifier this RepDistiller
    state dict fits exactly, or None."""
    for arch, spec in ARCHS.items():
        head = state_dict.get(f'{spec.fc_prefix}.weight')
        stem = next((v for v in state_dict.values()
                     if torch.is_tensor(v) and v.dim() == 4), None)
        if head is None or head.dim() != 2 or stem is None:
            continue
        guess = ArchGuess(arch, head.shape[0], stem.shape[1])
        shapes = _shapes(*guess)
        converted = {convert_key(arch, k): tuple(v.shape)
                     for k, v in state_dict.items() if torch.is_tensor(v)}
        if converted == shapes:
            return guess
    return None


def repdistiller_state_dict(checkpoint: object) -> Optional[Mapping]:
    """The state dict if ``checkpoint`` is in RepDistiller's format (no
    ``state_dict`` entry, the weights under ``model`` or at the top level
    with RepDistiller's names), else None."""
    try:
        state_dict = extract_state_dict(checkpoint)
    except ConversionError:
        return None
    names = {convert_key(arch, key) for arch in ARCHS for key in state_dict}
    return state_dict if state_dict and any(
        name.startswith('head.fc.') for name in names) else None


def converter_command(src: str, state_dict: Mapping) -> str:
    """The command that converts ``src`` (RepDistiller format) into ours."""
    guess = guess_arch(state_dict)
    stem, _ = osp.splitext(osp.basename(src))
    dst = osp.join(osp.dirname(src), f'{stem}_mmpretrain.pth')
    if guess is None:
        return (f'python {TOOL} {src} {dst} --arch ARCH [--num-classes N] '
                f'[--in-channels C] (ARCH: the network it was trained as, '
                f'one of {", ".join(ARCHS)})')
    return (f'python {TOOL} {src} {dst} --arch {guess.arch} '
            f'--num-classes {guess.num_classes} '
            f'--in-channels {guess.in_channels}')


def convert_file(src: str, dst: str, arch: str, num_classes: int = 100,
                 in_channels: int = 3) -> int:
    """Convert ``src`` (RepDistiller) into ``dst`` (ours), atomically.

    Returns:
        int: The number of tensors written.

    Raises:
        ConversionError: if ``src`` does not fit ``arch``; reading errors
            come from :func:`mcmi_razor.fileio.load_checkpoint`.
    """
    checkpoint = load_checkpoint(src, map_location='cpu')
    source = extract_state_dict(checkpoint)
    model = _build(arch, num_classes, in_channels)
    expected = model.state_dict()
    check_compatible(source, expected, arch)
    converted = OrderedDict((convert_key(arch, k), v)
                            for k, v in source.items())
    state_dict = OrderedDict((key, converted[key]) for key in expected)
    model.load_state_dict(state_dict, strict=True)
    meta = dict(arch=arch, num_classes=num_classes, in_channels=in_channels,
                converted_from=osp.basename(src))
    for key in META_KEYS:
        value = checkpoint.get(key)
        if torch.is_tensor(value) and value.numel() == 1:
            value = value.item()
        if isinstance(value, (int, float)):
            meta[key] = value
    save_atomic(dict(state_dict=state_dict, meta=meta), dst)
    return len(state_dict)
