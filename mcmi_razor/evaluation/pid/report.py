"""PID of a teacher and its students from configs and checkpoints.

The logic of ``tools/analysis/pid_report.py``: load each model through
MMEngine's ``CheckpointLoader``, extract pooled features of a named layer on
a split, fit the teacher codebook once, decompose every student against it
and write ``pid_report.md``, ``.json`` and ``.png``.
"""
import copy
import glob
import json
import os
import os.path as osp
import re
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner import Runner
from mmengine.runner.checkpoint import CheckpointLoader

from mcmi_razor.evaluation.analysis.predictions import classifier_cfg
from mcmi_razor.evaluation.analysis.tables import markdown_table
from mcmi_razor.registry import MODELS

from .codebook import fit_teacher_codebook
from .estimator import pid
from .features import extract_features
from .validation import check_labels, resolve_k

COLUMNS = ['name', 'red', 'uni_t', 'uni_s', 'syn', 'i_yt', 'i_ys', 'i_yts',
           'probe_t', 'probe_s', 'null_floor']


def default_layer(model, feature: str) -> str:
    """``neck`` (or ``backbone`` without one) for penultimate features,
    ``head`` for logits."""
    if feature == 'logits':
        return 'head'
    return 'neck' if getattr(model, 'neck', None) is not None else 'backbone'


class ModelFeatures:
    """One classifier of a config; features of any of its checkpoints."""

    def __init__(self, config, role: str, split: str = 'test',
                 cfg_options: Optional[dict] = None, batch_size: int = 256,
                 feature: str = 'penultimate',
                 layer: Optional[str] = None) -> None:
        cfg = Config.fromfile(config) if isinstance(config, str) else \
            copy.deepcopy(config)
        if cfg_options:
            cfg.merge_from_dict(cfg_options)
        self.scope = cfg.get('default_scope', 'mcmi_razor')
        with DefaultScope.overwrite_default_scope(self.scope):
            part, self.prefix = classifier_cfg(cfg, role)
            self.model = MODELS.build(part)
        self.layer = layer or default_layer(self.model, feature)
        key = f'{split}_dataloader'
        if cfg.get(key) is None:
            raise ValueError(f'The config has no {key}: choose another '
                             '--split (test or val).')
        self.loader_cfg = copy.deepcopy(cfg[key])
        self.loader_cfg.update(batch_size=batch_size, num_workers=0,
                               persistent_workers=False)

    def __call__(self, checkpoint: str) -> Tuple[np.ndarray, np.ndarray]:
        """Features (N, d) and labels (N,) with ``checkpoint`` loaded."""
        state = CheckpointLoader.load_checkpoint(checkpoint,
                                                 map_location='cpu')
        state = state.get('state_dict', state)
        if self.prefix:
            state = {k[len(self.prefix):]: v for k, v in state.items()
                     if k.startswith(self.prefix)}
        self.model.load_state_dict(state, strict=True)
        with DefaultScope.overwrite_default_scope(self.scope):
            loader = Runner.build_dataloader(self.loader_cfg)
        print(f'features of {self.layer} from {checkpoint}')
        return extract_features(self.model, self.layer, loader,
                                progress=True)


def work_dir_checkpoints(work_dir: str) -> List[Tuple[str, str]]:
    """(name, path) of ``epoch_*.pth`` / ``iter_*.pth``, in training order."""
    found = []
    for path in glob.glob(osp.join(work_dir, '*.pth')):
        match = re.fullmatch(r'(epoch|iter)_(\d+)\.pth', osp.basename(path))
        if match:
            found.append((int(match.group(2)), match.group(0)[:-4], path))
    if not found:
        raise FileNotFoundError(
            f'No epoch_*.pth or iter_*.pth in {work_dir}: pass the work dir '
            'of a distillation run (tools/train.py --work-dir).')
    return [(name, path) for _, name, path in sorted(found)]


def work_dir_config(work_dir: str) -> str:
    """The config MMEngine dumped into ``work_dir``."""
    configs = sorted(glob.glob(osp.join(work_dir, '*.py')))
    if len(configs) != 1:
        raise FileNotFoundError(
            f'Expected the one config MMEngine dumps in {work_dir}, found '
            f'{configs}: pass it with --config.')
    return configs[0]


