"""Campaign: ``--cfg-options`` keys that nothing reads, and unreadable values.

The parse and merge functions the tools call
(:mod:`mcmi_razor.apis.runner_cli`) run in-process; one case runs
``tools/train.py`` end to end.
"""
import glob
import inspect
import re

import pytest

TEACHER = 'configs/mcmi/mcmi_resnet56_cifar100.py'
KD = 'configs/distill/kd/kd_resnet56_resnet20_cifar100.py'


@pytest.mark.parametrize('option, suggestion', [
    ('load_form=work_dirs/mll/epoch_1.pth', 'load_from'),
    ('trian_cfg.max_epochs=1', 'train_cfg'),
    ('custom_hook=[]', 'custom_hooks'),
    ('optim_wraper.optimizer.lr=0.1', 'optim_wrapper'),
    ('val_evaluater.type=Accuracy', 'val_evaluator'),
])
@pytest.mark.parametrize('tool', ['train', 'test'])
def test_misspelt_top_level_key_is_refused_with_the_close_match(
        fault, merged_config, tool, option, suggestion):
    argv = [TEACHER] + (['x.pth'] if tool == 'test' else [])
    fault.expect_error(
        lambda: merged_config(tool, *argv, '--cfg-options',
                              option),
        mentions=[repr(suggestion), '--allow-unknown-keys'],
        types=(ValueError, ))


def test_deliberate_extra_key_passes_with_the_opt_out(fault,
                                                    merged_config):
    cfg = merged_config('train', TEACHER, '--cfg-options',
                        'my_note=abc', '--allow-unknown-keys')
    fault.record('correct' if cfg.get('my_note') == 'abc' else
                 'silent wrong', f'my_note={cfg.get("my_note")}')


@pytest.mark.parametrize('config, option', [
    (KD, 'model.teacher_ckpt=t.pth'),       # mmrazor's nested key
    (KD, 'kd_model.teacher_ckpt=t.pth'),    # a config's own variable
    (TEACHER, 'find_unused_parameters=True'),  # read by the runner only
    (TEACHER, 'env_cfg.dist_cfg.timeout=60'),
    (TEACHER, 'load_from=work_dirs/mll/epoch_1.pth'),
])
def test_keys_the_config_or_the_runner_reads_are_accepted(
        fault, merged_config, config, option):
    cfg = merged_config('train', config, '--cfg-options',
                        option)
    key, value = option.split('=')
    got = cfg
    for part in key.split('.'):
        got = got[part]
    fault.record('correct' if str(got) == value else 'silent wrong',
                 f'{key} = {got}')


@pytest.mark.slow   # builds every config (about 45)
def test_every_config_accepts_the_overrides_of_its_documented_commands(
        fault):
    """All configs in configs/ with the overrides our docs and tests use."""
    from mmengine.config import Config

    from mcmi_razor.apis import check_override_keys
    options = {f'{loader}.{key}': 0 for loader in (
        'train_dataloader', 'val_dataloader', 'test_dataloader')
        for key in ('dataset.data_root', 'num_workers')}
    options.update({'train_cfg.max_epochs': 1, 'work_dir': 'w',
                    'load_from': 'x.pth', 'randomness.seed': 0,
                    'default_hooks.checkpoint.max_keep_ckpts': 1,
                    'env_cfg.dist_cfg.timeout': 60})
    refused = []
    for path in sorted(glob.glob('configs/**/*.py', recursive=True)):
        if '/_base_/' in path:
            continue
        try:
            check_override_keys(Config.fromfile(path), options)
        except ValueError as error:
            refused.append(f'{path}: {error}')
    fault.record('silent wrong' if refused else 'correct',
                 '; '.join(refused) or 'all configs accept them')


@pytest.mark.parametrize('option, fix', [
    ('k=dict(a=1,b=2)', 'k.a=1 k.b=2'),
    ('model.head.loss=dict(type=MCMILoss,cmi_weight=1)', 'one by one'),
    ('train_cfg=dict(max_epochs=[1,2])', 'one by one'),
])
def test_dict_expression_value_is_a_clear_error_not_a_recursion(
        fault, merged_config, capsys, option, fix):
    # Recorded after the try: a failure raised inside ``except`` would
    # carry the 1000-frame RecursionError into pytest's report.
    try:
        merged_config('train', TEACHER, '--cfg-options', option)
        outcome = 'silent wrong', 'accepted'
    except SystemExit:
        message = capsys.readouterr().err
        outcome = ('clear error' if fix in message else 'unclear',
                   message[-300:])
    except RecursionError as error:
        outcome = 'unclear', f'RecursionError: {error}'
    fault.record(*outcome)


def test_runner_keys_are_read_by_mmengine_runner(fault):
    """Every key of RUNNER_KEYS that MMEngine's from_cfg reads is listed."""
    from mmengine.runner import Runner

    from mcmi_razor.apis import RUNNER_KEYS
    source = inspect.getsource(Runner.from_cfg)
    read = set(re.findall(r"cfg\.get\('(\w+)'", source))
    read |= set(re.findall(r"cfg\['(\w+)'\]", source))
    missing = read - RUNNER_KEYS
    fault.record('silent wrong' if missing else 'correct',
                 f'from_cfg reads {sorted(read)}; missing {sorted(missing)}')


@pytest.mark.slow
def test_train_tool_refuses_a_typo_before_training(fault, run_tool,
                                                   tmp_path):
    result = run_tool('train.py', TEACHER, '--work-dir', tmp_path,
                      '--cfg-options', 'load_form=x.pth', check=False)
    if result.returncode == 0:
        fault.record('silent wrong', 'exit 0')
    elif "Did you mean 'load_from'" in result.stderr:
        fault.record('clear error', result.stderr[-300:])
    else:
        fault.record('unclear', result.stderr[-300:])
