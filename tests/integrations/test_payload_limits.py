"""The limits of webhook payloads (issue 19): times within the accepted years, size and nesting bounded."""

import json

import pytest
from payload_examples import alertmanager, alertmanager_alert, pagerduty, problems

from incident_process import PayloadError
from incident_process._limits import MAX_DEPTH, MAX_PAYLOAD_BYTES
from incident_process.integrations import parse_alertmanager, parse_pagerduty

RANGE = "is outside the accepted years 1900 to 2999"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"startsAt": "9999-12-31T23:59:59Z"}, "alerts[0].startsAt"),
        ({"startsAt": "9999-12-31T23:59:59.999999999-14:00"}, "alerts[0].startsAt"),
        ({"startsAt": "0001-01-01T00:00:00+01:00"}, "alerts[0].startsAt"),
        ({"startsAt": "1899-12-31T23:59:59Z"}, "alerts[0].startsAt"),
        ({"status": "resolved", "endsAt": "9999-12-31T23:59:59Z"}, "alerts[0].endsAt"),
        ({"status": "resolved", "endsAt": "0001-01-01T00:00:00Z"}, "alerts[0].endsAt"),
    ],
)
def test_alert_times_outside_the_accepted_years_are_refused(change, path):
    """An alert `startsAt` in year 9999 (OverflowError later, before) is refused at its field."""
    with pytest.raises(PayloadError) as error:
        parse_alertmanager(alertmanager(alertmanager_alert(**change)))
    [(found_path, message)] = problems(error)
    assert found_path == path
    assert message.endswith(RANGE)


def test_go_zero_time_is_a_firing_alerts_unset_end():
    """Alertmanager writes `endsAt` 0001-01-01T00:00:00Z for a firing alert: that is no end, not a refusal."""
    (alert,) = parse_alertmanager(alertmanager(alertmanager_alert(endsAt="0001-01-01T00:00:00Z")))
    assert alert.ended_at is None
    firing = alertmanager_alert(endsAt="9999-12-31T00:00:00Z")
    with pytest.raises(PayloadError, match=RANGE):
        parse_alertmanager(alertmanager(firing))


@pytest.mark.parametrize(
    ("key", "path"), [("occurred_at", "event.occurred_at"), ("created_at", "event.data.created_at")]
)
def test_pagerduty_times_outside_the_accepted_years_are_refused(key, path):
    """PagerDuty's times are held to the same years, each at its own path."""
    payload = pagerduty("triggered")
    (payload["event"] if key == "occurred_at" else payload["event"]["data"])[key] = "9999-12-31T23:59:59Z"
    with pytest.raises(PayloadError) as error:
        parse_pagerduty(payload)
    assert (path, f"9999-12-31T23:59:59+00:00 {RANGE}") in problems(error)


@pytest.mark.parametrize("kind", [str, bytes])
def test_a_payload_over_the_size_limit_is_refused_unparsed(kind):
    """A body over MAX_PAYLOAD_BYTES is refused before it is parsed, as text or bytes."""
    body = json.dumps(alertmanager(alertmanager_alert(padding="x" * MAX_PAYLOAD_BYTES)))
    with pytest.raises(PayloadError, match="over the limit of 4,194,304") as error:
        parse_alertmanager(body if kind is str else body.encode())
    assert error.value.source == "Alertmanager webhook"


def test_nesting_is_bounded_even_in_fields_not_read():
    """A payload nested deeper than MAX_DEPTH is refused at the path; one 2,000 deep does not recurse."""
    deep = alertmanager(alertmanager_alert(extra=json.loads("[" * 40 + "]" * 40)))
    with pytest.raises(PayloadError) as error:
        parse_alertmanager(json.dumps(deep))
    [(path, message)] = problems(error)
    assert path.startswith("alerts[0].extra[0]")
    assert message == f"nested more than {MAX_DEPTH} levels deep"
    body = json.dumps(alertmanager(alertmanager_alert()))[:-1] + ', "x": ' + "[" * 2000 + "]" * 2000 + "}"
    with pytest.raises(PayloadError, match="nested too deeply"):
        parse_alertmanager(body)


def test_integers_too_long_for_python_are_refused_and_64_bit_identifiers_are_not():
    """A 5,000-digit integer is refused as JSON; a vendor's 20-digit id in a field not read is ignored."""
    body = json.dumps(alertmanager(alertmanager_alert()))[:-1] + ', "x": 1' + "0" * 5000 + "}"
    with pytest.raises(PayloadError, match="an integer of more than 4,300 digits"):
        parse_alertmanager(body)
    body = json.dumps(alertmanager(alertmanager_alert(id=18446744073709551615)))
    assert len(parse_alertmanager(body)) == 1
