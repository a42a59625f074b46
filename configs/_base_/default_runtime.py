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

# A rank that stops (hung data loader, stopped process, dead node) makes the
# others fail after this many seconds instead of torch's 30 minutes. Long
# enough for any rank-0-only step of our runs (checkpoint save, logging);
# raise it with --cfg-options env_cfg.dist_cfg.timeout=SECONDS.
env_cfg = dict(dist_cfg=dict(timeout=600))
