"""Integrations: vendor payloads in (Alertmanager, PagerDuty, Prometheus), Block Kit and Statuspage out."""

import copy
import itertools
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_process import (
    ALERTMANAGER,
    DEFAULT_POLICY,
    PAGERDUTY,
    SLACK_LIMITS,
    STATUSPAGE_COMPONENT_STATUSES,
    STATUSPAGE_IMPACTS,
    STATUSPAGE_LIMITS,
    STATUSPAGE_STATUSES,
    Acknowledged,
    Alert,
    AlertMapping,
    AlertStatus,
    ComponentMapping,
    Detected,
    DetectionError,
    ExternalTextError,
    Incident,
    IncidentProcessError,
    Integrations,
    MessageError,
    MessageTemplates,
    PayloadError,
    PolicyError,
    Severity,
    StatuspageMapping,
    UnknownMetricError,
    alert_signals,
    apply_alert,
    assess,
    dump_policy,
    loads_policy,
    parse_alertmanager,
    parse_pagerduty,
    parse_prometheus_matrix,
    slack_message,
    statuspage_incident,
)
from incident_process._payloads import parse_time

FIXTURES = Path(__file__).parent / "fixtures" / "integrations"
T0 = datetime(2026, 8, 18, 12, 0, tzinfo=UTC)


def fixture(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def pagerduty(kind, *, event_id=None, occurred=None, **data):
    payload = fixture(f"pagerduty-v3-incident-{kind}.json")
    if event_id is not None:
        payload["event"]["id"] = event_id
    if occurred is not None:
        payload["event"]["occurred_at"] = occurred.isoformat().replace("+00:00", "Z")
    payload["event"]["data"].update(data)
    return payload


def problems(error):
    return [(problem.path, problem.message) for problem in error.value.problems]


POLICY = attrs.evolve(
    DEFAULT_POLICY,
    integrations=Integrations(
        alerts=(
            AlertMapping(alert="HighErrorRate", metric="error_rate"),
            AlertMapping(alert="DatabaseDown", metric="dependency"),
        ),
        critical_endpoints=("checkout",),
        statuspage=StatuspageMapping(
            components=(
                ComponentMapping(endpoint="checkout", component_id="cmp-checkout"),
                ComponentMapping(endpoint="search", component_id="cmp-search"),
            )
        ),
    ),
)


def alertmanager_alert(**changes):
    alert = {
        "status": "firing",
        "labels": {"alertname": "HighErrorRate", "endpoint": "checkout", "severity": "page"},
        "annotations": {"summary": "Checkout error rate above 5%"},
        "startsAt": "2026-08-18T12:00:00.123456789Z",
        "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus.internal:9090/graph",
        "fingerprint": "c0ffee0123456789",
    }
    alert.update(changes)
    return alert


def alertmanager(*alerts, status="firing"):
    return {"version": "4", "status": status, "receiver": "incident-bot", "alerts": list(alerts)}


# --- the vendors' documented payloads ----------------------------------------------------


def test_the_documented_alertmanager_payload_reads_into_its_two_alerts():
    firing, resolved = parse_alertmanager(json.dumps(fixture("alertmanager-v4.json")))
    assert firing.origin == resolved.origin == ALERTMANAGER
    assert firing.status is AlertStatus.FIRING
    assert firing.title == "Disk is running full"  # the summary annotation
    assert firing.name == "DiskRunningFull"
    assert firing.started_at == firing.at == datetime(2024, 5, 14, 9, 12, 31, 482345, tzinfo=UTC)
    assert firing.ended_at is None  # Go's zero time means "still firing"
    assert firing.identity == "8320f0af89d48747@2024-05-14T09:12:31.482345Z"
    assert firing.key == f"alertmanager:{firing.identity}:firing"
    assert firing.label("instance") == "example1"
    assert firing.url.startswith("http://prometheus:9090/graph?g0.expr=")
    assert "&g0.tab=1" in firing.url  # JSON's \u0026 decoded
    assert resolved.status is AlertStatus.RESOLVED
    assert resolved.ended_at == resolved.at == datetime(2024, 5, 14, 9, 17, 31, 482345, tzinfo=UTC)
    assert firing.endpoint is firing.metric is None  # the default policy maps no label of these


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("triggered", AlertStatus.FIRING),
        ("acknowledged", AlertStatus.ACKNOWLEDGED),
        ("resolved", AlertStatus.RESOLVED),
    ],
)
def test_the_documented_pagerduty_payloads_read_into_alerts(kind, status):
    alert = parse_pagerduty((FIXTURES / f"pagerduty-v3-incident-{kind}.json").read_bytes())
    assert alert.origin == PAGERDUTY
    assert alert.status is status
    assert alert.identity == "PGR0VU2"
    assert alert.title == "A little bump in the road"
    assert alert.started_at == datetime(2020, 4, 9, 15, 16, 27, tzinfo=UTC)
    assert alert.at == datetime(2020, 10, 2, 18, 45, 22, 169000, tzinfo=UTC)
    assert dict(alert.labels) == {"service": "API Service", "urgency": "high", "priority": "P1"}
    assert alert.url == "https://acme.pagerduty.com/incidents/PGR0VU2"
    assert alert.by == ("Tenex Engineer" if kind == "acknowledged" else None)
    assert alert.ended_at == (alert.at if kind == "resolved" else None)


def test_pagerduty_keys_tell_statuses_and_acknowledgements_apart():
    keys = {
        parse_pagerduty(fixture(f"pagerduty-v3-incident-{kind}.json")).key
        for kind in ("triggered", "resolved")
    }
    assert keys == {"pagerduty:PGR0VU2:firing", "pagerduty:PGR0VU2:resolved"}
    ack = parse_pagerduty(fixture("pagerduty-v3-incident-acknowledged.json"))
    assert ack.key == "pagerduty:PGR0VU2:acknowledged:5ac64822-4adc-4fda-ade0-410becf0de4f"


