"""The incident lifecycle: one example per row of the guide's tables, one test per refusal."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest

from incident_process import (
    DEFAULT_POLICY,
    CommandRefusedError,
    DetectionSource,
    Incident,
    InvalidEventError,
    Phase,
    ReplayError,
    Role,
    Severity,
)
from incident_process.events import Acknowledged, Declared, ResponseStarted
from incident_process.lifecycle import RoleTenure, unmet_role_requirements
from incident_process.vocabulary import DismissalReason, Milestone, RequirementLevel

T0 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)
IC, TL, CL, SCRIBE = Role


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def detected(source=DetectionSource.AUTOMATED_ALERT, **kwargs):
    return Incident.detect(id="INC-1", title="Checkout errors", source=source, at=T0, **kwargs)


def declared(severity=Severity.SEV2, by="ana"):
    return detected().declare(at=at(3), by=by, declarer_role="on_call_engineer", severity=severity)


def responding(severity=Severity.SEV2):
    return declared(severity).start_response(at=at(4))


def resolved(severity=Severity.SEV2):
    return responding(severity).resolve(at=at(60), last_error_at=at(30))


def refusal(call):
    with pytest.raises(CommandRefusedError) as caught:
        call()
    return caught.value


# --- the happy path -----------------------------------------------------------


def test_a_whole_sev2_lifecycle():
    """Detection -> Declaration -> Response -> Resolution -> Post-Incident -> closed."""
    incident = resolved().start_post_incident(at=at(61)).close(at=at(62))
    assert [e.kind for e in incident.events] == [
        "detected",
        "declared",
        "response_started",
        "resolved",
        "post_incident_started",
        "closed",
    ]
    assert incident.phase is Phase.CLOSED
    assert incident.version == 6
    assert [e.id for e in incident.events] == [f"INC-1:{n}" for n in range(1, 7)]
    assert incident.role_holders() == {}
    assert Incident.from_events(incident.events) == incident


def test_each_command_returns_a_new_incident_with_one_more_event():
    """Commands never change the incident they are sent to."""
    before = declared()
    after = before.start_response(at=at(4))
    assert before.phase is Phase.DECLARED
    assert after.events[:-1] == before.events
    assert isinstance(after.events[-1], ResponseStarted)


def test_incidents_are_immutable_values():
    """Frozen, hashable, equal by events and policy."""
    incident = declared()
    with pytest.raises(AttributeError):
        incident.events = ()  # type: ignore[misc]
    assert hash(incident) == hash(Incident.from_events(incident.events))
    assert incident != detected()
    assert repr(incident) == "Incident(id='INC-1', phase='declared', severity='SEV2', version=2)"


def test_events_keep_their_zone_and_derived_times_are_instants():
    """An event keeps the zone it was given; what the incident derives is a UTC instant."""
    new_york = ZoneInfo("America/New_York")
    incident = detected().acknowledge(at=datetime(2026, 3, 8, 5, 2, tzinfo=new_york), by="ana")
    assert incident.events[-1].at.tzinfo is new_york
    assert incident.acknowledged_at == datetime(2026, 3, 8, 9, 2, tzinfo=UTC)
    assert incident.acknowledged_at.tzinfo is UTC
    # US daylight saving time began at 02:00 that morning: 05:02 EDT is 09:02 UTC.
    assert incident.time_to_acknowledge() == timedelta(minutes=2)


def test_order_and_durations_are_exact_across_dst():
    """In the repeated hour of 2026-11-01 (New York), 01:30 EST comes after 01:50 EDT."""
    new_york = ZoneInfo("America/New_York")
    first = datetime(2026, 11, 1, 1, 50, tzinfo=new_york)  # EDT, fold=0
    later = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=new_york)  # EST: 40 minutes later
    incident = Incident.detect(id="INC-1", title="x", source="automated_alert", at=first)
    incident = incident.acknowledge(at=later, by="ana")
    assert incident.time_to_acknowledge() == timedelta(minutes=40)
    early = datetime(2026, 11, 1, 1, 40, tzinfo=new_york)  # EDT: before the detection
    assert refusal(
        lambda: incident.declare(at=early, by="a", declarer_role="support_lead", severity=2)
    ).rule == ("time.order")


def test_the_quiet_period_is_elapsed_time_across_dst():
    """Resolving 20 real minutes after the last error passes a 15-minute quiet period, even across 02:00."""
    new_york = ZoneInfo("America/New_York")
    start = datetime(2026, 11, 1, 0, 30, tzinfo=new_york)
    incident = Incident.detect(id="INC-1", title="x", source="automated_alert", at=start)
    incident = incident.declare(at=start, by="a", declarer_role="support_lead", severity=2).start_response(
        at=start
    )
    last_error = datetime(2026, 11, 1, 1, 50, tzinfo=new_york)  # EDT
    resolved = incident.resolve(
        at=datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=new_york), last_error_at=last_error
    )
    assert resolved.phase is Phase.RESOLVED
    too_soon = datetime(2026, 11, 1, 1, 0, fold=1, tzinfo=new_york)  # EST: only 10 minutes later
    assert (
        refusal(lambda: incident.resolve(at=too_soon, last_error_at=last_error)).rule
        == "resolution.quiet_period"
    )


# --- "Who can declare an incident" ---------------------------------------------


@pytest.mark.parametrize("declarer_role", ["on_call_engineer", "support_lead", "engineering_manager"])
def test_each_declarer_of_the_guide_may_declare(declarer_role):
    """'Any on-call engineer, any support lead, any engineering manager'."""
    incident = detected().declare(at=at(1), by="ana", declarer_role=declarer_role, severity="sev1")
    assert incident.phase is Phase.DECLARED
    assert incident.severity is Severity.SEV1


@pytest.mark.parametrize("declarer_role", ["intern", "vp_engineering", "customer", ""])
def test_anyone_else_is_refused(declarer_role):
    """Nobody else may declare; the refusal names the rule."""
    refused = refusal(lambda: detected().declare(at=at(1), by="x", declarer_role=declarer_role, severity=2))
    assert (refused.command, refused.phase) == ("declare", "detected")
    assert refused.rule in {"declaration.who_may_declare", "event.fields"}


def test_the_policy_decides_who_may_declare():
    """A company may let its SREs declare."""
    declaration = attrs.evolve(DEFAULT_POLICY.declaration, who_may_declare=("sre",))
    policy = attrs.evolve(DEFAULT_POLICY, declaration=declaration)
    incident = detected(policy=policy).declare(at=at(1), by="x", declarer_role="sre", severity=3)
    assert incident.severity is Severity.SEV3
    with pytest.raises(CommandRefusedError, match=r"declaration\.who_may_declare"):
        detected(policy=policy).declare(at=at(1), by="x", declarer_role="on_call_engineer", severity=3)


def test_the_declarer_is_incident_commander_until_handed_off():
    """'Assume IC role until handed off'; hand-offs keep who held the role, from when to when."""
    incident = declared(by="ana").hand_off_role(IC, "bo", at=at(30))
    assert incident.role_holders() == {IC: "bo"}
    assert incident.role_tenures() == (
        RoleTenure(role=IC, person="ana", since=at(3), until=at(30)),
        RoleTenure(role=IC, person="bo", since=at(30)),
    )
    assert incident.role_tenures()[0].duration(at(99)) == timedelta(minutes=27)
    assert incident.role_tenures()[1].duration(at(40)) == timedelta(minutes=10)


# --- "Roles During Incident" ---------------------------------------------------


def unmet(incident):
    return {(u.role, u.level) for u in unmet_role_requirements(incident)}


def test_sev3_ic_may_handle_all_roles():
    """'For SEV3: IC may handle all roles'."""
    incident = declared(Severity.SEV3, by="ana")
    assert unmet(incident) == set()
    for role in (TL, CL, SCRIBE):
        incident = incident.assign_role(role, "ana", at=at(5))
    assert unmet(incident) == set()


def test_sev2_needs_ic_and_a_separate_technical_lead():
    """'For SEV2: Minimum IC + Technical Lead', held by different people."""
    incident = declared(Severity.SEV2, by="ana")
    assert unmet(incident) == {(TL, RequirementLevel.MUST)}
    same_person = incident.assign_role(TL, "ana", at=at(5))
    (finding,) = unmet_role_requirements(same_person)
    assert (finding.role, finding.level) == (TL, RequirementLevel.MUST)
    assert "someone other than incident_commander (ana)" in finding.reason
    assert unmet(incident.assign_role(TL, "bo", at=at(5))) == set()


def test_sev1_should_fill_every_role():
    """'For SEV1: All roles should be filled' (a warning, not a refusal)."""
    incident = declared(Severity.SEV1, by="ana")
    assert unmet(incident) == {
        (TL, RequirementLevel.SHOULD),
        (CL, RequirementLevel.SHOULD),
        (SCRIBE, RequirementLevel.SHOULD),
    }
    incident = incident.assign_role(TL, "bo", at=at(5)).assign_role(CL, "cy", at=at(5))
    assert unmet(incident.assign_role(SCRIBE, "di", at=at(5))) == set()
    assert unmet(incident.assign_role(SCRIBE, "ana", at=at(5))) == {(SCRIBE, RequirementLevel.SHOULD)}


def test_no_requirements_before_declaration_or_after_closing():
    """Requirements follow the severity, which a detected incident does not have yet."""
    assert unmet_role_requirements(detected()) == ()
    closed = resolved(Severity.SEV3).close(at=at(61))
    assert unmet_role_requirements(closed) == ()


# --- "Resolution is declared when" ---------------------------------------------


@pytest.mark.parametrize(
    ("severity", "quiet"), [(Severity.SEV1, 15), (Severity.SEV2, 15), (Severity.SEV3, 30)]
)
def test_resolve_waits_for_the_quiet_period(severity, quiet):
    """'No new error reports for 15 minutes (SEV1/2) or 30 minutes (SEV3)': exactly that long passes."""
    incident = responding(severity)
    early = refusal(lambda: incident.resolve(at=at(40), last_error_at=at(40 - quiet) + timedelta(seconds=1)))
    assert (early.command, early.phase, early.rule) == ("resolve", "responding", "resolution.quiet_period")
    assert f"{quiet} minutes" in early.reason
    assert incident.resolve(at=at(40), last_error_at=at(40 - quiet)).phase is Phase.RESOLVED


def test_last_error_after_resolution_is_refused():
    """The last error cannot come after the resolution it allows."""
    refused = refusal(lambda: responding().resolve(at=at(40), last_error_at=at(41)))
    assert refused.rule == "event.fields"


def test_a_resolved_incident_may_reopen_until_post_incident_starts():
    """Reopen goes back into response; after post-incident starts it is refused."""
    incident = resolved().reopen(at=at(61), reason="errors are back")
    assert incident.phase is Phase.RESPONDING
    assert incident.resolved_at is None
    started = resolved().start_post_incident(at=at(61))
    assert refusal(lambda: started.reopen(at=at(62), reason="x")).rule == "lifecycle.phase"


# --- "5. Post-Incident": required for SEV1 and SEV2 ------------------------------


@pytest.mark.parametrize("severity", [Severity.SEV1, Severity.SEV2])
def test_sev1_and_sev2_cannot_close_without_post_incident(severity):
    """'Required for all SEV1 and SEV2 incidents'."""
    refused = refusal(lambda: resolved(severity).close(at=at(61)))
    assert (refused.phase, refused.rule) == ("resolved", "post_incident.required")
    assert resolved(severity).start_post_incident(at=at(61)).close(at=at(62)).phase is Phase.CLOSED


def test_sev3_may_close_from_resolved():
    """'Optional for SEV3'."""
    assert resolved(Severity.SEV3).close(at=at(61)).phase is Phase.CLOSED


def test_severity_at_closing_is_what_counts():
    """A SEV3 raised to SEV2 during response needs its post-incident process."""
    incident = responding(Severity.SEV3).change_severity(Severity.SEV2, at=at(10), reason="more customers")
    incident = incident.resolve(at=at(60), last_error_at=at(30))
    assert refusal(lambda: incident.close(at=at(61))).rule == "post_incident.required"


# --- severity changes -------------------------------------------------------------


def test_every_severity_change_is_an_event_with_its_reason():
    """Severity may change during the response; the reason is kept."""
    incident = responding(Severity.SEV3).change_severity("SEV1", at=at(10), reason="auth compromised")
    assert incident.severity is Severity.SEV1
    assert incident.events[-1].reason == "auth compromised"
    assert refusal(lambda: incident.change_severity(1, at=at(11), reason="same")).rule == "severity.unchanged"


def test_severity_cannot_change_after_resolution():
    """Changes belong to the response."""
    assert refusal(lambda: resolved().change_severity(1, at=at(61), reason="x")).rule == "lifecycle.phase"


# --- each refusal -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "command", "kwargs"),
    [
        (detected, "start_response", {}),
        (detected, "resolve", {"last_error_at": T0}),
        (detected, "close", {}),
        (declared, "dismiss", {"reason": "false_alarm"}),
        (declared, "resolve", {"last_error_at": T0}),
        (responding, "declare", {"by": "a", "declarer_role": "support_lead", "severity": 1}),
        (responding, "start_post_incident", {}),
        (responding, "close", {}),
        (resolved, "start_response", {}),
    ],
)
def test_commands_the_phase_does_not_allow_are_refused(make, command, kwargs):
    """The machine's transitions say where each command is allowed."""
    incident = make()
    refused = refusal(lambda: getattr(incident, command)(at=at(90), **kwargs))
    assert (refused.command, refused.phase, refused.rule) == (
        command,
        incident.phase.value,
        "lifecycle.phase",
    )
    assert "allowed:" in refused.reason


