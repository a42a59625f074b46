"""Convert a RepDistiller (or official MCMI) checkpoint to an mmpretrain one.

RepDistiller saves ``{'model': state_dict, 'epoch': ..., ...}`` (a bare state
dict is accepted too). The output is ``{'state_dict': ..., 'meta': ...}`` for
``ImageClassifier`` with our CIFAR backbone, ``GlobalAveragePooling`` and
``LinearClsHead`` (keys ``backbone.*`` and ``head.fc.*``), as built by
``configs/_base_/models/<arch>_cifar.py``; use it as ``load_from`` or as an
mmrazor ``teacher_ckpt``. The logic: ``mcmi_razor/models/backbones/
repdistiller_checkpoint.py``. Example::

    python tools/convert_repdistiller_ckpt.py \\
        save/models/resnet56_vanilla/ckpt_epoch_240.pth \\
        checkpoints/resnet56_cifar100.pth --arch resnet56
"""
import argparse
import sys
from typing import List, Optional

try:
    import mcmi_razor  # noqa: F401  (repairs the stack before mmrazor loads)
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mcmi_razor.apis import parse_tool_args, tool_parser
from mcmi_razor.fileio import CheckpointError
from mcmi_razor.models.backbones.repdistiller_checkpoint import (
    ConversionError,
    convert_file,
)
from mcmi_razor.models.backbones.repdistiller_keys import (
    ARCHS,
    REPDISTILLER_ALIASES,
    resolve_arch,
)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f'must be >= 1, got {value}')
    return value


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = tool_parser(__doc__, whole_doc=True)
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
    args = parse_tool_args(parser, argv)
    try:
        args.arch = resolve_arch(args.arch)
    except ValueError as error:
        parser.error(str(error))
    return args


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    try:
        count = convert_file(args.src, args.dst, args.arch, args.num_classes,
                             args.in_channels)
    except (ConversionError, CheckpointError, FileNotFoundError) as error:
        print(f'error: cannot convert {args.src}: {error}', file=sys.stderr)
        return 1
    print(f'Converted {count} tensors of {args.arch} ({args.num_classes} '
          f'classes) from {args.src} to {args.dst}.')
    return 0


if __name__ == '__main__':
    sys.exit(main())
