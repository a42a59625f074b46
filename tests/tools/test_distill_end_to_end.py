"""Distillation through the real tools on a tiny CIFAR-100 fixture (CPU).

One real run of tools/mcmi_pipeline.py's command line (in-process: its
parser and ``MCMIPipeline``) fine-tunes an MCMI teacher, evaluates it,
distils a KD student from it, extracts the student and evaluates it
(evaluate_checkpoint). Its MLL stages are seeded as done (an untrained resnet56
checkpoint and made-up metrics), which also checks that done stages are
skipped. The other methods' resnet56 -> resnet20 configs then distil from
the same MCMI teacher for one epoch, and KD runs on 2 gloo processes.

The fixture holds 1 training and 1 test image per class: every class is
present, as the MCMI centroid pass and CRD's negative sampling need.
OMP_NUM_THREADS=1: on shared cores, torch's default threads spin and run a
resnet56 step 20x slower.
"""
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stdout
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, DefaultScope

from mcmi_razor.apis.pipeline import MCMIPipeline
from mcmi_razor.apis.pipeline_cli import parse_pipeline_args
from mcmi_razor.apis.student_checkpoint import extract_student_file
from mcmi_razor.fileio import load_checkpoint
from mcmi_razor.testing import write_cifar

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
DISTILL = 'configs/distill/{0}/{0}_resnet56_resnet20_cifar100.py'
STUDENT = 'configs/students/resnet20_cifar100.py'
ENV = dict(OMP_NUM_THREADS='1')
FAST = ['default_hooks.logger.interval=1', 'train_cfg.max_epochs=1']
# Distillation runs see 32 images in 2 batches; evaluation all 100 at once.
SMALL_TRAIN = ['train_dataloader.dataset.indices=32',
               'train_dataloader.batch_size=16']
METHOD_LOSSES = {
    'dkd': ['loss_dkd'],
    'dist': ['loss_dist'],
    'fitnets': ['loss_hint'],
    'at': ['loss_at1', 'loss_at2', 'loss_at3'],
    'crd': ['loss_crd'],
}
CRD_LOSS = 'model.distiller.distill_losses.loss_crd'
# Against the fixture teacher (one epoch on 500 images) the recipe's hint
# weight 100 (checked by tests/configs/test_distill_recipes.py) gave hint
# losses of 5e5-6e6 and a student whose logits overflowed to NaN within the
# epoch; tools/test.py now refuses such a student. Here the hint term only
# has to run.
FITNETS_FIXTURE_WEIGHT = [
    'model.distiller.distill_losses.loss_hint.loss_weight=0.01']
CRD_NEGATIVES = 16


def data_options(root, train='train_dataloader.dataset', validate=True):
    options = [f'{train}.type=UnverifiedCIFAR100',
               f'{train}.data_root={root}', 'train_dataloader.num_workers=0',
               'train_dataloader.batch_size=50']
    loaders = ['val_dataloader'] * validate + ['test_dataloader']
    for loader in loaders:
        options += [f'{loader}.dataset.type=UnverifiedCIFAR100',
                    f'{loader}.dataset.data_root={root}',
                    f'{loader}.num_workers=0', f'{loader}.batch_size=100']
    return options


def build(config: str):
    with DefaultScope.overwrite_default_scope('mcmi_razor'):
        return MODELS.build(Config.fromfile(str(REPO / config)).model)


def seed_done_training(folder: Path, model: str, metrics: dict) -> Path:
    """Make ``folder`` look like a finished pipeline training stage."""
    folder.mkdir(parents=True)
    checkpoint = folder / 'epoch_1.pth'
    torch.manual_seed(0)      # the same stand-in teacher in every run
    state = build(model).state_dict()
    torch.save(dict(meta={}, state_dict=state), checkpoint)
    (folder / 'pipeline_done.json').write_text(
        json.dumps(dict(checkpoint=str(checkpoint))))
    (folder / 'eval_metrics.json').write_text(json.dumps(metrics))
    return checkpoint


def assert_student_of_resnet20(student_file):
    """A student-only checkpoint that loads strictly into plain resnet20."""
    state = load_checkpoint(str(student_file))['state_dict']
    assert not any(k.startswith(('teacher.', 'distiller.', 'architecture.'))
                   for k in state)
    build(STUDENT).load_state_dict(state, strict=True)


