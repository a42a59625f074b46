"""The command line of ``tools/convert_repdistiller_ckpt.py``.

Parses the tool's arguments and runs
:func:`~mcmi_razor.models.backbones.repdistiller_checkpoint.convert_file`,
turning what stops a conversion into a message and exit status 1; here so
that tests run the command in-process.
"""
import argparse
import sys
from typing import List, Optional

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

from .tool_args import parse_tool_args, tool_parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f'must be >= 1, got {value}')
    return value


def parse_convert_args(argv: Optional[List[str]] = None,
                       doc: Optional[str] = None) -> argparse.Namespace:
    """Parse the converter's arguments (``argv`` and ``doc``: see
    :mod:`.tool_args`); ``--arch`` comes back as our arch name
    (RepDistiller's aliases resolved)."""
    parser = tool_parser(doc, whole_doc=True)
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


def run_converter(argv: Optional[List[str]] = None,
                  doc: Optional[str] = None) -> int:
    """Convert as the command line asks (:func:`parse_convert_args`); the
    exit status: 0 when converted, 1 with the reason on stderr when the
    checkpoint cannot be."""
    args = parse_convert_args(argv, doc)
    try:
        count = convert_file(args.src, args.dst, args.arch, args.num_classes,
                             args.in_channels)
    except (ConversionError, CheckpointError, FileNotFoundError) as error:
        print(f'error: cannot convert {args.src}: {error}', file=sys.stderr)
        return 1
    print(f'Converted {count} tensors of {args.arch} ({args.num_classes} '
          f'classes) from {args.src} to {args.dst}.')
    return 0
