"""The pipeline's stages, skipping, resuming and table, with fake tools.

``FakeTools`` stands in for tools/train.py and for the evaluation: it records
each command and evaluation and writes what tools/train.py would (a
checkpoint and ``last_checkpoint``). Students score 50 + seed (+ 10 for the
MCMI teacher's), so the table's numbers can be checked.
"""
import json
import os.path as osp
import sys
from pathlib import Path

import pytest
import torch

from mcmi_razor.apis.pipeline import (
    MCMIPipeline,
    PipelineError,
    PipelineSettings,
    control_options,
    parse_options,
    run_logged,
)

REPO = Path(__file__).resolve().parents[2]
MCMI = str(REPO / 'configs/mcmi/mcmi_resnet56_cifar100.py')


class FakeTools:

    def __init__(self):
        self.commands = []
        self.evaluations = []

    def __call__(self, command, log_file):
        self.commands.append(list(command))
        args = command[2:]
        assert osp.basename(command[1]) == 'train.py'
        work_dir = args[args.index('--work-dir') + 1]
        checkpoint = osp.join(work_dir, 'epoch_1.pth')
        torch.save(
            dict(
                meta=dict(epoch=1),
                state_dict={
                    'architecture.head.fc.bias': torch.zeros(2),
                    'teacher.head.fc.bias': torch.ones(2)
                }), checkpoint)
        Path(work_dir, 'last_checkpoint').write_text(checkpoint)

    def evaluate(self, config, checkpoint, cfg_options):
        self.evaluations.append((config, checkpoint, cfg_options))
        score, folder = 1.0, osp.basename(osp.dirname(checkpoint))
        if 'seed' in folder:
            score = 50.0 + int(folder.split('seed')[1])
            score += 10 * folder.startswith('mcmi_seed')
        return {'top1': score, 'cmi': 0.5}

    def trained(self):
        return [c[c.index('--work-dir') + 1] for c in self.commands
                if c[1].endswith('train.py')]


def settings(tmp_path, **kwargs):
    values = dict(
        mll_config='mll.py',
        mcmi_config=MCMI,
        distill_config='distill.py',
        student_config='student.py',
        work_dir=str(tmp_path / 'w'),
        cfg_options=['train_dataloader.dataset.data_root=x'],
        teacher_options=['train_cfg.max_epochs=1'],
        student_options=['train_cfg.max_epochs=2'],
        seeds=[0, 1])
    values.update(kwargs)
    return PipelineSettings(**values)


def options(command):
    return command[command.index('--cfg-options') + 1:]


def run(settings, tools=None):
    tools = tools or FakeTools()
    echoed = []
    results = MCMIPipeline(
        settings, tools_dir='/tools', run=tools, echo=echoed.append,
        evaluate=getattr(tools, 'evaluate', None)).run()
    return results, tools, echoed


def test_stages_run_in_order_with_their_options(tmp_path):
    results, tools, _ = run(settings(tmp_path, control=True))
    w = str(tmp_path / 'w')
    assert tools.trained() == [
        f'{w}/mll_teacher', f'{w}/mcmi_teacher', f'{w}/control_teacher',
        f'{w}/students/mll_seed0', f'{w}/students/mll_seed1',
        f'{w}/students/mcmi_seed0', f'{w}/students/mcmi_seed1',
        f'{w}/students/control_seed0', f'{w}/students/control_seed1'
    ]
    mll, mcmi, control = tools.commands[:3]
    assert mll[2] == 'mll.py' and options(mll) == [
        'train_dataloader.dataset.data_root=x', 'train_cfg.max_epochs=1',
        'randomness.seed=0'
    ]
    assert options(mcmi)[-2:] == [f'load_from={w}/mll_teacher/epoch_1.pth',
                                  'randomness.seed=0']
    assert control[2] == MCMI
    plain_ce = [
        'model.head.loss._delete_=True', 'model.head.loss.loss_weight=1.0',
        'custom_hooks=[]', 'model.head.loss.type=CrossEntropyLoss'
    ]
    assert options(control) == options(mll)[:-1] + plain_ce + [
        f'load_from={w}/mll_teacher/epoch_1.pth', 'randomness.seed=0'
    ]
    student = next(c for c in tools.commands
                   if c[c.index('--work-dir') + 1].endswith('mcmi_seed1'))
    assert options(student) == [
        'train_dataloader.dataset.data_root=x', 'train_cfg.max_epochs=2',
        f'model.teacher_ckpt={w}/mcmi_teacher/epoch_1.pth',
        'randomness.seed=1'
    ]
    tests = tools.evaluations
    assert [c[0] for c in tests] == ['mll.py', MCMI, MCMI] + ['student.py'
                                                             ] * 6
    assert tests[2][2] == parse_options(options(mll)[:-1] + plain_ce)
    assert tests[3][1] == f'{w}/students/mll_seed0/student.pth'
    assert tests[3][2] == {'train_dataloader.dataset.data_root': 'x'}


