"""Checks of MCMILoss batches; each error names the fix."""
from typing import Optional

import torch

from ..utils import LabelTargets, row_sum_tolerance


def check_shapes(cls_score: torch.Tensor, label: torch.Tensor,
                 num_classes: int,
                 weight: Optional[torch.Tensor] = None) -> None:
    """Logits (N, C), N >= 1; labels (N,) integer or scores (N, C) float;
    sample weights (N,) if given. Host only: shapes and dtypes, no device
    sync."""
    if cls_score.ndim != 2 or cls_score.size(1) != num_classes:
        raise ValueError(
            f'MCMILoss(num_classes={num_classes}) got logits of shape '
            f'{tuple(cls_score.shape)}: set the loss\'s num_classes equal to '
            "the head's num_classes.")
    if not cls_score.is_floating_point():
        raise TypeError(
            f'MCMILoss got logits (cls_score) of dtype {cls_score.dtype}: '
            'give the head\'s float logits, not class indices.')
    n = cls_score.size(0)
    if n == 0:
        raise ValueError(
            f'MCMILoss got an empty batch (logits of shape '
            f'{tuple(cls_score.shape)}): its mean loss is undefined. Skip '
            'the step, or set drop_last=True in the train dataloader so no '
            'batch is empty.')
    hard = label.ndim == 1
    if hard and (label.dtype == torch.bool or label.is_floating_point()
                 or label.is_complex()):
        raise TypeError(
            f'MCMILoss got class-index labels of dtype {label.dtype}: give '
            'integer class indices (N,) (e.g. label.long()), or soft labels '
            'as float scores (N, C).')
    if not hard and not (label.ndim == 2 and label.is_floating_point()):
        raise TypeError(
            f'MCMILoss got labels of shape {tuple(label.shape)} and dtype '
            f'{label.dtype}: give integer class indices (N,) or float label '
            'scores (N, C).')
    expected = (n, ) if hard else (n, num_classes)
    if tuple(label.shape) != expected:
        raise ValueError(
            f'MCMILoss got labels of shape {tuple(label.shape)} for logits '
            f'of shape {tuple(cls_score.shape)}; expected {expected}: one '
            'label (or score row) per sample, nothing broadcast.')
    if weight is not None and tuple(weight.shape) != (n, ):
        raise ValueError(
            f'MCMILoss got sample weights of shape {tuple(weight.shape)} '
            f'for {n} samples; expected ({n},): one weight per sample.')


def label_flags(label: torch.Tensor, num_classes: int) -> torch.Tensor:
    """Bad-label flags on the label's device (read later, in one sync):
    hard: [out of range]; soft: [NaN/inf, negative, row sum != 1]."""
    if label.ndim == 1:
        if not label.numel():
            return torch.zeros(1, dtype=torch.bool, device=label.device)
        low, high = label.aminmax()
        return ((low < 0) | (high >= num_classes)).view(1)
    scores = label.detach().float()
    return torch.stack([~scores.isfinite().all(), (scores < 0).any(),
                        ((scores.sum(1) - 1).abs()
                         > row_sum_tolerance(label.dtype)).any()])


def raise_for_labels(flags, label: torch.Tensor, num_classes: int) -> None:
    """Raise the message of the first set flag of :func:`label_flags`."""
    if label.ndim == 1:
        if flags[0]:
            bad = label[(label < 0) | (label >= num_classes)][0].item()
            raise ValueError(
                f'Label {bad} is outside [0, {num_classes}): set num_classes '
                'of the head, the MCMI loss and the CMI metric to the number '
                'of classes of the dataset.')
        return
    if flags[0]:
        raise ValueError(
            'MCMILoss soft labels contain NaN or inf: check the batch '
            'augmentation (mixup / cutmix) that made them.')
    if flags[1]:
        raise ValueError(
            f'MCMILoss soft labels must be non-negative, got '
            f'{label.min().item():g}: they are a distribution over classes.')
    if flags[2]:
        sums = label.detach().float().sum(1)
        off = (sums - 1).abs() > row_sum_tolerance(label.dtype)
        row = int(off.nonzero()[0])
        raise ValueError(
            f'MCMILoss soft labels must sum to 1 per sample; row {row} sums '
            f'to {sums[row].item():g}: normalise them (scores / '
            'scores.sum(1, keepdim=True)) or give class indices (N,).')


def masked_target_flag(logits: torch.Tensor, targets: LabelTargets,
                       smoothing: float) -> torch.Tensor:
    """(1,) bool on the logits' device, read in the step's one sync: some
    target weight (or, with ``smoothing``, any class) has logit -inf."""
    if smoothing:
        return logits.isneginf().any().view(1)
    return logits[targets.rows, targets.cols].isneginf().any().view(1)


def raise_for_logits(cls_score: torch.Tensor, targets: LabelTargets,
                     smoothing: float) -> None:
    """Explain a non-finite loss, or a masked target, from the logits
    (N, C) and the targets (labels already checked)."""
    z = cls_score.detach()
    if (z.isnan() | z.isposinf()).any():
        raise FloatingPointError(
            'MCMILoss got NaN or inf logits (NaN or +inf): training '
            'diverged. Lower the learning rate or cmi_weight, or clip '
            'gradients with optim_wrapper.clip_grad=dict(max_norm=...).')
    all_masked = z.amax(1).isneginf()
    if all_masked.any():
        row = int(all_masked.nonzero()[0])
        raise ValueError(
            f'Row {row} of the logits is -inf for every class: a sample '
            'needs at least one finite logit (masking with -inf is fine '
            'for some classes, not all).')
    hit = z[targets.rows, targets.cols].isneginf()
    if hit.any():
        first = int(hit.nonzero()[0])
        sample = int(targets.rows[first])
        label = int(targets.cols[first])
        if targets.hard:
            given = f'sample {sample} has label {label}'
        else:
            given = (f'sample {sample} gives label weight '
                     f'{float(targets.weights[first]):g} to class {label}')
        raise ValueError(
            f'MCMILoss: {given}, whose logit is -inf (a masked class): its '
            'cross-entropy is infinite. Mask only classes a sample is not '
            'labelled with (a soft label may put zero weight on a masked '
            'class), or drop the sample.')
    masked = z.isneginf()
    if smoothing and masked.any():
        sample, label = (int(i) for i in masked.nonzero()[0])
        raise ValueError(
            f'MCMILoss label_smoothing={smoothing:g} gives every class '
            f'weight, and sample {sample} has logit -inf for class {label} '
            '(a masked class): its cross-entropy is infinite. Use '
            'label_smoothing=0 with masked logits.')
    raise FloatingPointError(
        f'MCMILoss is not finite although its logits are finite (largest '
        f'{float(z.amax()):g}) and its labels valid: the '
        'logits divided by temperature, or cmi_weight times the CMI term, '
        'overflow float32. Lower cmi_weight, or the learning rate.')
