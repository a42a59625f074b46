"""Convert a RepDistiller (or official MCMI) checkpoint to an mmpretrain one.

RepDistiller saves ``{'model': state_dict, 'epoch': ..., ...}`` (a bare state
dict is accepted too). The output is ``{'state_dict': ..., 'meta': ...}`` for
``ImageClassifier`` with our CIFAR backbone, ``GlobalAveragePooling`` and
``LinearClsHead`` (keys ``backbone.*`` and ``head.fc.*``), as built by
``configs/_base_/models/<arch>_cifar.py``; use it as ``load_from`` or as an
mmrazor ``teacher_ckpt``. Example::

    python tools/convert_repdistiller_ckpt.py \\
        save/models/resnet56_vanilla/ckpt_epoch_240.pth \\
        checkpoints/resnet56_cifar100.pth --arch resnet56
"""
import argparse
import os
import os.path as osp
import sys
import tempfile
from collections import OrderedDict
from collections.abc import Mapping
from typing import List, Optional

import mcmi_razor  # noqa: F401  (repairs the stack before mmrazor loads)
import torch
from mmengine.registry import DefaultScope

from mcmi_razor.models.backbones.repdistiller_keys import (
    ARCHS, REPDISTILLER_ALIASES, classifier_cfg, convert_key,
    convert_state_dict, resolve_arch)
from mcmi_razor.registry import MODELS

#: Scalars of the source checkpoint copied into ``meta``.
META_KEYS = ('epoch', 'best_acc', 'accuracy')
MAX_LISTED = 8


class ConversionError(Exception):
    """The checkpoint cannot be read as the requested arch."""


def extract_state_dict(checkpoint: object) -> Mapping[str, torch.Tensor]:
    """RepDistiller's state dict from a loaded checkpoint.

    Accepts ``{'model': state_dict, ...}`` or a bare state dict, and strips
    the ``module.`` prefix that ``nn.DataParallel`` adds.
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
            f'found the entries {_listed(list(checkpoint))}.')
    if state_dict and all(k.startswith('module.') for k in state_dict):
        state_dict = OrderedDict(
            (k[len('module.'):], v) for k, v in state_dict.items())
    return state_dict


def check_compatible(source: Mapping[str, torch.Tensor],
                     expected: Mapping[str, torch.Tensor], arch: str) -> None:
    """Raise :class:`ConversionError` naming every key that does not fit.

    Args:
        source: RepDistiller's state dict.
        expected: Our classifier's state dict.
        arch: Our arch name.
    """
    converted = {convert_key(arch, key): key for key in source}
    missing = [key for key in expected if key not in converted]
    unexpected = [key for new, key in converted.items() if new not in expected]
    if missing or unexpected:
        parts = []
        if missing:
            parts.append(f'{len(missing)} weights of {arch} are not in the '
                         f'checkpoint: {_listed(missing)}')
        if unexpected:
            parts.append(f'{len(unexpected)} checkpoint entries have no '
                         f'place in {arch}: {_listed(unexpected)}')
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
            'checkpoint entries: ' +
            '; '.join(mismatched[:MAX_LISTED]) +
            ('.' if not hints else '. Hint: ' + '; '.join(hints) + '.'))


def convert(src: str, dst: str, arch: str, num_classes: int,
            in_channels: int) -> int:
    """Convert ``src`` to ``dst``; returns the number of tensors written."""
    if not osp.isfile(src):
        raise ConversionError(f'{src} does not exist or is not a file.')
    try:
        # RepDistiller pickles its argparse options: this is the user's file.
        checkpoint = torch.load(src, map_location='cpu', weights_only=False)
    except Exception as error:
        raise ConversionError(
            f'cannot read {src} as a torch checkpoint ({error}).') from error
    source = extract_state_dict(checkpoint)
    with DefaultScope.overwrite_default_scope('mcmi_razor'):
        model = MODELS.build(classifier_cfg(arch, num_classes, in_channels))
    expected = model.state_dict()
    check_compatible(source, expected, arch)
    converted = convert_state_dict(arch, source)
    state_dict = OrderedDict((key, converted[key]) for key in expected)
    model.load_state_dict(state_dict, strict=True)

    meta = dict(
        arch=arch,
        num_classes=num_classes,
        in_channels=in_channels,
        converted_from=osp.basename(src))
    for key in META_KEYS:
        value = checkpoint.get(key)
        if torch.is_tensor(value) and value.numel() == 1:
            value = value.item()
        if isinstance(value, (int, float)):
            meta[key] = value
    save_atomic(dict(state_dict=state_dict, meta=meta), dst)
    return len(state_dict)


def save_atomic(obj: object, path: str) -> None:
    """``torch.save`` to a temporary file beside ``path``, then rename."""
    directory = osp.dirname(osp.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, partial = tempfile.mkstemp(
        dir=directory, prefix=osp.basename(path) + '.', suffix='.partial')
    try:
        with os.fdopen(fd, 'wb') as file:
            torch.save(obj, file)
        os.replace(partial, path)
    finally:
        if osp.exists(partial):
            os.remove(partial)


def _listed(keys: List[str]) -> str:
    shown = ', '.join(keys[:MAX_LISTED])
    more = len(keys) - MAX_LISTED
    return shown + (f' and {more} more' if more > 0 else '')


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f'must be >= 1, got {value}')
    return value


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('src', help='RepDistiller / MCMI checkpoint (.pth)')
    parser.add_argument('dst', help='mmpretrain checkpoint to write')
    parser.add_argument(
        '--arch', required=True,
        help=f'one of {", ".join(ARCHS)} (RepDistiller names '
        f'{", ".join(REPDISTILLER_ALIASES)} are accepted too)')
    parser.add_argument(
        '--num-classes', type=_positive_int, default=100,
        help='classes of the final linear layer (default: 100, CIFAR-100)')
    parser.add_argument(
        '--in-channels', type=_positive_int, default=3,
        help='image channels (default: 3; 1 for Fashion-MNIST)')
    args = parser.parse_args(argv)
    try:
        args.arch = resolve_arch(args.arch)
    except ValueError as error:
        parser.error(str(error))
    return args


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    try:
        count = convert(args.src, args.dst, args.arch, args.num_classes,
                        args.in_channels)
    except ConversionError as error:
        print(f'error: cannot convert {args.src}: {error}', file=sys.stderr)
        return 1
    print(f'Converted {count} tensors of {args.arch} ({args.num_classes} '
          f'classes) from {args.src} to {args.dst}.')
    return 0


if __name__ == '__main__':
    sys.exit(main())