def test_an_acknowledgement_without_an_agent_is_by_the_first_assignee():
    payload = pagerduty("acknowledged")
    payload["event"]["agent"] = None
    assert parse_pagerduty(payload).by == "User 123"


def test_the_documented_range_query_reads_into_series():
    series = parse_prometheus_matrix(fixture("prometheus-range-matrix.json"), metric="error_rate")
    assert [dict(one.labels)["instance"] for one in series] == ["localhost:9090", "localhost:9091"]
    first = series[0]
    assert first.metric == "error_rate"
    assert first.endpoint is None
    assert first.samples[0] == (datetime(2015, 7, 1, 20, 10, 30, 781000, tzinfo=UTC), 1.0)
    assert [value for _, value in series[1].samples] == [0.0, 0.0, 1.0]
    assert first.not_finite == ()


def test_our_statuspage_payload_uses_the_documented_request_fields():
    documented = fixture("statuspage-create-incident.json")["incident"]
    incident = _declared(policy=POLICY)
    payload = statuspage_incident("declaration", incident, body=BODY, endpoints=["checkout"])
    assert set(payload) == {"incident"}
    assert set(payload["incident"]) <= set(documented)
    assert payload["incident"]["status"] in STATUSPAGE_STATUSES
    assert payload["incident"]["impact_override"] in STATUSPAGE_IMPACTS
    assert set(payload["incident"]["components"].values()) <= set(STATUSPAGE_COMPONENT_STATUSES)


def test_our_block_kit_payload_uses_the_documented_block_shapes():
    documented = fixture("slack-block-kit-message.json")
    shapes = {block["type"]: set(block) for block in documented["blocks"]}
    text_keys = {key for block in documented["blocks"] if "text" in block for key in block["text"]}
    message = slack_message("declaration", _declared(), impact="Checkout fails")
    assert set(message) <= set(documented)
    for block in message["blocks"]:
        assert set(block) <= shapes[block["type"]]
        assert set(block["text"]) <= text_keys | {"emoji"}


# --- malformed payloads --------------------------------------------------------------------

ALERTMANAGER_BAD = [
    ({"version": "3"}, [("version", "expected one of '4', got '3'")]),
    ({"status": "pending"}, [("status", "expected one of 'firing', 'resolved', got 'pending'")]),
    ({"alerts": {}}, [("alerts", "expected an array, got an object")]),
]


@pytest.mark.parametrize(("change", "expected"), ALERTMANAGER_BAD)
def test_a_malformed_alertmanager_webhook_names_the_field(change, expected):
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
    with pytest.raises(PayloadError) as error:
        parse_alertmanager(alertmanager(alertmanager_alert(**change)))
    [(found_path, found_message)] = problems(error)
    assert found_path == path
    assert found_message.startswith(message)


@pytest.mark.parametrize("key", ["status", "labels", "startsAt", "fingerprint"])
def test_a_missing_alert_field_is_named(key):
    alert = alertmanager_alert()
    del alert[key]
    with pytest.raises(PayloadError) as error:
        parse_alertmanager(alertmanager(alert))
    assert (f"alerts[0].{key}", "missing") in problems(error)


def test_a_resolved_alert_needs_its_end():
    alert = alertmanager_alert(status="resolved")
    del alert["endsAt"]
    with pytest.raises(PayloadError) as error:
        parse_alertmanager(alertmanager(alert))
    assert problems(error) == [("alerts[0].endsAt", "missing")]


def test_every_problem_of_a_webhook_is_reported_at_once():
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
    with pytest.raises(PayloadError) as error:
        parse_alertmanager(text)
    assert [problem.message for problem in error.value.problems] == [message]


def test_a_blank_summary_falls_back_to_the_alert_name():
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
    with pytest.raises(PayloadError) as error:
        parse_alertmanager(alertmanager(alertmanager_alert(labels=labels)))
    assert ("alerts[0].labels.alertname", message) in problems(error)


@pytest.mark.parametrize(
    ("url", "expected"),
    [(None, None), ("", None), ("http://prometheus:9090/graph", "http://prometheus:9090/graph")],
)
def test_the_generator_url_may_be_empty(url, expected):
    [alert] = parse_alertmanager(alertmanager(alertmanager_alert(generatorURL=url)))
    assert alert.url == expected


def test_a_generator_url_that_is_not_text_is_named():
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
    body = json.dumps(alertmanager(alertmanager_alert(**change)))
    with pytest.raises(PayloadError) as error:
        parse_alertmanager(body)
    [(found_path, message)] = problems(error)
    assert (found_path, message.split(":")[0]) == (path, "not valid Unicode (a lone surrogate)")


def test_an_alert_value_checks_its_fields():
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


def test_pagerduty_alerts_map_to_metrics_by_title():
    policy = attrs.evolve(
        DEFAULT_POLICY,
        integrations=Integrations(alerts=(AlertMapping(alert="Orders database down", metric="dependency"),)),
    )
    alert = parse_pagerduty(pagerduty("triggered", title="Orders database down"), policy=policy)
    assert (alert.name, alert.metric) == ("Orders database down", "dependency")
    signals = alert_signals(T0, alerts=[alert], policy=policy)
    assert signals.critical_dependencies_down == ("Orders database down",)


def test_unknown_keys_are_ignored():
    payload = alertmanager(alertmanager_alert(newField={"x": 1}))
    payload["somethingNew"] = True
    assert len(parse_alertmanager(payload)) == 1


