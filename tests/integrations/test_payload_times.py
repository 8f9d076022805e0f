"""RFC 3339 times in vendor payloads (parse_time): any valid time is its instant, an impossible one none."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_process.integrations._payloads import parse_time


@given(
    st.datetimes(
        min_value=datetime(1970, 1, 2),  # noqa: DTZ001 - bounds of the naive range, the zone added by timezones
        max_value=datetime(9998, 12, 30),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    st.integers(-23 * 60 - 59, 23 * 60 + 59),
    st.integers(0, 9),
)
def test_any_rfc3339_time_reads_as_its_instant(moment, offset_minutes, digits):
    """Any RFC 3339 time, at any offset, with 0 to 9 fraction digits, reads as its UTC instant."""
    offset = timedelta(minutes=offset_minutes)
    local = (moment + offset).replace(tzinfo=None)
    sign = "-" if offset_minutes < 0 else "+"
    hours, minutes = divmod(abs(offset_minutes), 60)
    fraction = f"{local.microsecond:06d}000"[:digits]
    text = f"{local:%Y-%m-%dT%H:%M:%S}{'.' + fraction if digits else ''}{sign}{hours:02d}:{minutes:02d}"
    expected = moment.replace(microsecond=int(fraction.ljust(6, "0")[:6]) if digits else 0)
    parsed = parse_time(text)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "text", ["2026-02-30T12:00:00Z", "2026-08-18T25:00:00Z", "2026-08-18T12:00:00+24:00", "2026-08-18", ""]
)
def test_impossible_times_are_not_times(text):
    """Impossible dates, hours or offsets, a date alone and empty text are not times."""
    assert parse_time(text) is None
