"""Write a small, learnable CIFAR-10/100 fixture in the real pickle layout.

Example:
    python tools/misc/make_cifar_fixture.py data/cifar100_fixture \
        --num-classes 100 --train-per-class 5 --test-per-class 2 --seed 0

Then train on it with ``--cfg-options`` switching the dataset type to
``UnverifiedCIFAR100`` (md5 checks off, for fixtures only) and its
``data_root`` to the folder written here; the command prints the options.
"""
try:
    from mcmi_razor.testing.cifar_fixture_cli import make_cifar_fixture
except ModuleNotFoundError as e:  # outside the environment
    raise SystemExit(f'{e}: source .venv/bin/activate (see README)') from None


def main() -> None:
    make_cifar_fixture(doc=__doc__)


if __name__ == '__main__':
    main()
