"""Samples of a time series: ``(aware datetime, finite number)`` pairs in time order.

Every sample is checked; the detector's loop takes the next samples of the
same fixed-offset zone (:data:`datetime.UTC`, any :class:`datetime.timezone`)
on a fast path and checks the others in full here. A sample that is not a
pair, has a naive time, comes before the sample before it or is not a finite
number is an :class:`InvalidSampleError` whose message the caller raises as a
:class:`~incident_process.errors.SampleError` at the sample's index.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timezone, tzinfo
from itertools import islice
from typing import Final, cast

from incident_process.timing._moments import aware_problem, utc

__all__ = [
    "EARLIEST",
    "INF",
    "NEG_INF",
    "SLOW",
    "InvalidSampleError",
    "SlowZone",
    "blocks",
    "checked",
    "first_invalid",
    "pair",
]

INF: Final = math.inf
NEG_INF: Final = -math.inf
_BLOCK: Final = 4096  # samples taken at a time from an iterator that is not a list or tuple


class SlowZone:
    """Marks a last sample whose zone is not a fixed offset: the next sample is checked in full."""

    __slots__ = ()


SLOW: Final = SlowZone()


#: Before the first sample of a series: any aware time is later.
EARLIEST: Final = datetime.min.replace(tzinfo=UTC)


class InvalidSampleError(Exception):
    """A sample is wrong; the caller knows its index and raises :class:`SampleError`."""


def pair(sample: object) -> tuple[object, object]:
    """*sample*'s time and value, or why it is not a pair."""
    try:
        at, value = cast("Iterable[object]", sample)
    except (TypeError, ValueError):
        msg = f"expected an (aware datetime, number) pair, got {sample!r}"
        raise InvalidSampleError(msg) from None
    return at, value


def checked(at: object, value: object, last: datetime) -> tuple[datetime, float, tzinfo | SlowZone]:
    """The full check of one sample after one at *last*: its time, its value and its fast zone.

    The time comes back as given when its zone is a fixed offset
    (:class:`datetime.timezone`, such as UTC), where Python's arithmetic and
    order are exact, and converted to UTC otherwise. The zone returned lets
    the detector's loop take the next samples of the same fixed zone
    without this check.
    """
    moment, zone = _checked_time(at, last)
    if type(value) is float and NEG_INF < value < INF:
        return moment, value, zone
    return moment, _checked_value(value), zone


def _checked_time(at: object, last: datetime) -> tuple[datetime, tzinfo | SlowZone]:
    if not isinstance(at, datetime):
        raise InvalidSampleError(aware_problem(at))
    zone: tzinfo | SlowZone = at.tzinfo or SLOW
    if type(zone) is not timezone:
        if at.utcoffset() is None:
            raise InvalidSampleError(aware_problem(at))
        zone = SLOW
        try:
            at = at.astimezone(UTC)
        except (OverflowError, ValueError):
            msg = f"{at.isoformat()} cannot be taken to UTC"
            raise InvalidSampleError(msg) from None
    if at < last:
        msg = (
            f"out of order: {utc(at).isoformat()} is earlier than the sample before ({utc(last).isoformat()})"
        )
        raise InvalidSampleError(msg)
    return at, zone


def _checked_value(value: object) -> float:
    """*value* as a float, if it compares with floats as a finite number (the loop's own test)."""
    try:
        finite = NEG_INF < value < INF  # type: ignore[operator]
    except TypeError:
        finite = None
    except ArithmeticError:  # decimal.Decimal("NaN") refuses to be compared
        finite = False
    if finite is None or isinstance(value, str | bytes):
        msg = f"value {value!r} is not a number"
        raise InvalidSampleError(msg)
    if not finite:
        msg = f"value {value!r} is not a finite number"
        raise InvalidSampleError(msg)
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        msg = f"value {value!r} is not a number"
        raise InvalidSampleError(msg) from None


def first_invalid(block: Iterable[object], last: datetime) -> tuple[int, str] | None:
    """The position in *block* of its first invalid sample and why, checking each in full."""
    for position, sample in enumerate(block):
        try:
            last = checked(*pair(sample), last)[0]
        except InvalidSampleError as error:
            return position, str(error)
    return None


def blocks(samples: Iterable[tuple[datetime, float]]) -> Iterator[list[tuple[datetime, float]]]:
    iterator = iter(samples)
    while block := list(islice(iterator, _BLOCK)):
        yield block
