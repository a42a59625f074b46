"""What a finished mmengine run left in its work dir: its test metrics,
the last value of every scalar it logged, its training time.

The layout is that of ``tools/train.py`` (one ``<timestamp>/`` folder per
start, with ``<timestamp>.log`` and ``vis_data/scalars.json``) and of
:func:`.resumable.evaluate_stage` (``test_metrics.json``).
"""
import glob
import json
import os.path as osp
import re
from datetime import datetime
from typing import Any, Dict, Optional, Sequence

#: The time stamp that starts each line of an mmengine run's log file.
LOG_TIME = re.compile(r'^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) - mmengine',
                      re.MULTILINE)
#: The test metrics file that :func:`.resumable.evaluate_stage` writes.
TEST_METRICS = 'test_metrics.json'


def read_json(path: str, fix: str) -> Any:
    """The JSON in ``path``; a file that is not JSON (e.g. cut short by an
    interrupted write) is an error naming it and ``fix``."""
    with open(path) as f:
        try:
            return json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f'{path} is not JSON ({e}): {fix}.') from None


def read_test_metrics(
        work: str, required: Sequence[str] = ('accuracy/top1', )) -> dict:
    """The metrics in ``work``'s ``test_metrics.json``.

    Raises:
        ValueError: the file is not JSON, or lacks a ``required`` metric;
            the message names the file and the fix.
    """
    path = osp.join(work, TEST_METRICS)
    metrics = read_json(path, 'delete it and run the study\'s script '
                        'again: its test stage writes it anew')
    missing = [key for key in required
               if not isinstance(metrics, dict) or key not in metrics]
    if missing:
        raise ValueError(f'{path} has no {", ".join(missing)}: it is not a '
                         'tools/test.py --out file of this study.')
    return metrics


def training_minutes(work: str) -> Optional[float]:
    """Training time of a run, minutes: first to last line of each of its
    log files (one per start, resumes included), summed, so the gap before
    a resume is not counted; None without a log."""
    total = 0.0
    logs = glob.glob(osp.join(work, '*', '*.log'))
    for log in logs:
        with open(log, errors='replace') as f:
            stamps = LOG_TIME.findall(f.read())
        if stamps:
            first, last = (datetime.strptime(t, '%Y/%m/%d %H:%M:%S')
                           for t in (stamps[0], stamps[-1]))
            total += (last - first).total_seconds() / 60
    return total if logs else None


def last_logged(work: str) -> Dict[str, float]:
    """The last value of every scalar the run's training logged (its
    ``vis_data/scalars.json`` files, in the order the run wrote them).

    A run killed while writing leaves a partial last line; that line is
    skipped. A bad line anywhere else is an error naming the file.
    """
    values = {}
    for path in sorted(glob.glob(osp.join(work, '*', 'vis_data',
                                          'scalars.json'))):
        with open(path) as f:
            lines = f.read().splitlines()
        for number, line in enumerate(lines, 1):
            try:
                values.update(json.loads(line))
            except json.JSONDecodeError:
                if number == len(lines):    # cut off by an interruption
                    break
                raise ValueError(f'{path}, line {number}, is not JSON: the '
                                 'log is damaged.') from None
    return values
