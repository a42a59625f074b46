"""The students' epochs, from the schedule curve, by the protocol's rule.

Rule (docs/many_class_protocol.md, fixed before any run): the curve is one
KD student (MLL teacher seed 0, few-shot, student seed 0) trained for 60
epochs and validated after each; its validation top-1 is smoothed by a
3-epoch running mean; every student trains for the smallest epoch count at
which that mean comes within 0.5 points of its maximum, rounded up to a
multiple of 5.
"""
import json
import math
from pathlib import Path
from typing import Dict, List

from mcmi_razor.fileio import write_text_atomic

WINDOW, TOLERANCE, MULTIPLE = 3, 0.5, 5


def validation_curve(work: Path) -> Dict[int, float]:
    """``epoch -> student val top-1`` from the run's ``scalars.json``."""
    curve = {}
    for path in sorted(work.glob('*/vis_data/scalars.json')):
        for line in path.read_text().splitlines():
            row = json.loads(line)
            if 'accuracy/top1' in row:
                curve[int(row['step'])] = float(row['accuracy/top1'])
    if not curve:
        raise FileNotFoundError(
            f'no validation top-1 in {work}/*/vis_data/scalars.json: train '
            'the curve run first (experiments/many_class/run.py --only '
            'curve).')
    return dict(sorted(curve.items()))


def epochs_by_rule(curve: Dict[int, float]) -> Dict:
    """The rule above applied to ``curve``; returns what it used."""
    epochs: List[int] = sorted(curve)
    if epochs != list(range(1, len(epochs) + 1)):
        raise ValueError(f'the curve misses epochs: has {epochs}')
    smooth = {
        e: sum(curve[k] for k in range(e - WINDOW + 1, e + 1)) / WINDOW
        for e in epochs[WINDOW - 1:]
    }
    best = max(smooth.values())
    first = min(e for e, v in smooth.items() if v >= best - TOLERANCE)
    chosen = min(len(epochs), MULTIPLE * math.ceil(first / MULTIPLE))
    return dict(epochs=chosen, first_within_tolerance=first,
                best_running_mean=round(best, 4), curve=curve)


def schedule_from_curve(work: Path, out: Path) -> Dict:
    """Write the schedule chosen from the curve run in ``work`` to ``out``."""
    schedule = epochs_by_rule(validation_curve(work))
    write_text_atomic(str(out), json.dumps(schedule, indent=1) + '\n')
    return schedule
