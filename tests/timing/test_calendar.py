"""Business days, the deadline rule, and the hard dates of 2026."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from incident_process import DEFAULT_POLICY, BusinessCalendar, CalendarError, Policy
from incident_process.policy import CalendarSettings

US = BusinessCalendar("America/New_York", country="US")
NY = ZoneInfo("America/New_York")
PLAIN = BusinessCalendar("UTC")

moments = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - bounds of the naive range, zones added below
    max_value=datetime(2035, 12, 31),  # noqa: DTZ001
    timezones=st.timezones(),
)
calendars = st.builds(
    BusinessCalendar,
    st.sampled_from(["UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu"]),
    country=st.sampled_from([None, "US", "GB", "DE"]),
    weekdays=st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True),
    closed=st.lists(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)), max_size=20),
)
counts = st.integers(min_value=1, max_value=40)


def local_end(day, zone):
    return datetime.combine(day, time.max, tzinfo=zone)


# --- laws --------------------------------------------------------------------


@given(calendars, moments, counts)
def test_deadline_falls_on_a_business_day_at_its_end(calendar, moment, n):
    """The deadline is the last instant of a business day of the calendar, in its zone."""
    deadline = calendar.deadline(moment, n)
    local = deadline.astimezone(calendar.tz)
    assert calendar.is_business_day(local.date())
    assert local.time() == time.max


@given(calendars, moments, moments, counts)
def test_deadlines_are_monotone_in_the_start(calendar, a, b, n):
    """A later event never gets an earlier deadline."""
    first, second = sorted((a, b))
    assert calendar.deadline(first, n) <= calendar.deadline(second, n)


@given(calendars, moments, counts)
def test_deadlines_grow_with_the_number_of_days(calendar, moment, n):
    """One more business day is a later deadline."""
    assert calendar.deadline(moment, n) < calendar.deadline(moment, n + 1)


@given(calendars, moments, st.integers(0, 30), st.integers(0, 30))
def test_adding_n_then_m_equals_adding_n_plus_m(calendar, moment, n, m):
    """add_business_days composes: on the same day always, at the same time unless DST moved the first step.

    A wall-clock time that DST skips on the day of the first step moves
    forward by the gap (documented), and the second step keeps the moved time
    (Hypothesis found: 01:00 on 2020-03-29 in London, weekdays Sunday only).
    """
    first = calendar.add_business_days(moment, n)
    stepped = calendar.add_business_days(first, m)
    direct = calendar.add_business_days(moment, n + m)
    assert calendar.local_date(stepped) == calendar.local_date(direct)
    if first.time() == moment.astimezone(calendar.tz).time():
        assert stepped == direct


@given(calendars, moments, st.integers(0, 30))
def test_business_days_between_counts_what_add_adds(calendar, moment, n):
    """Adding n business days moves n business days along."""
    assert calendar.business_days_between(moment, calendar.add_business_days(moment, n)) == n


@given(st.timezones(), moments, counts)
def test_the_deadlines_local_date_is_right_in_any_zone(zone, moment, n):
    """Against a plain day-by-day count on the local date, in random IANA zones."""
    try:
        calendar = BusinessCalendar(zone.key)
    except CalendarError:
        assume(False)
    day = moment.astimezone(zone).date()  # a weekend date too: the days counted are those after it
    for _ in range(n):
        day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
    deadline = calendar.deadline(moment, n)
    assert deadline.astimezone(zone).date() == day
    assert deadline.astimezone(zone).time() == time.max


@given(calendars, moments, st.integers(1, 30))
def test_a_deadline_is_the_end_of_the_day_add_business_days_reaches(calendar, moment, n):
    """Both count the business days strictly after the moment's local date, a day off or not."""
    reached = calendar.add_business_days(moment, n)
    assert calendar.deadline(moment, n) == calendar.end_of_day(reached.astimezone(calendar.tz).date())


@given(calendars, moments, st.integers(1, 20))
def test_add_keeps_the_local_wall_clock_time(calendar, moment, n):
    """Unless DST skips that time on the target day, the local time is kept."""
    local = moment.astimezone(calendar.tz)
    result = calendar.add_business_days(moment, n).astimezone(calendar.tz)
    assert calendar.is_business_day(result.date())
    naive_back = result.replace(tzinfo=None) - local.replace(tzinfo=None)
    assume(result.utcoffset() == local.utcoffset())
    assert (result.time(), naive_back.seconds) == (local.time(), 0)