def _without(payload, *path):
    trimmed = copy.deepcopy(payload)
    node = trimmed
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return trimmed


PAGERDUTY_BAD = [
    ({"event_type": "incident.annotated"}, "event.event_type", "expected one of 'incident.triggered'"),
    ({"occurred_at": "Oct 2"}, "event.occurred_at", "expected an RFC 3339 time"),
    ({"id": 42}, "event.id", "expected a string, got 42"),
    ({"data": []}, "event.data", "expected an object, got an array"),
]


@pytest.mark.parametrize(("change", "path", "message"), PAGERDUTY_BAD)
def test_a_malformed_pagerduty_webhook_names_the_field(change, path, message):
    payload = pagerduty("triggered")
    payload["event"].update(change)
    with pytest.raises(PayloadError) as error:
        parse_pagerduty(payload)
    [(found_path, found_message)] = problems(error)
    assert found_path == path
    assert found_message.startswith(message)
    assert error.value.source == "PagerDuty webhook"


@pytest.mark.parametrize(
    ("path", "where"),
    [
        (("event",), "event"),
        (("event", "data", "id"), "event.data.id"),
        (("event", "data", "title"), "event.data.title"),
        (("event", "data", "created_at"), "event.data.created_at"),
        (("event", "data", "service"), "event.data.service"),
        (("event", "data", "service", "summary"), "event.data.service.summary"),
        (("event", "data", "urgency"), "event.data.urgency"),
    ],
)
def test_a_missing_pagerduty_field_is_named(path, where):
    with pytest.raises(PayloadError) as error:
        parse_pagerduty(_without(pagerduty("triggered"), *path))
    assert (where, "missing") in problems(error)


def test_a_pagerduty_resource_that_is_not_an_incident_is_refused():
    payload = pagerduty("triggered", type="service")
    with pytest.raises(PayloadError) as error:
        parse_pagerduty(payload)
    assert problems(error) == [("event.data.type", "expected one of 'incident', got 'service'")]


def test_an_acknowledgement_by_nobody_is_refused():
    payload = pagerduty("acknowledged", assignees=[])
    payload["event"]["agent"] = None
    with pytest.raises(PayloadError) as error:
        parse_pagerduty(payload)
    assert [path for path, _ in problems(error)] == ["event.agent"]


def test_payload_errors_belong_to_the_librarys_tree():
    with pytest.raises(IncidentProcessError):
        parse_pagerduty("{}")
    with pytest.raises(ValueError, match="event: missing"):
        parse_pagerduty("{}")


# --- RFC 3339 times -----------------------------------------------------------------------


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
    assert parse_time(text) is None


# --- applying alerts: every row of the table --------------------------------------------------


def test_a_firing_alert_detects_a_new_incident():
    [alert] = parse_alertmanager(alertmanager(alertmanager_alert()), policy=POLICY)
    applied = apply_alert(alert, id="INC-1", policy=POLICY)
    assert applied.changed
    [detected] = applied.events
    assert isinstance(detected, Detected)
    assert detected.source.value == "automated_alert"
    assert detected.at == alert.started_at
    assert detected.idempotency_key == alert.key
    assert applied.incident.title == "Checkout error rate above 5%"
    assert applied.incident.policy is POLICY
    assert "detected INC-1" in applied.reason


def test_a_firing_alert_for_a_detected_incident_changes_nothing():
    first, second = parse_alertmanager(
        alertmanager(alertmanager_alert(), alertmanager_alert(fingerprint="0123456789abcdef"))
    )
    incident = apply_alert(first, id="INC-1").incident
    applied = apply_alert(second, incident)
    assert applied.incident is incident
    assert not applied.changed
    assert "already detected" in applied.reason


def test_an_acknowledgement_acknowledges_the_incident():
    incident = apply_alert(
        parse_pagerduty(pagerduty("triggered", created_at="2026-08-18T12:00:00Z")), id="INC-1"
    ).incident
    ack = parse_pagerduty(pagerduty("acknowledged", occurred=T0 + timedelta(minutes=3)))
    applied = apply_alert(ack, incident)
    [event] = applied.events
    assert isinstance(event, Acknowledged)
    assert (event.by, event.at, event.idempotency_key) == (
        "Tenex Engineer",
        T0 + timedelta(minutes=3),
        ack.key,
    )
    assert applied.incident.time_to_acknowledge() == timedelta(minutes=3)


def test_an_acknowledgement_without_an_incident_detects_it_first():
    ack = parse_pagerduty(
        pagerduty("acknowledged", created_at="2026-08-18T12:00:00Z", occurred=T0 + timedelta(minutes=2))
    )
    applied = apply_alert(ack, id="INC-1")
    assert [type(event) for event in applied.events] == [Detected, Acknowledged]
    assert applied.incident.detected_at == T0
    # The trigger arriving late is the detection already applied.
    late = apply_alert(
        parse_pagerduty(pagerduty("triggered", created_at="2026-08-18T12:00:00Z")), applied.incident
    )
    assert late.incident is applied.incident
    assert not late.changed


def test_a_second_acknowledgement_changes_nothing():
    first = parse_pagerduty(pagerduty("acknowledged", created_at="2026-08-18T12:00:00Z", occurred=T0))
    again = parse_pagerduty(pagerduty("acknowledged", event_id="another", occurred=T0 + timedelta(minutes=9)))
    incident = apply_alert(first, id="INC-1").incident
    applied = apply_alert(again, incident)
    assert applied.incident is incident
    assert applied.reason == "INC-1 was already acknowledged at 2026-08-18T12:00:00+00:00"


