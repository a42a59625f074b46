"""A sensible number of CPU threads for our tools.

PyTorch starts one intra-op thread per core. Next to data-loading workers,
other ranks on the same machine or other jobs, those threads spin against
each other: on a busy 2-core machine the same ``tools/test.py`` run took
1 min 40 s with the default and 22 s with one thread. When the user has not
chosen (``OMP_NUM_THREADS`` unset), our tools use half of the cores this
process may run on, split among the ranks of this machine, and at least
one. ``OMP_NUM_THREADS`` always wins.
"""
import os

import torch


def default_cpu_threads() -> int:
    """Half of this process's cores divided by the local ranks, >= 1."""
    cores = len(os.sched_getaffinity(0))
    local_ranks = int(os.environ.get('LOCAL_WORLD_SIZE', '1'))
    return max(1, cores // 2 // max(1, local_ranks))


def set_default_cpu_threads() -> int:
    """Apply :func:`default_cpu_threads` unless ``OMP_NUM_THREADS`` is set.

    Returns:
        int: the number of intra-op threads torch now uses.
    """
    if not os.environ.get('OMP_NUM_THREADS'):
        threads = default_cpu_threads()
        os.environ['OMP_NUM_THREADS'] = str(threads)
        torch.set_num_threads(threads)
    return torch.get_num_threads()
