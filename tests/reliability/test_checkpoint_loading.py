"""Campaign: crafted and damaged checkpoints through every entry point.

Entry points, in this process where that is the same code path as the tool
(the runner's ``load_or_resume`` for ``load_from`` and ``--resume``, the
distiller's constructor for ``teacher_ckpt``, the package functions the thin
tools call), as subprocesses where the entry point is the tool itself. A
payload must never run; a damaged or foreign file must stop the load with a
message naming the file and what is wrong.
"""
import pickle
import shutil
import zipfile
from argparse import Namespace
from pathlib import Path
from typing import Callable, Iterable, Optional

import pytest
import torch

FM = 'configs/fashion_mnist'
MLL = f'{FM}/mll_teacher_r20.py'
KD = f'{FM}/kd_r20_r8.py'
TRUST = ('--trust-checkpoint', 'MCMI_TRUST_CHECKPOINTS')


@pytest.fixture(autouse=True)
def untrusted(monkeypatch):
    """No trust opt-in here, nor in the tools' subprocesses."""
    monkeypatch.setenv('MCMI_TRUST_CHECKPOINTS', '')
    monkeypatch.delenv('MCMI_TRUST_CHECKPOINTS')


def fixture_options(root) -> dict:
    options = {'train_dataloader.dataset.dataset.data_root': str(root),
               'val_dataloader.dataset.data_root': str(root),
               'test_dataloader.dataset.data_root': str(root)}
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        options[f'{loader}.num_workers'] = 0
        options[f'{loader}.persistent_workers'] = False
    return options


@pytest.fixture(scope='module')
def runner(tmp_path_factory, fashion_mnist_fixture_root):
    """An MLL resnet20 runner (built, not trained) on the IDX fixture."""
    from mmengine.config import Config

    from mcmi_razor.apis import build_runner
    cfg = Config.fromfile(MLL)
    cfg.merge_from_dict(fixture_options(fashion_mnist_fixture_root))
    cfg.work_dir = str(tmp_path_factory.mktemp('runner'))
    cfg.experiment_name = 'campaign_checkpoint_loading'
    return build_runner(cfg)


def through_runner(runner, source, resume: bool) -> None:
    """``load_from`` (or ``--resume PATH``) as the runner handles it."""
    runner._load_from, runner._resume = str(source), resume
    runner._has_loaded = False
    runner.load_or_resume()


def build_distiller(teacher_ckpt) -> torch.nn.Module:
    from mmengine.config import Config

    from mcmi_razor.registry import MODELS
    cfg = Config.fromfile(KD)
    cfg.model.teacher_ckpt = str(teacher_ckpt)
    cfg.model.data_preprocessor = cfg.data_preprocessor
    return MODELS.build(cfg.model)


def entry_points(tmp_path: Path, data_root: Path) -> dict:
    """name -> call(source) for the in-process entry points."""
    from mcmi_razor.apis.student_checkpoint import extract_student_file
    from mcmi_razor.evaluation.analysis import collect_logits
    from mcmi_razor.models.backbones.repdistiller_checkpoint import (
        convert_file,
    )
    options = {'test_dataloader.dataset.data_root': str(data_root)}
    return {
        'teacher_ckpt': build_distiller,
        'extract_student': lambda src: extract_student_file(
            str(src), str(tmp_path / 'student.pth')),
        'converter': lambda src: convert_file(
            str(src), str(tmp_path / 'converted.pth'), 'resnet20', 10, 1),
        'analysis_model': lambda src: collect_logits(MLL, str(src), options),
    }


def record(fault, call: Callable[[], object], mentions: Iterable[str],
           marker: Optional[Path] = None) -> None:
    """One outcome: code executed > silent wrong > unclear > clear error."""
    try:
        call()
    except Exception as error:  # noqa: BLE001  (any refusal is judged)
        message = f'{type(error).__name__}: {error}'
    else:
        message = None
    if marker is not None and marker.exists():
        fault.record('code executed', message or 'loaded')
    elif message is None:
        fault.record('silent wrong', 'no error raised')
    elif all(m.lower() in message.lower() for m in mentions):
        fault.record('clear error', message)
    else:
        fault.record('unclear', f'{message} (missing one of {mentions})')


