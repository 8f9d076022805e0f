"""When to look again: next_change, upcoming, reminders, may_resolve_at, and duty ids that hold."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incident_process import CalendarError, CommandRefusedError, Incident, loads_policy
from incident_process.lifecycle import Upcoming, upcoming
from incident_process.policy import ReminderRule, Reminders
from incident_process.response import next_steps
from incident_process.vocabulary import ObligationKind, Role

T0 = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
TICK = timedelta(microseconds=1)


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def declared(severity="SEV2"):
    incident = Incident.detect(id="INC-1", title="Checkout errors", source="automated_alert", at=T0)
    return incident.declare(at=at(4), by="ana", declarer_role="on_call_engineer", severity=severity)


def responding():
    return declared().start_response(at=at(5)).assign_role(Role.COMMUNICATIONS_LEAD, "cy", at=at(6))


def state(incident, now):
    """Everything next_change promises to keep the same."""
    return incident.obligations(now), next_steps(incident, now), incident.reminders(now)


# --- next_change -------------------------------------------------------------------------------------


#: Commands at minutes from T0, refused ones dropped: random incidents with late facts among them.
COMMANDS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "ack",
                "declare",
                "respond",
                "update",
                "page update",
                "stopped",
                "resolve",
                "post",
                "close",
                "lead",
            ]
        ),
        st.integers(0, 240),
    ),
    max_size=12,
)


def _send(incident, command, minute):
    moment = at(minute)
    sends = {
        "ack": lambda: incident.acknowledge(at=moment, by="bo"),
        "declare": lambda: incident.declare(
            at=moment, by="ana", declarer_role="on_call_engineer", severity=2
        ),
        "respond": lambda: incident.start_response(at=moment),
        "update": lambda: incident.post_update(at=moment, status="investigating"),
        "page update": lambda: incident.post_update(at=moment, status="identified", audience="status_page"),
        "stopped": lambda: incident.record_errors_stopped(at=moment),
        "resolve": lambda: incident.resolve(at=moment),
        "post": lambda: incident.start_post_incident(at=moment),
        "close": lambda: incident.close(at=moment),
        "lead": lambda: incident.assign_role(Role.COMMUNICATIONS_LEAD, "cy", at=moment),
    }
    try:
        return sends[command]()
    except CommandRefusedError:
        return incident


@st.composite
def incidents(draw):
    incident = Incident.detect(id="INC-1", title="Errors", source="automated_alert", at=T0)
    for command, minute in draw(COMMANDS):
        incident = _send(incident, command, minute)
    return incident


@settings(max_examples=150)
@given(incidents(), st.integers(-10, 400), st.floats(0, 1))
def test_nothing_changes_before_next_change_and_something_changes_at_it(incident, minute, fraction):
    """Up to next_change(now) the duties, next steps and reminders are those of now; at it they change."""
    now = at(minute) + timedelta(seconds=7)
    before = state(incident, now)
    change = incident.next_change(now)
    if change is None:
        assert state(incident, now + timedelta(days=30)) == before
        return
    assert change > now
    between = now + (change - now - TICK) * fraction
    assert state(incident, between) == before
    assert state(incident, change - TICK) == before
    # At it something changes, or an event happens then (which may leave the duties as they were).
    assert state(incident, change) != before or change in {event.at for event in incident.timeline}


def test_next_change_is_when_a_duty_falls_overdue():
    """Declared at 14:04: the acknowledgement was due at 14:05 and becomes overdue just after."""
    incident = Incident.detect(id="INC-1", title="Checkout errors", source="automated_alert", at=T0)
    assert incident.next_change(at(1)) == at(5) + TICK
    assert [
        duty.status.value for duty in incident.obligations(at(5) + TICK) if duty.kind.value == "acknowledge"
    ] == ["overdue"]


def test_next_change_of_an_incident_that_owes_nothing_more():
    """A closed SEV3 incident with its follow-ups done changes no more."""
    incident = declared("SEV3").start_response(at=at(5)).resolve(at=at(60), last_error_at=at(20))
    incident = incident.post_update(at=at(61), status="resolved", audience="status_page")
    incident = incident.close(at=at(62)).archive_channel(at=at(63))
    assert incident.next_change(at(64)) is None


def test_a_naive_now_is_refused():
    """Every moment asked about knows its offset."""
    with pytest.raises(CalendarError, match="now: expected a timezone-aware datetime"):
        declared().next_change(datetime(2026, 3, 9, 14, 0))  # noqa: DTZ001


# --- upcoming ------------------------------------------------------------------------------------------


def test_upcoming_over_many_incidents_is_in_time_order():
    """Three incidents' changes for the next hour, merged in time order, each saying what changes."""
    many = [
        Incident.detect(id=f"INC-{n}", title="Errors", source="automated_alert", at=at(n * 7))
        for n in range(3)
    ]
    found = list(upcoming(many, at(0), until=at(60)))
    assert [item.at for item in found] == sorted(item.at for item in found)
    assert Upcoming(at=at(5) + TICK, incident_id="INC-0", what=("acknowledge",)) in found
    assert {item.incident_id for item in found} == {"INC-0", "INC-1", "INC-2"}
    assert all(item.at <= at(60) for item in found)
    for item in found:
        incident = many[int(item.incident_id.removeprefix("INC-"))]
        assert state(incident, item.at - TICK) != state(incident, item.at)


