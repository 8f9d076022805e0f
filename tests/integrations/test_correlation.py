"""correlate and apply_alert: one problem seen by several tools is one incident."""

import hashlib
from datetime import timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from payload_examples import T0, alertmanager, alertmanager_alert, pagerduty

from incident_process import DEFAULT_POLICY, Incident, PolicyError
from incident_process.events import AlertLinked
from incident_process.integrations import (
    CORRELATED_PHASES,
    apply_alert,
    correlate,
    parse_alertmanager,
    parse_pagerduty,
)
from incident_process.policy import Correlation, Integrations, dump_policy, loads_policy
from incident_process.vocabulary import Phase

GROUP_KEY = '{}/{severity="page"}:{alertname="HighErrorRate"}'
BY_SERVICE = attrs.evolve(
    DEFAULT_POLICY, integrations=Integrations(correlation=Correlation(labels=("service",)))
)


def _firing(policy=DEFAULT_POLICY, group_key=GROUP_KEY, **changes):
    """An alert of an Alertmanager webhook; alerts of one group share its group key, a reference."""
    payload = alertmanager(alertmanager_alert(**changes))
    payload["groupKey"] = group_key
    [alert] = parse_alertmanager(payload, policy=policy)
    return alert


def _paged(policy=DEFAULT_POLICY, kind="triggered", **data):
    data.setdefault("created_at", "2026-08-18T12:00:40Z")
    return parse_pagerduty(pagerduty(kind, occurred=T0 + timedelta(minutes=1), **data), policy=policy)


def test_alertmanager_and_pagerduty_for_one_problem_make_one_incident():
    """The page Alertmanager's PagerDuty receiver sent for the group joins the alert's incident."""
    alert = _firing()
    incident = apply_alert(alert, id="INC-1").incident
    # Alertmanager's receiver sends the group key's SHA-256 as the dedup key: PagerDuty's incident_key.
    page = _paged(incident_key=hashlib.sha256(GROUP_KEY.encode()).hexdigest())
    assert correlate(page, [incident]) is incident
    applied = apply_alert(page, incident, id="INC-2")
    [linked] = applied.events
    assert isinstance(linked, AlertLinked)
    assert (linked.origin, linked.title, linked.started_at) == ("pagerduty", page.title, page.started_at)
    assert dict(linked.labels)["service"] == "API Service"
    both = applied.incident
    assert both.id == "INC-1"
    assert {name for name, _ in both.references} >= {"alertmanager.fingerprint", "pagerduty.incident"}
    # PagerDuty's acknowledgement of its incident then acknowledges the one incident.
    ack = _paged(kind="acknowledged", incident_key=hashlib.sha256(GROUP_KEY.encode()).hexdigest())
    assert correlate(ack, [both]) is both
    acknowledged = apply_alert(ack, both).incident
    assert acknowledged.acknowledged_at == T0 + timedelta(minutes=1)
    assert [event.kind for event in acknowledged.events] == ["detected", "alert_linked", "acknowledged"]


def test_a_service_label_correlates_tools_within_the_window():
    """By labels: the same service within the rule's window is one problem; later, or elsewhere, is not."""
    alert = _firing(BY_SERVICE, labels={"alertname": "HighErrorRate", "service": "API Service"})
    incident = apply_alert(alert, id="INC-1", policy=BY_SERVICE).incident
    assert correlate(_paged(BY_SERVICE), [incident]) is incident
    late = _paged(BY_SERVICE, created_at="2026-08-18T12:30:01Z")
    assert correlate(late, [incident]) is None
    assert correlate(_paged(BY_SERVICE, created_at="2026-08-18T12:30:00.123456Z"), [incident]) is incident
    elsewhere = _firing(
        BY_SERVICE, "{}:{service=Billing}", labels={"alertname": "E", "service": "Billing"}, fingerprint="1"
    )
    assert correlate(elsewhere, [incident]) is None
    unlabelled = _firing(BY_SERVICE, "{}:{}", labels={"alertname": "HighErrorRate"}, fingerprint="2")
    assert correlate(unlabelled, [incident]) is None


