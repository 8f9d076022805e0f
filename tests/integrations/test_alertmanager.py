"""Alertmanager webhooks (parse_alertmanager): a malformed payload names its field; the alerts it reads."""

import json
from datetime import datetime

import pytest
from payload_examples import T0, alertmanager, alertmanager_alert, problems

from incident_process import DetectionError, PayloadError
from incident_process.integrations import Alert, AlertStatus, parse_alertmanager

ALERTMANAGER_BAD = [
    ({"version": "3"}, [("version", "expected one of '4', got '3'")]),
    ({"status": "pending"}, [("status", "expected one of 'firing', 'resolved', got 'pending'")]),
    ({"alerts": {}}, [("alerts", "expected an array, got an object")]),
]


@pytest.mark.parametrize(("change", "expected"), ALERTMANAGER_BAD)
def test_a_malformed_alertmanager_webhook_names_the_field(change, expected):
    """A webhook of another version, status or shape of alerts is refused, naming that field."""
    payload = {**alertmanager(alertmanager_alert()), **change}
    with pytest.raises(PayloadError) as error:
        parse_alertmanager(payload)
    assert problems(error) == expected
    assert error.value.source == "Alertmanager webhook"


ALERT_BAD = [
    ({"status": "pending"}, "alerts[0].status", "expected one of 'firing', 'resolved', got 'pending'"),
    ({"labels": None}, "alerts[0].labels", "expected an object of strings, got null"),
    ({"labels": {"alertname": "X", "code": 500}}, "alerts[0].labels.code", "expected a string, got 500"),
    ({"labels": {"endpoint": "checkout"}}, "alerts[0].labels.alertname", "missing"),
    ({"startsAt": "2026-08-18 noon"}, "alerts[0].startsAt", "expected an RFC 3339 time"),
    ({"startsAt": 1786000000}, "alerts[0].startsAt", "expected an RFC 3339 time"),
    ({"startsAt": "2026-08-18T12:00:00"}, "alerts[0].startsAt", "expected an RFC 3339 time"),  # no offset
    ({"fingerprint": ""}, "alerts[0].fingerprint", "must not be empty"),
    ({"status": "resolved", "endsAt": "2026-08-18T11:00:00Z"}, "alerts[0].endsAt", "ends before it starts"),
]


@pytest.mark.parametrize(("change", "path", "message"), ALERT_BAD)
def test_a_malformed_alert_names_the_field(change, path, message):
    """An alert with a bad status, label, time or fingerprint, or an end before its start, names the field."""
    with pytest.raises(PayloadError) as error:
        parse_alertmanager(alertmanager(alertmanager_alert(**change)))
    [(found_path, found_message)] = problems(error)
    assert found_path == path
    assert found_message.startswith(message)


@pytest.mark.parametrize("key", ["status", "labels", "startsAt", "fingerprint"])
def test_a_missing_alert_field_is_named(key):
    """An alert without its status, labels, startsAt or fingerprint names the missing field."""
    alert = alertmanager_alert()
    del alert[key]
    with pytest.raises(PayloadError) as error:
        parse_alertmanager(alertmanager(alert))
    assert (f"alerts[0].{key}", "missing") in problems(error)


def test_a_resolved_alert_needs_its_end():
    """A resolved alert without endsAt is refused: its end is what resolved means."""
    alert = alertmanager_alert(status="resolved")
    del alert["endsAt"]
    with pytest.raises(PayloadError) as error:
        parse_alertmanager(alertmanager(alert))
    assert problems(error) == [("alerts[0].endsAt", "missing")]


