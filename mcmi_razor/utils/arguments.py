"""Checks of public arguments. Each error names the owner and argument,
what was given, what is expected and (``hint``) the fix.

Booleans are not numbers here, strings are not numbers, and an integer
argument refuses a float such as ``10.0``: a config value of the wrong
kind is refused where it is given, not misread later.
"""
import math
import numbers
from typing import Sequence

import numpy as np


def _kind(value) -> str:
    return f'{value!r} ({type(value).__name__})'


def _join(message: str, hint: str) -> str:
    return f'{message} {hint}'.rstrip()


def real_argument(owner: str, name: str, value, low: float = -math.inf,
                  high: float = math.inf, low_inclusive: bool = True,
                  high_inclusive: bool = False, hint: str = '') -> float:
    """``value`` as a float after checking it is a finite real in range.

    Raises:
        TypeError: a bool, string or other non-real value.
        ValueError: a non-finite value or one outside the range.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, numbers.Real):
        raise TypeError(_join(
            f'{owner} {name} must be a real number, got {_kind(value)}.',
            hint))
    value = float(value)
    inside = ((value >= low if low_inclusive else value > low)
              and (value <= high if high_inclusive else value < high))
    if not (math.isfinite(value) and inside):
        interval = (f"{'[' if low_inclusive else '('}{low:g}, "
                    f"{high:g}{']' if high_inclusive else ')'}")
        raise ValueError(_join(
            f'{owner} {name} must be finite and in {interval}, got '
            f'{value!r}.', hint))
    return value


def integer_argument(owner: str, name: str, value, low: int,
                     hint: str = '') -> int:
    """``value`` as an int >= ``low``; a float such as 10.0 is refused.

    Raises:
        TypeError: a bool, float, string or other non-integer value.
        ValueError: an integer below ``low``.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, numbers.Integral):
        point = (' (write it without a decimal point)'
                 if isinstance(value, numbers.Real) else '')
        raise TypeError(_join(
            f'{owner} {name} must be an integer, got {_kind(value)}'
            f'{point}.', hint))
    if value < low:
        raise ValueError(_join(
            f'{owner} {name} must be an integer >= {low}, got {value!r}.',
            hint))
    return int(value)


def bool_argument(owner: str, name: str, value, hint: str = '') -> bool:
    """``value`` as a bool; 0, 1 and strings such as ``'False'`` are
    refused (``bool('False')`` is True)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(_join(
            f'{owner} {name} must be True or False, got {_kind(value)}.',
            hint))
    return bool(value)


def choice_argument(owner: str, name: str, value, choices: Sequence[str],
                    hint: str = '') -> str:
    """``value`` after checking it is one of the strings ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(_join(
            f'{owner} {name} must be one of {tuple(choices)}, got '
            f'{_kind(value)}.', hint))
    return value


def text_argument(owner: str, name: str, value, hint: str = '') -> str:
    """``value`` after checking it is a non-empty string."""
    if not isinstance(value, str) or not value:
        raise TypeError(_join(
            f'{owner} {name} must be a non-empty string, got '
            f'{_kind(value)}.', hint))
    return value