def record_tool(fault, result, mentions: Iterable[str],
                marker: Optional[Path] = None) -> None:
    """As :func:`record`, for a tool run as a subprocess."""
    output = result.stdout + result.stderr
    if marker is not None and marker.exists():
        fault.record('code executed', output[-300:])
    elif result.returncode == 0:
        fault.record('silent wrong', output[-300:])
    elif all(m.lower() in output.lower() for m in mentions):
        fault.record('clear error', output[-300:])
    else:
        fault.record('unclear', output[-600:])


# --------------------------------------------------------------- damaged files
def _flip_a_bit_in_the_weights(path: Path) -> None:
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = max(archive.infolist(), key=lambda i: i.file_size)
    header = data[info.header_offset:info.header_offset + 30]
    start = info.header_offset + 30 + int.from_bytes(header[26:28], 'little') \
        + int.from_bytes(header[28:30], 'little')
    data[start + info.file_size // 2] ^= 0x04
    path.write_bytes(bytes(data))


DAMAGE = {
    'empty': (lambda p: p.write_bytes(b''), 'empty (0 bytes)'),
    'truncated': (lambda p: p.write_bytes(p.read_bytes()[:p.stat().st_size //
                                                          2]), 'truncated'),
    'bit_flipped': (_flip_a_bit_in_the_weights, 'damaged'),
    'text_file': (lambda p: p.write_text('epoch 20: top-1 73.1\n'),
                  'not a torch checkpoint'),
    'plain_pickle': (lambda p: p.write_bytes(
        pickle.dumps({'state_dict': {}}, protocol=2)),
                     'not a torch checkpoint'),
}


@pytest.fixture
def damaged(request, tmp_path, trained_fashion_mnist):
    """A copy of a real checkpoint, damaged as the test's ``kind`` says."""
    kind = request.node.callspec.params['kind']
    path = tmp_path / f'{kind}.pth'
    shutil.copy(trained_fashion_mnist['mll'] / 'epoch_1.pth', path)
    DAMAGE[kind][0](path)
    return path, DAMAGE[kind][1]


@pytest.mark.parametrize('kind', list(DAMAGE))
@pytest.mark.parametrize('entry', ['load_from', 'resume'])
def test_damaged_file_through_the_runner(fault, runner, damaged, entry,
                                         kind):
    path, problem = damaged
    record(fault, lambda: through_runner(runner, path, entry == 'resume'),
           [path.name, problem])


@pytest.mark.parametrize('kind', list(DAMAGE))
@pytest.mark.parametrize(
    'entry', ['teacher_ckpt', 'extract_student', 'converter',
              'analysis_model'])
def test_damaged_file_through_the_package(fault, damaged, tmp_path, entry,
                                          kind, fashion_mnist_fixture_root,
                                          mcmi_razor_scope):
    path, problem = damaged
    call = entry_points(tmp_path, fashion_mnist_fixture_root)[entry]
    record(fault, lambda: call(path), [path.name, problem])


# ------------------------------------------------------------ crafted payloads
@pytest.mark.parametrize('entry', ['load_from', 'resume'])
def test_payload_through_the_runner(fault, runner, crafted_checkpoint,
                                    entry):
    path, marker = crafted_checkpoint
    record(fault, lambda: through_runner(runner, path, entry == 'resume'),
           [path.name, 'pathlib', *TRUST], marker)


@pytest.mark.parametrize(
    'entry', ['teacher_ckpt', 'extract_student', 'converter',
              'analysis_model'])
def test_payload_through_the_package(fault, crafted_checkpoint, tmp_path,
                                     entry, fashion_mnist_fixture_root,
                                     mcmi_razor_scope):
    path, marker = crafted_checkpoint
    call = entry_points(tmp_path, fashion_mnist_fixture_root)[entry]
    record(fault, lambda: call(path), [path.name, 'pathlib', *TRUST], marker)


def test_payload_from_an_https_load_from(fault, runner, crafted_checkpoint,
                                         http_folder):
    path, marker = crafted_checkpoint
    folder, base = http_folder
    shutil.copy(path, folder / 'teacher.pth')
    record(fault, lambda: through_runner(runner, f'{base}/teacher.pth',
                                         False),
           ['teacher.pth', 'pathlib', *TRUST], marker)


@pytest.mark.slow
@pytest.mark.parametrize('tool', ['test.py', 'extract_student.py',
                                  'analysis/compare_teachers.py'])
def test_payload_through_the_tool(fault, run_tool, crafted_checkpoint,
                                  tmp_path, tool, fashion_mnist_fixture_root):
    path, marker = crafted_checkpoint
    argv = {
        'test.py': [MLL, path, '--work-dir', tmp_path / 'work',
                    '--cfg-options'] + [
                        f'{k}={v}' for k, v in fixture_options(
                            fashion_mnist_fixture_root).items()],
        'extract_student.py': [path, tmp_path / 'student.pth'],
        'analysis/compare_teachers.py': ['--logits', 'teacher', path,
                                         '--out-dir', tmp_path / 'out'],
    }[tool]
    record_tool(fault, run_tool(tool, *argv, check=False),
                [path.name, 'pathlib', *TRUST], marker)


# ----------------------------------------------- what must load, with no flag
def test_a_runner_checkpoint_resumes(fault, runner, trained_fashion_mnist):
    through_runner(runner, trained_fashion_mnist['mll'] / 'epoch_1.pth',
                   resume=True)
    fault.record('correct' if runner.epoch == 1 else 'silent wrong',
                 f'epoch after resume: {runner.epoch}')


def test_a_good_checkpoint_over_https(fault, runner, trained_fashion_mnist,
                                      http_folder):
    folder, base = http_folder
    source = trained_fashion_mnist['mll'] / 'epoch_1.pth'
    shutil.copy(source, folder / 'mll.pth')
    through_runner(runner, f'{base}/mll.pth', resume=False)
    expected = torch.load(source, weights_only=False)['state_dict']
    loaded = runner.model.state_dict()
    same = all(torch.equal(loaded[k], v) for k, v in expected.items())
    fault.record('correct' if same else 'silent wrong',
                 'weights equal the served checkpoint')


def repdistiller_format(state_dict: dict) -> dict:
    """Our resnet state dict as RepDistiller's train_teacher.py saves it."""
    model = {(f'fc.{k[len("head.fc."):]}' if k.startswith('head.fc.') else
              k[len('backbone.'):]): v for k, v in state_dict.items()}
    return {'opt': Namespace(model='resnet20', learning_rate=0.05,
                             lr_decay_epochs=[150, 180, 210]),
            'model': model, 'optimizer': {'state': {}, 'param_groups': []},
            'best_acc': torch.tensor(87.5)}


def test_a_converted_repdistiller_checkpoint_loads(fault, runner, tmp_path,
                                                   trained_fashion_mnist,
                                                   mcmi_razor_scope):
    from mcmi_razor.models.backbones.repdistiller_checkpoint import (
        convert_file,
    )
    state = torch.load(trained_fashion_mnist['mll'] / 'epoch_1.pth',
                       weights_only=False)['state_dict']
    torch.save(repdistiller_format(state), tmp_path / 'ckpt_epoch_240.pth')
    convert_file(str(tmp_path / 'ckpt_epoch_240.pth'),
                 str(tmp_path / 'converted.pth'), 'resnet20', 10, 1)
    through_runner(runner, tmp_path / 'converted.pth', resume=False)
    loaded = runner.model.state_dict()
    same = all(torch.equal(loaded[k], v) for k, v in state.items())
    fault.record('correct' if same else 'silent wrong',
                 'converted weights equal the original ones')
