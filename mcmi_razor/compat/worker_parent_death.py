"""torchrun workers that end when their launcher dies.

torch 2.14's elastic agent (``torchrun``) starts the training processes as
plain children. When the agent itself is killed with SIGKILL it cannot stop
them, and they keep training as orphans (seen: both ranks of a 2-process
run went on after ``kill -9`` of torchrun). On Linux a worker can ask the
kernel for a signal when its parent dies (``prctl(PR_SET_PDEATHSIG)``); we
ask for SIGTERM in every process torchrun starts (``TORCHELASTIC_RUN_ID`` in
the environment), as soon as ``mcmi_razor`` is imported. Upstream code:
``torch/distributed/elastic/multiprocessing/subprocess_handler`` (no
upstream issue found). Delete when torchrun's workers follow their agent.
"""
import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def apply() -> None:
    """Ask for SIGTERM when the launcher dies (Linux torchrun workers)."""
    if not sys.platform.startswith('linux'):
        return
    if 'TORCHELASTIC_RUN_ID' not in os.environ:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0) != 0:
        return
    # The launcher may have died before the request was made: then we are
    # already someone else's child (init, or a subreaper) and stop now.
    if os.getppid() == 1:
        os.kill(os.getpid(), signal.SIGTERM)