def test_a_dismissed_incident_takes_no_more_commands():
    """Dismissed is final; the next incident still works."""
    incident = detected().dismiss(at=at(1), reason=DismissalReason.NOT_AN_INCIDENT)
    refused = refusal(lambda: incident.record_milestone("resolved", at=at(99)))
    assert "takes no more commands" in refused.reason
    assert declared().start_response(at=at(4)).phase is Phase.RESPONDING


def test_a_closed_incident_takes_only_its_follow_ups():
    """After closing: archive the channel, a late review or document, action items."""
    incident = resolved(Severity.SEV3).close(at=at(61))
    refused = refusal(lambda: incident.record_milestone("resolved", at=at(99)))
    assert refused.reason.endswith(
        "allowed: add_action_item, archive_channel, complete_action_item, complete_step, hold_review, "
        "identify_root_cause, publish_document"
    )
    incident = incident.archive_channel(at=at(61 + 24 * 60))
    assert incident.channel_archived_at == at(61 + 24 * 60)
    assert refusal(lambda: incident.archive_channel(at=at(3000))).rule == "channel.archived_once"


def test_review_document_and_action_items():
    """The post-incident follow-ups are events too, each with its rule."""
    incident = resolved().start_post_incident(at=at(61))
    incident = incident.hold_review(at=at(24 * 60), facilitator="eve")
    assert refusal(lambda: incident.hold_review(at=at(24 * 60 + 5), facilitator="eve")).rule == (
        "post_incident.review_once"
    )
    incident = incident.publish_document(at=at(48 * 60), location="postmortems/INC-1.md")
    incident = incident.add_action_item(
        "A1", "Alert on pool use", owner="bo", due=date(2026, 3, 20), at=at(48 * 60)
    )
    duplicate = refusal(
        lambda: incident.add_action_item("A1", "x", owner="bo", due=date(2026, 3, 20), at=at(3000))
    )
    assert duplicate.rule == "action_items.duplicate_id"
    incident = incident.close(at=at(49 * 60)).complete_action_item("A1", at=at(50 * 60))
    (item,) = incident.action_items()
    assert (item.item_id, item.owner, item.completed_at) == ("A1", "bo", at(50 * 60))
    assert refusal(lambda: incident.complete_action_item("A1", at=at(3001))).rule == "action_items.not_open"
    assert "does not exist" in refusal(lambda: incident.complete_action_item("A9", at=at(3001))).reason
    assert incident.review_held_at == at(24 * 60)
    assert incident.document_published_at == at(48 * 60)
    assert Incident.from_events(incident.events) == incident


