"""Class centroids Q (C, C), row y estimating E[P_X | Y = y], with log Q.

P_X is softmax(z / tau) at the temperature tau of the loss they serve.
"""
from typing import Dict, Optional, Union

import torch
from mmengine import dist
from torch import nn

from .class_stats import ClassConditionalStats
from .label_targets import LabelTargets

# Rows converted at a time when Q is set in full (bounds the float64
# temporaries to _ROWS_PER_WRITE x C).
_ROWS_PER_WRITE = 1024
STORAGE_DTYPES = {'float32': torch.float32, 'bfloat16': torch.bfloat16,
                  'float16': torch.float16}


class ClassCentroids(nn.Module):
    """Q for one MCMI loss, and the floored ``log Q`` the loss reads.

    ``log Q = log((1 - eps) Q + eps / C)`` (``eps`` the floor) is computed
    when Q changes, for the changed rows only: once per exact pass, and for
    the B rows a training batch touches under the online (EMA) schedule. The
    column sums of log Q (C,), which label smoothing needs, are kept with it
    in float64. Q and log Q are allocated at the first update, so building a
    21,841-class model costs nothing until centroids exist.

    This is the object :class:`ClassCentroidHook` and the loss share: the
    hook calls :meth:`attach`, :meth:`set_exact`, :meth:`state` and
    :meth:`load_state`; the loss calls :meth:`log_rows`,
    :meth:`log_column_sums` and, in online mode, :meth:`update_online`.

    The buffers are non-persistent: Q never enters the model's state dict
    (an MCMI teacher checkpoint loads strictly into the same classifier
    trained with plain cross-entropy); the hook checkpoints :meth:`state`,
    which records the temperature: centroids of softmax(z / tau) are class
    means at that tau only, so :meth:`load_state` refuses another.

    Args:
        num_classes (int): C.
        floor (float): eps in [0, 1).
        dtype (str): storage of Q and log Q: ``'float32'``, or
            ``'bfloat16'`` / ``'float16'`` for half the memory at very large
            C (docs/scale.md has the measured effect). Arithmetic is float32.
        temperature (float): tau > 0: Q holds class means of
            softmax(z / tau); the caller gives probabilities at this tau.
            The loss owns the value (``MCMILoss(temperature=...)``).
    """

    def __init__(self, num_classes: int, floor: float = 0.0,
                 dtype: str = 'float32', temperature: float = 1.0) -> None:
        super().__init__()
        if dtype not in STORAGE_DTYPES:
            raise ValueError(f'centroid dtype must be one of '
                             f'{sorted(STORAGE_DTYPES)}, got {dtype!r}.')
        self.num_classes = num_classes
        self.floor = floor
        self.dtype = STORAGE_DTYPES[dtype]
        self.temperature = temperature
        self._ema_momentum: Optional[float] = None
        self._attached = False
        self._ready: Optional[bool] = None
        self.register_buffer('initialized',
                             torch.zeros(num_classes, dtype=torch.bool),
                             persistent=False)
        for name in ('value', 'log_value', 'log_sums'):
            self.register_buffer(name, None, persistent=False)

    def attach(self, ema_momentum: Optional[float] = None) -> None:
        """Called by the hook that keeps Q current.

        Args:
            ema_momentum (float, optional): weight of a new batch mean in
                the online update ``Q_y <- (1 - m) Q_y + m * mean_y``; None
                for exact schedules (no online update).
        """
        self._attached = True
        self._ema_momentum = ema_momentum

    @property
    def attached(self) -> bool:
        """True once a hook manages these centroids."""
        return self._attached

    @property
    def online(self) -> bool:
        """True when training batches update Q (the EMA schedule)."""
        return self._ema_momentum is not None

    @property
    def ready(self) -> bool:
        """True once every class has a centroid (cached: no sync per step)."""
        if self._ready is None:
            self._ready = bool(self.initialized.all())
        return self._ready

    @torch.no_grad()
    def set_exact(self, stats: ClassConditionalStats) -> None:
        """Set Q from a full pass of softmax(z / temperature); classes
        without samples keep theirs."""
        self._allocate()
        seen = stats.seen.nonzero().flatten().to(self.value.device)
        for rows in seen.split(_ROWS_PER_WRITE):
            self._write_rows(rows, stats.centroid_rows(rows))

    @torch.no_grad()
    def update_online(self, probs: torch.Tensor,
                      targets: LabelTargets) -> None:
        """EMA step from a training batch; probs (N, C) softmax(z / tau).

        Only the classes present in the global batch change. Under DDP the
        ranks exchange their per-class sums of those classes (O(world * B *
        C) values, not the C x C matrix), so every rank holds the same Q. A
        class seen for the first time takes its batch mean.
        """
        self._allocate()
        classes, sums, mass = _gather_class_sums(*targets.class_sums(probs))
        momentum = torch.where(self.initialized[classes],
                               self._ema_momentum, 1.0).unsqueeze(1)
        new = ((1 - momentum) * self.value[classes].float()
               + momentum * sums / mass.unsqueeze(1))
        self._write_rows(classes, new)

    def log_rows(self, targets: LabelTargets) -> torch.Tensor:
        """``sum_y t_y log Q_y`` per sample, (N, C) float32."""
        if self.log_value is None:
            self._allocate()
        return targets.mix_rows(self.log_value)

    def log_column_sums(self) -> torch.Tensor:
        """``sum_y log Q_y``, (C,) float32."""
        if self.log_sums is None:
            self._allocate()
        return self.log_sums.float()

    def state(self) -> Dict[str, Union[torch.Tensor, float]]:
        """Q and the seen flags on the CPU, and the temperature, for the
        checkpoint."""
        self._allocate()
        return dict(value=self.value.detach().cpu().clone(),
                    initialized=self.initialized.detach().cpu().clone(),
                    temperature=self.temperature)

    @torch.no_grad()
    def load_state(self, state: Dict[str, Union[torch.Tensor, float]]
                   ) -> None:
        """Restore what :meth:`state` saved, bit for bit.

        A state without ``temperature`` (written before it was recorded)
        counts as tau = 1.

        Raises:
            ValueError: another num_classes, or another temperature.
        """
        shape = tuple(state['value'].shape)
        if shape != (self.num_classes, self.num_classes):
            raise ValueError(
                f'Saved centroids have shape {shape} but this loss has '
                f'{self.num_classes} classes: the checkpoint belongs to a '
                'model with another num_classes.')
        saved_tau = float(state.get('temperature', 1.0))
        if saved_tau != self.temperature:
            raise ValueError(
                f'Saved centroids are class means of softmax(z / '
                f'{saved_tau:g}) but this MCMILoss has temperature='
                f'{self.temperature:g}. To resume this run, set the '
                f'loss\'s temperature={saved_tau:g}, as it was trained; to '
                'change the temperature, start a new run from the '
                'checkpoint (load_from, not resume), which recomputes the '
                f'centroids at {self.temperature:g}.')
        self._allocate()
        self.initialized.copy_(state['initialized'])
        self._ready = None
        rows = torch.arange(self.num_classes, device=self.value.device)
        saved = state['value']
        for chunk in rows.split(_ROWS_PER_WRITE):
            self._write_rows(chunk, saved[chunk.to(saved.device)],
                             mark_seen=False)

    def _allocate(self) -> None:
        """Uniform Q (and its log) on the device of ``initialized``."""
        if self.value is not None:
            return
        c, device = self.num_classes, self.initialized.device
        uniform = torch.full((1, 1), 1 / c, dtype=self.dtype, device=device)
        log_uniform = self._log(uniform)
        self.value = uniform.expand(c, c).clone()
        self.log_value = log_uniform.expand(c, c).clone()
        self.log_sums = log_uniform.double().reshape(1).expand(c) * c

    def _log(self, q: torch.Tensor) -> torch.Tensor:
        q = q.float()
        if self.floor:
            q = (1 - self.floor) * q + self.floor / self.num_classes
        return q.clamp_min(torch.finfo(torch.float32).tiny).log().to(
            self.dtype)

    def _write_rows(self, rows: torch.Tensor, q: torch.Tensor,
                    mark_seen: bool = True) -> None:
        """Set ``Q[rows] = q`` and update log Q and its column sums."""
        self.value[rows] = q.to(self.value)
        new_log = self._log(self.value[rows])
        self.log_sums += (new_log.double().sum(0)
                          - self.log_value[rows].double().sum(0))
        self.log_value[rows] = new_log
        if mark_seen:
            self.initialized[rows] = True
            self._ready = None


