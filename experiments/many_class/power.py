"""How many paired runs the many-class study needs, from the last study.

Reads the evidence study's committed run records
(docs/results/evidence_runs.json), takes the paired differences of every
MCMI-style teacher kind's students to the control's (same teacher seed,
student seed, setting), pools their standard deviation over kinds (each
kind's differences centred on its own mean), and finds by simulation the
smallest number of pairs n for which a two-sided paired t-test at 5%
detects a true difference ``delta`` with 80% probability.

    python experiments/many_class/power.py [RECORDS]

Prints a Markdown table (written into docs/many_class_protocol.md before
any run of the study).
"""
import json
import re
import sys
from typing import Dict, List, Sequence

import numpy as np

from mcmi_razor.apis.study import t_975

RECORDS = 'docs/results/evidence_runs.json'
NAME = re.compile(r'(?P<kind>.+)_t(?P<t>\d+)_(?P<setting>few_shot|zero_shot)'
                  r'_s(?P<s>\d+)')
MAX_PAIRS = 200


def pooled_sd(students: Dict[str, dict], setting: str, metric: str) -> tuple:
    """Pooled sd of the paired differences to the control, and its df."""
    runs: Dict[str, Dict[tuple, float]] = {}
    for name, record in students.items():
        match = NAME.fullmatch(name)
        if (match and match['setting'] == setting
                and record[metric] is not None):
            runs.setdefault(match['kind'], {})[match['t'], match['s']] = (
                record[metric])
    control = runs.pop('control')
    squares, df = 0.0, 0
    for values in runs.values():
        diffs = np.array([v - control[k] for k, v in values.items()
                          if k in control])
        squares += ((diffs - diffs.mean())**2).sum()
        df += len(diffs) - 1
    return float(np.sqrt(squares / df)), df


def power(n: int, delta: float, sd: float, draws: int = 200_000,
          seed: int = 0) -> float:
    """P(reject H0: mean 0) for n paired differences ~ N(delta, sd^2)."""
    rng = np.random.default_rng(seed)
    diffs = rng.normal(delta, sd, size=(draws, n))
    t = diffs.mean(1) / (diffs.std(1, ddof=1) / np.sqrt(n))
    return float((np.abs(t) > t_975(n - 1)).mean())


def pairs_needed(delta: float, sd: float, target: float = 0.8) -> str:
    """Smallest n (2..MAX_PAIRS) with power >= ``target``."""
    for n in range(2, MAX_PAIRS + 1):
        if power(n, delta, sd, draws=20_000) >= target:
            return str(n)
    return f'> {MAX_PAIRS}'


def table(records_path: str, rows: Sequence[tuple]) -> List[str]:
    """Rows ``(setting, metric, effect, sd divisor, label)``: the divisor
    scales the measured sd (sqrt(k) for a mean over k independent omitted
    classes)."""
    with open(records_path) as f:
        students = json.load(f)['students']
    lines = ['| difference | sd of paired differences (pooled df) | '
             'effect | pairs for 80% power | power at 6 pairs | '
             'power at 12 pairs |', '|---|---|---|---|---|---|']
    for setting, metric, delta, divisor, label in rows:
        sd, df = pooled_sd(students, setting, metric)
        sd /= divisor
        lines.append(
            f'| {label} | {sd:.2f} ({df}) | {delta:g} points | '
            f'{pairs_needed(delta, sd)} | {power(6, delta, sd):.2f} | '
            f'{power(12, delta, sd):.2f} |')
    return lines


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else RECORDS
    rows = [
        ('few_shot', 'top1', 1.0, 1, 'few-shot top-1'),
        ('zero_shot', 'top1', 1.0, 1, 'zero-shot top-1'),
        ('zero_shot', 'omitted', 3.0, 1, 'one omitted class'),
        ('zero_shot', 'omitted', 3.0, np.sqrt(10),
         'mean of 10 omitted classes (sd / sqrt 10)'),
    ]
    print('\n'.join(table(path, rows)))


if __name__ == '__main__':
    main()