# --- the hard dates of 2026 ----------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "n", "expected"),
    [
        # A Friday 23:30 event: Monday, Tuesday, Wednesday.
        (datetime(2026, 11, 20, 23, 30, tzinfo=NY), 3, date(2026, 11, 25)),
        # On Thanksgiving (Thursday 26, closed): the business days after it, Fri 27, Mon 30, Tue 1.
        (datetime(2026, 11, 26, 10, 0, tzinfo=NY), 3, date(2026, 12, 1)),
        # Wednesday before Thanksgiving: Thu closed, Fri 27, Mon 30, Tue 1.
        (datetime(2026, 11, 25, 18, 0, tzinfo=NY), 3, date(2026, 12, 1)),
        # 02:30 UTC on Sunday 2026-03-08 (US DST starts that day) is Saturday 21:30 in New York:
        # Mon 9, Tue 10, Wed 11.
        (datetime(2026, 3, 8, 2, 30, tzinfo=UTC), 3, date(2026, 3, 11)),
        # US DST ends Sunday 2026-11-01 (01:30 happens twice): Mon 2, Tue 3, Wed 4.
        (datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NY), 3, date(2026, 11, 4)),
        # Year end: Thursday 2026-12-31; New Year's Day is closed; Mon 4, Tue 5, Wed 6.
        (datetime(2026, 12, 31, 12, 0, tzinfo=NY), 3, date(2027, 1, 6)),
        # Christmas Day (Friday 25): Mon 28, Tue 29, Wed 30, Thu 31, (New Year's Day closed) Mon 4.
        (datetime(2026, 12, 25, 9, 0, tzinfo=NY), 5, date(2027, 1, 4)),
        # A Saturday event and a Friday 23:30 one: both due Monday with 1 business day.
        (datetime(2026, 10, 17, 10, 0, tzinfo=NY), 1, date(2026, 10, 19)),
        (datetime(2026, 10, 16, 23, 30, tzinfo=NY), 1, date(2026, 10, 19)),
        # A Sunday resolution with 3 business days: Mon 19, Tue 20, Wed 21.
        (datetime(2026, 10, 18, 15, 0, tzinfo=NY), 3, date(2026, 10, 21)),
    ],
)
def test_us_calendar_in_new_york(moment, n, expected):
    """The deadline rule on the dates that break naive implementations."""
    deadline = US.deadline(moment, n)
    assert deadline == local_end(expected, NY)
    assert deadline.tzinfo is US.tz


def test_a_utc_moment_counts_from_its_new_york_date():
    """02:00 UTC on Saturday 2026-11-21 is Friday 21:00 in New York: a Friday event."""
    assert US.deadline(datetime(2026, 11, 21, 2, 0, tzinfo=UTC), 1) == local_end(date(2026, 11, 23), NY)


def test_europe_london_dst_start():
    """Europe/London springs forward on Sunday 2026-03-29; 01:30 local does not exist."""
    london = BusinessCalendar("Europe/London", country="GB")
    friday = datetime(2026, 3, 27, 1, 30, tzinfo=ZoneInfo("Europe/London"))
    assert london.deadline(friday, 1) == local_end(date(2026, 3, 30), ZoneInfo("Europe/London"))
    thursday = datetime(2026, 3, 26, 1, 30, tzinfo=ZoneInfo("Europe/London"))
    moved = london.add_business_days(thursday, 1)
    assert moved.isoformat() == "2026-03-27T01:30:00+00:00"
    assert london.add_business_days(moved, 1).isoformat() == "2026-03-30T01:30:00+01:00"


def test_a_wall_clock_time_skipped_by_dst_moves_forward():
    """With Sunday as a working day, 02:30 on 2026-03-08 in New York is 03:30 EDT."""
    seven_days = BusinessCalendar("America/New_York", weekdays=range(7))
    saturday = datetime(2026, 3, 7, 2, 30, tzinfo=NY)
    assert seven_days.add_business_days(saturday, 1).isoformat() == "2026-03-08T03:30:00-04:00"


def test_lord_howe_half_hour_dst():
    """Australia/Lord_Howe shifts by 30 minutes (DST ends Sunday 2026-04-05, starts Sunday 2026-10-04)."""
    lord_howe = ZoneInfo("Australia/Lord_Howe")
    calendar = BusinessCalendar("Australia/Lord_Howe")
    friday = datetime(2026, 4, 3, 23, 45, tzinfo=lord_howe)
    assert friday.utcoffset() == timedelta(hours=11)
    deadline = calendar.deadline(friday, 1)
    assert deadline == local_end(date(2026, 4, 6), lord_howe)
    assert deadline.utcoffset() == timedelta(hours=10, minutes=30)
    saturday_october = datetime(2026, 10, 3, 12, 0, tzinfo=lord_howe)
    assert calendar.deadline(saturday_october, 1).utcoffset() == timedelta(hours=11)


