"""The checks of detection's arguments: each refusal a DetectionError naming the argument.

A number is a finite real number (a float, an int, a
:class:`~fractions.Fraction`, a :class:`~decimal.Decimal`, a numpy number);
a span is a :class:`datetime.timedelta`; a count a whole number, 0 or more.
"""

from __future__ import annotations

import math
import numbers
from datetime import timedelta

from incident_process.errors import DetectionError

__all__ = [
    "checked_count",
    "positive_baseline",
    "real",
    "span",
]

_ZERO = timedelta(0)


def real(path: str, value: object) -> float:
    """*value* as a finite float, or a :class:`DetectionError` naming *path*."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        msg = f"{path}: expected a real number (an int or a float), got {value!r}"
        raise DetectionError(msg)
    number = float(value)
    if not math.isfinite(number):
        msg = f"{path}: expected a finite number, got {value!r}"
        raise DetectionError(msg)
    return number


def span(path: str, value: object, *, allow_zero: bool) -> timedelta:
    if not isinstance(value, timedelta):
        msg = f"{path}: expected a timedelta, got {value!r}"
        raise DetectionError(msg)
    if value < _ZERO or (value == _ZERO and not allow_zero):
        bound = "must not be negative" if allow_zero else "must be longer than zero"
        msg = f"{path}: {bound}, got {value}"
        raise DetectionError(msg)
    return value


def checked_count(path: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = f"{path}: expected a count (a whole number, 0 or more), got {value!r}"
        raise DetectionError(msg)
    return value


def positive_baseline(baseline: object) -> float:
    number = real("baseline", baseline)
    if number <= 0:
        msg = f"baseline: must be greater than zero, got {baseline!r}"
        raise DetectionError(msg)
    return number
