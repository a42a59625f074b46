"""Helpers for tests and examples: small, learnable data in real formats.

``write_cifar`` writes CIFAR-10/100 python pickles (load them with
``UnverifiedCIFAR10`` / ``UnverifiedCIFAR100``), ``write_fashion_mnist_idx``
writes Fashion-MNIST IDX files (load them with mmpretrain's
``FashionMNIST``). ``tools/misc/make_cifar_fixture.py`` is the CLI
(:mod:`.cifar_fixture_cli`). ``write_run_start`` writes one start of an
mmengine run (its log and logged scalars).
"""
from .cifar_fixture import write_cifar
from .fashion_mnist_fixture import write_fashion_mnist_idx
from .run_logs import write_run_start

__all__ = ['write_cifar', 'write_fashion_mnist_idx', 'write_run_start']
