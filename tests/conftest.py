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
- ``trained_fashion_mnist``: work dirs (``{'mll'|'mcmi'|'kd': Path}``, each
  with ``epoch_1.pth``) of one-epoch runs of ``configs/fashion_mnist/`` on
  the IDX fixture, trained once per session in-process by the real runner.
- ``reference_metrics`` and ``test_tool_agrees``: what ``tools/test.py``
  must report for a checkpoint, computed apart from the tools, and the
  check of the tool against it (per-sample scores and top-1).
- ``http_folder``: ``(folder, base URL)`` of a local HTTP server for one
  test, with torch's hub cache moved into ``tmp_path``.
"""
import json
import os
import re
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
    from mmengine.registry import DefaultScope

    import mcmi_razor  # noqa: F401  (registers our types)
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


@pytest.fixture(scope='session')
def cifar100_resnet8_options(cifar100_options):
    """``cifar100_options`` plus the teacher configs' backbone cut to
    resnet8, for tests of the tools and the runner rather than of the
    depth (resnet56 made them ~3x slower)."""
    return [*cifar100_options, 'model.backbone.arch=resnet8']


def _option_value(text: str):
    """``--cfg-options`` value as the tools read it: int if it is one."""
    try:
        return int(text)
    except ValueError:
        return text


@pytest.fixture(scope='session')
def reference_metrics():
    """``(config, checkpoint, options) -> dict(top1, top1_abs, cmi)``
    computed apart from the tools: the network built and run by
    ``mcmi_razor.evaluation.analysis.collect_logits`` (no runner, no
    evaluator), top-1 in percent and CMI = mean_i KL(P_i || Q_{y_i}) in nats
    with Q_c the mean prediction over class c, straight from the definition.
    ``top1_abs`` is how far top-1 may honestly differ: the share of samples
    whose two largest logits are within float noise of each other (the
    batches are the tool's, but kernels may still differ in the last bits;
    CI once reported 0.0 here against 1.0 for a one-epoch FitNets student
    on 200 images, when this ran with batches of 256).
    Tests compare what ``tools/test.py`` reports against it."""
    import torch

    from mcmi_razor.evaluation.analysis import collect_logits

    def compute(config, checkpoint, options) -> dict:
        overrides = dict(
            (key, _option_value(value))
            for key, value in (str(o).split('=', 1) for o in options))
        logits, labels = collect_logits(str(REPO / config), str(checkpoint),
                                        overrides, batch_size=None)
        assert torch.isfinite(logits).all(), (
            f'{checkpoint} predicts NaN/inf logits: the run diverged')
        probs = logits.double().softmax(1)
        top1 = (logits.argmax(1) == labels).double().mean().item() * 100
        top2 = logits.double().topk(2, dim=1).values
        gap = top2[:, 0] - top2[:, 1]
        near_tie = gap <= 1e-4 * top2[:, 0].abs().clamp_min(1)
        top1_abs = near_tie.double().mean().item() * 100 + 1e-6
        onehot = torch.nn.functional.one_hot(labels).double()
        centroids = (onehot.T @ probs) / onehot.sum(0)[:, None].clamp_min(1)
        q = centroids[labels]
        kl = (probs * (probs.clamp_min(1e-300).log() -
                       q.clamp_min(1e-300).log())).sum(1)
        return dict(top1=top1, top1_abs=top1_abs, cmi=kl.mean().item(),
                    probs=probs)

    return compute


@pytest.fixture
def test_tool_agrees(run_tool, reference_metrics):
    """``(config, checkpoint, options, work_dir, nproc=1) -> reference``:
    run ``tools/test.py`` and check it against :func:`reference_metrics`:
    every sample's predicted scores (its ``--out-item pred`` dump, in
    dataset order) and the top-1 it prints. The scores fail on a wrong
    checkpoint, split or preprocessing even where a fixture model so
    degenerate that it predicts one class scores the same top-1 on any
    data."""
    import mmengine
    import torch

    def check(config, checkpoint, options, work_dir, nproc=1) -> dict:
        out = Path(work_dir) / 'predictions.pkl'
        result = run_tool('test.py', config, checkpoint, '--work-dir',
                          work_dir, '--out', out, '--out-item', 'pred',
                          '--cfg-options', *options, nproc=nproc)
        expected = reference_metrics(config, checkpoint, options)
        scores = torch.stack([torch.as_tensor(sample['pred_score'])
                              for sample in mmengine.load(str(out))])
        torch.testing.assert_close(scores.double(), expected['probs'],
                                   rtol=0, atol=1e-5)
        printed = re.findall(r'accuracy/top1: ([0-9.]+)',
                             result.stdout + result.stderr)
        assert printed, 'tools/test.py printed no top-1'
        assert float(printed[-1]) == pytest.approx(
            expected['top1'], abs=expected['top1_abs'])
        return expected

    return check


FASHION_MNIST_CONFIGS = 'configs/fashion_mnist'


@pytest.fixture(scope='session')
def trained_fashion_mnist(tmp_path_factory, fashion_mnist_fixture_root):
    """Real runner checkpoints, written once per session in this process:
    one epoch each of ``configs/fashion_mnist/`` MLL teacher, MCMI teacher
    (from it) and KD student (MCMI teacher) on the IDX fixture. Returns
    ``{'mll'|'mcmi'|'kd': work dir}``; each holds ``epoch_1.pth``."""
    import uuid

    from mmengine.config import Config

    from mcmi_razor.apis import build_runner
    root = tmp_path_factory.mktemp('trained_fashion_mnist')
    data = str(fashion_mnist_fixture_root)
    options = {'train_dataloader.dataset.dataset.data_root': data,
               'val_dataloader.dataset.data_root': data,
               'test_dataloader.dataset.data_root': data,
               'train_cfg.max_epochs': 1, 'randomness.seed': 0}
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        options.update({f'{loader}.num_workers': 0,
                        f'{loader}.persistent_workers': False})
    runs = {}
    for name, config, extra in (
            ('mll', 'mll_teacher_r20.py', {}),
            ('mcmi', 'mcmi_teacher_r20.py',
             {'load_from': str(root / 'mll' / 'epoch_1.pth')}),
            ('kd', 'kd_r20_r8.py',
             {'model.teacher_ckpt': str(root / 'mcmi' / 'epoch_1.pth')})):
        cfg = Config.fromfile(str(REPO / FASHION_MNIST_CONFIGS / config))
        cfg.merge_from_dict({**options, **extra})
        cfg.work_dir = str(root / name)
        cfg.experiment_name = f'{name}_{uuid.uuid4().hex[:8]}'
        build_runner(cfg).train()
        runs[name] = root / name
    return runs


@pytest.fixture
def http_folder(tmp_path, monkeypatch):
    """(folder, base URL): files put in the folder are served over HTTP on
    127.0.0.1 for one test; torch's hub cache (where downloads go) is moved
    into tmp_path."""
    import functools
    import http.server
    import threading
    folder = tmp_path / 'served'
    folder.mkdir()
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(folder))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f'http://127.0.0.1:{server.server_address[1]}'
    server.shutdown()
    server.server_close()


# The fault campaign's summary (tests/reliability/conftest.py records one
# outcome per case in the report's user_properties, which pytest-xdist
# carries from its workers to this, the controlling, process).
_FAULT_RECORDS: list = []


def pytest_runtest_logreport(report):
    if report.when == 'teardown':
        _FAULT_RECORDS.extend(value for key, value in report.user_properties
                              if key == 'fault case')


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    from mcmi_razor.testing.fault_campaign import summary_lines

    if not _FAULT_RECORDS:
        return
    terminalreporter.section('fault campaign')
    for line in summary_lines(_FAULT_RECORDS):
        terminalreporter.write_line(line)
    report = os.environ.get('MCMI_FAULT_REPORT')
    if report:
        Path(report).write_text(json.dumps(_FAULT_RECORDS, indent=1))


def pytest_collection_modifyitems(config, items):
    """Skip the tests marked ``cuda`` where torch finds no CUDA device
    (``tools/gpu_check.sh`` runs them on a GPU machine)."""
    marked = [item for item in items if item.get_closest_marker('cuda')]
    if not marked:
        return
    import torch
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason='needs a CUDA device: run '
                            'bash tools/gpu_check.sh on a GPU machine')
    for item in marked:
        item.add_marker(skip)
