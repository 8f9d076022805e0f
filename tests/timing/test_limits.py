"""The limits of time spans and zone names (issue 19): a value or a ValueError, never a raw OSError."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_process import CalendarError
from incident_process._limits import MAX_BUSINESS_DAYS, MAX_DURATION, MAX_ZONE_NAME, Refused
from incident_process.timing import BusinessDays, parse_business_days, parse_duration
from incident_process.timing._calendar import resolve_zone, zone_problem
from incident_process.timing._moments import aware, aware_problem


@pytest.mark.parametrize("text", ["99999999999999h", "200000000h", "8784h1s", "527041m", "9" * 5000 + "s"])
def test_durations_over_the_limit_are_refused_stating_it(text):
    """Longer than MAX_DURATION (366 days) is a Refused (a ValueError) saying the limit."""
    with pytest.raises(Refused, match=r"must be at most 8784h \(366 days\), got '"):
        parse_duration(text)


def test_the_longest_duration_reads():
    """MAX_DURATION itself, written any way, is a duration."""
    assert parse_duration("8784h") == parse_duration("527040m") == MAX_DURATION


@pytest.mark.parametrize(
    "text", ["3000000 business days", "367 business days", "9" * 5000 + " business days"]
)
def test_business_days_over_the_limit_are_refused_stating_it(text):
    """More than MAX_BUSINESS_DAYS is refused with the limit, before a 5,000-digit count is converted."""
    with pytest.raises(Refused, match="must be at most 366 business days"):
        parse_business_days(text)
    assert parse_business_days("366 business days") == BusinessDays(MAX_BUSINESS_DAYS)


@given(st.text(st.sampled_from("0123456789hms "), max_size=40))
def test_any_text_is_a_bounded_duration_or_a_value_error(text):
    """parse_duration gives a span within the limit, or a ValueError: nothing else."""
    try:
        span = parse_duration(text)
    except ValueError:
        return
    assert timedelta(0) <= span <= MAX_DURATION


@pytest.mark.parametrize(
    "name",
    ["America", "America/", "Etc", "a" * 5000, "a" * (MAX_ZONE_NAME + 1), "zone.tab", "tzdata.zi", "."],
)
def test_zone_names_that_are_folders_files_or_too_long_are_unknown(name):
    """`America` (IsADirectoryError) and 5,000 characters (OSError: file name too long) are unknown zones."""
    assert zone_problem(name).startswith("unknown IANA time zone")
    with pytest.raises(CalendarError, match="zone: unknown IANA time zone"):
        resolve_zone(name)


def test_a_long_zone_name_is_shown_short():
    """The refusal of a 5,000-character name shows its beginning and its length, not the whole."""
    problem = zone_problem("a" * 5000)
    assert len(problem) < 100
    assert "5,000 characters" in problem


@given(st.text(st.one_of(st.characters(), st.sampled_from("/.\x00\ud800")), max_size=80))
def test_any_zone_name_is_a_zone_or_a_reason(name):
    """zone_problem answers for any text, never raising."""
    assert zone_problem(name) is None or isinstance(zone_problem(name), str)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-14))),
        datetime(1899, 12, 31, 23, 59, tzinfo=UTC),
    ],
)
def test_moments_outside_the_accepted_years_are_refused_where_naive_ones_are(moment):
    """``aware`` (every ``now`` and ``at`` taken) refuses the calendar's ends, in the caller's own error."""
    with pytest.raises(CalendarError, match="outside the accepted years 1900 to 2999"):
        aware(moment, "now", CalendarError)
    assert aware_problem(moment) is not None
