"""Registry nodes of mcmi_razor: children of mmpretrain's nodes.

With mmpretrain as parent, a config whose ``default_scope`` is
``'mcmi_razor'`` (all of ours) finds our types and every mmpretrain and
MMEngine type unprefixed, and a config in the mmpretrain scope finds ours as
``type='mcmi_razor.X'``.
"""
from mmengine.registry import Registry
from mmpretrain.registry import DATASETS as MMPRETRAIN_DATASETS
from mmpretrain.registry import HOOKS as MMPRETRAIN_HOOKS
from mmpretrain.registry import METRICS as MMPRETRAIN_METRICS
from mmpretrain.registry import MODELS as MMPRETRAIN_MODELS

MODELS = Registry(
    'model', parent=MMPRETRAIN_MODELS, scope='mcmi_razor',
    locations=['mcmi_razor.models'])
HOOKS = Registry(
    'hook', parent=MMPRETRAIN_HOOKS, scope='mcmi_razor',
    locations=['mcmi_razor.engine'])
METRICS = Registry(
    'metric', parent=MMPRETRAIN_METRICS, scope='mcmi_razor',
    locations=['mcmi_razor.evaluation'])
DATASETS = Registry(
    'dataset', parent=MMPRETRAIN_DATASETS, scope='mcmi_razor',
    locations=['mcmi_razor.datasets'])
