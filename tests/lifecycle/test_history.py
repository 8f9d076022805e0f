"""History that holds: a late fact keeps its time; a decision is never dated before a recorded event."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incident_process import CommandRefusedError, Incident
from incident_process.errors import ReplayError
from incident_process.events import Acknowledged, Declared, UpdatePosted
from incident_process.lifecycle import ARRIVALS, Arrival
from incident_process.vocabulary import ObligationKind, ObligationStatus, Role, Severity

T0 = datetime(2026, 8, 18, 12, 0, tzinfo=UTC)


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def detected():
    return Incident.detect(id="INC-1", title="Checkout errors", source="automated_alert", at=T0)


def declared():
    return detected().declare(at=at(4), by="ana", declarer_role="on_call_engineer", severity="SEV2")


def duties(incident, now, kind):
    return [duty for duty in incident.obligations(now) if duty.kind is kind]


# --- the table ---------------------------------------------------------------------------


def test_the_decisions_are_the_commands_that_change_the_phase():
    """Every event is a fact or a decision; the decisions are exactly the phase changes, and the detection."""
    decisions = sorted(kind.kind for kind, arrival in ARRIVALS.items() if arrival is Arrival.DECISION)
    assert decisions == [
        "closed",
        "declared",
        "detected",
        "dismissed",
        "post_incident_started",
        "reopened",
        "resolved",
        "response_started",
    ]


# --- the late acknowledgement of the issue --------------------------------------------------


def test_a_late_acknowledgement_meets_the_duty_when_it_happened_and_stops_the_escalation():
    """PagerDuty's "acknowledged at 12:03" arrives after a declaration stamped 12:04."""
    incident = declared().acknowledge(at=at(3), by="bo")
    assert incident.acknowledged_at == at(3)
    assert incident.time_to_acknowledge() == timedelta(minutes=3)
    assert [event.kind for event in incident.events] == ["detected", "declared", "acknowledged"]
    assert [event.kind for event in incident.timeline] == ["detected", "acknowledged", "declared"]
    now = at(60)
    (acknowledge,) = duties(incident, now, ObligationKind.ACKNOWLEDGE)
    assert (acknowledge.status, acknowledge.met_at) == (ObligationStatus.MET, at(3))
    assert duties(incident, now, ObligationKind.ESCALATE) == []  # acknowledged within the first window
    # Nobody picking the page up, the incident owes two escalation levels.
    assert [d.status for d in duties(detected(), now, ObligationKind.ESCALATE)] == [
        ObligationStatus.OVERDUE
    ] * 2


def test_late_updates_from_several_writers_are_all_kept():
    """Four writers posting 40 updates each, stamped when each request arrived: all 160 are recorded."""
    incident = declared().start_response(at=at(5))
    stamps = [at(6) + timedelta(seconds=7 * n + writer) for n in range(40) for writer in range(4)]
    # The order they reach the incident: each writer's requests in order, the writers interleaved badly.
    arrivals = sorted(stamps, key=lambda moment: (moment.second % 4, moment))
    for moment in arrivals:
        incident = incident.post_update(at=moment, status="investigating", text="Still looking.")
    updates = [event for event in incident.timeline if isinstance(event, UpdatePosted)]
    assert [event.at for event in updates] == sorted(stamps)
    assert len(updates) == 160


# --- what a late command may not contradict -----------------------------------------------


@pytest.mark.parametrize(
    ("build", "command", "contradicts"),
    [
        (
            detected,
            lambda i: i.declare(at=at(-1), by="a", declarer_role="support_lead", severity=2),
            "INC-1:1",
        ),
        (
            lambda: declared().start_response(at=at(5)).post_update(at=at(20), status="investigating"),
            lambda i: i.resolve(at=at(19), last_error_at=at(1)),
            "INC-1:4",
        ),
        (
            lambda: (
                declared()
                .start_response(at=at(5))
                .resolve(at=at(40), last_error_at=at(10))
                .start_post_incident(at=at(41))
                .hold_review(at=at(100), facilitator="zed")
            ),
            lambda i: i.close(at=at(90)),
            "INC-1:6",
        ),
    ],
    ids=["a declaration before the detection", "a resolve before an update", "a close before the review"],
)
def test_a_late_decision_is_refused_naming_the_event_it_contradicts(build, command, contradicts):
    """A decision dated before what is recorded contradicts it: refused by time.order, naming that event."""
    incident = build()
    with pytest.raises(CommandRefusedError) as caught:
        command(incident)
    assert caught.value.rule == "time.order"
    assert caught.value.contradicts == contradicts
    assert contradicts in caught.value.reason


def test_a_late_fact_that_contradicts_a_later_event_is_refused_naming_it():
    """A second acknowledgement before the recorded one would make that one a repeat: refused."""
    incident = declared().acknowledge(at=at(5), by="bo")
    with pytest.raises(CommandRefusedError) as caught:
        incident.acknowledge(at=at(4) - timedelta(seconds=30), by="cy")
    assert caught.value.rule == "time.late_fact"
    assert caught.value.contradicts == "INC-1:3"
    assert "detection.acknowledged_once" in caught.value.reason


def test_a_late_fact_is_judged_as_of_when_it_happened():
    """An update dated before the declaration happened while the incident was only detected: refused."""
    incident = declared().start_response(at=at(5))
    with pytest.raises(CommandRefusedError) as caught:
        incident.post_update(at=at(2), status="investigating")
    assert caught.value.rule == "lifecycle.phase"
    assert "when it happened" in caught.value.reason
    assert caught.value.contradicts is None