def test_business_days_between():
    """Business days after a's date up to and including b's; negative backwards."""
    wednesday = datetime(2026, 11, 25, 9, 0, tzinfo=NY)
    next_wednesday = datetime(2026, 12, 2, 9, 0, tzinfo=NY)
    assert US.business_days_between(wednesday, next_wednesday) == 4  # Fri, Mon, Tue, Wed
    assert US.business_days_between(next_wednesday, wednesday) == -4
    assert US.business_days_between(wednesday, wednesday) == 0


def test_is_business_day():
    """Weekends, public holidays and closed dates are not business days."""
    calendar = BusinessCalendar(
        "America/New_York", country="US", subdivision="NY", closed=[date(2026, 12, 24)]
    )
    assert calendar.is_business_day(date(2026, 11, 25))
    assert not calendar.is_business_day(date(2026, 11, 26))  # Thanksgiving
    assert not calendar.is_business_day(date(2026, 11, 28))  # Saturday
    assert not calendar.is_business_day(date(2026, 12, 24))  # closed
    assert not calendar.is_business_day(date(2026, 2, 12))  # Lincoln's Birthday, New York
    assert calendar.closed_days(2026) >= {date(2026, 11, 26), date(2026, 12, 24)}


def test_add_zero_business_days_is_the_moment():
    """N = 0 is the moment itself, shown in the calendar's zone."""
    moment = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert US.add_business_days(moment, 0) == moment
    assert US.add_business_days(moment, 0).tzinfo is US.tz


# --- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"zone": "Mars/Olympus_Mons"}, "zone: unknown IANA time zone 'Mars/Olympus_Mons'"),
        ({"zone": ""}, "zone: expected an IANA time zone name"),
        ({"zone": "localtime"}, "zone: 'localtime' is not a place's time zone"),
        ({"zone": "posix/Europe/Paris"}, "is not a place's time zone"),
        ({"zone": "UTC", "country": "XX"}, "country: Country XX not available"),
        ({"zone": "UTC", "country": "US", "subdivision": "ZZ"}, "subdivision: .*ZZ"),
        ({"zone": "UTC", "subdivision": "NY"}, "subdivision: 'NY' needs a country"),
        ({"zone": "UTC", "weekdays": ()}, "weekdays: expected weekday numbers"),
        ({"zone": "UTC", "weekdays": (1, 7)}, "weekdays: expected weekday numbers"),
        ({"zone": "UTC", "closed": ["2026-12-24"]}, "closed: expected dates"),
    ],
)
def test_bad_calendars_are_refused_clearly(arguments, message):
    """An unknown zone, country or subdivision, or bad days, is a CalendarError naming it."""
    zone = arguments.pop("zone")
    with pytest.raises(CalendarError, match=message):
        BusinessCalendar(zone, **arguments)


@pytest.mark.parametrize(
    "call",
    [
        lambda: PLAIN.deadline(datetime(2026, 3, 8, 9, 0), 3),  # noqa: DTZ001
        lambda: PLAIN.add_business_days(datetime(2026, 3, 8, 9, 0), 1),  # noqa: DTZ001
        lambda: PLAIN.business_days_between(datetime(2026, 3, 8, tzinfo=UTC), datetime(2026, 3, 9)),  # noqa: DTZ001
        lambda: PLAIN.deadline(datetime(2026, 3, 8, tzinfo=UTC), 0),
        lambda: PLAIN.add_business_days(datetime(2026, 3, 8, tzinfo=UTC), -1),
        lambda: PLAIN.is_business_day(datetime(2026, 3, 8, tzinfo=UTC)),
        lambda: PLAIN.end_of_day("2026-03-08"),
    ],
)
def test_naive_times_and_bad_counts_are_refused(call):
    """Never a silently wrong answer: naive times, non-dates and bad counts are errors."""
    with pytest.raises(CalendarError):
        call()


def test_the_policy_has_a_calendar():
    """A policy's calendar uses its zone and calendar settings, and is built once."""
    assert DEFAULT_POLICY.business_calendar() == BusinessCalendar("UTC")
    policy = Policy(zone="America/New_York", calendar=CalendarSettings(country="US"))
    assert policy.business_calendar() == US
    assert policy.business_calendar() is policy.business_calendar()
    assert repr(US) == "BusinessCalendar('America/New_York', country='US')"
