"""The many-class study's run list is the protocol's design."""
from collections import Counter

import pytest

from experiments.many_class import runs
from experiments.many_class.run import command
from experiments.many_class.store import stored


def test_run_counts_per_tier_are_the_protocols():
    tiers = Counter(r.tier for r in runs.all_runs())
    assert tiers == {1: 59, 2: 34, 3: 24}
    names = [r.name for r in runs.all_runs()]
    assert len(names) == len(set(names)) == 117


def test_pairs_come_first_and_every_student_needs_the_schedule():
    students = runs.student_runs()
    first = [r.name for r in students[:8]]
    assert first == [f'kd_{k}_t{t}_few_shot_s0' for t in (0, 1)
                     for k in runs.KINDS]
    assert all(runs.ROOT / 'schedule.json' in r.needs for r in students)


def test_fine_tunes_start_from_base_at_their_level():
    by_name = {r.name: r for r in runs.teacher_runs()}
    assert by_name['fixed_t1'].needs == (stored('base_t1'), )
    assert by_name['control_e6_t0'].needs == (stored('base_t0_e6'), )
    assert [(s.kind, s.args) for s in by_name['base_t0'].steps[2:]] == [
        ('store', ('epoch_6.pth', stored('base_t0_e6'))),
        ('store', ('epoch_15.pth', stored('base_t0')))]
    train = by_name['budget_t0'].steps[0]
    assert train.args[0].endswith('mcmi_teacher_r20_budget.py')
    assert 'randomness.seed=0' in train.options


def test_a_student_trains_for_the_scheduled_epochs_and_resumes(
        tmp_path, monkeypatch):
    monkeypatch.setattr(runs, 'ROOT', tmp_path)
    monkeypatch.setattr('experiments.many_class.run.ROOT', tmp_path)
    (tmp_path / 'schedule.json').write_text('{"epochs": 35}')
    run = runs.student_run('kd', 'fixed', 1, 'zero_shot', 4, 3)
    run.work = tmp_path / 'students' / run.name
    args = command(run, run.steps[0])
    assert 'train_cfg.max_epochs=35' in args
    assert 'param_scheduler.1.T_max=30' in args   # after the 5-epoch warm-up
    assert 'param_scheduler.1.end=35' in args
    assert 'train_dataloader.dataset.dataset.seed=4' in args
    assert '--resume' not in args
    run.work.mkdir(parents=True)
    (run.work / 'last_checkpoint').write_text('x')
    assert '--resume' in command(run, run.steps[0])
    (run.work / 'epoch_35.pth').write_text('x')
    assert command(run, run.steps[0]) is None


def test_the_schedule_options_build_a_warm_up_then_a_cosine_to_the_end():
    """What run.py passes reaches the built config of every student."""
    from mmengine.config import Config
    for config in sorted(set(runs.STUDENT_CONFIGS.values())):
        cfg = Config.fromfile(f'{runs.CONFIGS}/{config}')
        cfg.merge_from_dict({
            key: int(value) for key, value in (
                option.split('=') for option in runs.student_schedule(55))})
        warm_up, cosine = cfg.param_scheduler
        assert (warm_up.type, warm_up.end) == ('LinearLR', 5), config
        assert (cosine.type, cosine.begin, cosine.end, cosine.T_max) == (
            'CosineAnnealingLR', 5, 55, 50), config
        assert cfg.train_cfg.max_epochs == 55
        assert cfg.optim_wrapper.optimizer.lr == 0.05


def test_a_schedule_no_longer_than_the_warm_up_is_refused():
    with pytest.raises(ValueError, match='nothing after the 5-epoch'):
        runs.student_schedule(5)


def test_an_interrupted_fine_tune_resumes_without_its_load_from(
        tmp_path, monkeypatch):
    """tools/train.py refuses --resume with a load_from (two starting
    points): the resumed command carries the checkpoint alone."""
    run = next(r for r in runs.teacher_runs() if r.name == 'budget_t0')
    run.work = tmp_path
    fresh = command(run, run.steps[0])
    assert f'load_from={run.needs[0]}' in fresh
    (tmp_path / 'last_checkpoint').write_text('x')
    resumed = command(run, run.steps[0])
    assert '--resume' in resumed
    assert not any(a.startswith('load_from=') for a in resumed)
    assert 'randomness.seed=0' in resumed


def test_a_teacher_is_done_once_its_weights_are_committed():
    """Students and fine-tunes read the committed weights, never a work
    dir, which a new checkout lacks; the numbers stay in the work dir."""
    run = next(r for r in runs.teacher_runs() if r.name == 'fixed_t1')
    assert run.done == stored('fixed_t1') == runs.teacher_ckpt('fixed', 1)
    assert run.measured == run.work / 'teacher_metrics.json'
    assert run.steps[-1].args == ('epoch_5.pth', stored('fixed_t1'))
    student = runs.student_run('kd', 'fixed', 1, 'few_shot', 0, 1)
    assert stored('fixed_t1') in student.needs
    assert f'model.teacher_ckpt={stored("fixed_t1")}' in (
        student.steps[0].options)
