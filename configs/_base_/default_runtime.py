# mmpretrain's runtime, in the mcmi_razor scope: our types and every
# mmpretrain / MMEngine type resolve unprefixed.
_base_ = 'mmpretrain::_base_/default_runtime.py'

default_scope = 'mcmi_razor'
custom_imports = dict(imports=['mcmi_razor'], allow_failed_imports=False)

default_hooks = dict(
    logger=dict(type='LoggerHook', interval=50),
    # Keep the last 3 epochs. Teachers are selected by the last epoch, never
    # by accuracy on the test split (CIFAR configs validate on it).
    checkpoint=dict(type='CheckpointHook', interval=1, max_keep_ckpts=3))
