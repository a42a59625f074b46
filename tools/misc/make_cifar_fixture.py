"""Write a small, learnable CIFAR-10/100 fixture in the real pickle layout.

Example:
    python tools/misc/make_cifar_fixture.py data/cifar100_fixture \
        --num-classes 100 --train-per-class 5 --test-per-class 2 --seed 0

Then train on it with ``--cfg-options`` switching the dataset type to
``UnverifiedCIFAR100`` (md5 checks off, for fixtures only) and its
``data_root`` to the folder written here; the command prints the options.
"""
import argparse

try:
    import mcmi_razor  # noqa: F401  (repairs the stack, registers types)
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None
from mcmi_razor.apis import parse_tool_args, tool_parser
from mcmi_razor.testing import write_cifar


def parse_args(argv=None) -> argparse.Namespace:
    parser = tool_parser(__doc__, trust=False)
    parser.add_argument('out', help='data root to write (created if needed)')
    parser.add_argument(
        '--num-classes', type=int, choices=(10, 100), default=100,
        help='100 writes cifar-100-python/, 10 cifar-10-batches-py/')
    parser.add_argument('--train-per-class', type=int, default=5)
    parser.add_argument('--test-per-class', type=int, default=2)
    parser.add_argument('--seed', type=int, default=0)
    return parse_tool_args(parser, argv)


def main(argv=None) -> None:
    args = parse_args(argv)
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


if __name__ == '__main__':
    main()