def test_an_acknowledgement_that_arrives_late_changes_nothing_and_says_why():
    """Webhooks come at least once and in any order: a refused command is reported, not raised."""
    incident = Incident.detect(id="INC-1", title="x", source="automated_alert", at=T0)
    incident = incident.declare(
        at=T0 + timedelta(minutes=5), by="ana", declarer_role="on_call_engineer", severity=2
    )
    ack = parse_pagerduty(pagerduty("acknowledged", occurred=T0 + timedelta(minutes=1)))
    applied = apply_alert(ack, incident)
    assert applied.incident is incident
    assert not applied.changed
    assert applied.reason.startswith("INC-1 is unchanged: acknowledge refused in phase 'declared' by rule")


def test_a_resolved_alert_never_resolves_the_incident():
    firing = alertmanager_alert()
    resolved = alertmanager_alert(status="resolved", endsAt="2026-08-18T12:40:00Z")
    incident = apply_alert(parse_alertmanager(alertmanager(firing))[0], id="INC-1").incident
    [alert] = parse_alertmanager(alertmanager(resolved, status="resolved"))
    applied = apply_alert(alert, incident)
    assert applied.incident is incident
    assert not applied.changed
    assert "last_error_at" in applied.reason
    assert "2026-08-18T12:40:00+00:00" in applied.reason
    assert alert.ended_at == T0 + timedelta(minutes=40)


def test_a_resolved_alert_without_an_incident_detects_it_at_its_start():
    [alert] = parse_alertmanager(
        alertmanager(alertmanager_alert(status="resolved", endsAt="2026-08-18T12:40:00Z"), status="resolved")
    )
    applied = apply_alert(alert, id="INC-1")
    [detected] = applied.events
    assert detected.at == alert.started_at
    # and the firing webhook arriving after it is the same detection
    [firing] = parse_alertmanager(alertmanager(alertmanager_alert()))
    assert apply_alert(firing, applied.incident).incident is applied.incident


def test_no_incident_and_no_id_is_refused():
    [alert] = parse_alertmanager(alertmanager(alertmanager_alert()))
    with pytest.raises(DetectionError, match="no incident and no id"):
        apply_alert(alert)


def test_an_existing_incident_keeps_its_policy():
    [alert] = parse_alertmanager(alertmanager(alertmanager_alert()))
    incident = apply_alert(alert, id="INC-1").incident
    assert apply_alert(alert, incident, id="INC-9", policy=DEFAULT_POLICY).incident is incident
    with pytest.raises(DetectionError, match="policy differs from the incident's own"):
        apply_alert(alert, incident, policy=POLICY)


def _pagerduty_stream(draw_ids, minutes):
    created = "2026-08-18T12:00:00Z"
    payloads = [pagerduty("triggered", created_at=created, occurred=T0)]
    for event_id, minute in zip(draw_ids, minutes, strict=True):
        payloads.append(
            pagerduty(
                "acknowledged", created_at=created, event_id=event_id, occurred=T0 + timedelta(minutes=minute)
            )
        )
    payloads.append(pagerduty("resolved", created_at=created, occurred=T0 + timedelta(minutes=90)))
    return payloads


@given(
    st.lists(st.sampled_from(["alert-a", "alert-b", "alert-c"]), min_size=1, max_size=12),
    st.lists(st.integers(0, 5), min_size=12, max_size=12),
)
def test_redelivered_alertmanager_webhooks_give_the_same_incident(order, repeats):
    """Alertmanager sends a group again on every repeat interval: each delivery after the first is a no-op."""
    webhooks = {
        name: alertmanager(
            alertmanager_alert(fingerprint=f"{index:016x}", startsAt=f"2026-08-18T12:0{index}:00Z")
        )
        for index, name in enumerate(["alert-a", "alert-b", "alert-c"])
    }

    def run(deliveries):
        incident = None
        for name in deliveries:
            for alert in parse_alertmanager(json.dumps(webhooks[name])):
                if incident is None or alert.started_at >= incident.events[-1].at:
                    incident = apply_alert(alert, incident, id="INC-1").incident
        return incident

    once = run(dict.fromkeys(order))
    redelivered = [name for index, name in enumerate(order) for _ in range(1 + repeats[index])]
    assert run(redelivered) == once


@given(
    st.lists(st.sampled_from(["ack-1", "ack-2"]), max_size=3),
    st.lists(st.integers(1, 30), min_size=3, max_size=3),
    st.lists(st.integers(1, 3), min_size=5, max_size=5),
)
def test_redelivered_pagerduty_webhooks_give_the_same_incident(ack_ids, minutes, repeats):
    payloads = _pagerduty_stream(ack_ids, sorted(minutes)[: len(ack_ids)])

    def run(deliveries):
        incident = None
        for payload in deliveries:
            incident = apply_alert(parse_pagerduty(json.dumps(payload)), incident, id="INC-1").incident
        return incident

    redelivered = [payload for index, payload in enumerate(payloads) for _ in range(repeats[index])]
    assert run(redelivered) == run(payloads)


# --- signals for assess --------------------------------------------------------------------


def matrix(*series):
    return {"status": "success", "data": {"resultType": "matrix", "result": list(series)}}


def series(labels, values, start=T0, step=60):
    first = start.timestamp()
    return {"metric": labels, "values": [[first + step * i, value] for i, value in enumerate(values)]}


