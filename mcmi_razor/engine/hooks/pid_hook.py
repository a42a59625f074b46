"""Log the PID of teacher and student at every validation of a distillation.

Add one entry to a mmrazor ``SingleTeacherDistill`` config::

    custom_hooks = [dict(type='mcmi_razor.PIDHook')]

and every validation (and test) logs ``pid/red`` (already distilled),
``pid/uni_teacher`` (still distillable), ``pid/uni_student``, ``pid/syn``,
``pid/i_yt``, ``pid/i_ys``, ``pid/i_yts``, ``pid/probe_teacher``,
``pid/probe_student`` and ``pid/null_floor``, in bits
(:func:`mcmi_razor.evaluation.pid.pid`).
"""
from typing import Dict, Optional

import numpy as np
from mmengine import dist
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mcmi_razor.evaluation.pid import fit_teacher_codebook, pid, resolve_k
from mcmi_razor.evaluation.pid.features import extract_features
from mcmi_razor.evaluation.pid.validation import check_k, check_labels
from mcmi_razor.registry import HOOKS
from mcmi_razor.utils.arguments import (
    bool_argument,
    integer_argument,
    text_argument,
)

LOG_NAMES = dict(red='red', uni_t='uni_teacher', uni_s='uni_student',
                 syn='syn', i_yt='i_yt', i_ys='i_ys', i_yts='i_yts',
                 probe_t='probe_teacher', probe_s='probe_student',
                 null_floor='null_floor')


@HOOKS.register_module()
class PIDHook(Hook):
    """PID of the frozen teacher and the student on the validation split.

    The teacher's features are extracted once (first evaluation) and its
    codebook (probe + k-means, seeded) is frozen for the run, so I(Y;T) is
    a fixed ruler. The student's features are taken by a pass of its own
    after each evaluation. Under DDP every rank extracts its shard, the
    features are gathered in dataset order (sampler padding dropped), rank
    0 computes the estimate once and broadcasts it: every rank logs the
    same values, equal to a 1-process run. After a resume the codebook is
    refitted from the same teacher and data, so it is the same.

    Args:
        student_layer (str): layer of ``architecture`` whose pooled output
            is S. Defaults to ``'neck'`` (penultimate features); use
            ``'head.fc'`` for logits.
        teacher_layer (str): the same for the teacher (T).
        k (int | str): codebook size, or ``'auto'`` (see
            :func:`~mcmi_razor.evaluation.pid.resolve_k`).
        seed (int): probe folds, k-means and label permutation.
        null (bool): also log the permutation-null floor (about twice the
            estimator cost). Defaults to True.
        prefix (str): log-name prefix. Defaults to ``'pid'``.
    """

    priority = 'NORMAL'  # after RuntimeInfoHook, before LoggerHook

    def __init__(self, student_layer: str = 'neck',
                 teacher_layer: str = 'neck', k='auto', seed: int = 0,
                 null: bool = True, prefix: str = 'pid') -> None:
        owner = 'PIDHook'
        layer_hint = "A module name, e.g. 'neck' or 'head.fc'."
        self.student_layer = text_argument(owner, 'student_layer',
                                           student_layer, layer_hint)
        self.teacher_layer = text_argument(owner, 'teacher_layer',
                                           teacher_layer, layer_hint)
        self.k = check_k(owner, k)
        self.seed = integer_argument(owner, 'seed', seed, 0)
        self.null = bool_argument(owner, 'null', null)
        self.prefix = text_argument(owner, 'prefix', prefix,
                                    hint="The default is 'pid'.")
        self._codebook = None
        self._teacher_done = False

    def after_val_epoch(self, runner, metrics: Optional[Dict] = None) -> None:
        self._log(runner, runner.val_dataloader, 'val', metrics)

    def after_test_epoch(self, runner,
                         metrics: Optional[Dict] = None) -> None:
        self._log(runner, runner.test_dataloader, 'test', metrics)

    def _gathered(self, model, layer, algorithm, loader):
        """(features, labels) of the whole split on rank 0, None elsewhere."""
        features, labels = extract_features(
            model, layer, loader, algorithm.data_preprocessor)
        rows = dist.collect_results(list(zip(features, labels)),
                                    len(loader.dataset), device='cpu')
        if rows is None:
            return None
        return np.stack([r[0] for r in rows]), np.array([r[1] for r in rows])

    def _estimate(self, runner, loader) -> Dict[str, float]:
        algorithm = runner.model.module if is_model_wrapper(runner.model) \
            else runner.model
        if not (hasattr(algorithm, 'architecture')
                and hasattr(algorithm, 'teacher')):
            raise TypeError(
                f'PIDHook needs a distillation model with a student '
                f'(architecture) and a teacher, got '
                f'{type(algorithm).__name__}: use it in a mmrazor '
                'SingleTeacherDistill config.')
        if not self._teacher_done:
            teacher = self._gathered(algorithm.teacher, self.teacher_layer,
                                     algorithm, loader)
            if teacher is not None:
                labels, num_classes = check_labels(teacher[1])
                k = resolve_k(self.k, len(labels), num_classes)
                self._codebook = fit_teacher_codebook(
                    labels, teacher[0], num_classes, k, self.seed,
                    null=self.null)
            self._teacher_done = True
        student = self._gathered(algorithm.architecture, self.student_layer,
                                 algorithm, loader)
        values = [None]
        if student is not None:
            result = pid(student[1], None, student[0],
                         codebook=self._codebook, seed=self.seed,
                         null=self.null)
            values = [{name: float(getattr(result, field))
                       for field, name in LOG_NAMES.items()}]
        dist.broadcast_object_list(values, src=0)
        return values[0]

    def _log(self, runner, loader, mode: str, metrics: Optional[Dict]):
        for name, value in self._estimate(runner, loader).items():
            key = f'{self.prefix}/{name}'
            runner.message_hub.update_scalar(f'{mode}/{key}', value)
            if metrics is not None:
                metrics[key] = value
