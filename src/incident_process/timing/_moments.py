"""Moments: the one check for a timezone-aware datetime, and UTC instants.

The library never guesses a zone: every time it is given must know its offset
from UTC, and a naive one is refused at the boundary where it comes in, with
one wording everywhere (``at: expected a timezone-aware datetime, got naive
2026-03-08T09:00:00``), in the error type of the call that refused it.

Python adds, subtracts and orders two datetimes of the *same* zone on the wall
clock, ignoring DST (01:58 EDT + 5 minutes is 02:03 EST, 65 minutes later), so
elapsed time and order are always taken between UTC instants (:func:`utc`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeGuard

from incident_process._limits import EARLIEST_YEAR, LATEST_YEAR, time_problem

__all__ = ["aware", "aware_problem", "is_aware", "utc"]


def is_aware(moment: object) -> TypeGuard[datetime]:
    """Whether *moment* is a datetime that knows its offset from UTC."""
    return isinstance(moment, datetime) and moment.utcoffset() is not None


def aware_problem(moment: object) -> str | None:
    """Why *moment* is not a timezone-aware datetime in the accepted years, or ``None`` if it is.

    The accepted years (1900 to 2999, ``incident_process._limits``) keep every
    deadline a policy can set a real date (issue 19).

    >>> aware_problem(datetime(2026, 3, 8, 9, 0))
    'expected a timezone-aware datetime, got naive 2026-03-08T09:00:00'
    >>> aware_problem("09:00")
    "expected a timezone-aware datetime, got '09:00'"
    """
    if is_aware(moment):
        return time_problem(moment)
    shown = f"naive {moment.isoformat()}" if isinstance(moment, datetime) else repr(moment)
    return f"expected a timezone-aware datetime, got {shown}"


def aware(moment: object, name: str, error: Callable[[str], Exception]) -> datetime:
    """*moment* if it is timezone-aware and in the accepted years; else *error* with "<name>: <why not>".

    *error* is the refusing call's own error type (:class:`~incident_process.errors.CalendarError`,
    :class:`~incident_process.errors.DetectionError`, ...), so the caller catches what it expects.
    """
    if (
        isinstance(moment, datetime)
        and moment.utcoffset() is not None  # is_aware and the accepted years, inlined: a hot path
        and EARLIEST_YEAR <= moment.year <= LATEST_YEAR
    ):
        return moment
    message = f"{name}: {aware_problem(moment)}"
    raise error(message)


def utc(moment: datetime) -> datetime:
    """*moment* as a UTC instant, for elapsed time and order (see the module docstring)."""
    return moment.astimezone(UTC)
