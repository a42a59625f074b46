"""Every config in the repository parses and builds its model."""
import pytest
from mmengine.registry import MODELS, DefaultScope

from .conftest import LEAF_CONFIGS, load_config


def build_model(cfg):
    """The model of ``cfg`` as the runner builds it, without weights: in the
    config's default scope, with the top-level data preprocessor, and with
    any distiller's ``teacher_ckpt`` unset."""
    model = cfg.model
    if 'teacher_ckpt' in model:
        model.teacher_ckpt = None
    crd = model.get('distiller', {}).get('distill_losses', {}).get('loss_crd')
    if crd is not None:
        # A CRD memory of 50000 samples takes mmrazor's AliasMethod 3 s of
        # Python loops to set up; 100 builds the same modules.
        crd.sample_n = 100
    if cfg.get('data_preprocessor') is not None:
        model.setdefault('data_preprocessor', cfg.data_preprocessor)
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope')):
        return MODELS.build(model)


def test_the_repository_has_leaf_configs():
    assert any(path.startswith('configs/distill/') for path in LEAF_CONFIGS)
    assert 'configs/mcmi/mcmi_resnet56_cifar100.py' in LEAF_CONFIGS


@pytest.mark.parametrize('path', LEAF_CONFIGS)
def test_config_builds_its_model(path):
    cfg = load_config(path)
    model = build_model(cfg)
    if cfg.model.get('type', '').endswith('SingleTeacherDistill'):
        assert model.teacher is not None and model.student is not None
        assert not any(p.requires_grad for p in model.teacher.parameters())
