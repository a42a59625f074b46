"""Pooled features of a named layer over a data loader (forward hooks).

Used by the PID hook and ``tools/analysis/pid_report.py``: a classifier's
penultimate features are the output of its ``neck`` (global pooling), its
logits the output of ``head.fc``.
"""
from typing import Iterable, Optional, Tuple

import numpy as np
import torch
from torch import nn


def pool(output) -> torch.Tensor:
    """(B, d) from a module output: the last of a tuple (backbones and
    necks return one per stage), feature maps averaged over space."""
    if isinstance(output, (tuple, list)):
        output = output[-1]
    if not isinstance(output, torch.Tensor):
        raise TypeError(
            f'The hooked layer returned {type(output).__name__}, not a '
            'tensor: pick a layer whose output is a tensor or a tuple of '
            "them (e.g. 'neck', 'backbone', 'head.fc').")
    if output.dim() > 2:
        output = output.flatten(2).mean(2)
    return output.flatten(1)


def find_layer(model: nn.Module, layer: str) -> nn.Module:
    """``model``'s submodule ``layer`` or an error listing the choices."""
    try:
        return model.get_submodule(layer)
    except AttributeError:
        names = [n for n, _ in model.named_children()]
        raise ValueError(
            f'No layer {layer!r} in {type(model).__name__}; its top-level '
            f'layers are {names}. Use a dotted name such as "neck", '
            '"backbone" or "head.fc".') from None


@torch.no_grad()
def extract_features(model: nn.Module, layer: str, loader: Iterable,
                     preprocessor: Optional[nn.Module] = None,
                     progress: bool = False) -> Tuple[np.ndarray, np.ndarray]:
    """Run ``model`` (an mmpretrain classifier) over ``loader`` in eval
    mode and record ``layer``'s pooled output.

    Args:
        model: called as ``model(inputs, mode='tensor')``.
        layer: dotted submodule name, e.g. ``'neck'`` or ``'head.fc'``.
        loader: yields mmengine data batches.
        preprocessor: turns a batch into ``inputs`` and ``data_samples``;
            defaults to ``model.data_preprocessor``.
        progress: show an mmengine progress bar (one tick per batch).

    Returns:
        tuple: features (N, d) float32 and labels (N,) int64, loader order.
    """
    preprocessor = preprocessor or model.data_preprocessor
    captured = []
    handle = find_layer(model, layer).register_forward_hook(
        lambda module, args, output: captured.append(
            pool(output).float().cpu()))
    was_training = model.training
    model.eval()
    bar = None
    if progress:
        from mmengine.utils import ProgressBar
        bar = ProgressBar(len(loader))
    labels = []
    try:
        for batch in loader:
            data = preprocessor(batch, False)
            model(data['inputs'], mode='tensor')
            labels.append(torch.cat(
                [s.gt_label for s in data['data_samples']]))
            if bar is not None:
                bar.update()
    finally:
        handle.remove()
        model.train(was_training)
    if len(captured) != len(labels):
        raise RuntimeError(
            f'Layer {layer!r} ran {len(captured)} times for {len(labels)} '
            'batches: pick a layer that runs once per forward pass.')
    return (torch.cat(captured).numpy(),
            torch.cat(labels).long().numpy())
