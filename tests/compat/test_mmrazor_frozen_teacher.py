"""compat.mmrazor_frozen_teacher: an MCMI teacher config used as a
SingleTeacherDistill teacher."""
from pathlib import Path

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, DefaultScope
from mmpretrain.models.losses import CrossEntropyLoss
from mmpretrain.structures import DataSample

from mcmi_razor.compat import mmrazor_frozen_teacher
from mcmi_razor.models.losses import MCMILoss

REPO = Path(__file__).resolve().parents[2]
KD = REPO / 'configs/distill/kd/kd_resnet56_resnet20_cifar100.py'
MCMI_TEACHER = 'mcmi_razor::mcmi/mcmi_resnet56_cifar100.py'


def build_distiller(teacher_cfg_path: str, **overrides):
    """resnet56 -> resnet20 KD with the teacher from ``teacher_cfg_path``."""
    cfg = Config.fromfile(str(KD))
    cfg.model.teacher = dict(cfg_path=teacher_cfg_path, pretrained=False)
    cfg.model.update(teacher_ckpt=None, **overrides)
    cfg.model.data_preprocessor = cfg.data_preprocessor
    with DefaultScope.overwrite_default_scope('mcmi_razor'):
        return MODELS.build(cfg.model)


def batch(size: int = 4):
    torch.manual_seed(0)
    samples = [DataSample().set_gt_label(i) for i in range(size)]
    return torch.randn(size, 3, 32, 32), samples


def test_a_frozen_mcmi_teacher_trains_a_student_without_centroids():
    algorithm = build_distiller(MCMI_TEACHER)
    loss_module = algorithm.teacher.head.loss_module
    assert type(loss_module) is CrossEntropyLoss
    assert not any(isinstance(m, MCMILoss) for m in algorithm.modules())
    algorithm.train()
    losses = algorithm.loss(*batch())
    assert torch.isfinite(losses['distill.loss_kd'])
    losses['distill.loss_kd'].backward()


def test_the_inert_teacher_keeps_the_mll_teachers_state_dict():
    """teacher_ckpt of an MLL or MCMI teacher loads the same way."""
    mcmi = build_distiller(MCMI_TEACHER).teacher.state_dict()
    plain = build_distiller(
        'mcmi_razor::_base_/models/resnet56_cifar.py').teacher.state_dict()
    assert list(mcmi) == list(plain)


def test_a_trainable_mcmi_teacher_is_refused_at_build_time():
    with pytest.raises(ValueError, match='teacher_trainable=True') as error:
        build_distiller(MCMI_TEACHER, teacher_trainable=True)
    message = str(error.value)
    assert 'teacher.head.loss_module' in message
    assert 'configs/mcmi/' in message


def test_a_trainable_plain_teacher_is_left_alone():
    algorithm = build_distiller('mcmi_razor::_base_/models/resnet56_cifar.py',
                                teacher_trainable=True)
    assert type(algorithm.teacher.head.loss_module) is CrossEntropyLoss
    assert all(p.requires_grad for p in algorithm.teacher.parameters())


def test_apply_wraps_the_constructor_once():
    from mmrazor.models import SingleTeacherDistill
    wrapped = SingleTeacherDistill.__init__
    mmrazor_frozen_teacher.apply()
    assert SingleTeacherDistill.__init__ is wrapped
    assert wrapped._mcmi_teacher_guard