def pid_rows(teacher: Tuple[np.ndarray, np.ndarray],
             students: Dict[str, Tuple[np.ndarray, np.ndarray]],
             k='auto', seed: int = 0, bootstrap: int = 0) -> List[dict]:
    """One row per student against one frozen teacher codebook.

    Args:
        teacher: features (N, d_T) and labels (N,).
        students: name -> features (N, d_S) and labels (N,), the same
            labels in the same order.
    """
    labels, num_classes = check_labels(teacher[1])
    k = resolve_k(k, len(labels), num_classes)
    codebook = fit_teacher_codebook(labels, teacher[0], num_classes, k,
                                    seed)
    rows = []
    for name, (features, student_labels) in students.items():
        if not np.array_equal(student_labels, teacher[1]):
            raise ValueError(
                f'{name} saw other labels than the teacher: the split must '
                'be the same images in the same order for every model.')
        result = pid(labels, None, features, codebook=codebook, seed=seed,
                     bootstrap=bootstrap)
        rows.append(dict(name=name, **result.as_dict()))
    return rows


def markdown(rows: Sequence[dict]) -> str:
    """The report's Markdown: what was measured, then one row per model."""
    return ('PID in bits (k = {k}, N = {num_samples}, C = {num_classes}, '
            'H(Y) = {h_y:.4f}); red = already distilled, uni_t = still '
            'distillable; syn is unreliable.\n\n'.format(**rows[0])
            + markdown_table(rows, COLUMNS, missing=''))


def write_report(rows: Sequence[dict], out_dir: str,
                 title: str = '') -> str:
    """Write pid_report.md/.json/.png to ``out_dir``; return the table."""
    from .plot import plot_pid
    os.makedirs(out_dir, exist_ok=True)
    stem = osp.join(out_dir, 'pid_report')
    table = markdown(rows)
    with open(stem + '.md', 'w') as f:
        f.write(table)
    with open(stem + '.json', 'w') as f:
        json.dump(list(rows), f, indent=2)
    plot_pid(rows, stem + '.png', title)
    return table


def run_report(teacher: Optional[Sequence[str]] = None,
               student: Sequence[Sequence[str]] = (),
               work_dir: Optional[str] = None, config: Optional[str] = None,
               split: str = 'test', feature: str = 'penultimate',
               teacher_layer: Optional[str] = None,
               student_layer: Optional[str] = None, k='auto', seed: int = 0,
               bootstrap: int = 0, batch_size: int = 256,
               out_dir: Optional[str] = None,
               cfg_options: Optional[dict] = None) -> str:
    """The whole report; arguments as ``tools/analysis/pid_report.py``.

    Either ``teacher`` (config, checkpoint) with ``student`` entries
    (name, config, checkpoint), or ``work_dir``: its checkpoints in training
    order, the teacher taken from the first of them.
    """
    if bool(work_dir) == bool(teacher):
        raise ValueError('Give either --teacher CONFIG CKPT with --student '
                         'NAME CONFIG CKPT entries, or --work-dir.')
    options = dict(split=split, cfg_options=cfg_options,
                   batch_size=batch_size, feature=feature)
    if work_dir:
        checkpoints = work_dir_checkpoints(work_dir)
        config = config or work_dir_config(work_dir)
        features_t = ModelFeatures(config, 'teacher', layer=teacher_layer,
                                   **options)(checkpoints[0][1])
        extract = ModelFeatures(config, 'student', layer=student_layer,
                                **options)
        students = {name: extract(path) for name, path in checkpoints}
        out_dir = out_dir or osp.join(work_dir, 'pid')
    else:
        if not student:
            raise ValueError('Give at least one --student NAME CONFIG CKPT.')
        features_t = ModelFeatures(teacher[0], 'teacher', layer=teacher_layer,
                                   **options)(teacher[1])
        students = {name: ModelFeatures(cfg, 'student', layer=student_layer,
                                        **options)(ckpt)
                    for name, cfg, ckpt in student}
        out_dir = out_dir or osp.join('work_dirs', 'pid_report')
    rows = pid_rows(features_t, students, k=k, seed=seed, bootstrap=bootstrap)
    table = write_report(rows, out_dir)
    return table + f'\nwrote {osp.join(out_dir, "pid_report")}.md/.json/.png'
