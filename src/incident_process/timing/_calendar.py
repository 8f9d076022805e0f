"""Business days: a time zone, working weekdays, public holidays and closed dates.

Guide, "5. Post-Incident": "Post-incident review: Within 3 business days.
Post-incident document: Within 5 business days."

The deadline rule, used everywhere: *within N business days of an event* means
by the end (23:59:59.999999 local time) of the N-th business day strictly
after the event's local date, whether or not that date is itself a business
day (an event on Saturday or on Friday night is due, with 1 business day, on
Monday; on Thanksgiving 2026, with 3, on Tuesday 1 December: Friday, Monday,
Tuesday). Local dates are taken in the calendar's
zone, so neither DST nor the zone an event was recorded in can move a
deadline to another local day.

Dates are plain :class:`datetime.date` values and closed days a
:class:`frozenset` per year, so the day-by-day count stays a tight loop;
pendulum resolves the zone, and the `holidays` package supplies the public
holidays, loaded one year at a time and only when a country is given.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

import attrs

from incident_process._limits import MAX_ZONE_NAME
from incident_process.errors import CalendarError

from ._moments import aware

if TYPE_CHECKING:
    from holidays import HolidayBase

__all__ = ["BusinessCalendar", "resolve_zone", "zone_problem"]

_DAY = timedelta(days=1)
_DEADLINES_KEPT = 100_000  # (local date, count) pairs remembered per calendar
_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


#: Names the zone database has that are not places: the machine's own zone, and
#: placeholders. A policy that used them would mean something else on each machine.
_NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})


def zone_problem(name: object) -> str | None:
    """Why *name* is not an IANA time zone of a place, or ``None`` if it is.

    Checked with the standard library's zone database, so that checking a
    policy's zone does not load pendulum. A name longer than ``MAX_ZONE_NAME``,
    a folder of the database (``"America"``) and any name the database cannot
    open are unknown zones, not raw ``OSError`` (issue 19).

    >>> zone_problem("America")
    "unknown IANA time zone 'America'"
    """
    if not isinstance(name, str) or not name:
        return f"expected an IANA time zone name such as 'America/New_York', got {name!r}"
    if len(name) > MAX_ZONE_NAME:
        shown = name[:20] + "..."
        return (
            f"unknown IANA time zone {shown!r} ({len(name):,} characters; a name has at most {MAX_ZONE_NAME})"
        )
    if name in _NOT_PLACES or name.startswith(("posix/", "right/")):
        return f"{name!r} is not a place's time zone; name one such as 'America/New_York'"
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # a folder: IsADirectoryError
        return f"unknown IANA time zone {name!r}"
    return None


@functools.lru_cache(maxsize=256)
def resolve_zone(name: object) -> tzinfo:
    """The IANA time zone *name* (a pendulum zone), or a :class:`CalendarError` saying why not."""
    problem = zone_problem(name)
    if problem is not None:
        msg = f"zone: {problem}"
        raise CalendarError(msg)
    import pendulum

    return pendulum.timezone(str(name))


def _weekdays(value: object) -> tuple[int, ...]:
    days = tuple(value) if isinstance(value, Iterable) and not isinstance(value, str | bytes) else None
    if not days or any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in days):
        msg = f"weekdays: expected weekday numbers 0 (Monday) to 6 (Sunday), at least one, got {value!r}"
        raise CalendarError(msg)
    return tuple(sorted(set(days)))


def _closed(value: object) -> frozenset[date]:
    days = tuple(value) if isinstance(value, Iterable) and not isinstance(value, str | bytes) else None
    if days is None or any(isinstance(d, datetime) or not isinstance(d, date) for d in days):
        msg = f"closed: expected dates (datetime.date), got {value!r}"
        raise CalendarError(msg)
    return frozenset(days)


@attrs.frozen(init=False)
class BusinessCalendar:
    """Which local days are business days, and deadlines counted in them.

    >>> calendar = BusinessCalendar("America/New_York", country="US")
    >>> calendar.is_business_day(date(2026, 11, 26))  # Thanksgiving
    False
    >>> friday_night = datetime(2026, 11, 27, 23, 30, tzinfo=calendar.tz)
    >>> calendar.deadline(friday_night, 3).isoformat()
    '2026-12-02T23:59:59.999999-05:00'

    Attributes:
        zone: The IANA zone local dates are taken in.
        country: The `holidays` country code whose public holidays are
            closed days (``None``: no public holidays).
        subdivision: The state or region within the country, if any.
        weekdays: The working weekdays, 0 for Monday to 6 for Sunday.
        closed: Further closed dates (a company shutdown, a local holiday).
        tz: The zone as a :class:`datetime.tzinfo`, for building local times.
    """

    zone: str
    country: str | None
    subdivision: str | None
    weekdays: tuple[int, ...]
    closed: frozenset[date]
    tz: tzinfo = attrs.field(eq=False, repr=False)
    _holidays: HolidayBase | None = attrs.field(eq=False, repr=False)
    _closed_by_year: dict[int, frozenset[date]] = attrs.field(eq=False, repr=False)
    _deadlines: dict[tuple[date, int], datetime] = attrs.field(eq=False, repr=False)

    def __init__(
        self,
        zone: str,
        *,
        country: str | None = None,
        subdivision: str | None = None,
        weekdays: Iterable[int] = (0, 1, 2, 3, 4),
        closed: Iterable[date] = (),
    ) -> None:
        """Raises :class:`CalendarError` for an unknown zone, country or subdivision."""
        tz = resolve_zone(zone)
        public = None
        if subdivision is not None and country is None:
            msg = f"subdivision: {subdivision!r} needs a country"
            raise CalendarError(msg)
        if country is not None:
            public = _public_holidays(country, subdivision)
        self.__attrs_init__(
            zone=zone,
            country=country,
            subdivision=subdivision,
            weekdays=_weekdays(weekdays),
            closed=_closed(closed),
            tz=tz,
            holidays=public,
            closed_by_year={},
            deadlines={},
        )

    def __repr__(self) -> str:
        parts = [repr(self.zone)]
        if self.country is not None:
            parts.append(f"country={self.country!r}")
        if self.subdivision is not None:
            parts.append(f"subdivision={self.subdivision!r}")
        if self.weekdays != (0, 1, 2, 3, 4):
            parts.append(f"weekdays={self.weekdays!r}")
        if self.closed:
            parts.append(f"closed={tuple(sorted(self.closed))!r}")
        return f"BusinessCalendar({', '.join(parts)})"

    # --- days ------------------------------------------------------------------

    def closed_days(self, year: int) -> frozenset[date]:
        """Every public holiday and closed date of *year* (weekends aside)."""
        if isinstance(year, bool) or not isinstance(year, int):  # issue 19, defect 10
            msg = f"year: expected a year (int), got {type(year).__name__}"
            raise TypeError(msg)
        known = self._closed_by_year.get(year)
        if known is None:
            public: Iterable[date] = ()
            if self._holidays is not None:
                _ = date(year, 1, 1) in self._holidays  # asking about a date loads its whole year
                public = [day for day in self._holidays if day.year == year]
            known = frozenset(public) | {day for day in self.closed if day.year == year}
            self._closed_by_year[year] = known
        return known

    def is_business_day(self, day: date) -> bool:
        """Whether *day* is a working weekday that is neither a holiday nor closed."""
        if isinstance(day, datetime) or not isinstance(day, date):
            msg = f"day: expected a date, got {day!r}"
            raise CalendarError(msg)
        return day.weekday() in self.weekdays and day not in self.closed_days(day.year)

    def local_date(self, moment: datetime) -> date:
        """The date of *moment* in the calendar's zone."""
        return aware(moment, "moment", CalendarError).astimezone(self.tz).date()

    def _next_business_days(self, day: date, count: int) -> date:
        """The *count*-th business day strictly after *day* (``day`` itself for 0)."""
        weekdays = self.weekdays
        year = day.year
        closed = self.closed_days(year)
        while count > 0:
            day += _DAY
            if day.year != year:
                year = day.year
                closed = self.closed_days(year)
            if day.weekday() in weekdays and day not in closed:
                count -= 1
        return day

    def _at_local(self, day: date, wall: time, fold: int = 0) -> datetime:
        """*day* at wall-clock *wall* in the zone; a time DST skips moves forward by the gap."""
        local = datetime.combine(day, wall, tzinfo=self.tz).replace(fold=fold)
        return local.astimezone(UTC).astimezone(self.tz)

    # --- the public rules ----------------------------------------------------------

    def add_business_days(self, moment: datetime, n: int) -> datetime:
        """The same local wall-clock time on the *n*-th business day after *moment*'s local date.

        ``n`` is at least 0; 0 gives *moment* itself (in the calendar's zone).
        A wall-clock time that DST skips on the target day moves forward by
        the gap. So adding *n* then *m* lands on the same day as adding
        *n + m*, and at the same time unless the first step's time was moved.
        """
        local = aware(moment, "moment", CalendarError).astimezone(self.tz)
        _count(n)
        if n == 0:
            return local
        day = self._next_business_days(local.date(), n)
        return self._at_local(day, local.time(), local.fold)

    def deadline(self, moment: datetime, business_days: int) -> datetime:
        """The end of the *business_days*-th business day after *moment* (the deadline rule).

        By 23:59:59.999999 local time of the N-th business day strictly after
        the local date of *moment*, whether or not that date is a business
        day: the business days counted are those after the event. Deadlines
        are kept per local date and count, so many events on the same days
        cost one count each.
        """
        if type(business_days) is not int or business_days < 1:
            _count(business_days, at_least=1)
        key = (self.local_date(moment), business_days)
        found = self._deadlines.get(key)
        if found is None:
            found = self.end_of_day(self._next_business_days(key[0], business_days))
            if len(self._deadlines) >= _DEADLINES_KEPT:
                self._deadlines.clear()
            self._deadlines[key] = found
        return found

    def business_days_between(self, a: datetime, b: datetime) -> int:
        """Business days after *a*'s local date up to and including *b*'s; negative if *b* is earlier."""
        first = self.local_date(aware(a, "a", CalendarError))
        last = self.local_date(aware(b, "b", CalendarError))
        if last < first:
            return -self.business_days_between(b, a)
        count = 0
        day = first
        while day < last:
            day += _DAY
            if self.is_business_day(day):
                count += 1
        return count

    def end_of_day(self, day: date) -> datetime:
        """23:59:59.999999 local time on *day*, in the calendar's zone."""
        if isinstance(day, datetime) or not isinstance(day, date):
            msg = f"day: expected a date, got {day!r}"
            raise CalendarError(msg)
        return self._at_local(day, time.max)

    def describe(self) -> str:
        """One line: zone, working days, holidays."""
        days = ", ".join(_WEEKDAY_NAMES[d] for d in self.weekdays)
        public = f"{self.country}{'-' + self.subdivision if self.subdivision else ''} holidays"
        closed = f", {len(self.closed)} closed dates" if self.closed else ""
        return f"{self.zone}; {days}; {public if self.country else 'no public holidays'}{closed}"


def _public_holidays(country: str, subdivision: str | None) -> HolidayBase:
    import holidays

    if not isinstance(country, str) or not country:
        msg = f"country: expected a country code such as 'US', got {country!r}"
        raise CalendarError(msg)
    try:
        return holidays.country_holidays(country, subdiv=subdivision, years=())
    except NotImplementedError as error:
        what = "subdivision" if subdivision is not None and "subdivision" in str(error) else "country"
        msg = f"{what}: {error}"
        raise CalendarError(msg) from None


def _count(n: object, *, at_least: int = 0) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < at_least:
        msg = f"business days: expected a whole number of at least {at_least}, got {n!r}"
        raise CalendarError(msg)
