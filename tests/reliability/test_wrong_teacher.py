"""Campaign: a teacher or test checkpoint that does not fit its model.

Before, a RepDistiller-format file or another architecture's checkpoint as
``teacher_ckpt`` distilled from a (partly) random teacher with exit code 0,
and ``tools/test.py`` reported numbers for a checkpoint of another arch.
"""
from collections import OrderedDict

import pytest
import torch

FM = 'configs/fashion_mnist'
MLL = f'{FM}/mll_teacher_r20.py'
KD = f'{FM}/kd_r20_r8.py'


@pytest.fixture(autouse=True)
def untrusted(monkeypatch):
    monkeypatch.setenv('MCMI_TRUST_CHECKPOINTS', '')
    monkeypatch.delenv('MCMI_TRUST_CHECKPOINTS')


def build_distiller(teacher_ckpt):
    from mmengine.config import Config

    from mcmi_razor.registry import MODELS
    cfg = Config.fromfile(KD)
    cfg.model.teacher_ckpt = str(teacher_ckpt)
    cfg.model.data_preprocessor = cfg.data_preprocessor
    return MODELS.build(cfg.model)


def weights(path) -> dict:
    return torch.load(path, weights_only=False)['state_dict']


def repdistiller_format(state_dict: dict) -> dict:
    """Our resnet state dict as RepDistiller's train_teacher.py saves it."""
    return {'model': OrderedDict(
        (f'fc.{k[len("head.fc."):]}' if k.startswith('head.fc.') else
         k[len('backbone.'):], v) for k, v in state_dict.items()),
            'epoch': 240}


@pytest.fixture(scope='module')
def files(trained_fashion_mnist, tmp_path_factory):
    """Checkpoints that do not fit the resnet20 (1 channel, 10 classes)
    teacher of the Fashion-MNIST KD config."""
    from mmengine.registry import DefaultScope

    import mcmi_razor  # noqa: F401
    from mcmi_razor.apis.student_checkpoint import extract_student_file
    from mcmi_razor.models.backbones.repdistiller_keys import classifier_cfg
    from mcmi_razor.registry import MODELS
    folder = tmp_path_factory.mktemp('wrong_teachers')
    teacher = trained_fashion_mnist['mcmi'] / 'epoch_1.pth'
    torch.save(repdistiller_format(weights(teacher)),
               folder / 'ckpt_epoch_240.pth')
    extract_student_file(str(trained_fashion_mnist['kd'] / 'epoch_1.pth'),
                         str(folder / 'resnet8.pth'))
    with DefaultScope.overwrite_default_scope('mcmi_razor'):
        cifar100 = MODELS.build(classifier_cfg('resnet20', 100, 1))
    torch.save({'state_dict': cifar100.state_dict()},
               folder / 'resnet20_100_classes.pth')
    torch.save(weights(teacher), folder / 'bare_state_dict.pth')
    # A diverged run: a NaN in the first BatchNorm's running mean.
    diverged = weights(teacher)
    first_bn = next(k for k in diverged if k.endswith('running_mean'))
    diverged[first_bn][0] = float('nan')
    torch.save({'state_dict': diverged}, folder / 'diverged.pth')
    return dict(
        teacher=teacher, repdistiller=folder / 'ckpt_epoch_240.pth',
        other_arch=folder / 'resnet8.pth',
        other_classes=folder / 'resnet20_100_classes.pth',
        distillation=trained_fashion_mnist['kd'] / 'epoch_1.pth',
        bare=folder / 'bare_state_dict.pth', diverged=folder / 'diverged.pth')


CONVERT = ['tools/convert_repdistiller_ckpt.py', '--arch resnet20',
           '--num-classes 10', '--in-channels 1']
WRONG = {
    'repdistiller': ['repdistiller', *CONVERT],
    'other_arch': ['does not fit', 'missing from the checkpoint',
                   'same architecture'],
    'other_classes': ['with another shape', 'head.fc.weight',
                      'checkpoint (100, 64), model (10, 64)'],
    'distillation': ['distillation checkpoint', 'tools/extract_student.py'],
}


@pytest.mark.parametrize('kind', list(WRONG))
def test_wrong_teacher_ckpt_is_refused(fault, files, kind, mcmi_razor_scope):
    fault.expect_error(lambda: build_distiller(files[kind]),
                       ['teacher_ckpt', files[kind].name, *WRONG[kind]])


@pytest.mark.parametrize('kind', ['teacher', 'bare'])
def test_a_fitting_teacher_ckpt_loads_exactly(fault, files, kind,
                                              mcmi_razor_scope):
    teacher = build_distiller(files[kind]).teacher.state_dict()
    expected = weights(files['teacher'])
    same = all(torch.equal(teacher[k], v) for k, v in expected.items())
    fault.record('correct' if same else 'silent wrong',
                 'teacher weights equal the checkpoint')


@pytest.mark.parametrize('kind', ['repdistiller', 'other_arch'])
def test_analysis_model_refuses_a_wrong_checkpoint(
        fault, files, kind, fashion_mnist_fixture_root, mcmi_razor_scope):
    from mcmi_razor.evaluation.analysis import collect_logits
    options = {'test_dataloader.dataset.data_root':
               str(fashion_mnist_fixture_root)}
    fault.expect_error(lambda: collect_logits(MLL, str(files[kind]), options),
                       [files[kind].name, *WRONG[kind]])


def fixture_options(root) -> list:
    options = [f'train_dataloader.dataset.dataset.data_root={root}',
               f'val_dataloader.dataset.data_root={root}',
               f'test_dataloader.dataset.data_root={root}']
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        options.append(f'{loader}.num_workers=0')
    return options


def record_tool(fault, result, mentions) -> None:
    output = result.stdout + result.stderr
    if result.returncode == 0:
        fault.record('silent wrong', output[-300:])
    elif all(m.lower() in output.lower() for m in mentions):
        fault.record('clear error', output[-300:])
    else:
        fault.record('unclear', output[-600:])


@pytest.mark.slow
def test_tools_test_refuses_a_checkpoint_of_another_arch(
        fault, run_tool, files, tmp_path, fashion_mnist_fixture_root):
    result = run_tool('test.py', MLL, files['other_arch'], '--work-dir',
                      tmp_path, '--cfg-options',
                      *fixture_options(fashion_mnist_fixture_root),
                      check=False)
    record_tool(fault, result, ['resnet8.pth', *WRONG['other_arch']])


@pytest.mark.slow
def test_tools_test_refuses_a_diverged_checkpoint(
        fault, run_tool, files, tmp_path, fashion_mnist_fixture_root):
    """Before, NaN scores gave top-1 0.0 with exit code 0."""
    result = run_tool('test.py', MLL, files['diverged'], '--work-dir',
                      tmp_path, '--cfg-options',
                      *fixture_options(fashion_mnist_fixture_root),
                      check=False)
    record_tool(fault, result, ['NaN/inf scores', 'diverged',
                                'earlier checkpoint'])


@pytest.mark.slow
def test_tools_train_refuses_a_repdistiller_teacher(
        fault, run_tool, files, tmp_path, fashion_mnist_fixture_root):
    result = run_tool('train.py', KD, '--work-dir', tmp_path,
                      '--cfg-options',
                      *fixture_options(fashion_mnist_fixture_root),
                      'train_cfg.max_epochs=1',
                      f'model.teacher_ckpt={files["repdistiller"]}',
                      check=False)
    record_tool(fault, result, ['teacher_ckpt', *WRONG['repdistiller']])
