"""The Fashion-MNIST configs build, and train one short epoch each on the
IDX fixture through the real tools: MLL -> MCMI -> KD student."""
import glob

import pytest
import torch
from mmengine.config import Config

FM = 'configs/fashion_mnist'
CONFIGS = [f'{FM}/mll_teacher_r20.py', f'{FM}/mcmi_teacher_r20.py',
           f'{FM}/students/r8.py', f'{FM}/kd_r20_r8.py',
           f'{FM}/demo/mll_teacher_r20.py', f'{FM}/demo/mcmi_teacher_r20.py',
           f'{FM}/demo/kd_r20_r8.py']


def fixture_options(root) -> list:
    return [f'train_dataloader.dataset.dataset.data_root={root}',
            f'val_dataloader.dataset.data_root={root}',
            f'test_dataloader.dataset.data_root={root}',
            'train_dataloader.num_workers=0', 'val_dataloader.num_workers=0',
            'test_dataloader.num_workers=0', 'train_cfg.max_epochs=1',
            'default_hooks.logger.interval=1', 'randomness.seed=0']


@pytest.mark.parametrize('path', CONFIGS)
def test_config_builds_a_one_channel_ten_class_model(path,
                                                     mcmi_razor_scope):
    from mcmi_razor.registry import MODELS
    cfg = Config.fromfile(path)
    if 'teacher_ckpt' in cfg.model:
        cfg.model.teacher_ckpt = None  # built, not loaded, here
    model = MODELS.build(cfg.model)
    student = getattr(model, 'architecture', model)
    out = student(torch.zeros(2, 1, 28, 28), mode='tensor')
    assert out.shape == (2, 10)
    assert cfg.train_dataloader.dataset.type == 'FewShotDataset'


@pytest.fixture(scope='module')
def trained(tmp_path_factory, run_tool, fashion_mnist_fixture_root):
    options = fixture_options(fashion_mnist_fixture_root)
    work = tmp_path_factory.mktemp('fm')
    run_tool('train.py', f'{FM}/mll_teacher_r20.py', '--work-dir',
             work / 'mll', '--cfg-options', *options)
    run_tool('train.py', f'{FM}/mcmi_teacher_r20.py', '--work-dir',
             work / 'mcmi', '--cfg-options', *options,
             f'load_from={work / "mll" / "epoch_1.pth"}')
    run_tool('train.py', f'{FM}/kd_r20_r8.py', '--work-dir', work / 'kd',
             '--cfg-options', *options,
             f'model.teacher_ckpt={work / "mcmi" / "epoch_1.pth"}')
    return work


@pytest.mark.slow
def test_teachers_log_accuracy_and_cmi_and_mcmi_logs_its_terms(trained):
    mll_log = open(glob.glob(str(trained / 'mll' / '*' / '*.log'))[0]).read()
    mcmi_log = open(glob.glob(str(trained / 'mcmi' / '*' / '*.log'))[0]).read()
    for log in (mll_log, mcmi_log):
        assert 'accuracy/top1' in log and 'cmi/cmi' in log
    assert 'cmi_term' in mcmi_log and 'Class centroids set' in mcmi_log


@pytest.mark.slow
def test_kd_student_evaluates_with_the_analysis_functions(
        trained, fashion_mnist_fixture_root):
    from mcmi_razor.evaluation.analysis import (
        collect_logits,
        per_class_accuracy,
    )
    options = {'test_dataloader.dataset.data_root':
               str(fashion_mnist_fixture_root)}
    logits, labels = collect_logits(f'{FM}/kd_r20_r8.py',
                                    str(trained / 'kd' / 'epoch_1.pth'),
                                    options)
    assert logits.shape == (20, 10)
    assert torch.bincount(labels).tolist() == [2] * 10
    assert per_class_accuracy(logits, labels).shape == (10, )
