"""The outcomes of the fault campaign (``tests/reliability/``) and its table.

A case records one outcome; only ``GOOD`` ones pass. ``summary_lines``
turns the records of a run into the table ``docs/reliability.md`` shows.
"""
from collections import Counter, defaultdict
from typing import Iterable, List

OUTCOMES = ('clear error', 'correct', 'unclear', 'silent wrong', 'hang',
            'data loss', 'code executed')
GOOD = ('clear error', 'correct')


def summary_lines(records: Iterable[dict]) -> List[str]:
    """``area | tried | <one count per outcome>`` rows, then an ``all`` row,
    from records ``dict(area=..., outcome=...)``."""
    by_area = defaultdict(Counter)
    for record in records:
        by_area[record['area']][record['outcome']] += 1
    by_area['all'] = sum(by_area.values(), Counter())
    return [' | '.join(['area', 'tried', *OUTCOMES])] + [
        ' | '.join([area, str(sum(counts.values()))] +
                   [str(counts[o]) for o in OUTCOMES])
        for area, counts in sorted(by_area.items(), key=lambda i: (
            i[0] == 'all', i[0]))
    ]
