"""apply_alert: every row of its table, and webhooks delivered again or out of order."""

import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from payload_examples import POLICY, T0, alertmanager, alertmanager_alert, pagerduty

from incident_process import DEFAULT_POLICY, DetectionError
from incident_process.events import Acknowledged, AlertLinked, Detected
from incident_process.integrations import apply_alert, parse_alertmanager, parse_pagerduty

FIXTURES = Path(__file__).parents[1] / "fixtures" / "integrations"


def test_a_firing_alert_detects_a_new_incident():
    """A firing alert with no incident detects one at the alert's start, titled by it, under the policy."""
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


def test_the_same_firing_alert_again_changes_nothing():
    """The firing alert that detected the incident, delivered again, changes nothing, and says so."""
    [alert] = parse_alertmanager(alertmanager(alertmanager_alert()))
    incident = apply_alert(alert, id="INC-1").incident
    applied = apply_alert(alert, incident)
    assert applied.incident is incident
    assert not applied.changed
    assert applied.reason == f"INC-1 already has the firing alert {alert.identity!r}; it adds nothing"


def test_another_alert_of_the_group_is_linked_once():
    """A second alert of the group is linked (its fingerprint recorded); delivered again, nothing."""
    first, second = parse_alertmanager(
        alertmanager(alertmanager_alert(), alertmanager_alert(fingerprint="0123456789abcdef"))
    )
    incident = apply_alert(first, id="INC-1").incident
    applied = apply_alert(second, incident)
    [linked] = applied.events
    assert isinstance(linked, AlertLinked)
    assert (linked.origin, linked.at, linked.started_at) == (
        "alertmanager",
        second.started_at,
        second.started_at,
    )
    assert ("alertmanager.fingerprint", "0123456789abcdef") in applied.incident.references
    assert applied.reason == f"linked alertmanager alert {second.identity!r} to INC-1"
    assert apply_alert(second, applied.incident).incident is applied.incident


def test_an_acknowledgement_acknowledges_the_incident():
    """A PagerDuty acknowledgement acknowledges the incident: by its agent, at its time, keyed by it."""
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
    """An acknowledgement with no incident detects it first; the trigger arriving later changes nothing."""
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
    """A second acknowledgement changes nothing, and the reason gives when the first one was."""
    first = parse_pagerduty(pagerduty("acknowledged", created_at="2026-08-18T12:00:00Z", occurred=T0))
    again = parse_pagerduty(pagerduty("acknowledged", event_id="another", occurred=T0 + timedelta(minutes=9)))
    incident = apply_alert(first, id="INC-1").incident
    applied = apply_alert(again, incident)
    assert applied.incident is incident
    assert applied.reason == "INC-1 was already acknowledged at 2026-08-18T12:00:00+00:00"


def test_an_acknowledgement_that_arrives_late_is_recorded_when_it_happened():
    """Webhooks come at least once and in any order: a late acknowledgement keeps its time."""
    created = "2026-08-18T12:00:00Z"
    incident = apply_alert(parse_pagerduty(pagerduty("triggered", created_at=created)), id="INC-1").incident
    incident = incident.declare(
        at=T0 + timedelta(minutes=5), by="ana", declarer_role="on_call_engineer", severity=2
    )
    ack = parse_pagerduty(pagerduty("acknowledged", created_at=created, occurred=T0 + timedelta(minutes=1)))
    applied = apply_alert(ack, incident)
    assert applied.changed
    assert applied.incident.acknowledged_at == T0 + timedelta(minutes=1)
    assert [event.kind for event in applied.incident.timeline] == ["detected", "acknowledged", "declared"]
    assert apply_alert(ack, applied.incident).incident is applied.incident  # delivered again: nothing


def test_a_webhook_the_lifecycle_refuses_changes_nothing_and_says_why():
    """A refused command is reported, not raised: an acknowledgement before the detection."""
    created = "2026-08-18T12:00:00Z"
    incident = apply_alert(parse_pagerduty(pagerduty("triggered", created_at=created)), id="INC-1").incident
    ack = parse_pagerduty(pagerduty("acknowledged", created_at=created, occurred=T0 - timedelta(minutes=1)))
    applied = apply_alert(ack, incident)
    assert applied.incident is incident
    assert not applied.changed
    expected = "INC-1 is unchanged: acknowledge refused in phase 'detected' by rule time.order"
    assert applied.reason.startswith(expected)


