"""Test-split logits of a trained classifier or distilled student."""
import copy
from typing import Optional, Tuple

import torch
from mmengine.config import Config
from mmengine.hub import get_config
from mmengine.registry import DefaultScope
from mmengine.runner import Runner

from mcmi_razor.fileio import load_checkpoint
from mcmi_razor.models.checkpoint_fit import check_fit, state_dict_of
from mcmi_razor.registry import MODELS

#: Key prefix of each part of an mmrazor ``SingleTeacherDistill`` checkpoint.
PREFIXES = dict(student='architecture.', teacher='teacher.')


def classifier_cfg(cfg: Config, role: str = 'student') -> Tuple[dict, str]:
    """The classifier of ``role`` (``'student'`` | ``'teacher'``) in a config
    and its key prefix in the config's checkpoints.

    In a distillation config (mmrazor ``SingleTeacherDistill``) the student
    is ``model.architecture`` (keys ``architecture.*``) and the teacher
    ``model.teacher`` (keys ``teacher.*``), either given inline or by
    ``cfg_path``; a plain classifier config is its own student and teacher
    (no prefix). The classifier keeps its own data preprocessor, else takes
    the config's (as MMEngine's runner does).
    """
    model = copy.deepcopy(cfg.model)
    prefix = ''
    if 'architecture' in model:
        model = model['architecture' if role == 'student' else role]
        prefix = PREFIXES[role]
        if 'cfg_path' in model:
            referenced = get_config(model['cfg_path'])
            model = copy.deepcopy(referenced.model)
            model.setdefault('data_preprocessor',
                             referenced.get('data_preprocessor'))
    model.setdefault('data_preprocessor', cfg.get('data_preprocessor'))
    if model.get('data_preprocessor') is not None:
        model['data_preprocessor'].setdefault(
            'type', 'mmpretrain.ClsDataPreprocessor')
    return model, prefix


@torch.no_grad()
def collect_logits(config, checkpoint: str,
                   cfg_options: Optional[dict] = None,
                   split: str = 'test_dataloader',
                   batch_size: Optional[int] = 256
                   ) -> Tuple[torch.Tensor, torch.Tensor]:
    """Run a checkpoint over a split of its config.

    Args:
        config (str | Config): a classifier config, or a distillation config
            (its student is evaluated).
        checkpoint (str): a checkpoint written by training that config.
        cfg_options (dict, optional): overrides, as ``--cfg-options``.
        split (str): the dataloader field to use. Defaults to the test one.
        batch_size (int, optional): evaluation batch size; None keeps the
            split's own (then the batches, and so the float results, are
            those of ``tools/test.py``). Defaults to 256.

    Returns:
        tuple: logits (N, C) float32 and labels (N,) int64, in dataset order.
    """
    cfg = Config.fromfile(config) if isinstance(config, str) else \
        copy.deepcopy(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    scope = cfg.get('default_scope', 'mcmi_razor')
    with DefaultScope.overwrite_default_scope(scope):
        model_cfg, prefix = classifier_cfg(cfg)
        model = MODELS.build(model_cfg)
        state = state_dict_of(load_checkpoint(checkpoint))
        if prefix:
            state = {k[len(prefix):]: v for k, v in state.items()
                     if k.startswith(prefix)}
        role = 'the student in' if prefix else 'the checkpoint'
        model.load_state_dict(check_fit(model, state, checkpoint, role),
                              strict=True)
        model.eval()
        loader_cfg = copy.deepcopy(cfg[split])
        loader_cfg.update(num_workers=0, persistent_workers=False)
        if batch_size is not None:
            loader_cfg.update(batch_size=batch_size)
        loader = Runner.build_dataloader(loader_cfg)
        logits, labels = [], []
        for batch in loader:
            data = model.data_preprocessor(batch, False)
            logits.append(model(data['inputs'], mode='tensor').float())
            labels.append(torch.cat(
                [s.gt_label for s in data['data_samples']]))
    return torch.cat(logits), torch.cat(labels).long()