def test_the_facilitator_was_not_involved():
    """'Facilitator: Rotating, not someone involved in incident'."""
    incident = resolved().start_post_incident(at=at(61))  # ana declared: she is involved
    refused = refusal(lambda: incident.hold_review(at=at(62), facilitator="ana"))
    assert refused.rule == "post_incident.facilitator_uninvolved"
    assert incident.hold_review(at=at(62), facilitator="eve").review_held_at == at(62)


def test_updates_may_follow_into_post_incident():
    """A final status-page summary can come after post-incident starts."""
    incident = resolved().start_post_incident(at=at(61))
    assert incident.post_update(at=at(62), status="resolved", audience="status_page").version == 6


def test_the_root_cause_is_identified_with_a_stable_key():
    """The quarterly review counts repeats by the key; the latest identification counts."""
    incident = resolved().identify_root_cause("pool-exhaustion", at=at(61), summary="DB pool too small")
    incident = incident.identify_root_cause("bad-deploy", at=at(62), summary="A deploy shrank the pool")
    assert (incident.root_cause.key, incident.root_cause.summary) == (
        "bad-deploy",
        "A deploy shrank the pool",
    )
    assert Incident.from_events(incident.events) == incident
    assert refusal(lambda: declared().identify_root_cause("x", at=at(5))).rule == "lifecycle.phase"


