"""The command line of ``tools/misc/make_cifar_fixture.py``: write a fixture
with :func:`~.cifar_fixture.write_cifar` and print the ``--cfg-options``
that train on it; here so that tests run the command in-process."""
import argparse
from typing import List, Optional

from mcmi_razor.apis import parse_tool_args, tool_parser

from .cifar_fixture import write_cifar


def parse_fixture_args(argv: Optional[List[str]] = None,
                       doc: Optional[str] = None) -> argparse.Namespace:
    """Parse the tool's arguments (``argv`` and ``doc``: see
    :mod:`mcmi_razor.apis.tool_args`)."""
    parser = tool_parser(doc, trust=False)
    parser.add_argument('out', help='data root to write (created if needed)')
    parser.add_argument(
        '--num-classes', type=int, choices=(10, 100), default=100,
        help='100 writes cifar-100-python/, 10 cifar-10-batches-py/')
    parser.add_argument('--train-per-class', type=int, default=5)
    parser.add_argument('--test-per-class', type=int, default=2)
    parser.add_argument('--seed', type=int, default=0)
    return parse_tool_args(parser, argv)


def make_cifar_fixture(argv: Optional[List[str]] = None,
                       doc: Optional[str] = None) -> None:
    """Write the fixture the command line asks for
    (:func:`parse_fixture_args`) and print how to train on it."""
    args = parse_fixture_args(argv, doc)
    root = write_cifar(
        args.out,
        num_classes=args.num_classes,
        train_per_class=args.train_per_class,
        test_per_class=args.test_per_class,
        seed=args.seed)
    dataset_type = f'UnverifiedCIFAR{args.num_classes}'
    options = ' '.join(
        f'{loader}.dataset.type={dataset_type} '
        f'{loader}.dataset.data_root={root}'
        for loader in ('train_dataloader', 'val_dataloader',
                       'test_dataloader'))
    print(f'Wrote {args.num_classes * args.train_per_class} train and '
          f'{args.num_classes * args.test_per_class} test images to {root}.')
    print(f'Use them with:\n    --cfg-options {options}')
