"""Per-class accuracy, with the classes a student never saw marked."""
from typing import Dict, List, Optional, Sequence

import torch


def per_class_accuracy(logits: torch.Tensor, labels: torch.Tensor,
                       num_classes: Optional[int] = None) -> torch.Tensor:
    """Top-1 accuracy (%) of each class, (C,); NaN for a class with no
    sample.

    Args:
        logits: (N, C) scores, or (N,) predicted labels.
        labels: (N,) class indices.
    """
    preds = logits.argmax(1) if logits.ndim == 2 else logits.long()
    if num_classes is None:
        num_classes = logits.size(1) if logits.ndim == 2 else \
            int(labels.max()) + 1
    labels = labels.long().view(-1)
    total = torch.bincount(labels, minlength=num_classes).double()
    correct = torch.bincount(labels[preds == labels],
                             minlength=num_classes).double()
    acc = 100.0 * correct / total
    acc[total == 0] = float('nan')
    return acc


def per_class_rows(accuracy: torch.Tensor,
                   class_names: Optional[Sequence[str]] = None,
                   omitted: Sequence[int] = ()) -> List[Dict]:
    """One row per class: index, name, accuracy (%), omitted (bool)."""
    omitted = set(int(c) for c in omitted)
    names = list(class_names) if class_names is not None else \
        [str(c) for c in range(len(accuracy))]
    if len(names) != len(accuracy):
        raise ValueError(f'{len(names)} class names for {len(accuracy)} '
                         'classes.')
    return [
        dict(index=c, name=names[c], accuracy=float(accuracy[c]),
             omitted=c in omitted) for c in range(len(accuracy))
    ]