def test_series_and_alerts_become_signals_that_assess_reads():
    rates = parse_prometheus_matrix(
        matrix(series({"endpoint": "checkout"}, ["0.08"] * 8), series({"endpoint": "search"}, ["0.5"] * 8)),
        metric="error_rate",
        policy=POLICY,
    )
    down = alertmanager_alert(labels={"alertname": "DatabaseDown", "dependency": "orders-db"})
    alerts = parse_alertmanager(alertmanager(down, alertmanager_alert()), policy=POLICY)
    signals = alert_signals(T0 + timedelta(minutes=8), alerts=alerts, series=rates, policy=POLICY)
    assert [(e.endpoint, e.critical) for e in signals.endpoints] == [("checkout", True), ("search", False)]
    assert signals.critical_dependencies_down == ("orders-db",)
    verdict = assess(signals, POLICY)
    assert verdict.is_incident
    assert {criterion.criterion for criterion in verdict.criteria} == {"availability", "dependency"}


def test_latency_series_need_their_baseline():
    latency = parse_prometheus_matrix(
        matrix(series({"route": "checkout"}, ["900"] * 7)), metric="p95_latency"
    )
    with pytest.raises(DetectionError, match="p95_baselines: no baseline for endpoint 'checkout'"):
        alert_signals(T0, series=latency)
    signals = alert_signals(T0 + timedelta(minutes=7), series=latency, p95_baselines={"checkout": 200.0})
    assert signals.endpoints[0].p95_baseline == 200.0
    assert [c.criterion for c in assess(signals).criteria] == ["latency"]


def test_a_dependency_alert_without_its_label_names_itself():
    down = alertmanager_alert(labels={"alertname": "DatabaseDown"}, annotations={})
    alerts = parse_alertmanager(alertmanager(down), policy=POLICY)
    assert alert_signals(T0, alerts=alerts, policy=POLICY).critical_dependencies_down == ("DatabaseDown",)


def test_resolved_dependency_alerts_are_not_down():
    down = alertmanager_alert(
        status="resolved", endsAt="2026-08-18T12:30:00Z", labels={"alertname": "DatabaseDown"}
    )
    alerts = parse_alertmanager(alertmanager(down, status="resolved"), policy=POLICY)
    assert alert_signals(T0, alerts=alerts, policy=POLICY).critical_dependencies_down == ()


@pytest.mark.parametrize(
    ("result", "metric", "message"),
    [
        ([series({"job": "api"}, ["0.1"])], "error_rate", r"series\[0\]: no endpoint label"),
        ([series({"endpoint": "a"}, ["0.1"])], "availability", "assess reads 'error_rate' and 'p95_latency'"),
        (
            [series({"endpoint": "a", "pod": "1"}, ["0.1"]), series({"endpoint": "a", "pod": "2"}, ["0.1"])],
            "error_rate",
            r"series\[1\]: a second error_rate series for endpoint 'a' \(the first is series\[0\]\)",
        ),
    ],
)
def test_series_that_do_not_make_signals_are_refused(result, metric, message):
    found = parse_prometheus_matrix(matrix(*result), metric=metric)
    with pytest.raises(DetectionError, match=message):
        alert_signals(T0, series=found)


# --- Prometheus matrices -------------------------------------------------------------------

TIME, VALUE = "data.result[0].values[0][0]", "data.result[0].values[0][1]"


def only(*pairs):
    """A matrix of one series with no labels and these [time, value] pairs."""
    return matrix({"metric": {}, "values": list(pairs)})


def test_not_finite_values_are_left_out_and_listed():
    [found] = parse_prometheus_matrix(
        matrix(series({"endpoint": "a"}, ["0.1", "NaN", "+Inf", "-Inf", "0.2"])), metric="error_rate"
    )
    assert [value for _, value in found.samples] == [0.1, 0.2]
    assert found.not_finite == tuple(T0 + timedelta(minutes=m) for m in (1, 2, 3))


@pytest.mark.parametrize(
    ("payload", "path", "message"),
    [
        (
            {"status": "error", "errorType": "bad_data", "error": "parse error"},
            "status",
            "the query failed (bad_data): parse error",
        ),
        (
            {"status": "success", "data": {"resultType": "vector", "result": []}},
            "data.resultType",
            "expected one of 'matrix', got 'vector'",
        ),
        ({"status": "success"}, "data", "missing"),
        (
            matrix({"metric": {}, "histograms": []}),
            "data.result[0].histograms",
            "native histograms are not samples",
        ),
        (
            only([1, "x"]),
            VALUE,
            "expected a number as a string like '0.052', got 'x'",
        ),
        (
            only([1, 0.5]),
            VALUE,
            "expected a number as a string like '0.052', got 0.5",
        ),
        (
            only(["1", "0.5"]),
            TIME,
            "expected a number, got '1'",
        ),
        (
            only([1]),
            "data.result[0].values[0]",
            "expected a [time, value] pair",
        ),
        (
            only([2, "1"], [1, "1"]),
            "data.result[0].values[1][0]",
            "times must increase",
        ),
        (only([1e20, "1"]), TIME, "not a time"),
        (
            only([2**1100, "1"]),
            TIME,
            "out of range: a huge",
        ),
        (
            only([True, "1"]),
            TIME,
            "expected a number, got true",
        ),
        (
            only([1700000000.0000001, "1"], [1700000000.0000002, "1"]),
            "data.result[0].values[1][0]",
            "times must increase",
        ),
        (
            only([1, "1_000"]),
            VALUE,
            "expected a number as a",
        ),
        (
            only([1, "\uff11"]),
            VALUE,
            "expected a number as a",
        ),
        (
            only([1, " 1"]),
            VALUE,
            "expected a number as a",
        ),
        (
            only([1, "1e999"]),
            VALUE,
            "expected a number as a",
        ),
        (matrix({"values": []}), "data.result[0].metric", "missing"),
    ],
)
def test_a_malformed_range_query_names_the_field(payload, path, message):
    with pytest.raises(PayloadError) as error:
        parse_prometheus_matrix(payload, metric="error_rate")
    [(found_path, found_message)] = problems(error)
    assert found_path == path
    assert found_message.startswith(message)


