"""Config handling shared by ``tools/train.py`` and ``tools/test.py``.

The tools accept mmpretrain's flags and behave like mmpretrain's tools; they
differ only in importing ``mcmi_razor`` (and so its stack repairs) before
anything of mmrazor, and in checking that the data is where the config says.
"""
import argparse
import difflib
import os.path as osp
from copy import deepcopy
from typing import Iterable, Optional

from mmengine.config import Config, ConfigDict, DictAction
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from mcmi_razor.datasets import check_data_root

# Seconds a rank waits in a collective for the others (torch: 1800); see
# configs/_base_/default_runtime.py and docs/reliability.md.
COLLECTIVE_TIMEOUT_S = 600

# Top-level keys MMEngine's Runner (``from_cfg``, ``setup_env``,
# ``wrap_model``, ...) and our tools read, whether or not a config sets them.
RUNNER_KEYS = frozenset({
    'activation_checkpointing', 'auto_scale_lr', 'compile', 'custom_hooks',
    'custom_imports', 'data_preprocessor', 'default_hooks', 'default_scope',
    'efficient_conv_bn_eval', 'env_cfg', 'experiment_name',
    'find_unused_parameters', 'launcher', 'load_from', 'log_level',
    'log_processor', 'model', 'model_wrapper_cfg', 'optim_wrapper',
    'param_scheduler', 'randomness', 'resume', 'runner_type', 'strategy',
    'test_cfg', 'test_dataloader', 'test_evaluator', 'train_cfg',
    'train_dataloader', 'tta_model', 'tta_pipeline', 'val_cfg',
    'val_dataloader', 'val_evaluator', 'visualizer', 'work_dir'
})


class CfgOptionsAction(DictAction):
    """MMEngine's ``--cfg-options`` parser with a message for what it cannot
    read (``k=dict(a=1,b=2)`` sends it into endless recursion)."""

    def __call__(self, parser, namespace, values, option_string=None):
        try:
            super().__call__(parser, namespace, values, option_string)
        except (RecursionError, AssertionError) as error:
            raise argparse.ArgumentError(
                self, f'cannot read {" ".join(values)!r} ({error}). Values '
                'are numbers, strings, lists [a,b] or tuples (a,b); a dict '
                'cannot be written as dict(...): set its keys one by one '
                'instead, e.g. k.a=1 k.b=2 for k=dict(a=1,b=2). Quote '
                'brackets for the shell.') from None


def check_override_keys(cfg: Config, options: Optional[dict],
                        allow_unknown: bool = False) -> None:
    """Refuse ``--cfg-options`` whose top-level key nothing reads.

    A key is known when the config already has it or MMEngine's runner reads
    it (:data:`RUNNER_KEYS`); anything else (e.g. ``load_form``) would be
    silently ignored. ``allow_unknown`` lets deliberate extra keys through.
    """
    if not options or allow_unknown:
        return
    known = set(cfg.keys()) | RUNNER_KEYS
    for option in options:
        key = option.split('.', 1)[0]
        if key in known:
            continue
        close = difflib.get_close_matches(key, sorted(known), n=1)
        hint = f'Did you mean {close[0]!r}? ' if close else ''
        raise ValueError(
            f'--cfg-options {option}: the config has no top-level key '
            f'{key!r} and the runner does not read one, so it would be '
            f'ignored. {hint}Fix the name, or pass --allow-unknown-keys if '
            'the extra key is deliberate.')


def check_resume_source(resume: Optional[str], options: Optional[dict],
                        work_dir: str) -> None:
    """Refuse ``--resume`` with a ``load_from`` override naming another
    checkpoint: which run continues would otherwise be ambiguous (MMEngine
    silently resumes from ``load_from``, and its retention then deletes
    files of the work dir)."""
    if resume is None or not options or options.get('load_from') is None:
        return
    load_from = str(options['load_from'])
    if resume != 'auto' and osp.abspath(resume) == osp.abspath(load_from):
        return
    continued = ('the last checkpoint in ' + work_dir
                 if resume == 'auto' else resume)
    raise ValueError(
        f'--resume continues from {continued}, but --cfg-options sets '
        f'load_from={load_from}: two different starting points. To continue '
        'this run, drop load_from from --cfg-options; to continue the run '
        f'that wrote {load_from}, pass --resume {load_from} (and its '
        f'--work-dir); to start a new run from its weights, drop --resume.')


def resolve_work_dir(cfg: Config, config_path: str, work_dir: str) -> None:
    """CLI ``--work-dir`` > ``work_dir`` in the file > ./work_dirs/<name>."""
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        name = osp.splitext(osp.basename(config_path))[0]
        cfg.work_dir = osp.join('./work_dirs', name)


def apply_dataloader_defaults(cfg: Config, fields: Iterable[str],
                              pin_memory: bool,
                              persistent_workers: bool) -> None:
    """Fill mmpretrain's dataloader defaults without overriding the config.

    ``persistent_workers`` is only set where the loader has workers
    (PyTorch rejects it otherwise).
    """
    for field in fields:
        if cfg.get(field) is None:
            continue
        loader = ConfigDict(collate_fn=dict(type='default_collate'),
                            pin_memory=pin_memory)
        if persistent_workers and cfg[field].get('num_workers', 0) > 0:
            loader.persistent_workers = True
        loader.update(deepcopy(cfg[field]))
        if not pin_memory:
            loader.pin_memory = False
        if not persistent_workers or loader.get('num_workers', 0) == 0:
            loader.persistent_workers = False
        cfg[field] = loader


def bound_collectives(cfg: Config,
                      seconds: int = COLLECTIVE_TIMEOUT_S) -> None:
    """Give ``env_cfg.dist_cfg`` a collective timeout unless it has one.

    Our runtime config sets it too; this covers configs built on others'
    (mmpretrain's runtime leaves torch's 30 minutes).
    """
    env_cfg = cfg.setdefault('env_cfg', ConfigDict())
    dist_cfg = env_cfg.setdefault('dist_cfg', ConfigDict())
    if dist_cfg.get('timeout') is None:
        dist_cfg.timeout = seconds


def add_finite_outputs_check(cfg: Config) -> None:
    """Add ``FiniteOutputsHook`` to ``custom_hooks`` unless a config has it:
    a diverged model is refused instead of scoring 0%."""
    hooks = list(cfg.get('custom_hooks') or [])
    if not any(str(h.get('type', '')).endswith('FiniteOutputsHook')
               for h in hooks):
        hooks.append(dict(type='mcmi_razor.FiniteOutputsHook'))
    cfg.custom_hooks = hooks


def build_runner(cfg: Config) -> Runner:
    """Check the data roots, bound the collectives, then build the runner
    the config asks for."""
    check_data_root(cfg)
    bound_collectives(cfg)
    add_finite_outputs_check(cfg)
    if 'runner_type' in cfg:
        return RUNNERS.build(cfg)
    return Runner.from_cfg(cfg)