def test_upcoming_needs_aware_moments():
    """Until is a moment too."""
    with pytest.raises(CalendarError, match="until: expected a timezone-aware datetime"):
        list(upcoming([declared()], at(0), until=datetime(2026, 3, 10)))  # noqa: DTZ001


# --- duty ids ---------------------------------------------------------------------------------------------


def test_every_duty_has_an_id_unique_within_its_incident():
    """Internal and status-page updates are told apart; escalation levels are named."""
    incident = Incident.detect(id="INC-1", title="Errors", source="automated_alert", at=T0)
    incident = incident.declare(at=at(30), by="ana", declarer_role="on_call_engineer", severity=1)
    incident = incident.post_update(at=at(35), status="investigating", audience="status_page")
    ids = [duty.id for duty in incident.obligations(at(60))]
    assert len(ids) == len(set(ids))
    assert {"acknowledge", "escalate:on_call_lead", "escalate:engineering_manager"} <= set(ids)
    assert {"internal_update:1", "status_page_update:1", "first_status_page_update"} <= set(ids)


@given(incidents(), st.integers(0, 300))
def test_duty_ids_hold_across_replay_and_later_events(incident, minute):
    """A replay gives every duty its id again; a later event changes no earlier duty's id."""
    now = at(minute)
    ids = {duty.id: duty.kind for duty in incident.obligations(now)}
    assert {duty.id for duty in Incident.from_events(incident.events).obligations(now)} == set(ids)
    updating = incident.phase.value in {"declared", "responding"}
    # An update after now (now is at most minute 300): as of now it is not there yet.
    later = _send(incident, "update", 301) if updating else incident
    assert {duty.id: duty.kind for duty in later.obligations(now)} == ids
    for duty in later.obligations(at(400)):
        if duty.id in ids:
            assert duty.kind is ids[duty.id]
    # An update at now counts as of now: it may meet a duty and owe the next, never rename one.
    at_now = _send(incident, "update", minute) if updating else incident
    after = {duty.id: duty.kind for duty in at_now.obligations(now)}
    assert after.items() >= ids.items()


# --- reminders ------------------------------------------------------------------------------------------


def test_an_update_is_reminded_at_its_due_time_and_every_cadence_while_overdue():
    """SEV2 updates every 30 minutes: update 1 is due 14:34; reminded then, at 15:04, at 15:34."""
    incident = responding()
    assert [r for r in incident.reminders(at(33)) if r.kind is ObligationKind.INTERNAL_UPDATE] == []
    (first,) = [r for r in incident.reminders(at(34)) if r.duty_id == "internal_update:1"]
    assert (first.id, first.at, first.overdue, first.people) == (
        "internal_update:1@0",
        at(34),
        False,
        ("cy", "ana"),
    )
    (again,) = [r for r in incident.reminders(at(64)) if r.duty_id == "internal_update:1"]
    assert (again.id, again.at, again.overdue) == ("internal_update:1@1", at(64), True)
    (third,) = [r for r in incident.reminders(at(95)) if r.duty_id == "internal_update:1"]
    assert third.id == "internal_update:1@2"
    assert at(94) in [item.at for item in upcoming([incident], at(64), until=at(100))]