@pytest.mark.parametrize("metric", ["errors", []])
def test_an_unknown_metric_is_named(metric):
    with pytest.raises(UnknownMetricError, match="metric: unknown metric"):
        parse_prometheus_matrix(matrix(), metric=metric)


@pytest.mark.parametrize("value", ["0.052", "5e-2", "+1", "-0", ".5", "1.", "7E+3"])
def test_values_as_prometheus_writes_them_are_read(value):
    [found] = parse_prometheus_matrix(matrix(series({"endpoint": "a"}, [value])), metric="error_rate")
    assert found.samples[0][1] == float(value)


@given(st.lists(st.floats(0, 1), max_size=30), st.integers(1, 600))
def test_a_matrix_reads_back_the_values_it_holds(values, step):
    [found] = parse_prometheus_matrix(
        json.dumps(matrix(series({"endpoint": "a"}, [repr(v) for v in values], step=step))),
        metric="error_rate",
    )
    assert [value for _, value in found.samples] == values
    assert all(
        later - earlier == timedelta(seconds=step)
        for (earlier, _), (later, _) in itertools.pairwise(found.samples)
    )


# --- Slack Block Kit --------------------------------------------------------------------------


def _declared(title="Checkout errors", policy=DEFAULT_POLICY, severity="SEV2"):
    incident = Incident.detect(id="INC-1", title=title, source="automated_alert", at=T0, policy=policy)
    return incident.declare(
        at=T0 + timedelta(minutes=4), by="ana", declarer_role="on_call_engineer", severity=severity
    )


def _resolved(policy=DEFAULT_POLICY, severity="SEV2"):
    incident = _declared(policy=policy, severity=severity).start_response(at=T0 + timedelta(minutes=5))
    incident = incident.post_update(at=T0 + timedelta(minutes=12), status="identified")
    return incident.resolve(at=T0 + timedelta(minutes=60), last_error_at=T0 + timedelta(minutes=30))


def _texts(message):
    return [block["text"] for block in message["blocks"]]


def test_a_declaration_as_blocks_is_the_guide_line_by_line():
    message = slack_message("declaration", _declared(), impact="Checkout fails for 12% of EU customers")
    assert [text["text"] for text in _texts(message)] == [
        "INCIDENT DECLARED - SEV2",
        "Issue: Checkout errors",
        "Impact: Checkout fails for 12% of EU customers",
        "Detection: Automated alert",
        "Current status: Investigation",
        "Incident commander: @ana",
    ]
    assert [block["type"] for block in message["blocks"]] == ["header"] + ["section"] * 5
    assert message["text"].startswith("INCIDENT DECLARED - SEV2\nIssue: Checkout errors\n")


def test_update_and_resolution_as_blocks():
    incident = _resolved()
    update = slack_message("update", incident, what_we_know="A bad deploy", what_we_are_doing="Rolling back")
    assert _texts(update)[0]["text"] == "[2026-08-18 12:12 UTC] Update #1"
    resolution = slack_message(
        "resolution", incident, root_cause="A bad deploy", fix_applied="Rolled back", customer_impact="Some"
    )
    assert _texts(resolution)[0]["text"] == "INCIDENT RESOLVED - SEV2"
    assert (
        _texts(resolution)[1]["text"] == "Duration: 2026-08-18 12:00 UTC to 2026-08-18 13:00 UTC (60 minutes)"
    )


def test_people_text_stays_plain_and_the_fallback_is_escaped():
    message = slack_message(
        "declaration", _declared(title="<!channel> :fire: *bold*"), impact="<https://e.vil|click>"
    )
    assert _texts(message)[1] == {
        "type": "plain_text",
        "text": "Issue: <!channel> :fire: *bold*",
        "emoji": False,
    }
    assert "&lt;!channel&gt;" in message["text"]
    assert "<!channel>" not in message["text"]


def test_slack_message_errors_are_the_renderers():
    with pytest.raises(MessageError, match="kind: expected one of 'declaration', 'update', 'resolution'"):
        slack_message("postmortem", _declared())
    with pytest.raises(MessageError, match="kind: expected one of"):
        slack_message([], _declared())
    with pytest.raises(MessageError, match="declaration: the text holds a lone surrogate"):
        slack_message("declaration", _declared(), impact="a\ud800")
    with pytest.raises(MessageError, match="missing fields impact"):
        slack_message("declaration", _declared())


def test_a_template_with_more_lines_than_blocks_keeps_within_the_limit(tmp_path):
    lines = ["INCIDENT DECLARED - {{ severity }}"] + [f"Line {n}: {{{{ impact }}}}" for n in range(80)]
    (tmp_path / "declaration.j2").write_text("\n".join(lines))
    message = slack_message("declaration", _declared(), templates=MessageTemplates(tmp_path), impact="x")
    assert len(message["blocks"]) == SLACK_LIMITS["blocks"]
    assert _texts(message)[-1]["text"].endswith("Line 79: x")


def test_an_empty_template_is_refused(tmp_path):
    (tmp_path / "declaration.j2").write_text("{{ impact }}")
    with pytest.raises(MessageError, match="rendered no text"):
        slack_message("declaration", _declared(), templates=MessageTemplates(tmp_path), impact="   ")


def _units(text):
    return len(text.encode("utf-16-le")) // 2


people_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=4000).filter(str.strip)