def test_a_late_fact_that_shows_the_facilitator_was_involved_is_refused():
    """An action by the facilitator, dated before the review they facilitated, would break that review."""
    incident = (
        declared()
        .start_response(at=at(5))
        .resolve(at=at(40), last_error_at=at(10))
        .start_post_incident(at=at(41))
        .hold_review(at=at(100), facilitator="zed")
    )
    with pytest.raises(CommandRefusedError) as caught:
        incident.assign_role(Role.SCRIBE, "zed", at=at(39))
    assert caught.value.rule == "time.late_fact"
    assert caught.value.contradicts == "INC-1:6"
    assert "post_incident.facilitator_uninvolved" in caught.value.reason


def test_a_refused_late_command_changes_nothing():
    """The incident a refused command was sent to is the same value afterwards."""
    incident = declared().acknowledge(at=at(5), by="bo")
    events, timeline = incident.events, incident.timeline
    with pytest.raises(CommandRefusedError):
        incident.acknowledge(at=at(2), by="cy")
    assert (incident.events, incident.timeline) == (events, timeline)


def test_replay_of_late_facts_equals_the_commands():
    """Recorded in the order of record, late facts and all, the events rebuild an equal incident."""
    incident = declared().start_response(at=at(5)).acknowledge(at=at(3), by="bo")
    incident = incident.assign_role(Role.TECHNICAL_LEAD, "cy", at=at(4))
    rebuilt = Incident.from_events(incident.events)
    assert rebuilt == incident
    assert rebuilt.timeline == incident.timeline
    assert rebuilt.role_tenures() == incident.role_tenures()


def test_replay_refuses_a_late_decision_in_a_record():
    """A record holding a decision dated before an event recorded earlier cannot have been made."""
    events = (
        *detected().events,
        Acknowledged(id="INC-1:2", at=at(5), by="bo"),
        Declared(id="INC-1:3", at=at(4), by="a", declarer_role="support_lead", severity=Severity.SEV2),
    )
    with pytest.raises(ReplayError, match=r"events\[2\]: .*time.order.*earlier than INC-1:2") as caught:
        Incident.from_events(events)
    assert caught.value.refusal.contradicts == "INC-1:2"


def test_as_of_counts_a_late_fact_from_when_it_happened():
    """As of 12:03:30 the page was acknowledged, though that was recorded after 12:04."""
    incident = declared().acknowledge(at=at(3), by="bo")
    early = incident.as_of(at(3.5))
    assert early.acknowledged_at == at(3)
    assert early.phase.value == "detected"
    assert [event.id for event in early.events] == ["INC-1:1", "INC-1:3"]


# --- random orders of arrival ---------------------------------------------------------------


#: Facts that commute: whatever order they arrive in, each is accepted.
FACTS = st.lists(
    st.one_of(
        st.tuples(
            st.just("post_update"), st.integers(6, 120), st.sampled_from(["investigating", "mitigating"])
        ),
        st.tuples(st.just("record_milestone"), st.integers(6, 120), st.just("identified")),
        st.tuples(st.just("record_errors_stopped"), st.integers(6, 120), st.none()),
        st.tuples(
            st.just("record_action"), st.integers(6, 120), st.sampled_from(["rolled back", "scaled up"])
        ),
    ),
    max_size=12,
)


def _send(incident, fact):
    command, minute, value = fact
    moment = at(minute)
    if command == "post_update":
        return incident.post_update(at=moment, status=value, audience="internal")
    if command == "record_milestone":
        return incident.record_milestone(value, at=moment)
    if command == "record_errors_stopped":
        return incident.record_errors_stopped(at=moment)
    return incident.record_action(value, at=moment, by="bo")


@settings(max_examples=200)
@given(FACTS, st.randoms(use_true_random=False), st.booleans())
def test_random_orders_of_arrival_give_the_same_obligations(facts, random, acknowledged_late):
    """The same facts, arriving in any order after the response started, give the same duties."""
    base = declared().start_response(at=at(5))
    in_order = base
    for fact in sorted(facts, key=lambda fact: fact[1]):
        in_order = _send(in_order, fact)
    shuffled = list(facts)
    random.shuffle(shuffled)
    arrived = base.acknowledge(at=at(3), by="bo") if acknowledged_late else base
    for fact in shuffled:
        arrived = _send(arrived, fact)
    if acknowledged_late:
        in_order = in_order.acknowledge(at=at(3), by="bo")
    now = at(200)
    assert arrived.obligations(now) == in_order.obligations(now)
    assert arrived.milestones() == in_order.milestones()
    assert arrived.errors_stopped_at == in_order.errors_stopped_at
    assert [e.content() for e in arrived.timeline] == [e.content() for e in in_order.timeline] or _ties(facts)
    assert Incident.from_events(arrived.events) == arrived


def _ties(facts):
    """Whether two facts share a minute (their order in the timeline is then their order of record)."""
    minutes = [fact[1] for fact in facts]
    return len(minutes) != len(set(minutes))


def test_equal_times_keep_their_order_of_record():
    """Events at the same moment are in the timeline in the order they were recorded."""
    incident = declared().acknowledge(at=at(4), by="bo").start_response(at=at(4))
    incident = incident.post_update(at=at(4), status="investigating")
    assert [event.id for event in incident.timeline] == [
        "INC-1:1",
        "INC-1:2",
        "INC-1:3",
        "INC-1:4",
        "INC-1:5",
    ]