def test_teacher_seed_none_leaves_the_configs_seed(tmp_path):
    _, tools, _ = run(settings(tmp_path, teacher_seed=None))
    assert not any('randomness.seed=0' in options(c)
                   for c in tools.commands[:2])


def test_control_is_the_mcmi_fine_tune_with_plain_cross_entropy(tmp_path):
    assert control_options(MCMI, []) == [
        'model.head.loss._delete_=True', 'model.head.loss.loss_weight=1.0',
        'custom_hooks=[]', 'model.head.loss.type=CrossEntropyLoss'
    ]
    smoothed = control_options(MCMI, ['model.head.loss.label_smoothing=0.1'])
    assert 'model.head.loss.type=LabelSmoothLoss' in smoothed
    assert 'model.head.loss.label_smooth_val=0.1' in smoothed
    with pytest.raises(PipelineError, match='expected an MCMILoss'):
        control_options(str(REPO / 'configs/mll/mll_resnet56_cifar100.py'), [])


def test_results_table_has_teachers_and_student_statistics(tmp_path):
    results, _, _ = run(settings(tmp_path))
    students = results['students']
    assert students['mll']['top1']['mean'] == pytest.approx(50.5)
    assert students['mll']['top1']['std'] == pytest.approx(0.5**0.5)
    assert students['mcmi']['top1']['mean'] == pytest.approx(60.5)
    assert results['teachers']['mcmi']['metrics']['cmi'] == 0.5
    w = tmp_path / 'w'
    assert json.loads((w / 'results.json').read_text()) == results
    table = (w / 'results.md').read_text()
    row = '| MCMI | 1.00 | 0.5000 | n/a | 60.50 ± 0.71 | 0: 60.00, 1: 61.00 |'
    assert row in table


def test_a_second_run_skips_every_stage(tmp_path):
    first, _, _ = run(settings(tmp_path))
    second, tools, echoed = run(settings(tmp_path))
    assert tools.commands == [] and tools.evaluations == []
    assert second == first
    assert all('done earlier, skipped' in line for line in echoed[:-1])


def test_an_unfinished_stage_needs_resume_and_resumes_without_load_from(
        tmp_path):
    run(settings(tmp_path, seeds=[0]))
    marker = tmp_path / 'w' / 'mcmi_teacher' / 'pipeline_done.json'
    marker.unlink()
    with pytest.raises(PipelineError, match='--resume'):
        run(settings(tmp_path, seeds=[0]))
    _, tools, _ = run(settings(tmp_path, seeds=[0], resume=True))
    assert tools.trained() == [str(tmp_path / 'w' / 'mcmi_teacher')]
    command = tools.commands[0]
    assert '--resume' in command
    assert not any(o.startswith('load_from=') for o in options(command))
    assert marker.exists()


def test_retraining_a_stage_discards_its_old_test_and_student(tmp_path):
    run(settings(tmp_path, seeds=[0]))
    folder = tmp_path / 'w' / 'students' / 'mcmi_seed0'
    (folder / 'pipeline_done.json').unlink()
    (folder / 'last_checkpoint').unlink()
    (folder / 'eval_metrics.json').write_text('{"top1": -1}')
    results, tools, _ = run(settings(tmp_path, seeds=[0]))
    assert [c[1] for c in tools.commands] == ['/tools/train.py']
    assert [e[1] for e in tools.evaluations] == [str(folder / 'student.pth')]
    assert results['students']['mcmi']['runs'][0]['metrics'][
        'top1'] == 60.0


def test_a_failed_stage_stops_the_pipeline_without_a_marker(tmp_path):

    def failing(command, log_file):
        raise PipelineError('train.py failed')

    with pytest.raises(PipelineError, match='failed'):
        run(settings(tmp_path), tools=failing)
    assert not (tmp_path / 'w' / 'mll_teacher' / 'pipeline_done.json').exists()


def test_run_logged_reports_the_end_of_the_log(tmp_path):
    log = tmp_path / 'stage.log'
    with pytest.raises(PipelineError, match='(?s)exit 3.*boom'):
        run_logged([sys.executable, '-c', 'print("boom"); exit(3)'], str(log))
    assert log.read_text().startswith('$ ')


def test_stage_times_are_kept_and_estimate_a_later_run(tmp_path):
    first, _, echoed = run(settings(tmp_path, seeds=[0]))
    assert len(first['stage_seconds']) == 10
    assert None not in first['stage_seconds']
    assert '[pipeline 1/10] done in ' in next(
        line for line in echoed if 'done in' in line)
    results = str(tmp_path / 'w' / 'results.json')
    _, _, echoed = run(settings(tmp_path, seeds=[0], stage_times=results,
                                work_dir=str(tmp_path / 'later')))
    assert echoed[0].startswith('[pipeline] estimate: about ')
    with pytest.raises(PipelineError, match='no_such.json.*stage_seconds'):
        run(settings(tmp_path, stage_times=str(tmp_path / 'no_such.json')))