@given(title=people_text, impact=people_text)
def test_any_block_kit_payload_stays_within_the_limits_and_keeps_typed_text_plain(title, impact):
    message = slack_message("declaration", _declared(title=title), impact=impact)
    blocks = message["blocks"]
    assert 1 <= len(blocks) <= SLACK_LIMITS["blocks"]
    for block in blocks:
        text = block["text"]
        assert text["type"] == "plain_text"
        assert text["emoji"] is False
        limit = SLACK_LIMITS["header_text" if block["type"] == "header" else "section_text"]
        assert 1 <= _units(text["text"]) <= limit
    # What the renderers do to a value: control characters dropped, white space runs one space.
    one_line = re.sub(r"\s+", " ", re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", impact)).strip()
    impact_block = next(
        block["text"]["text"] for block in blocks if block["text"]["text"].startswith("Impact: ")
    )
    shown = impact_block.removeprefix("Impact: ")
    assert shown == one_line or (shown.endswith("…") and one_line.startswith(shown[:-1]))
    assert len(message["text"]) <= 3000


# --- Statuspage -------------------------------------------------------------------------------

BODY = "We are aware that checkout is failing for some customers. Next update in 30 minutes."
FINAL = "Checkout is working again for all customers. We are aware of the earlier failures."


@pytest.mark.parametrize(
    ("severity", "impact", "component"),
    [
        ("SEV1", "critical", "major_outage"),
        ("SEV2", "major", "partial_outage"),
        ("SEV3", "minor", "degraded_performance"),
    ],
)
def test_impact_and_component_status_follow_the_severity(severity, impact, component):
    incident = _declared(policy=POLICY, severity=severity)
    payload = statuspage_incident("declaration", incident, body=BODY, endpoints=["checkout", "search"])[
        "incident"
    ]
    assert payload == {
        "name": "Checkout errors",
        "status": "investigating",
        "impact_override": impact,
        "body": BODY,
        "component_ids": ["cmp-checkout", "cmp-search"],
        "components": {"cmp-checkout": component, "cmp-search": component},
        "deliver_notifications": True,
    }


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        ("investigating", "investigating"),
        ("identified", "identified"),
        ("mitigating", "monitoring"),
    ],
)
def test_the_status_follows_the_latest_update(status, shown):
    incident = _declared().start_response(at=T0 + timedelta(minutes=5))
    incident = incident.post_update(at=T0 + timedelta(minutes=9), status=status, audience="status_page")
    assert statuspage_incident("update", incident, body=BODY)["incident"]["status"] == shown


def test_the_final_update_is_resolved_with_components_operational():
    payload = statuspage_incident("resolution", _resolved(policy=POLICY), body=FINAL, endpoints=["checkout"])
    assert payload["incident"]["status"] == "resolved"
    assert payload["incident"]["components"] == {"cmp-checkout": "operational"}


def test_the_policy_changes_the_mapping():
    mapping = StatuspageMapping(
        impact=attrs.evolve(StatuspageMapping().impact, sev3="none"), mitigating="identified"
    )
    policy = attrs.evolve(DEFAULT_POLICY, integrations=Integrations(statuspage=mapping))
    incident = _declared(policy=policy, severity="SEV3").start_response(at=T0 + timedelta(minutes=5))
    incident = incident.post_update(at=T0 + timedelta(minutes=9), status="mitigating")
    payload = statuspage_incident("update", incident, body=BODY)["incident"]
    assert (payload["impact_override"], payload["status"]) == ("none", "identified")


def test_external_text_is_refused_with_its_findings_by_field():
    text = "db-prod-3 is down, see http://wiki.corp/INC-1. Fixed by 5pm."
    with pytest.raises(ExternalTextError) as error:
        statuspage_incident("update", _declared(), body=text, name="Outage on orders.internal")
    findings = error.value.findings
    assert set(findings) == {"name", "body"}
    assert {finding.rule for finding in findings["name"]} == {"external.internal_host"}
    assert {"external.internal_url", "external.fix_timeline", "external.missing_acknowledgement"} <= {
        finding.rule for finding in findings["body"]
    }
    assert str(error.value).startswith("external text refused: ")


def test_the_name_is_not_asked_to_say_when_the_next_update_comes():
    payload = statuspage_incident("declaration", _declared(title="Checkout errors"), body=BODY)
    assert payload["incident"]["name"] == "Checkout errors"


def test_the_final_update_is_a_summary():
    """Guide: "Final update: When resolved, with summary": no next update, no "we are aware" needed."""
    summary = "Checkout was failing for some customers from 12:00 to 13:00 UTC and works again."
    assert statuspage_incident("resolution", _resolved(), body=summary)["incident"]["body"] == summary
    with pytest.raises(ExternalTextError) as error:
        statuspage_incident("resolution", _resolved(), body="All fine now.")
    assert [finding.rule for finding in error.value.findings["body"]] == ["external.missing_functionality"]


def test_a_resolved_incident_gets_only_its_resolution():
    with pytest.raises(MessageError, match="update: INC-1 is resolved; its final update is the 'resolution'"):
        statuspage_incident("update", _resolved(), body=BODY)


def test_the_status_is_the_latest_update_even_going_back():
    incident = _declared().start_response(at=T0 + timedelta(minutes=5))
    incident = incident.post_update(at=T0 + timedelta(minutes=10), status="mitigating")
    assert statuspage_incident("update", incident, body=BODY)["incident"]["status"] == "monitoring"
    incident = incident.post_update(at=T0 + timedelta(minutes=20), status="investigating")
    assert statuspage_incident("update", incident, body=BODY)["incident"]["status"] == "investigating"


