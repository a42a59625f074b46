"""Shared pytest fixtures: small, learnable data sets in the real formats.

Session-scoped (written once per test run, about 0.1 s each) and read-only:
tests must not modify the files; write your own with
``mcmi_razor.testing`` under ``tmp_path`` if you need other sizes.

- ``cifar100_fixture_root`` (Path): a data root holding
  ``cifar-100-python/{train,test,meta}``: 100 classes, 5 train and 2 test
  images per class (500 / 200), seed 0. Load with
  ``type='UnverifiedCIFAR100', data_root=str(cifar100_fixture_root)``, e.g.
  ``--cfg-options train_dataloader.dataset.type=UnverifiedCIFAR100
  train_dataloader.dataset.data_root=<root>`` (same for val/test).
- ``cifar10_fixture_root`` (Path): ``cifar-10-batches-py/...``: 10 classes,
  5 train and 2 test images per class (50 / 20), seed 0; use
  ``type='UnverifiedCIFAR10'``.
- ``fashion_mnist_fixture_root`` (Path): the four unzipped Fashion-MNIST IDX
  files: 10 classes, 5 train and 2 test images per class, seed 0; mmpretrain's
  plain ``FashionMNIST`` reads it.
- ``mcmi_razor_scope``: makes ``mcmi_razor`` the default registry scope for
  one test, as our configs' ``default_scope`` does in a runner, so
  unprefixed types (ours and mmpretrain's) build.

Running the real tools (``tools/*.py``, ``tools/*.sh``) on fixtures:
- ``run_tool(*argv, nproc=1, env=None)``: runs ``tools/<argv[0]>`` with this
  Python (through ``tools/dist_*.sh``/torchrun when ``nproc`` > 1) in a
  subprocess, fails the test with the tool's output tail if it fails, and
  returns the completed process.
- ``cifar100_options``: ``--cfg-options`` entries pointing every data loader
  of a CIFAR-100 config at the session's CIFAR-100 fixture (no workers).
"""
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE_TRAIN_PER_CLASS = 5
FIXTURE_TEST_PER_CLASS = 2


@pytest.fixture(scope='session')
def cifar100_fixture_root(tmp_path_factory):
    from mcmi_razor.testing import write_cifar
    return write_cifar(
        tmp_path_factory.mktemp('cifar100'),
        num_classes=100,
        train_per_class=FIXTURE_TRAIN_PER_CLASS,
        test_per_class=FIXTURE_TEST_PER_CLASS,
        seed=0)


@pytest.fixture(scope='session')
def cifar10_fixture_root(tmp_path_factory):
    from mcmi_razor.testing import write_cifar
    return write_cifar(
        tmp_path_factory.mktemp('cifar10'),
        num_classes=10,
        train_per_class=FIXTURE_TRAIN_PER_CLASS,
        test_per_class=FIXTURE_TEST_PER_CLASS,
        seed=0)


@pytest.fixture(scope='session')
def fashion_mnist_fixture_root(tmp_path_factory):
    from mcmi_razor.testing import write_fashion_mnist_idx
    return write_fashion_mnist_idx(
        tmp_path_factory.mktemp('fashion_mnist'),
        train_per_class=FIXTURE_TRAIN_PER_CLASS,
        test_per_class=FIXTURE_TEST_PER_CLASS,
        seed=0)


@pytest.fixture
def mcmi_razor_scope():
    import mcmi_razor  # noqa: F401  (registers our types)
    from mmengine.registry import DefaultScope
    with DefaultScope.overwrite_default_scope('mcmi_razor'):
        yield 'mcmi_razor'

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture(scope='session')
def run_tool():

    def run(*argv, nproc: int = 1, env: dict = None, check: bool = True,
            timeout: int = 600) -> subprocess.CompletedProcess:
        tool, *args = (str(a) for a in argv)
        # One thread: on a loaded 2-core machine torch's default threads
        # spin against each other (10x slower steps seen).
        environment = dict(os.environ, CUDA_VISIBLE_DEVICES='',
                           OMP_NUM_THREADS='1', PYTHON=sys.executable)
        environment.update(env or {})
        if nproc > 1:
            environment.update(PORT=str(_free_port()))
            script = 'dist_' + tool.replace('.py', '.sh')
            command = ['bash', str(REPO / 'tools' / script), args[0]]
            if tool == 'test.py':
                command += [args[1], str(nproc)] + args[2:]
            else:
                command += [str(nproc)] + args[1:]
        else:
            command = [sys.executable, str(REPO / 'tools' / tool)] + args
        result = subprocess.run(command, capture_output=True, text=True,
                                env=environment, timeout=timeout)
        if check and result.returncode != 0:
            pytest.fail(f'{" ".join(command)} failed ({result.returncode}):'
                        f'\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}')
        return result

    return run


def data_options(root: Path, dataset_type: str) -> list:
    options = []
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        options += [f'{loader}.dataset.type={dataset_type}',
                    f'{loader}.dataset.data_root={root}',
                    f'{loader}.num_workers=0']
    return options


@pytest.fixture(scope='session')
def cifar100_options(cifar100_fixture_root):
    return data_options(cifar100_fixture_root, 'UnverifiedCIFAR100')