def test_an_action_item_is_due_on_a_date():
    """A due date, not a time."""
    started = resolved().start_post_incident(at=at(61))
    refused = refusal(lambda: started.add_action_item("A1", "x", owner="bo", due=at(99), at=at(62)))
    assert "ActionItemAdded.due: expected a date" in refused.reason


def test_naive_time_is_refused():
    """Every event carries a timezone-aware time."""
    refused = refusal(lambda: declared().start_response(at=datetime(2026, 3, 8, 9, 4)))  # noqa: DTZ001
    assert (refused.rule, refused.phase) == ("time.timezone_aware", "declared")


def test_a_decision_dated_before_a_recorded_event_is_refused_naming_it():
    """A decision changes the phase, so it is never dated before what is recorded (time.order)."""
    incident = declared()
    refused = refusal(lambda: incident.start_response(at=at(2)))
    assert refused.rule == "time.order"
    assert refused.contradicts == incident.events[-1].id
    assert incident.events[-1].id in refused.reason


def test_a_page_is_acknowledged_once():
    """A second acknowledgement records nothing new and is refused."""
    incident = detected().acknowledge(at=at(2), by="ana")
    assert incident.time_to_acknowledge() == timedelta(minutes=2)
    assert refusal(lambda: incident.acknowledge(at=at(3), by="bo")).rule == "detection.acknowledged_once"