def test_a_reopened_incident_is_investigated_again():
    incident = _resolved().reopen(at=T0 + timedelta(minutes=70), reason="errors are back")
    assert statuspage_incident("update", incident, body=BODY)["incident"]["status"] == "investigating"


def test_a_confident_fix_time_can_be_allowed():
    body = (
        "We are aware that checkout is failing for some customers. It will be fixed by 5pm. "
        "Next update in 30 minutes."
    )
    with pytest.raises(ExternalTextError):
        statuspage_incident("update", _declared(), body=body)
    payload = statuspage_incident("update", _declared(), body=body, allow=["external.fix_timeline"])
    assert payload["incident"]["body"] == body


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: statuspage_incident("postmortem", _declared(), body=BODY), "kind: expected one of"),
        (
            lambda: statuspage_incident(
                "declaration",
                Incident.detect(id="INC-1", title="x", source="automated_alert", at=T0),
                body=BODY,
            ),
            "declaration: INC-1 has no severity yet; declare it first",
        ),
        (
            lambda: statuspage_incident("resolution", _declared(), body=FINAL),
            "resolution: INC-1 is not resolved",
        ),
        (
            lambda: statuspage_incident("update", _declared(policy=POLICY), body=BODY, endpoints=["billing"]),
            "endpoints: no status-page component for 'billing'.*known: 'checkout', 'search'",
        ),
        (lambda: statuspage_incident("update", _declared(), body="  "), "body: expected text for customers"),
        (lambda: statuspage_incident("update", _declared(), body="a\ud800b"), "body: not valid Unicode"),
        (
            lambda: statuspage_incident("update", _declared(), body=BODY, allow="external.fix_timeline"),
            "allow: expected a list of names, got 'external.fix_timeline'",
        ),
        (
            lambda: statuspage_incident("update", _declared(), body=BODY, allow=["external.fix_time"]),
            "allow: unknown linter rules 'external.fix_time'",
        ),
        (
            lambda: statuspage_incident("update", _declared(policy=POLICY), body=BODY, endpoints="checkout"),
            "endpoints: expected a list of names, got 'checkout'",
        ),
        (
            lambda: statuspage_incident("update", _declared(), body=BODY, deliver_notifications="no"),
            "deliver_notifications: expected true or false, got 'no'",
        ),
        (lambda: statuspage_incident([], _declared(), body=BODY), "kind: expected one of"),
        (
            lambda: statuspage_incident("update", _declared(), body=BODY, name=""),
            "name: expected text for customers",
        ),
        (
            lambda: statuspage_incident("update", _declared(), body=BODY, name="x" * 256),
            "name: 256 characters, over Statuspage's limit of 255",
        ),
        (
            lambda: statuspage_incident("update", _declared(), body=BODY + " " * STATUSPAGE_LIMITS["body"]),
            "body: 25084 characters, over Statuspage's limit of 25,000",
        ),
    ],
)
def test_statuspage_errors_name_what_is_wrong(call, message):
    with pytest.raises(MessageError, match=message):
        call()


# --- the policy's integrations group ------------------------------------------------------------


def test_integrations_round_trip_through_a_policy_file():
    assert loads_policy(dump_policy(POLICY)) == POLICY


def test_integrations_are_set_from_toml():
    policy = loads_policy(
        """
        [integrations]
        endpoint_labels = ["path"]
        critical_endpoints = ["/checkout"]
        [[integrations.alerts]]
        alert = "HighErrorRate"
        metric = "error_rate"
        [integrations.statuspage.impact]
        SEV3 = "none"
        """
    )
    assert policy.integrations.endpoint_of([("path", "/checkout")]) == "/checkout"
    assert policy.integrations.metric_of("HighErrorRate") == "error_rate"
    assert policy.integrations.statuspage.impact[Severity.SEV3] == "none"
    assert policy.integrations.statuspage.impact[Severity.SEV1] == "critical"  # tables merge


@pytest.mark.parametrize(
    ("toml", "path", "message"),
    [
        (
            '[[integrations.alerts]]\nalert = "A"\nmetric = "errors"',
            "integrations.alerts[0].metric",
            "expected one of 'error_rate'",
        ),
        (
            (
                '[[integrations.alerts]]\nalert = "A"\nmetric = "error_rate"\n'
                '[[integrations.alerts]]\nalert = "A"\nmetric = "dependency"'
            ),
            "integrations.alerts[1].alert",
            "repeats alerts[0].alert ('A')",
        ),
        ("[integrations]\nendpoint_labels = []", "integrations.endpoint_labels", "must not be empty"),
        (
            '[integrations.statuspage.impact]\nSEV1 = "severe"',
            "integrations.statuspage.impact.SEV1",
            "expected one of 'none'",
        ),
        (
            '[integrations.statuspage.component_status]\nSEV2 = "down"',
            "integrations.statuspage.component_status.SEV2",
            "expected one of 'operational'",
        ),
        (
            '[integrations.statuspage]\nmitigating = "resolved"',
            "integrations.statuspage.mitigating",
            "expected one of 'investigating', 'identified', 'monitoring'",
        ),
        (
            (
                '[[integrations.statuspage.components]]\nendpoint = "a"\ncomponent_id = "1"\n'
                '[[integrations.statuspage.components]]\nendpoint = "a"\ncomponent_id = "2"'
            ),
            "integrations.statuspage.components[1].endpoint",
            "repeats components[0].endpoint ('a')",
        ),
    ],
)
def test_a_bad_integrations_group_names_the_key(toml, path, message):
    with pytest.raises(PolicyError) as error:
        loads_policy(toml)
    [problem] = error.value.problems
    assert problem.path == path
    assert problem.message.startswith(message)