def test_a_resolved_alert_records_that_the_errors_stopped_and_never_resolves():
    """A resolved alert's end is when the errors stopped; resolving stays the commander's decision."""
    firing = alertmanager_alert()
    resolved = alertmanager_alert(status="resolved", endsAt="2026-08-18T12:40:00Z")
    incident = apply_alert(parse_alertmanager(alertmanager(firing))[0], id="INC-1").incident
    [alert] = parse_alertmanager(alertmanager(resolved, status="resolved"))
    applied = apply_alert(alert, incident)
    [stopped] = applied.events
    assert stopped.kind == "errors_stopped"
    assert (stopped.at, stopped.by) == (T0 + timedelta(minutes=40), "alertmanager")
    assert applied.incident.errors_stopped_at == T0 + timedelta(minutes=40)
    assert applied.incident.phase is incident.phase
    assert "2026-08-18T12:40:00+00:00" in applied.reason
    assert "quiet period" in applied.reason
    assert apply_alert(alert, applied.incident).incident is applied.incident  # delivered again: nothing
    # The commander resolves from it, without saying when the last error was.
    declared = applied.incident.declare(
        at=T0 + timedelta(minutes=41), by="ana", declarer_role="on_call_engineer", severity=2
    ).start_response(at=T0 + timedelta(minutes=42))
    resolved_incident = declared.resolve(at=T0 + timedelta(minutes=56))
    assert resolved_incident.events[-1].last_error_at == T0 + timedelta(minutes=40)


def test_a_resolved_alert_without_an_incident_is_not_a_new_incident():
    """A resolved alert for an incident never seen firing makes none, and says so; no id is needed."""
    [alert] = parse_alertmanager(
        alertmanager(alertmanager_alert(status="resolved", endsAt="2026-08-18T12:40:00Z"), status="resolved")
    )
    for applied in (apply_alert(alert, id="INC-1"), apply_alert(alert)):
        assert applied.incident is None
        assert not applied.changed
        assert "is not a new incident" in applied.reason
        assert applied.suggestion is None


def test_no_incident_and_no_id_is_refused():
    """With no incident, an alert needs the id of the incident it would detect."""
    [alert] = parse_alertmanager(alertmanager(alertmanager_alert()))
    with pytest.raises(DetectionError, match="no incident and no id"):
        apply_alert(alert)


def test_an_existing_incident_keeps_its_policy():
    """An existing incident keeps its id and policy: the same policy is accepted, another one refused."""
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
    """PagerDuty delivers webhooks at least once: each delivery after the first is a no-op."""
    payloads = _pagerduty_stream(ack_ids, sorted(minutes)[: len(ack_ids)])

    def run(deliveries):
        incident = None
        for payload in deliveries:
            incident = apply_alert(parse_pagerduty(json.dumps(payload)), incident, id="INC-1").incident
        return incident

    redelivered = [payload for index, payload in enumerate(payloads) for _ in range(repeats[index])]
    assert run(redelivered) == run(payloads)


def test_the_detection_keeps_the_alerts_labels_and_references():
    """What the tool labelled and how it identifies the alert stay with the incident."""
    alert = parse_alertmanager(FIXTURES.joinpath("alertmanager-v4.json").read_bytes())[0]
    detected = apply_alert(alert, id="INC-1").incident.detection
    assert detected.labels == alert.labels
    group_key = '{}:{alertname="DiskRunningFull"}'
    assert dict(detected.references) == {
        "alertmanager.fingerprint": alert.identity.partition("@")[0],
        "alertmanager.group_key": group_key,
        # what Alertmanager's PagerDuty receiver sends as the dedup key for this group
        "pagerduty.incident_key": hashlib.sha256(group_key.encode()).hexdigest(),
    }
    paged = parse_pagerduty(FIXTURES.joinpath("pagerduty-v3-incident-triggered.json").read_bytes())
    references = dict(apply_alert(paged, id="INC-2").incident.detection.references)
    assert references == {
        "pagerduty.incident": paged.identity,
        "pagerduty.incident_key": "d3640fbd41094207a1c11e58e46b1662",
    }