def test_the_default_rule_matches_the_same_endpoint():
    """By default, two alerts for the same endpoint within 30 minutes are one problem."""
    incident = apply_alert(_firing(), id="INC-1").incident
    latency = _firing(
        group_key='{}:{alertname="HighLatency"}',
        labels={"alertname": "HighLatency", "endpoint": "checkout"},
        fingerprint="feedface00000001",
    )
    assert correlate(latency, [incident]) is incident
    other = _firing(
        group_key='{}:{alertname="HighLatency"}',
        labels={"alertname": "HighLatency", "endpoint": "search"},
        fingerprint="feedface00000002",
    )
    assert correlate(other, [incident]) is None


def test_alerts_of_one_alertmanager_group_are_one_problem():
    """The operator's grouping is the tool's word that alerts belong together: the group key correlates."""
    incident = apply_alert(_firing(), id="INC-1").incident
    sibling = _firing(
        labels={"alertname": "HighErrorRate", "endpoint": "search"}, fingerprint="feedface0000000a"
    )
    assert correlate(sibling, [incident]) is incident


def test_a_rule_without_labels_matches_references_only():
    """``labels = []``: only a shared reference correlates."""
    policy = attrs.evolve(DEFAULT_POLICY, integrations=Integrations(correlation=Correlation(labels=())))
    incident = apply_alert(_firing(policy), id="INC-1", policy=policy).incident
    assert correlate(_firing(policy, "{}:{}", fingerprint="feedface00000001"), [incident]) is None
    assert correlate(_firing(policy, "{}:{}"), [incident]) is incident  # the fingerprint


def test_references_the_rule_does_not_list_do_not_correlate():
    """Only the reference names of the rule count."""
    policy = attrs.evolve(
        DEFAULT_POLICY,
        integrations=Integrations(correlation=Correlation(references=("pagerduty.incident",), labels=())),
    )
    incident = apply_alert(_firing(policy), id="INC-1", policy=policy).incident
    assert correlate(_firing(policy), [incident]) is None


@pytest.mark.parametrize("phase", sorted(set(Phase) - CORRELATED_PHASES, key=str))
def test_finished_incidents_are_not_candidates(phase, finished):
    """An incident past resolution, closed or dismissed takes no alert: a new firing is a new incident."""
    incident = finished[phase]
    assert incident.phase is phase
    assert correlate(_firing(), [incident]) is None


@pytest.fixture
def finished():
    """An incident from the alert in each phase that takes no more alerts."""
    detected = apply_alert(_firing(), id="INC-1").incident
    resolved = (
        detected.declare(at=T0 + timedelta(minutes=2), by="ana", declarer_role="on_call_engineer", severity=2)
        .start_response(at=T0 + timedelta(minutes=3))
        .resolve(at=T0 + timedelta(minutes=40), last_error_at=T0 + timedelta(minutes=20))
    )
    post = resolved.start_post_incident(at=T0 + timedelta(minutes=50))
    return {
        Phase.POST_INCIDENT: post,
        Phase.CLOSED: post.hold_review(at=T0 + timedelta(days=1), facilitator="cy").close(
            at=T0 + timedelta(days=1, minutes=1)
        ),
        Phase.DISMISSED: detected.dismiss(at=T0 + timedelta(minutes=1), reason="false_alarm"),
    }


def test_a_firing_alert_on_a_resolved_incident_suggests_reopening():
    """The errors came back: a clear suggestion, no event; after reopening, the alert applies."""
    resolved = apply_alert(_firing(), id="INC-1").incident.declare(
        at=T0 + timedelta(minutes=2), by="ana", declarer_role="on_call_engineer", severity=2
    )
    resolved = resolved.start_response(at=T0 + timedelta(minutes=3)).resolve(
        at=T0 + timedelta(minutes=40), last_error_at=T0 + timedelta(minutes=20)
    )
    again = _firing(startsAt="2026-08-18T12:45:00Z")
    assert correlate(again, [resolved]) is resolved
    applied = apply_alert(again, resolved)
    assert (applied.incident, applied.events, applied.suggestion) == (resolved, (), "reopen")
    assert "reopen it" in applied.reason
    reopened = resolved.reopen(at=T0 + timedelta(minutes=46), reason="the errors are back")
    assert apply_alert(again, reopened).incident is reopened  # the same fingerprint: the same problem