def test_assigning_a_role_to_its_holder_is_refused():
    """Nothing would change."""
    assert refusal(lambda: declared(by="ana").assign_role(IC, "ana", at=at(5))).rule == "roles.already_held"


def test_hand_off_needs_a_holder():
    """Handing off a role nobody holds is refused; assign it instead."""
    refused = refusal(lambda: declared().hand_off_role(SCRIBE, "bo", at=at(5)))
    assert refused.rule == "roles.hand_off_needs_holder"


@pytest.mark.parametrize(
    ("command", "kwargs", "field"),
    [
        ("declare", {"by": "a", "declarer_role": "support_lead", "severity": "SEV4"}, "SEV4"),
        ("acknowledge", {"by": ""}, "Acknowledged.by"),
        ("record_milestone", {"milestone": "lunch"}, "milestone"),
        ("dismiss", {"reason": "duplicate"}, "Dismissed.duplicate_of"),
        ("dismiss", {"reason": "bored"}, "reason"),
    ],
)
def test_bad_arguments_are_refused_naming_the_field(command, kwargs, field):
    """A bad argument is a refusal naming the command, the phase and the field."""
    refused = refusal(lambda: getattr(detected(), command)(at=at(1), **kwargs))
    assert (refused.command, refused.phase, refused.rule) == (command, "detected", "event.fields")
    assert field in refused.reason