def test_every_problem_of_a_webhook_is_reported_at_once():
    """Every problem of every alert in a webhook is reported in one PayloadError, in order."""
    bad = alertmanager(
        alertmanager_alert(status="pending"), "not an alert", alertmanager_alert(fingerprint=7)
    )
    with pytest.raises(PayloadError) as error:
        parse_alertmanager(bad)
    assert [path for path, _ in problems(error)] == ["alerts[0].status", "alerts[1]", "alerts[2].fingerprint"]
    assert str(error.value).startswith("invalid payload in Alertmanager webhook: 3 problems\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON: Expecting property name enclosed in double quotes (column 2)"),
        ('{"version": NaN}', "not valid JSON: NaN is not valid JSON"),
        ("[]", "expected an object, got an array"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(text, message):
    """A body that is not strict JSON (NaN included) or not an object is refused with one problem."""
    with pytest.raises(PayloadError) as error:
        parse_alertmanager(text)
    assert [problem.message for problem in error.value.problems] == [message]


def test_a_blank_summary_falls_back_to_the_alert_name():
    """An alert whose summary annotation is blank is titled by its alert name."""
    [alert] = parse_alertmanager(alertmanager(alertmanager_alert(annotations={"summary": "   "})))
    assert alert.title == "HighErrorRate"


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ({"alertname": ""}, "must not be empty"),
        ({"alertname": "  "}, "must not be empty"),
        ({"alertname": None}, "expected a string, got null"),
    ],
)
def test_an_alert_without_a_name_is_refused(labels, message):
    """An alert whose alertname is empty, blank or null is refused."""
    with pytest.raises(PayloadError) as error:
        parse_alertmanager(alertmanager(alertmanager_alert(labels=labels)))
    assert ("alerts[0].labels.alertname", message) in problems(error)


@pytest.mark.parametrize(
    ("url", "expected"),
    [(None, None), ("", None), ("http://prometheus:9090/graph", "http://prometheus:9090/graph")],
)
def test_the_generator_url_may_be_empty(url, expected):
    """A null or empty generatorURL means no link; any other is kept as the alert's URL."""
    [alert] = parse_alertmanager(alertmanager(alertmanager_alert(generatorURL=url)))
    assert alert.url == expected


def test_a_generator_url_that_is_not_text_is_named():
    """A generatorURL that is not text is refused, naming the field."""
    with pytest.raises(PayloadError) as error:
        parse_alertmanager(alertmanager(alertmanager_alert(generatorURL=0)))
    assert problems(error) == [("alerts[0].generatorURL", "expected a string, got 0")]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"annotations": {"summary": "a\ud800b"}}, "alerts[0].annotations.summary"),
        ({"labels": {"alertname": "X", "endpoint": "\udfff"}}, "alerts[0].labels.endpoint"),
        ({"fingerprint": "\ud800"}, "alerts[0].fingerprint"),
    ],
)
def test_text_that_is_not_valid_unicode_is_refused(change, path):
    """A lone surrogate in an annotation, a label or the fingerprint is refused at its path."""
    body = json.dumps(alertmanager(alertmanager_alert(**change)))
    with pytest.raises(PayloadError) as error:
        parse_alertmanager(body)
    [(found_path, message)] = problems(error)
    assert (found_path, message.split(":")[0]) == (path, "not valid Unicode (a lone surrogate)")


def test_an_alert_value_checks_its_fields():
    """An Alert built in code checks its fields, and an acknowledgement needs who acknowledged it."""
    with pytest.raises(DetectionError) as error:
        Alert(
            origin="pagerduty",
            identity="P1",
            key="",
            status="acknowledged",
            title="x",
            started_at=datetime(2026, 8, 18, 12, 0),  # noqa: DTZ001 - naive on purpose
            at=T0,
        )
    message = str(error.value)
    assert "Alert.key: expected non-empty text" in message
    assert "Alert.status: expected an AlertStatus, got 'acknowledged'" in message
    assert "Alert.started_at: expected a timezone-aware datetime" in message
    with pytest.raises(DetectionError, match=r"Alert\.by: an acknowledgement needs who acknowledged it"):
        Alert(
            origin="pagerduty",
            identity="P1",
            key="k",
            status=AlertStatus.ACKNOWLEDGED,
            title="x",
            started_at=T0,
            at=T0,
        )


def test_unknown_keys_are_ignored():
    """Keys Alertmanager may add, to the webhook or to an alert, are ignored."""
    payload = alertmanager(alertmanager_alert(newField={"x": 1}))
    payload["somethingNew"] = True
    assert len(parse_alertmanager(payload)) == 1