@pytest.fixture(scope='module')
def root(tmp_path_factory):
    """One training image per class (fast runs); two test images per
    class, so the test split's CMI is not 0 by construction (with one image
    per class each centroid is that image's prediction)."""
    return write_cifar(tmp_path_factory.mktemp('cifar100_1pc'),
                       num_classes=100, train_per_class=1, test_per_class=2)


@pytest.fixture(scope='module')
def pipeline_run(tmp_path_factory, root):
    """tools/mcmi_pipeline.py's command line with its MLL stages already
    done; the stages run the tools as subprocesses."""
    work = tmp_path_factory.mktemp('pipeline')
    mll = seed_done_training(work / 'mll_teacher',
                             'configs/_base_/models/resnet56_cifar.py',
                             {'top1': 11.0, 'cmi': 0.25})
    student = work / 'students' / 'mll_seed0'
    seed_done_training(student, 'configs/_base_/models/resnet20_cifar.py',
                       {'top1': 7.0})
    torch.save(dict(meta={}, state_dict={}), student / 'student.pth')
    argv = [
        '--mll-config', 'configs/mll/mll_resnet56_cifar100.py',
        '--mcmi-config', 'configs/mcmi/mcmi_resnet56_cifar100.py',
        '--distill-config', DISTILL.format('kd'), '--student-config', STUDENT,
        '--work-dir', str(work), '--cfg-options', *data_options(root), *FAST,
        '--student-options', *SMALL_TRAIN
    ]
    printed = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, redirect_stdout(printed):
        patch.chdir(REPO)
        patch.setenv('OMP_NUM_THREADS', '1')
        patch.setenv('CUDA_VISIBLE_DEVICES', '')
        MCMIPipeline(parse_pipeline_args(argv),
                     tools_dir=str(REPO / 'tools')).run()
    return work, mll, printed.getvalue().splitlines()


def test_pipeline_skips_done_stages_and_runs_the_rest(pipeline_run, root,
                                                     reference_metrics):
    work, _, printed = pipeline_run
    progress = [line for line in printed if line.startswith('[pipeline ')
                and line.endswith((': running', ': done earlier, skipped'))]
    skipped = [line for line in progress if 'skipped' in line]
    assert len(progress) == 10 and len(skipped) == 5
    assert all('mll' in line.lower() for line in skipped)
    results = json.loads((work / 'results.json').read_text())
    assert results['teachers']['mll']['metrics']['cmi'] == 0.25
    # The MCMI teacher the pipeline trained is evaluated as the definition
    # says, on the test split of its config.
    mcmi = results['teachers']['mcmi']['metrics']
    expected = reference_metrics('configs/mcmi/mcmi_resnet56_cifar100.py',
                                 work / 'mcmi_teacher' / 'epoch_1.pth',
                                 data_options(root))
    assert mcmi['top1'] == pytest.approx(expected['top1'],
                                         abs=expected['top1_abs'])
    assert expected['cmi'] > 1e-4    # far from 0, where a broken pass lands
    assert mcmi['cmi'] == pytest.approx(expected['cmi'], rel=1e-4, abs=1e-9)
    top1 = results['students']['mcmi']['runs'][0]['metrics']['top1']
    assert results['students']['mcmi']['top1']['mean'] == top1
    assert '| MCMI |' in (work / 'results.md').read_text()


def test_mcmi_stage_fine_tunes_the_mll_checkpoint(pipeline_run):
    work, mll, _ = pipeline_run
    log = (work / 'mcmi_teacher' / 'pipeline.log').read_text()
    assert f'Load checkpoint from {mll}' in log
    assert 'Class centroids set' in log and 'cmi_term' in log


def test_kd_student_learns_from_the_mcmi_teacher_checkpoint(pipeline_run):
    work, _, _ = pipeline_run
    run = work / 'students' / 'mcmi_seed0'
    log = (run / 'pipeline.log').read_text()
    teacher = work / 'mcmi_teacher' / 'epoch_1.pth'
    assert f'Teacher loaded from {teacher}: every key fits.' in log
    assert 'distill.loss_kd' in log and 'teacher.accuracy/top1' in log
    assert_student_of_resnet20(run / 'student.pth')
    assert 'top1' in json.loads((run / 'eval_metrics.json').read_text())


