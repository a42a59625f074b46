"""RID through the real tools on tiny fixtures (CPU).

resnet56 -> resnet20 on a CIFAR-100 fixture (an untrained teacher
checkpoint is enough to exercise the method) with rounds of 1 filter + 1
student epoch: 2 epochs, then resumed to 4 (the resumed run must continue
in the right phase), and the same 4 epochs on 2 gloo processes through
tools/dist_train.sh. The student is extracted with tools/extract_student.py
and tested with tools/test.py. Fashion-MNIST's RID config trains 2 epochs.
"""
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, DefaultScope

from mcmi_razor.testing import write_cifar

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
RID = 'configs/distill/rid/rid_resnet56_resnet20_cifar100.py'
STUDENT = 'configs/students/resnet20_cifar100.py'
ROUNDS = ['custom_hooks.0.filter_epochs=1', 'custom_hooks.0.student_epochs=1']
LOSSES = ('loss_rid1', 'loss_rid2', 'loss_rid3')


def load(path: Path) -> dict:
    """A checkpoint of ours (it pickles MMEngine objects)."""
    return torch.load(path, map_location='cpu', weights_only=False)


def cifar_options(root, validate=False):
    """Fixture data; training sees 32 images in batches of 16."""
    options = ['train_dataloader.dataset.type=UnverifiedCIFAR100',
               f'train_dataloader.dataset.data_root={root}',
               'train_dataloader.dataset.indices=32',
               'train_dataloader.batch_size=16',
               'train_dataloader.num_workers=0',
               'default_hooks.logger.interval=1']
    for loader in ['val_dataloader'] * validate + ['test_dataloader']:
        options += [f'{loader}.dataset.type=UnverifiedCIFAR100',
                    f'{loader}.dataset.data_root={root}',
                    f'{loader}.num_workers=0', f'{loader}.batch_size=100']
    return options


def phases(output: str) -> list:
    """[(round, phase, first epoch)] as the hook logged them."""
    return [(int(r), p, int(e)) for r, p, e in re.findall(
        r'RID round (\d+): (\w+) phase from epoch (\d+)', output)]


def output_of(result) -> str:
    return result.stdout + result.stderr


@pytest.fixture(scope='module')
def root(tmp_path_factory):
    return write_cifar(tmp_path_factory.mktemp('cifar100_1pc'),
                       num_classes=100, train_per_class=1, test_per_class=1)


def untrained_checkpoint(config: str, path: Path) -> Path:
    """The freshly initialised model of ``config``, saved at ``path``."""
    cfg = Config.fromfile(str(REPO / config))
    with DefaultScope.overwrite_default_scope('mcmi_razor'):
        state = MODELS.build(cfg.model).state_dict()
    torch.save(dict(meta={}, state_dict=state), path)
    return path


@pytest.fixture(scope='module')
def teacher(tmp_path_factory):
    return untrained_checkpoint('configs/_base_/models/resnet56_cifar.py',
                                tmp_path_factory.mktemp('t') / 'r56.pth')


@pytest.fixture(scope='module')
def runs(tmp_path_factory, root, teacher, run_tool):
    """{'single': (work dir, [first, resumed] results), 'ddp': (...)}."""
    common = [*cifar_options(root), *ROUNDS, f'model.teacher_ckpt={teacher}',
              'default_hooks.checkpoint.max_keep_ckpts=-1']
    single = tmp_path_factory.mktemp('rid')
    ddp = tmp_path_factory.mktemp('rid_ddp')

    def single_run():
        first = run_tool('train.py', RID, '--work-dir', single,
                         '--no-validate', '--cfg-options', *common,
                         'train_cfg.max_epochs=2')
        resumed = run_tool('train.py', RID, '--work-dir', single,
                           '--no-validate', '--resume', '--cfg-options',
                           *common, 'train_cfg.max_epochs=4')
        return [first, resumed]

    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = [pool.submit(single_run),
                pool.submit(run_tool, 'train.py', RID, '--work-dir', ddp,
                            '--no-validate', '--cfg-options', *common,
                            'train_cfg.max_epochs=4', nproc=2)]
        single_results, ddp_result = (job.result() for job in jobs)
    return dict(single=(single, single_results), ddp=(ddp, [ddp_result]))


