"""Distributed training on machines without CUDA (torchrun + gloo).

MMEngine 0.10.7 assumes a GPU per process when launched by torchrun:
1. ``init_dist`` calls ``torch.cuda.set_device(local_rank)``, which raises
   without CUDA, and the configs' ``nccl`` backend cannot run on the CPU.
   Without CUDA we skip ``set_device`` and use ``gloo``.
2. ``Runner.wrap_model`` wraps DDP with ``device_ids=[local_rank]``, which
   DDP rejects for CPU modules. Without CUDA we pass ``device_ids=None``.
With CUDA both paths are MMEngine's own, unchanged. Upstream code:
``mmengine/dist/utils.py::_init_dist_pytorch`` and ``Runner.wrap_model``
(no upstream issue found). Delete when MMEngine's torchrun launcher supports
CPU-only machines.
"""
import os
from typing import Dict, Optional

import torch
import torch.distributed as torch_dist
from mmengine.dist import utils as dist_utils
from mmengine.logging import print_log
from mmengine.runner import Runner

_init_dist_pytorch = dist_utils._init_dist_pytorch
_wrap_model = Runner.wrap_model


def init_dist_pytorch(backend: str = 'nccl', init_backend: str = 'torch',
                      **kwargs) -> None:
    """MMEngine's torchrun initialisation, with a CPU-only branch."""
    if torch.cuda.is_available() or init_backend != 'torch':
        return _init_dist_pytorch(backend, init_backend=init_backend,
                                  **kwargs)
    if backend != 'gloo':
        print_log(f'No CUDA device: using the gloo backend instead of '
                  f'{backend!r}.', logger='current')
    torch_dist.init_process_group(
        backend='gloo', rank=int(os.environ['RANK']),
        world_size=int(os.environ['WORLD_SIZE']), **kwargs)


def wrap_model(self: Runner, model_wrapper_cfg: Optional[Dict],
               model: torch.nn.Module):
    """MMEngine's ``Runner.wrap_model``, with CPU-only DDP defaults."""
    if (model_wrapper_cfg is None and self.distributed
            and not torch.cuda.is_available()):
        model_wrapper_cfg = dict(
            type='MMDistributedDataParallel', device_ids=None,
            broadcast_buffers=False,
            find_unused_parameters=self.cfg.get('find_unused_parameters',
                                                False))
    return _wrap_model(self, model_wrapper_cfg, model)


def apply() -> None:
    """Install the CPU-aware launcher and model wrapper."""
    dist_utils._init_dist_pytorch = init_dist_pytorch
    Runner.wrap_model = wrap_model
