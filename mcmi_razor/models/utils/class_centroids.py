"""Class centroids Q (C, C): row y estimates E[P_X | Y = y]."""
from typing import Dict

import torch
from mmengine import dist
from torch import nn

from .class_stats import ClassConditionalStats


class ClassCentroids(nn.Module):
    """Holds Q for an MCMI loss, set exactly or updated online.

    The buffers are non-persistent: Q never enters the model's state dict
    (an MCMI teacher checkpoint loads strictly into the same classifier
    trained with plain cross-entropy). ``ClassCentroidHook`` saves them in
    the checkpoint under their own key and restores them on resume.

    Args:
        num_classes (int): C.

    Attributes:
        ema_momentum (float | None): weight of a new batch mean in the
            online update ``Q_y <- (1 - m) Q_y + m * batch_mean_y`` (as in
            MMEngine's EMA). ``None`` (exact schedules) disables online
            updates. Set by ``ClassCentroidHook``.
    """

    def __init__(self, num_classes: int) -> None:
        super().__init__()
        self.num_classes = num_classes
        self.ema_momentum = None
        self.register_buffer(
            'value', torch.full((num_classes, num_classes), 1 / num_classes),
            persistent=False)
        self.register_buffer(
            'initialized', torch.zeros(num_classes, dtype=torch.bool),
            persistent=False)

    @property
    def ready(self) -> bool:
        """True once every class has a centroid."""
        return bool(self.initialized.all())

    @torch.no_grad()
    def set_exact(self, stats: ClassConditionalStats) -> None:
        """Set Q from a full pass; classes without samples keep theirs."""
        seen = stats.seen.to(self.initialized.device)
        self.value[seen] = stats.centroids().to(self.value)[seen]
        self.initialized |= seen

    @torch.no_grad()
    def update_online(self, probs: torch.Tensor,
                      targets: torch.Tensor) -> None:
        """EMA step from a training batch; probs (N, C), targets (N, C).

        Batch sums are all-reduced first, so every rank holds the same Q.
        Classes absent from the global batch keep their centroid; a class
        seen for the first time takes its batch mean.
        """
        prob_sums = targets.T.float() @ probs.float()
        mass = targets.sum(0).float()
        dist.all_reduce(prob_sums, op='sum')
        dist.all_reduce(mass, op='sum')
        present = mass > 0
        batch_mean = prob_sums[present] / mass[present].unsqueeze(1)
        momentum = torch.where(self.initialized[present],
                               self.ema_momentum, 1.0).unsqueeze(1)
        self.value[present] = ((1 - momentum) * self.value[present]
                               + momentum * batch_mean.to(self.value))
        self.initialized |= present

    def state(self) -> Dict[str, torch.Tensor]:
        """Copy of the buffers, for the checkpoint."""
        return dict(value=self.value.detach().cpu().clone(),
                    initialized=self.initialized.detach().cpu().clone())

    def load_state(self, state: Dict[str, torch.Tensor]) -> None:
        """Restore buffers saved by :meth:`state`, bit for bit."""
        if state['value'].shape != self.value.shape:
            raise ValueError(
                f'Saved centroids have shape {tuple(state["value"].shape)} '
                f'but this loss has {self.num_classes} classes: the '
                'checkpoint belongs to a model with another num_classes.')
        self.value.copy_(state['value'])
        self.initialized.copy_(state['initialized'])