def test_a_firing_alert_on_an_incident_past_resolution_suggests_a_new_one(finished):
    """Passed an incident in post-incident, a firing alert suggests detecting a new incident."""
    applied = apply_alert(_firing(startsAt="2026-08-18T13:00:00Z"), finished[Phase.POST_INCIDENT])
    assert (applied.events, applied.suggestion) == ((), "detect")
    assert "detect a new incident" in applied.reason


def test_the_latest_detection_wins_whatever_the_order():
    """Several candidates: the one detected last, then the greatest id; the order given does not matter."""
    first = apply_alert(_firing(), id="INC-1").incident
    second = apply_alert(_firing(startsAt="2026-08-18T12:10:00Z", fingerprint="feedface00000001"), id="INC-2")
    tie = apply_alert(_firing(startsAt="2026-08-18T12:10:00Z", fingerprint="feedface00000002"), id="INC-3")
    later = _firing(startsAt="2026-08-18T12:20:00Z", fingerprint="feedface00000003")
    for order in ([first, second.incident, tie.incident], [tie.incident, second.incident, first]):
        assert correlate(later, order).id == "INC-3"


@given(st.permutations(range(4)), st.integers(0, 40))
def test_correlation_does_not_depend_on_the_order_of_incidents(order, minutes):
    """A permutation of the candidates gives the same answer."""
    incidents = [
        apply_alert(
            _firing(startsAt=f"2026-08-18T12:{index * 9:02d}:00Z", fingerprint=f"feedface0000000{index}"),
            id=f"INC-{index}",
        ).incident
        for index in range(4)
    ]
    alert = _firing(startsAt=(T0 + timedelta(minutes=minutes)).isoformat(), fingerprint="feedface000000ff")
    assert correlate(alert, [incidents[i] for i in order]) == correlate(alert, incidents)


def test_each_incident_is_judged_by_its_own_rule_unless_a_policy_is_given():
    """Without *policy*, an incident's own rule decides; with one, that rule decides for all."""
    alert = _firing(BY_SERVICE, labels={"alertname": "X", "service": "API Service"})
    incident = apply_alert(alert, id="INC-1", policy=BY_SERVICE).incident
    page = _paged()
    assert correlate(page, [incident]) is incident
    assert correlate(page, [incident], policy=DEFAULT_POLICY) is None


def test_the_rule_is_policy_data():
    """``[integrations.correlation]`` reads, dumps and reads back; a bad value names its path."""
    policy = loads_policy(
        '[integrations.correlation]\nlabels = ["service", "endpoint"]\nwithin = "45m"\n'
        'references = ["pagerduty.incident_key"]\n'
    )
    rule = policy.integrations.correlation
    assert (rule.labels, rule.within, rule.references) == (
        ("service", "endpoint"),
        timedelta(minutes=45),
        ("pagerduty.incident_key",),
    )
    assert loads_policy(dump_policy(policy)) == policy
    with pytest.raises(PolicyError, match=r"integrations\.correlation\.within"):
        loads_policy('[integrations.correlation]\nwithin = "-5m"\n')
    with pytest.raises(PolicyError, match=r"integrations\.correlation\.labels"):
        loads_policy("[integrations.correlation]\nlabels = [1]\n")


def test_an_incident_detected_by_hand_takes_a_matching_alert():
    """An incident declared from a customer report, labelled with the endpoint, takes the alert."""
    incident = Incident.detect(
        id="INC-7",
        title="Checkout fails",
        source="customer_reports",
        at=T0 - timedelta(minutes=5),
        labels={"endpoint": "checkout"},
    )
    assert correlate(_firing(), [incident]) is incident
    applied = apply_alert(_firing(), incident)
    assert [event.kind for event in applied.incident.events] == ["detected", "alert_linked"]