def test_rid_alternates_phases_and_resumes_in_the_right_one(runs, teacher):
    _, (first, resumed) = runs['single']
    assert f'Teacher loaded from {teacher}: every key fits.' in output_of(
        first)
    assert phases(output_of(first)) == [(0, 'filter', 1), (0, 'student', 2)]
    assert phases(output_of(resumed)) == [(1, 'filter', 3),
                                          (1, 'student', 4)]
    for result in (first, resumed):
        for loss in LOSSES:
            values = re.findall(rf'distill\.{loss}: (\S+)', output_of(result))
            assert values and all(
                torch.isfinite(torch.tensor(float(v))) for v in values)


def test_filter_epochs_leave_the_student_unchanged(runs):
    """Epoch 2 (student phase) moves the student and not the teacher
    filters; epoch 3 (filter phase, after the resume) the reverse."""
    work, _ = runs['single']
    after_filter = load(work / 'epoch_1.pth')
    after_student = load(work / 'epoch_2.pth')
    after_resume = load(work / 'epoch_3.pth')

    def student(ckpt):
        return {k: v for k, v in ckpt['state_dict'].items()
                if k.startswith('architecture.') and 'running' not in k
                and 'num_batches' not in k}

    def teacher_filters(ckpt):
        return {k: v for k, v in ckpt['state_dict'].items()
                if '.teacher_filter.' in k and v.is_floating_point()
                and 'running' not in k}

    def same(a, b):
        return all(torch.equal(a[k], b[k]) for k in a)

    assert not same(student(after_filter), student(after_student))
    # epoch 3 is the second filter phase: student fixed, filters moving
    assert same(student(after_student), student(after_resume))
    assert not same(teacher_filters(after_student),
                    teacher_filters(after_resume))
    # epoch 2 is a student phase: the teacher filters stay
    assert same(teacher_filters(after_filter), teacher_filters(after_student))


def test_rid_trains_on_two_gloo_processes(runs):
    work, (result, ) = runs['ddp']
    output = output_of(result)
    assert 'GPU number: 2' in output   # MMEngine's name for world size
    assert phases(output) == [(0, 'filter', 1), (0, 'student', 2),
                              (1, 'filter', 3), (1, 'student', 4)]
    checkpoint = load(work / 'epoch_4.pth')
    # 32 images, batch 16 per rank, 2 ranks: 1 iteration per epoch.
    assert checkpoint['meta']['iter'] == 4


def test_rid_student_is_extracted_and_tested(runs, root, run_tool,
                                             test_tool_agrees):
    work, _ = runs['single']
    student = work / 'student.pth'
    run_tool('extract_student.py', work / 'epoch_4.pth', student)
    state = load(student)['state_dict']
    assert not any('distill' in k or k.startswith('teacher.') for k in state)
    test_tool_agrees(STUDENT, student, cifar_options(root, validate=True),
                     work / 'test')


def test_fashion_mnist_rid_config_trains(tmp_path, run_tool,
                                         fashion_mnist_fixture_root):
    root = fashion_mnist_fixture_root
    teacher = untrained_checkpoint('configs/fashion_mnist/mll_teacher_r20.py',
                                   tmp_path / 'r20.pth')
    result = run_tool(
        'train.py', 'configs/fashion_mnist/rid_r20_r8.py', '--work-dir',
        tmp_path / 'rid', '--cfg-options',
        f'train_dataloader.dataset.dataset.data_root={root}',
        f'val_dataloader.dataset.data_root={root}',
        f'test_dataloader.dataset.data_root={root}',
        'train_dataloader.num_workers=0', 'val_dataloader.num_workers=0',
        'test_dataloader.num_workers=0', 'train_cfg.max_epochs=2',
        f'model.teacher_ckpt={teacher}')
    output = output_of(result)
    assert phases(output) == [(0, 'filter', 1), (0, 'student', 2)]
    assert 'teacher.accuracy/top1' in output and 'distill.loss_rid3' in output