def test_a_refused_command_changes_nothing():
    """The incident a refused command was sent to is exactly as it was."""
    incident = responding()
    events = incident.events
    with pytest.raises(CommandRefusedError):
        incident.resolve(at=at(10), last_error_at=at(9))
    assert incident.events is events
    assert incident.phase is Phase.RESPONDING


def test_detect_refuses_bad_fields():
    """The first event is checked like any other."""
    with pytest.raises(
        InvalidEventError, match=r"Detected\.at: expected a timezone-aware datetime, got naive "
    ):
        Incident.detect(id="INC-1", title="x", source="automated_alert", at=datetime(2026, 3, 8))  # noqa: DTZ001
    with pytest.raises(InvalidEventError, match=r"source: expected one of"):
        Incident.detect(id="INC-1", title="x", source="pigeon", at=T0)
    with pytest.raises(InvalidEventError, match=r"Detected\.title"):
        Incident.detect(id="INC-1", title=" ", source="automated_alert", at=T0)


# --- idempotency ---------------------------------------------------------------------


def test_the_same_key_and_content_changes_nothing():
    """A webhook delivered twice records one acknowledgement."""
    once = detected().acknowledge(at=at(2), by="ana", idempotency_key="pd-123")
    assert once.acknowledge(at=at(2), by="ana", idempotency_key="pd-123") is once


def test_the_same_key_with_other_content_is_refused():
    """A key names one command; reusing it for another is a mistake, not a repeat."""
    once = detected().acknowledge(at=at(2), by="ana", idempotency_key="pd-123")
    refused = refusal(lambda: once.acknowledge(at=at(2), by="bo", idempotency_key="pd-123"))
    assert refused.rule == "idempotency.key_reused"
    refused = refusal(lambda: once.dismiss(at=at(3), reason="false_alarm", idempotency_key="pd-123"))
    assert refused.rule == "idempotency.key_reused"


def test_a_retry_sent_later_is_the_same_command():
    """The key names the command; a retry's later time does not make it another one."""
    once = detected().acknowledge(at=at(2), by="ana", idempotency_key="pd-123")
    assert once.acknowledge(at=at(9), by="ana", idempotency_key="pd-123") is once
    naive_time = datetime(2026, 3, 8, 9, 9)  # noqa: DTZ001 - the point of the test
    naive = refusal(lambda: once.acknowledge(at=naive_time, by="ana", idempotency_key="pd-123"))
    assert naive.rule == "time.timezone_aware"


def test_a_repeat_is_recognised_even_after_later_events():
    """The repeat of an old command returns the incident unchanged."""
    incident = detected().acknowledge(at=at(2), by="ana", idempotency_key="pd-1")
    incident = incident.declare(at=at(3), by="ana", declarer_role="support_lead", severity=2)
    assert incident.acknowledge(at=at(2), by="ana", idempotency_key="pd-1") is incident


# --- milestones and durations -----------------------------------------------------------


def test_durations_come_from_the_events_alone():
    """Time to detect, acknowledge, mitigate and resolve."""
    incident = (
        detected()
        .record_milestone(Milestone.CUSTOMER_IMPACT_STARTED, at=at(1), occurred_at=at(-12))
        .acknowledge(at=at(4), by="ana")
        .declare(at=at(5), by="ana", declarer_role="on_call_engineer", severity=2)
        .start_response(at=at(6))
        .post_update(at=at(7), status="investigating")
        .post_update(at=at(20), status="mitigating", audience="status_page")
        .resolve(at=at(50), last_error_at=at(30))
    )
    assert incident.time_to_detect() == timedelta(minutes=12)
    assert incident.time_to_acknowledge() == timedelta(minutes=4)
    assert incident.time_to_mitigate() == timedelta(minutes=20)
    assert incident.time_to_resolve() == timedelta(minutes=50)
    assert incident.milestones()[Milestone.INVESTIGATING] == at(7)
    assert Incident.from_events(incident.events).milestones() == incident.milestones()


