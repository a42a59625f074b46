"""Checks of MCMILoss arguments and batches; each error names the fix."""
import math
import numbers

import torch


def real_argument(name: str, value, low: float, high: float = math.inf,
                  low_inclusive: bool = True, hint: str = '') -> float:
    """``value`` as a float after checking it is a finite real in range.

    Raises:
        TypeError: a bool, string or other non-real value.
        ValueError: a non-finite value or one outside the range.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f'MCMILoss {name} must be a real number, got {value!r} '
            f'({type(value).__name__}). {hint}'.rstrip())
    value = float(value)
    inside = (value >= low if low_inclusive else value > low) and value < high
    if not (math.isfinite(value) and inside):
        bracket = '[' if low_inclusive else '('
        raise ValueError(
            f'MCMILoss {name} must be finite and in {bracket}{low:g}, '
            f'{high:g}), got {value!r}. {hint}'.rstrip())
    return value


def class_count(value) -> int:
    """``num_classes`` as an int >= 2; a float such as 10.0 is refused."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f'MCMILoss num_classes must be an integer (the head\'s '
            f'num_classes), got {value!r} ({type(value).__name__}): write '
            'it without a decimal point, e.g. num_classes=100.')
    if value < 2:
        raise ValueError(f'MCMILoss needs num_classes >= 2, got {value!r}.')
    return int(value)


def check_shapes(cls_score: torch.Tensor, label: torch.Tensor,
                 num_classes: int) -> None:
    """Logits (N, C); labels (N,) integer or scores (N, C) float. Host
    only: shapes and dtypes, no device sync."""
    if cls_score.ndim != 2 or cls_score.size(1) != num_classes:
        raise ValueError(
            f'MCMILoss(num_classes={num_classes}) got logits of shape '
            f'{tuple(cls_score.shape)}: set the loss\'s num_classes equal to '
            "the head's num_classes.")
    n = cls_score.size(0)
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
                         > _sum_tolerance(label)).any()])


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
        row = int(((sums - 1).abs() > _sum_tolerance(label)).nonzero()[0])
        raise ValueError(
            f'MCMILoss soft labels must sum to 1 per sample; row {row} sums '
            f'to {sums[row].item():g}: normalise them (scores / '
            'scores.sum(1, keepdim=True)) or give class indices (N,).')


def raise_for_logits(cls_score: torch.Tensor) -> None:
    """Explain a non-finite loss from its logits (labels already fine)."""
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
    raise ValueError(
        'MCMILoss is infinite: a label, or label_smoothing, puts weight on '
        'a class whose logit is -inf. Do not mask a sample\'s own class, '
        'and use label_smoothing=0 with masked logits.')


def _sum_tolerance(label: torch.Tensor) -> float:
    return max(1e-3, 8 * torch.finfo(label.dtype).eps)
