"""Markdown/CSV tables and mean +- std cells: the one implementation the
analysis tools, the pipeline report, the PID report and the studies'
reports share."""
import csv
import math
import numbers
import statistics
from typing import Dict, List, Optional, Sequence


def mean_std(values: Sequence[float]) -> Dict[str, float]:
    """Mean, sample standard deviation (ddof 1; 0 for one value) and n."""
    values = [float(v) for v in values]
    n = len(values)
    if n == 0:
        return dict(mean=math.nan, std=math.nan, n=0)
    std = statistics.stdev(values) if n > 1 else 0.0
    return dict(mean=statistics.fmean(values), std=std, n=n)


def format_mean_std(values: Sequence[float], digits: int = 2,
                    expected_n: Optional[int] = None) -> str:
    """``'84.10 +- 0.52'``; the value alone for one (a single value has
    no spread); ``(n=2)`` appended when fewer than expected; ``'-'`` when
    empty."""
    stats = mean_std(values)
    if stats['n'] == 0:
        return '-'
    text = f'{stats["mean"]:.{digits}f}'
    if stats['n'] > 1:
        text += f' ± {stats["std"]:.{digits}f}'
    if expected_n is not None and stats['n'] < expected_n:
        text += f' (n={stats["n"]})'
    return text


def markdown_table(rows: List[Dict], columns: Sequence[str],
                   headers: Optional[Sequence[str]] = None,
                   digits: int = 4, missing: str = '-') -> str:
    """A GitHub Markdown table of ``rows`` (dicts) in ``columns`` order.

    Non-integer numbers get ``digits`` decimals; None, NaN and absent cells
    show ``missing``; anything else (names, integers, preformatted text) is
    shown as ``str`` gives it.
    """
    headers = list(headers or columns)

    def cell(value):
        if value is None:
            return missing
        if (isinstance(value, numbers.Real)
                and not isinstance(value, numbers.Integral)):
            return missing if math.isnan(value) else f'{value:.{digits}f}'
        return str(value)

    lines = ['| ' + ' | '.join(headers) + ' |',
             '|' + '---|' * len(headers)]
    for row in rows:
        lines.append('| ' + ' | '.join(cell(row.get(c)) for c in columns)
                     + ' |')
    return '\n'.join(lines) + '\n'


def write_csv(path: str, rows: List[Dict], columns: Sequence[str]) -> None:
    """Write ``rows`` (dicts) as CSV with a header of ``columns``."""
    with open(path, 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=list(columns),
                                extrasaction='ignore')
        writer.writeheader()
        writer.writerows(rows)
