"""The ImageNet-21k MCMI teacher config: a 21,841-way head that builds."""
from mmengine.registry import MODELS, DefaultScope

from mcmi_razor.models.losses import MCMILoss

from .conftest import load_config

CONFIG = 'configs/imagenet/mcmi_teacher_convnext-b_in21k.py'


def test_in21k_teacher_builds_with_a_matching_mcmi_head():
    cfg = load_config(CONFIG)
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        model = MODELS.build(cfg.model)
    loss = model.head.loss_module
    assert isinstance(loss, MCMILoss)
    assert loss.num_classes == model.head.num_classes == 21841
    # Mixup / CutMix scores are as wide as the head
    assert cfg.data_preprocessor.num_classes == 21841
    # building allocates no C x C centroid memory (3.8 GB in float32)
    assert loss.centroids.value is None
    assert [h.type for h in cfg.custom_hooks][0] == 'ClassCentroidHook'
