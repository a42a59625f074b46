"""Config handling shared by ``tools/train.py`` and ``tools/test.py``.

The tools accept mmpretrain's flags and behave like mmpretrain's tools; they
differ only in importing ``mcmi_razor`` (and so its stack repairs) before
anything of mmrazor, and in checking that the data is where the config says.
"""
import os.path as osp
from copy import deepcopy
from typing import Iterable

from mmengine.config import Config, ConfigDict
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from mcmi_razor.datasets import check_data_root


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


def build_runner(cfg: Config) -> Runner:
    """Check the data roots, then build the runner the config asks for."""
    check_data_root(cfg)
    if 'runner_type' in cfg:
        return RUNNERS.build(cfg)
    return Runner.from_cfg(cfg)