def test_a_posted_update_ends_its_reminders():
    """Once the update is posted, its duty is met: no reminder; the next update's comes in its time."""
    incident = responding().post_update(at=at(40), status="investigating")
    assert [r.duty_id for r in incident.reminders(at(50)) if r.kind is ObligationKind.INTERNAL_UPDATE] == []
    assert [r.duty_id for r in incident.reminders(at(70)) if r.kind is ObligationKind.INTERNAL_UPDATE] == [
        "internal_update:2"
    ]


def test_reminder_rules_are_policy_data():
    """A company reminds its scribe 5 minutes before an update is due, once, and never of the status page."""
    policy = loads_policy(
        '[[reminders.rules]]\nkind = "internal_update"\nbefore = "5m"\nrepeat = false\nremind = ["scribe"]\n'
    )
    incident = Incident.detect(id="INC-1", title="x", source="automated_alert", at=T0, policy=policy)
    incident = incident.declare(at=at(4), by="ana", declarer_role="on_call_engineer", severity=2)
    incident = incident.assign_role("scribe", "di", at=at(5))
    (early,) = incident.reminders(at(29))
    assert (early.duty_id, early.at, early.people) == ("internal_update:1", at(29), ("di",))
    assert [r.id for r in incident.reminders(at(200))] == ["internal_update:1@0"]
    rule = ReminderRule(
        kind=ObligationKind.INTERNAL_UPDATE, before=timedelta(minutes=5), repeat=False, remind=(Role.SCRIBE,)
    )
    assert policy.reminders == Reminders(rules=(rule,))


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ('[[reminders.rules]]\nkind = "internal_update"\nbefore = "-5m"', "reminders.rules[0].before"),
        ('[[reminders.rules]]\nkind = "lunch"', "reminders.rules[0].kind"),
        ('[[reminders.rules]]\nkind = "internal_update"\nremind = ["boss"]', "reminders.rules[0].remind[0]"),
        (
            '[[reminders.rules]]\nkind = "internal_update"\n[[reminders.rules]]\nkind = "internal_update"',
            "reminders.rules[1].kind",
        ),
    ],
)
def test_a_bad_reminder_rule_is_named(text, path):
    """A rule's bad value is a PolicyError at its key path."""
    from incident_process import PolicyError

    with pytest.raises(PolicyError) as caught:
        loads_policy(text)
    assert path in [problem.path for problem in caught.value.problems]


# --- may resolve ----------------------------------------------------------------------------------------


def test_may_resolve_at_is_the_end_of_the_quiet_period_since_the_errors_stopped():
    """SEV2: 15 minutes after the errors stopped; shown in the next steps, and resolvable then."""
    incident = responding().post_update(at=at(10), status="investigating", audience="status_page")
    assert incident.may_resolve_at() is None  # nobody said when the errors stopped
    incident = incident.record_errors_stopped(at=at(30), by="alertmanager")
    assert incident.may_resolve_at() == at(45)
    verify = [step.what for step in next_steps(incident, at(40)) if step.priority == "verify"]
    assert verify == [
        "Verify: Confirm resolution; you may resolve from 14:45 UTC, 15 minutes after the errors stopped"
    ]
    (ends,) = [item for item in upcoming([incident], at(40), until=at(50)) if "may_resolve" in item.what]
    assert ends.at == at(45)
    verify = [step.what for step in next_steps(incident, at(45)) if step.priority == "verify"]
    assert verify[0].endswith("you may resolve now: no new error reports for 15 minutes (since 14:45 UTC)")
    with pytest.raises(CommandRefusedError, match="quiet_period"):
        incident.resolve(at=at(44))
    assert incident.resolve(at=at(45)).may_resolve_at() is None  # resolved: nothing to wait for


def test_the_errors_stopping_later_moves_it():
    """The latest "errors stopped" fact counts."""
    incident = responding().record_errors_stopped(at=at(30)).record_errors_stopped(at=at(50))
    assert incident.may_resolve_at() == at(65)
