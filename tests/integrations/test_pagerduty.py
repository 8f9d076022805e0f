"""PagerDuty Webhooks V3 (parse_pagerduty): a malformed event names its field, and who acknowledged."""

import copy
from datetime import UTC, datetime

import attrs
import pytest
from payload_examples import T0, fixture, pagerduty, problems

from incident_process import DEFAULT_POLICY, IncidentProcessError, PayloadError
from incident_process.integrations import alert_signals, parse_pagerduty
from incident_process.policy import AlertMapping, Integrations


def test_an_acknowledgement_without_an_agent_is_by_the_first_assignee():
    """An acknowledgement without an agent is by the incident's first assignee."""
    payload = pagerduty("acknowledged")
    payload["event"]["agent"] = None
    assert parse_pagerduty(payload).by == "User 123"


def test_pagerduty_alerts_map_to_metrics_by_title():
    """A PagerDuty incident maps to a metric by its title; a dependency alert is that dependency down."""
    policy = attrs.evolve(
        DEFAULT_POLICY,
        integrations=Integrations(alerts=(AlertMapping(alert="Orders database down", metric="dependency"),)),
    )
    alert = parse_pagerduty(pagerduty("triggered", title="Orders database down"), policy=policy)
    assert (alert.name, alert.metric) == ("Orders database down", "dependency")
    signals = alert_signals(T0, alerts=[alert], policy=policy)
    assert signals.critical_dependencies_down == ("Orders database down",)


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
    """An event of another type, or with a bad time, id or data, is refused, naming that field."""
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
        (("event", "data", "service"), "event.data.service"),
        (("event", "data", "service", "summary"), "event.data.service.summary"),
        (("event", "data", "urgency"), "event.data.urgency"),
    ],
)
def test_a_missing_pagerduty_field_is_named(path, where):
    """Each field an alert is read from, when missing, is named by its path."""
    with pytest.raises(PayloadError) as error:
        parse_pagerduty(_without(pagerduty("triggered"), *path))
    assert (where, "missing") in problems(error)


def test_a_pagerduty_resource_that_is_not_an_incident_is_refused():
    """An event about a resource other than an incident is refused."""
    payload = pagerduty("triggered", type="service")
    with pytest.raises(PayloadError) as error:
        parse_pagerduty(payload)
    assert problems(error) == [("event.data.type", "expected one of 'incident', got 'service'")]


def test_an_acknowledgement_by_nobody_is_refused():
    """An acknowledgement with neither an agent nor an assignee is refused: someone acknowledged it."""
    payload = pagerduty("acknowledged", assignees=[])
    payload["event"]["agent"] = None
    with pytest.raises(PayloadError) as error:
        parse_pagerduty(payload)
    assert [path for path, _ in problems(error)] == ["event.agent"]


def test_payload_errors_belong_to_the_librarys_tree():
    """A PayloadError is one of the library's errors and a ValueError."""
    with pytest.raises(IncidentProcessError):
        parse_pagerduty("{}")
    with pytest.raises(ValueError, match="event: missing"):
        parse_pagerduty("{}")


# --- the eras of PagerDuty's webhooks ---------------------------------------------------------


def _of_2021(event_type):
    """PagerDuty's 2021 V3 example (no ``data.created_at``), as the event *event_type* of that page."""
    payload = fixture("pagerduty-v3-2021-incident-priority-updated.json")
    payload["event"]["event_type"] = event_type
    return payload


def test_a_2021_v3_trigger_starts_at_the_events_time():
    """Without ``data.created_at`` (V3 before October 2021), the trigger starts at ``occurred_at``."""
    payload = _of_2021("incident.triggered")
    assert "created_at" not in payload["event"]["data"]
    alert = parse_pagerduty(payload)
    assert alert.started_at == alert.at == datetime(2020, 10, 2, 18, 45, 22, 169000, tzinfo=UTC)
    assert (alert.identity, alert.title) == ("PGR0VU2", "A little bump in the road")
    assert dict(alert.labels) == {"priority": "P1", "service": "API Service", "urgency": "high"}
    assert dict(alert.references) == {"pagerduty.incident": "PGR0VU2"}  # no incident_key in 2021


@pytest.mark.parametrize(
    ("event_type", "status"), [("incident.acknowledged", "acknowledged"), ("incident.resolved", "resolved")]
)
def test_a_2021_v3_acknowledgement_and_resolution_read(event_type, status):
    """The other 2021 events read too: the event's time is the only time they carry."""
    alert = parse_pagerduty(_of_2021(event_type))
    assert alert.status.value == status
    assert alert.started_at == alert.at
    if status == "acknowledged":
        assert alert.by == "Tenex Engineer"


def test_the_2021_example_itself_is_an_event_the_library_does_not_take():
    """A priority change is not an alert's status: named, with the events that are."""
    with pytest.raises(PayloadError) as error:
        parse_pagerduty(fixture("pagerduty-v3-2021-incident-priority-updated.json"))
    [(path, message)] = problems(error)
    assert path == "event.event_type"
    assert "got 'incident.priority_updated'" in message


def test_a_v2_webhook_is_refused_as_the_retired_format():
    """PagerDuty's published V2 example: refused as V2, pointing to V3, not as 'event: missing'."""
    with pytest.raises(PayloadError) as error:
        parse_pagerduty(fixture("pagerduty-v2-incident-trigger.json"))
    [(path, message)] = problems(error)
    assert path == "messages"
    assert "PagerDuty V2 webhook" in message
    assert "retired" in message
    assert "V3" in message