@pytest.fixture(scope='module')
def distill_runs(pipeline_run, root, tmp_path_factory, run_tool):
    """Each method's config for one epoch from the MCMI teacher, and KD on
    2 gloo processes: {name: (work dir, completed process)}. Without
    validation (the pipeline's KD run checks the teacher's accuracy); two
    runs at a time, one per core: each spends most of its time importing."""
    teacher = pipeline_run[0] / 'mcmi_teacher' / 'epoch_1.pth'
    common = [*FAST, f'model.teacher_ckpt={teacher}']
    jobs = {}
    for method in METHOD_LOSSES:
        work = tmp_path_factory.mktemp(method)
        if method == 'crd':
            options = data_options(
                root, 'train_dataloader.dataset.dataset', False) + [
                    f'train_dataloader.dataset.neg_num={CRD_NEGATIVES}',
                    f'{CRD_LOSS}.neg_num={CRD_NEGATIVES}',
                    f'{CRD_LOSS}.sample_n=100'
                ]
        else:
            options = data_options(root, validate=False) + SMALL_TRAIN
        if method == 'fitnets':
            options += FITNETS_FIXTURE_WEIGHT
        jobs[method] = (work, dict(env=ENV), options)
    jobs['kd_ddp'] = (tmp_path_factory.mktemp('kd_ddp'), dict(nproc=2),
                      data_options(root, validate=False) + SMALL_TRAIN)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            name: pool.submit(
                run_tool, 'train.py',
                DISTILL.format(name.split('_')[0]), '--work-dir', work,
                '--no-validate', '--cfg-options', *options, *common,
                check=False, **kwargs)
            for name, (work, kwargs, options) in jobs.items()
        }
    return {name: (jobs[name][0], future.result())
            for name, future in futures.items()}


def finished(run):
    """The work dir of a successful run, or fail with its output."""
    work, result = run
    if result.returncode != 0:
        pytest.fail(f'{" ".join(map(str, result.args))} failed:\n'
                    f'{result.stdout[-3000:]}\n{result.stderr[-5000:]}')
    return work, result.stdout + result.stderr


@pytest.mark.parametrize('method', METHOD_LOSSES)
def test_method_distils_from_the_mcmi_teacher(method, distill_runs,
                                              pipeline_run, root,
                                              test_tool_agrees):
    work, output = finished(distill_runs[method])
    teacher = pipeline_run[0] / 'mcmi_teacher' / 'epoch_1.pth'
    assert f'Teacher loaded from {teacher}: every key fits.' in output
    for loss in METHOD_LOSSES[method]:
        values = re.findall(rf'distill\.{loss}: (\S+)', output)
        assert values and all(torch.isfinite(torch.tensor(float(v)))
                              for v in values), loss
    if method != 'crd':   # CRD: the next test
        extract_student_file(str(work / 'epoch_1.pth'),
                             str(work / 'student.pth'))
        assert_student_of_resnet20(work / 'student.pth')
        test_tool_agrees(STUDENT, work / 'student.pth', data_options(root),
                         work / 'test')


def test_extract_and_test_tools_evaluate_the_crd_student(
        distill_runs, root, test_tool_agrees):
    """CRD's checkpoint also holds connectors and a memory bank; the
    student is extracted by what tools/extract_student.py calls."""
    work, _ = finished(distill_runs['crd'])
    student = work / 'student.pth'
    extract_student_file(str(work / 'epoch_1.pth'), str(student))
    assert_student_of_resnet20(student)
    test_tool_agrees(STUDENT, student, data_options(root), work / 'test')


def test_kd_trains_on_two_gloo_processes(distill_runs):
    work, output = finished(distill_runs['kd_ddp'])
    assert 'GPU number: 2' in output   # MMEngine's name for world size
    assert 'distill.loss_kd' in output
    checkpoint = load_checkpoint(str(work / 'epoch_1.pth'))
    # 32 images, batch 16 per rank, 2 ranks: 1 iteration per epoch.
    assert checkpoint['meta']['iter'] == 1
