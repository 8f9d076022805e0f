"""The written forms of durations and business days."""

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_process._limits import MAX_BUSINESS_DAYS
from incident_process.timing import BusinessDays, format_duration, parse_business_days, parse_duration


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("5m", timedelta(minutes=5)),
        ("1h", timedelta(hours=1)),
        ("1h30m", timedelta(minutes=90)),
        ("90s", timedelta(seconds=90)),
        ("24h", timedelta(days=1)),
        ("0m", timedelta(0)),
        ("2h0m5s", timedelta(hours=2, seconds=5)),
    ],
)
def test_parse_duration(text, span):
    """Hours, minutes and seconds, in that order."""
    assert parse_duration(text) == span


@pytest.mark.parametrize("text", ["", "5", "m", "5 m", "5min", "-5m", "1.5h", "30m1h", "5M", "P5M"])
def test_parse_duration_refuses_other_forms(text):
    """Anything else names the form expected."""
    with pytest.raises(ValueError, match="expected a duration like"):
        parse_duration(text)


@given(st.integers(min_value=0, max_value=10**7))
def test_format_then_parse_is_identity(seconds):
    """Every whole-second span writes and reads back exactly."""
    span = timedelta(seconds=seconds)
    assert parse_duration(format_duration(span)) == span


@pytest.mark.parametrize("span", [timedelta(seconds=-1), timedelta(microseconds=1)])
def test_format_refuses_what_it_cannot_write(span):
    """Negative and sub-second spans have no written form."""
    with pytest.raises(ValueError, match="whole, non-negative seconds"):
        format_duration(span)


@pytest.mark.parametrize(
    ("text", "days"), [("3 business days", 3), ("1 business day", 1), ("10 business days", 10)]
)
def test_parse_business_days(text, days):
    """'3 business days'."""
    assert parse_business_days(text) == BusinessDays(days)


@pytest.mark.parametrize("text", ["3", "3 days", "three business days", "3 Business Days", "3business days"])
def test_parse_business_days_refuses_other_forms(text):
    """Business days are never confused with elapsed days."""
    with pytest.raises(ValueError, match="business days like"):
        parse_business_days(text)


@given(st.integers(min_value=1, max_value=MAX_BUSINESS_DAYS))
def test_business_days_round_trip(days):
    """Str then parse is the identity."""
    assert parse_business_days(str(BusinessDays(days))) == BusinessDays(days)