def test_unknown_durations_are_none():
    """Nothing is guessed."""
    incident = detected()
    assert (incident.time_to_detect(), incident.time_to_acknowledge()) == (None, None)
    assert (incident.time_to_mitigate(), incident.time_to_resolve()) == (None, None)


def test_milestone_cannot_be_recorded_before_it_happened():
    """occurred_at may precede the recording, never follow it."""
    refused = refusal(lambda: detected().record_milestone("investigating", at=at(1), occurred_at=at(2)))
    assert "occurred_at" in refused.reason


def test_dismissal_records_its_reason():
    """A dismissal keeps why, and which incident it duplicates."""
    incident = detected().dismiss(at=at(1), reason="duplicate", duplicate_of="INC-0", note="same alert")
    event = incident.events[-1]
    assert (event.reason, event.duplicate_of, event.note) == (
        DismissalReason.DUPLICATE,
        "INC-0",
        "same alert",
    )
    assert incident.phase is Phase.DISMISSED


# --- replay -----------------------------------------------------------------------------


def test_replay_equals_the_incident():
    """from_events rebuilds an equal incident, with the same derived state."""
    incident = resolved().start_post_incident(at=at(61))
    rebuilt = Incident.from_events(list(incident.events))
    assert rebuilt == incident
    assert rebuilt.role_tenures() == incident.role_tenures()
    assert rebuilt.phase is Phase.POST_INCIDENT


def test_replay_refuses_what_commands_would_refuse():
    """A recorded close of a SEV2 straight from resolved is refused, naming the event."""
    events = resolved().events
    close = resolved(Severity.SEV3).close(at=at(61)).events[-1]
    with pytest.raises(ReplayError) as caught:
        Incident.from_events((*events, close))
    assert caught.value.index == 4
    assert caught.value.refusal.rule == "post_incident.required"
    assert str(caught.value).startswith("events[4]: close refused in phase 'resolved'")


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ((), "the first event must be Detected, got nothing"),
        ((Acknowledged(id="INC-1:1", at=T0, by="a"),), "the first event must be Detected"),
        ((*detected().events, ResponseStarted(id="INC-1:9", at=T0)), "id 'INC-1:9' should be INC-1:2"),
        ((*detected().events, "declared"), "expected an event after detection, got str"),
        ((*detected().events, *detected().events), "expected an event after detection, got Detected"),
    ],
)
def test_replay_refuses_malformed_sequences(events, message):
    """Every problem names the index of the event."""
    with pytest.raises(ReplayError, match=message):
        Incident.from_events(events)


def test_replay_refuses_events_before_the_detection():
    """Nothing happens before the detection, in a record either."""
    early = Acknowledged(id="INC-1:2", at=T0 - timedelta(minutes=1), by="ana")
    with pytest.raises(
        ReplayError, match=r"events\[1\]: .*time.order: at=.* is before the detection, INC-1:1"
    ):
        Incident.from_events((*detected().events, early))


def test_replay_refuses_a_repeated_key():
    """A record with the same idempotency key twice holds a duplicate delivery."""
    first = Acknowledged(id="INC-1:2", at=at(1), by="a", idempotency_key="k")
    second = Declared(
        id="INC-1:3",
        at=at(2),
        by="a",
        declarer_role="support_lead",
        severity=Severity.SEV1,
        idempotency_key="k",
    )
    with pytest.raises(
        ReplayError, match=r"events\[2\]: idempotency key 'k' was already used by events\[1\]"
    ):
        Incident.from_events((*detected().events, first, second))


def test_a_role_is_found_by_its_value_too():
    """role_holders() answers for "incident_commander" as for Role.INCIDENT_COMMANDER."""
    incident = declared()
    assert incident.role_holders()["incident_commander"] == "ana"
    assert incident.role_holders().get(Role.INCIDENT_COMMANDER) == incident.role_holders().get(
        "incident_commander"
    )
    assert incident.role_holders().get("scribe") is None
    assert Role.SCRIBE == "scribe"
