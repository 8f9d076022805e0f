"""Two kinds of time span that are never mixed.

Elapsed durations (acknowledge within 5 minutes, update every 15 minutes, a
quiet period of 30 minutes) are exact spans of seconds: a
:class:`datetime.timedelta`. In policy files they are written ``"5m"``,
``"1h"``, ``"1h30m"`` or ``"90s"``.

Business-day rules ("Post-incident review: Within 3 business days") depend on a
calendar, not on elapsed seconds: a :class:`BusinessDays`. In policy files
they are written ``"3 business days"``.
"""

from __future__ import annotations

import re
from datetime import timedelta

import attrs

__all__ = ["BusinessDays", "format_duration", "parse_business_days", "parse_duration"]

_DURATION = re.compile(r"(?:(?P<h>[0-9]+)h)?(?:(?P<m>[0-9]+)m)?(?:(?P<s>[0-9]+)s)?")
_BUSINESS_DAYS = re.compile(r"(?P<n>[0-9]+) business days?")

DURATION_FORM = 'a duration like "15m", "1h", "1h30m" or "90s"'
BUSINESS_DAYS_FORM = 'business days like "3 business days"'


def parse_duration(text: str) -> timedelta:
    """Read ``"1h30m"``-style text as an exact :class:`~datetime.timedelta`.

    >>> parse_duration("1h30m")
    datetime.timedelta(seconds=5400)

    Raises:
        ValueError: if the text is not of that form.
    """
    match = _DURATION.fullmatch(text)
    if not text or match is None:
        msg = f"expected {DURATION_FORM}, got {text!r}"
        raise ValueError(msg)
    hours, minutes, seconds = (int(match[unit] or 0) for unit in "hms")
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def format_duration(span: timedelta) -> str:
    """Write a whole-second, non-negative span in the form :func:`parse_duration` reads.

    >>> format_duration(timedelta(minutes=90))
    '1h30m'
    """
    if span < timedelta(0) or span.microseconds:
        msg = f"cannot write {span!r}: durations are whole, non-negative seconds"
        raise ValueError(msg)
    total = int(span.total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    parts.append(f"{seconds}s" if seconds else "")
    return "".join(parts) or "0m"


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
    """Read ``"3 business days"`` (or ``"1 business day"``).

    Raises:
        ValueError: if the text is not of that form.
    """
    match = _BUSINESS_DAYS.fullmatch(text)
    if match is None:
        msg = f"expected {BUSINESS_DAYS_FORM}, got {text!r}"
        raise ValueError(msg)
    return BusinessDays(int(match["n"]))
