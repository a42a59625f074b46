"""A generated block in a hand-written page: the text between two marker
lines, rewritten by a tool and checked by a test."""
from typing import Tuple


def block_span(page: str, begin: str, end: str) -> Tuple[int, int]:
    """Start and end offsets of the text between the line ``begin`` and
    the line ``end`` in ``page``.

    Raises:
        ValueError: the page lacks either marker, naming both.
    """
    start, stop = page.find(begin), page.find(end)
    if start < 0 or stop < start:
        raise ValueError(f'The page has no generated block: put the lines '
                         f'{begin!r} and {end!r} where it goes.')
    return start + len(begin) + 1, stop


def replace_block(page: str, begin: str, end: str, text: str) -> str:
    """``page`` with the block between ``begin`` and ``end`` set to
    ``text`` (one newline added); the rest kept as it is."""
    start, stop = block_span(page, begin, end)
    return page[:start] + text.rstrip('\n') + '\n' + page[stop:]
