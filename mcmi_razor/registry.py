"""Registry nodes of mcmi_razor: one child of each mmpretrain node.

With mmpretrain as parent, a config whose ``default_scope`` is
``'mcmi_razor'`` (all of ours) finds our types and every mmpretrain and
MMEngine type unprefixed, and a config in the mmpretrain scope finds ours as
``type='mcmi_razor.X'``. We register into MODELS, HOOKS, METRICS and
DATASETS; the other nodes exist so that every registry lookup in our scope
resolves without warnings.
"""
from mmengine.registry import Registry
from mmpretrain import registry as mmpretrain

MODELS = Registry('model', parent=mmpretrain.MODELS, scope='mcmi_razor',
                  locations=['mcmi_razor.models'])
HOOKS = Registry('hook', parent=mmpretrain.HOOKS, scope='mcmi_razor',
                 locations=['mcmi_razor.engine'])
METRICS = Registry('metric', parent=mmpretrain.METRICS, scope='mcmi_razor',
                   locations=['mcmi_razor.evaluation'])
DATASETS = Registry('dataset', parent=mmpretrain.DATASETS,
                    scope='mcmi_razor', locations=['mcmi_razor.datasets'])

RUNNERS = Registry('runner', parent=mmpretrain.RUNNERS, scope='mcmi_razor')
RUNNER_CONSTRUCTORS = Registry(
    'runner constructor', parent=mmpretrain.RUNNER_CONSTRUCTORS,
    scope='mcmi_razor')
LOOPS = Registry('loop', parent=mmpretrain.LOOPS, scope='mcmi_razor')
LOG_PROCESSORS = Registry('log processor', parent=mmpretrain.LOG_PROCESSORS,
                          scope='mcmi_razor')
OPTIMIZERS = Registry('optimizer', parent=mmpretrain.OPTIMIZERS,
                      scope='mcmi_razor')
OPTIM_WRAPPERS = Registry('optim_wrapper', parent=mmpretrain.OPTIM_WRAPPERS,
                          scope='mcmi_razor')
OPTIM_WRAPPER_CONSTRUCTORS = Registry(
    'optimizer wrapper constructor',
    parent=mmpretrain.OPTIM_WRAPPER_CONSTRUCTORS, scope='mcmi_razor')
PARAM_SCHEDULERS = Registry(
    'parameter scheduler', parent=mmpretrain.PARAM_SCHEDULERS,
    scope='mcmi_razor')
DATA_SAMPLERS = Registry('data sampler', parent=mmpretrain.DATA_SAMPLERS,
                         scope='mcmi_razor')
TRANSFORMS = Registry('transform', parent=mmpretrain.TRANSFORMS,
                      scope='mcmi_razor')
MODEL_WRAPPERS = Registry('model_wrapper', parent=mmpretrain.MODEL_WRAPPERS,
                          scope='mcmi_razor')
WEIGHT_INITIALIZERS = Registry(
    'weight initializer', parent=mmpretrain.WEIGHT_INITIALIZERS,
    scope='mcmi_razor')
BATCH_AUGMENTS = Registry('batch augment', parent=mmpretrain.BATCH_AUGMENTS,
                          scope='mcmi_razor')
TASK_UTILS = Registry('task util', parent=mmpretrain.TASK_UTILS,
                      scope='mcmi_razor')
EVALUATORS = Registry('evaluator', parent=mmpretrain.EVALUATORS,
                      scope='mcmi_razor')
VISUALIZERS = Registry('visualizer', parent=mmpretrain.VISUALIZERS,
                       scope='mcmi_razor')
VISBACKENDS = Registry('vis_backend', parent=mmpretrain.VISBACKENDS,
                       scope='mcmi_razor')
