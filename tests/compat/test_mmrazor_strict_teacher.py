"""compat.mmrazor_strict_teacher: teacher_ckpt must fit the teacher."""
import pytest
import torch
from mmengine.registry import DefaultScope
from mmengine.runner.checkpoint import load_checkpoint as mmengine_load

from mcmi_razor.compat.mmrazor_strict_teacher import load_teacher_checkpoint
from mcmi_razor.models.backbones.repdistiller_keys import classifier_cfg
from mcmi_razor.models.checkpoint_fit import CheckpointMismatchError
from mcmi_razor.registry import MODELS


def classifier(arch: str) -> torch.nn.Module:
    with DefaultScope.overwrite_default_scope('mcmi_razor'):
        return MODELS.build(classifier_cfg(arch, 10, 1))


@pytest.fixture
def resnet8_checkpoint(tmp_path):
    path = tmp_path / 'resnet8.pth'
    torch.save({'state_dict': classifier('resnet8').state_dict()}, path)
    return str(path)


def test_mmengines_loader_accepts_another_arch(resnet8_checkpoint):
    """Why the repair exists: mmrazor's call (MMEngine's default
    strict=False) leaves most of a resnet20 teacher random, silently."""
    teacher = classifier('resnet20')
    loaded = mmengine_load(teacher, resnet8_checkpoint)['state_dict']
    assert len(set(teacher.state_dict()) - set(loaded)) == 72


def test_the_repair_refuses_another_arch(resnet8_checkpoint):
    with pytest.raises(CheckpointMismatchError,
                       match='72 missing from the checkpoint'):
        load_teacher_checkpoint(classifier('resnet20'), resnet8_checkpoint)


def test_the_repair_loads_a_fitting_checkpoint_exactly(tmp_path):
    source = classifier('resnet20')
    torch.save({'state_dict': source.state_dict()}, tmp_path / 'r20.pth')
    teacher = classifier('resnet20')
    load_teacher_checkpoint(teacher, str(tmp_path / 'r20.pth'))
    assert all(torch.equal(teacher.state_dict()[k], v)
               for k, v in source.state_dict().items())


def test_mmrazor_distillers_call_the_strict_loader():
    from mmrazor.models.algorithms.distill.configurable import (
        datafree_distillation,
        single_teacher_distill,
    )
    for module in (single_teacher_distill, datafree_distillation):
        assert module.load_checkpoint is load_teacher_checkpoint