def _gather_class_sums(classes: torch.Tensor, sums: torch.Tensor,
                       mass: torch.Tensor):
    """Combine per-class sums over ranks; the same result on every rank.

    Each rank sends the U classes of its batch as one (U_max, C + 2) block
    (class id, mass, sums; padded to the largest U), so the traffic is
    O(world * B * C); blocks are added in rank order, so all ranks compute
    bit-identical results. When that would exceed the dense (C, C + 1)
    sums (small C, large batches), those are all-reduced instead.
    """
    world = dist.get_world_size()
    if world == 1:
        return classes, sums, mass
    num_classes = sums.size(1)
    count = torch.tensor([len(classes)], device=sums.device)
    longest = int(max(dist.all_gather(count)).item())
    if world * longest * (num_classes + 2) >= num_classes * (num_classes + 1):
        dense = sums.new_zeros(num_classes, num_classes + 1)
        dense[classes, 0] = mass
        dense[classes, 1:] = sums
        dist.all_reduce(dense, op='sum')
        present = (dense[:, 0] > 0).nonzero().flatten()
        return present, dense[present, 1:], dense[present, 0]
    block = sums.new_zeros(longest, num_classes + 2)
    block[:, 0] = -1
    block[:len(classes), 0] = classes.to(block.dtype)
    block[:len(classes), 1] = mass
    block[:len(classes), 2:] = sums
    merged = torch.cat(dist.all_gather(block))
    merged = merged[merged[:, 0] >= 0]
    classes, slot = torch.unique(merged[:, 0].long(), return_inverse=True)
    totals = merged.new_zeros(len(classes), num_classes + 1).index_add_(
        0, slot, merged[:, 1:])
    return classes, totals[:, 1:], totals[:, 0]
