# Runtime of every MCMI teacher: the class centroids and the collapse guard.
_base_ = './default_runtime.py'

custom_hooks = [
    # Exact centroids from one pass before training, then frozen (the
    # paper's code). Alternatives: interval=N, or schedule='ema'.
    dict(type='ClassCentroidHook', schedule='exact', interval=0),
    # Stop (and never save) a teacher the unbounded CMI term collapsed.
    dict(type='CollapseGuardHook'),
    # Log the starting teacher's accuracy, CE, CMI and confidence; warn if
    # it is near one-hot (where MCMI did not help in our runs).
    dict(type='RegimeReportHook'),
]
