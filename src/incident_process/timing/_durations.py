"""Two kinds of time span that are never mixed.

Elapsed durations (acknowledge within 5 minutes, update every 15 minutes, a
quiet period of 30 minutes) are exact spans of seconds: a
:class:`datetime.timedelta`. In policy files they are written ``"5m"``,
``"1h"``, ``"1h30m"`` or ``"90s"``.

Business-day rules ("Post-incident review: Within 3 business days") depend on a
calendar, not on elapsed seconds: a :class:`BusinessDays`. In policy files
they are written ``"3 business days"``.

A span is written in one of two ways, each by one function: in the policy
file's form by :func:`format_duration` (``"1h30m"``, what
:func:`parse_duration` reads back), and in words for people by
:func:`describe_duration` (``"1 hour 30 minutes"``: messages, refusals,
reports and tables).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Literal

import attrs

from incident_process._arguments import check_type
from incident_process._limits import MAX_BUSINESS_DAYS, MAX_DURATION, Refused

__all__ = [
    "BUSINESS_DAYS_FORM",
    "DURATION_FORM",
    "BusinessDays",
    "business_days_limit",
    "describe_duration",
    "duration_limit",
    "format_duration",
    "parse_business_days",
    "parse_duration",
]

_DURATION = re.compile(r"(?:(?P<h>[0-9]+)h)?(?:(?P<m>[0-9]+)m)?(?:(?P<s>[0-9]+)s)?")
_BUSINESS_DAYS = re.compile(r"(?P<n>[0-9]+) business days?")

DURATION_FORM = 'a duration like "15m", "1h", "1h30m" or "90s"'
BUSINESS_DAYS_FORM = 'business days like "3 business days"'

#: Digits read of one number in a duration: more is refused before it is converted (issue 19).
_DIGITS = 9


def parse_duration(text: str) -> timedelta:
    """Read ``"1h30m"``-style text as an exact :class:`~datetime.timedelta`, at most ``MAX_DURATION``.

    A longer span (``"99999999999999h"``, ``"200000000h"``) is refused (issue 19):
    no policy needs one, and a deadline that far away is not a date.

    >>> parse_duration("1h30m")
    datetime.timedelta(seconds=5400)
    >>> parse_duration("200000000h")
    Traceback (most recent call last):
    ...
    incident_process._limits.Refused: must be at most 8784h (366 days), got '200000000h'

    Raises:
        ValueError: if the text is not of that form; ``Refused`` (a ValueError)
            if it is longer than ``MAX_DURATION``.
    """
    check_type("text", text, str, "text (str)")  # issue 19, defect 10
    match = _DURATION.fullmatch(text)
    if not text or match is None:
        msg = f"expected {DURATION_FORM}, got {_shown(text)}"
        raise ValueError(msg)
    if any(len(match[unit] or "") > _DIGITS for unit in "hms"):
        raise Refused(duration_limit(_shown(text)))
    hours, minutes, seconds = (int(match[unit] or 0) for unit in "hms")
    span = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if span > MAX_DURATION:
        raise Refused(duration_limit(_shown(text)))
    return span


def duration_limit(shown: str) -> str:
    """The refusal of a span longer than ``MAX_DURATION`` (*shown* as the message shows it)."""
    return f"must be at most {format_duration(MAX_DURATION)} ({MAX_DURATION.days} days), got {shown}"


def business_days_limit(shown: str) -> str:
    """The refusal of more than ``MAX_BUSINESS_DAYS`` business days (*shown* as the message shows it)."""
    return f"must be at most {MAX_BUSINESS_DAYS} business days, got {shown}"


def _shown(text: str) -> str:
    """*text* quoted, cut short if long: a refusal never repeats a whole hostile value."""
    return repr(text) if len(text) <= 60 else repr(text[:57] + "...")


def format_duration(span: timedelta) -> str:
    """Write a whole-second, non-negative span in the form :func:`parse_duration` reads.

    >>> format_duration(timedelta(minutes=90))
    '1h30m'
    """
    check_type("span", span, timedelta, "a timedelta")  # issue 19, defect 10
    if span < timedelta(0) or span.microseconds:
        msg = f"cannot write {span!r}: durations are whole, non-negative seconds"
        raise ValueError(msg)
    total = int(span.total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    parts.append(f"{seconds}s" if seconds else "")
    return "".join(parts) or "0m"


_UNITS = (("hour", 3600), ("minute", 60), ("second", 1))
_MICROSECOND = timedelta(microseconds=1)


def describe_duration(span: timedelta, *, unit: Literal["minute"] | None = None) -> str:
    """Write *span* in words, the way every message, refusal, report and table of the library does.

    Hours, minutes and seconds, largest first, leaving out those that are
    zero, rounded to the nearest second; with ``unit="minute"``, the whole span
    in minutes, rounded to the nearest minute (the resolution message's "total
    minutes"). A negative span has a leading minus sign.

    >>> describe_duration(timedelta(minutes=15))
    '15 minutes'
    >>> describe_duration(timedelta(hours=1, minutes=30, seconds=1))
    '1 hour 30 minutes 1 second'
    >>> describe_duration(timedelta(hours=1, minutes=30), unit="minute")
    '90 minutes'
    """
    check_type("span", span, timedelta, "a timedelta")  # issue 19, defect 10
    check_type("unit", unit, (str, type(None)), '"minute" or None')
    sign = "-" if span < timedelta(0) else ""
    micro = abs(span) // _MICROSECOND
    if unit == "minute":
        parts = [((micro + 30_000_000) // 60_000_000, "minute")]  # halves round up
    else:
        seconds = (micro + 500_000) // 1_000_000
        parts = []
        for name, size in _UNITS:
            count, seconds = divmod(seconds, size)
            if count:
                parts.append((count, name))
        parts = parts or [(0, "second")]
    if parts[0][0] == 0:
        sign = ""  # nothing left of a tiny negative span once rounded
    return sign + " ".join(f"{count} {name}{'' if count == 1 else 's'}" for count, name in parts)


@attrs.frozen
class BusinessDays:
    """A number of business days; what counts as one is the calendar's business.

    Attributes:
        days: How many business days.
    """

    days: int

    def __str__(self) -> str:
        return f"{self.days} business day{'' if self.days == 1 else 's'}"


def parse_business_days(text: str) -> BusinessDays:
    """Read ``"3 business days"`` (or ``"1 business day"``), at most ``MAX_BUSINESS_DAYS`` of them.

    More (``"3000000 business days"``) is refused (issue 19), as a longer duration is.

    Raises:
        ValueError: if the text is not of that form; ``Refused`` (a ValueError)
            if it counts more than ``MAX_BUSINESS_DAYS``.
    """
    check_type("text", text, str, "text (str)")  # issue 19, defect 10
    match = _BUSINESS_DAYS.fullmatch(text)
    if match is None:
        msg = f"expected {BUSINESS_DAYS_FORM}, got {_shown(text)}"
        raise ValueError(msg)
    if len(match["n"]) > _DIGITS or int(match["n"]) > MAX_BUSINESS_DAYS:
        raise Refused(business_days_limit(_shown(text)))
    return BusinessDays(int(match["n"]))
