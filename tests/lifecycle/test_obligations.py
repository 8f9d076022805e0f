"""What an incident owes at any moment: each duty of the guide, met and missed."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from incident_process import BusinessCalendar, CalendarError, DetectionSource, Incident, Policy, Severity
from incident_process.policy import CalendarSettings
from incident_process.vocabulary import ObligationKind, ObligationStatus

T0 = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)  # a Monday
K = ObligationKind
PENDING, MET, OVERDUE, MISSED = ObligationStatus


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def page(source=DetectionSource.AUTOMATED_ALERT, policy=None):
    extra = {} if policy is None else {"policy": policy}
    return Incident.detect(id="INC-9", title="Errors", source=source, at=T0, **extra)


def declared(severity=Severity.SEV2, minutes=2, incident=None):
    incident = incident or page().acknowledge(at=at(1), by="ana")
    return incident.declare(at=at(minutes), by="ana", declarer_role="on_call_engineer", severity=severity)


def owed(incident, now, kind):
    return [o for o in incident.obligations(now) if o.kind is kind]


def one(incident, now, kind):
    (found,) = owed(incident, now, kind)
    return found


# --- detection -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ack_after", "now", "status"),
    [(3, 10, MET), (7, 10, MISSED), (None, 10, OVERDUE), (None, 2, PENDING), (5, 6, MET)],
)
def test_acknowledge_an_automated_page_within_5_minutes(ack_after, now, status):
    """'Automated alert: Acknowledge within 5 minutes' (exactly 5 minutes is on time)."""
    incident = page()
    if ack_after is not None:
        incident = incident.acknowledge(at=at(ack_after), by="ana")
    found = one(incident, at(now), K.ACKNOWLEDGE)
    assert (found.status, found.due_at, found.rule) == (status, at(5), "detection.responses[0]")
    assert found.met_at == (None if ack_after is None else at(ack_after))


@pytest.mark.parametrize(("decided_after", "status"), [(10, MET), (20, MISSED)])
def test_correlate_customer_reports_within_15_minutes(decided_after, status):
    """'Customer reports: Correlate within 15 minutes': met by the declaration or dismissal."""
    incident = page(DetectionSource.CUSTOMER_REPORTS)
    declared_one = declared(incident=incident, minutes=decided_after)
    assert one(declared_one, at(60), K.CORRELATE).status is status
    dismissed = incident.dismiss(at=at(decided_after), reason="not_an_incident")
    assert one(dismissed, at(60), K.CORRELATE).status is status
    assert one(incident, at(14), K.CORRELATE).status is PENDING
    assert owed(incident, at(60), K.ACKNOWLEDGE) == []


def test_declare_immediately_on_internal_discovery():
    """'Internal discovery: Declare immediately if criteria met'."""
    incident = page(DetectionSource.INTERNAL_DISCOVERY)
    assert one(declared(incident=incident, minutes=0), at(9), K.DECLARE).status is MET
    assert one(declared(incident=incident, minutes=4), at(9), K.DECLARE).status is MISSED
    assert one(incident, at(1), K.DECLARE).status is OVERDUE
    dismissed = incident.dismiss(at=at(3), reason="not_an_incident")
    assert owed(dismissed, at(9), K.DECLARE) == []


def test_external_notifications_owe_no_detection_duty():
    """The guide sets no response time for external notifications."""
    incident = page(DetectionSource.EXTERNAL_NOTIFICATION)
    kinds = {o.kind for o in incident.obligations(at(60))}
    assert kinds.isdisjoint({K.ACKNOWLEDGE, K.CORRELATE, K.DECLARE, K.ESCALATE})


def test_escalation_path_for_an_unacknowledged_page():
    """On-call Engineer (5 min) -> On-call Lead (15 min) -> Engineering Manager (30 min)."""
    escalations = owed(page(), at(25), K.ESCALATE)
    assert [(o.detail, o.owed_from, o.due_at, o.status) for o in escalations] == [
        ("escalate to On-call Lead", at(5), at(20), OVERDUE),
        ("escalate to Engineering Manager", at(20), at(50), PENDING),
    ]


def test_acknowledging_ends_the_escalation():
    """A page acknowledged during the On-call Lead's window owes no further level."""
    incident = page().acknowledge(at=at(12), by="lead")
    escalations = owed(incident, at(99), K.ESCALATE)
    assert [(o.detail, o.status, o.met_at) for o in escalations] == [
        ("escalate to On-call Lead", MET, at(12))
    ]
    assert owed(page().acknowledge(at=at(3), by="ana"), at(99), K.ESCALATE) == []


def test_vp_engineering_for_sev1_only():
    """'VP Engineering (SEV1 only)': a page nobody picked up for 55 minutes, then declared."""
    sev1 = declared(Severity.SEV1, minutes=55, incident=page())
    sev2 = declared(Severity.SEV2, minutes=55, incident=page())
    assert owed(sev1, at(60), K.ESCALATE)[-1].detail == "escalate to VP Engineering"
    assert owed(sev2, at(60), K.ESCALATE)[-1].detail == "escalate to Engineering Manager"


def test_an_incident_commander_holding_the_incident_ends_the_escalation():
    """Declared (the declarer holds IC) during the On-call Lead's window: no later level is owed."""
    incident = declared(Severity.SEV1, minutes=12, incident=page())
    escalations = owed(incident, at(99), K.ESCALATE)
    assert [(o.id, o.status, o.met_at) for o in escalations] == [("escalate:on_call_lead", MET, at(12))]
    by_hand = incident.escalate(at=at(20), by="ana")
    assert by_hand.events[-1].to == "On-call Lead"  # an escalation by hand still records


# --- communication ------------------------------------------------------------------


@pytest.mark.parametrize(("posted_after", "status"), [(9, MET), (13, MISSED)])
def test_first_status_page_update_within_10_minutes(posted_after, status):
    """'First update: Within 10 minutes of declaration'."""
    incident = declared().post_update(at=at(posted_after), status="investigating", audience="status_page")
    found = one(incident, at(60), K.FIRST_STATUS_PAGE_UPDATE)
    assert (found.status, found.owed_from, found.due_at) == (status, at(2), at(12))
    assert one(declared(), at(5), K.FIRST_STATUS_PAGE_UPDATE).status is PENDING


def test_internal_updates_at_the_severitys_cadence():
    """'SEV2: Every 30 minutes minimum': each update meets one duty and starts the next."""
    incident = declared(Severity.SEV2).start_response(at=at(3))
    incident = incident.post_update(at=at(20), status="investigating")
    incident = incident.post_update(at=at(70), status="identified")
    updates = owed(incident, at(80), K.INTERNAL_UPDATE)
    assert [(o.owed_from, o.due_at, o.status, o.met_at) for o in updates] == [
        (at(2), at(32), MET, at(20)),
        (at(20), at(50), MISSED, at(70)),
        (at(70), at(100), PENDING, None),
    ]
    assert {o.rule for o in updates} == {"communication.update_cadence.SEV2"}
    assert (
        one(incident, at(80), K.STATUS_PAGE_UPDATE if False else K.FIRST_STATUS_PAGE_UPDATE).status is OVERDUE
    )


@pytest.mark.parametrize(
    ("severity", "cadence"), [(Severity.SEV1, 15), (Severity.SEV2, 30), (Severity.SEV3, 60)]
)
def test_each_severitys_cadence(severity, cadence):
    """SEV1 every 15 minutes, SEV2 every 30, SEV3 every hour."""
    (found,) = owed(declared(severity), at(5), K.INTERNAL_UPDATE)
    assert found.due_at == at(2 + cadence)
    assert found.rule == f"communication.update_cadence.{severity.value}"


def test_a_severity_change_retimes_the_cadence():
    """Raised to SEV1 at +20: the running update is due 15 minutes after the change."""
    incident = declared(Severity.SEV3).change_severity(Severity.SEV1, at=at(20), reason="worse")
    (found,) = owed(incident, at(30), K.INTERNAL_UPDATE)
    assert (found.due_at, found.status, found.rule) == (at(35), PENDING, "communication.update_cadence.SEV1")


def test_going_dark_is_overdue_until_resolution_then_missed():
    """A cadence that lapses is overdue while open, missed once resolved, and pauses there."""
    incident = declared(Severity.SEV1).start_response(at=at(3))
    assert one(incident, at(40), K.INTERNAL_UPDATE).status is OVERDUE
    resolved = incident.resolve(at=at(60), last_error_at=at(40))
    assert one(resolved, at(90), K.INTERNAL_UPDATE).status is MISSED
    reopened = resolved.reopen(at=at(100), reason="back")
    running = owed(reopened, at(101), K.INTERNAL_UPDATE)
    assert [(o.owed_from, o.status) for o in running] == [(at(2), MISSED), (at(100), PENDING)]


def test_resolving_before_the_update_is_due_owes_nothing_more():
    """The resolution message itself ends the cadence."""
    incident = declared(Severity.SEV3).start_response(at=at(3)).resolve(at=at(40), last_error_at=at(10))
    assert owed(incident, at(120), K.INTERNAL_UPDATE) == []


def test_status_page_updates_match_the_internal_frequency():
    """'Subsequent updates: Match internal frequency'."""
    incident = declared(Severity.SEV2).post_update(at=at(8), status="investigating", audience="status_page")
    incident = incident.post_update(at=at(30), status="identified", audience="status_page")
    pages = owed(incident, at(70), K.STATUS_PAGE_UPDATE)
    assert [(o.owed_from, o.due_at, o.status) for o in pages] == [
        (at(8), at(38), MET),
        (at(30), at(60), OVERDUE),
    ]


@pytest.mark.parametrize(("posted_after", "status"), [(65, MET), (75, MISSED)])
def test_final_status_page_update_when_resolved(posted_after, status):
    """'Final update: When resolved, with summary' (within the first-update window)."""
    incident = declared().start_response(at=at(3)).resolve(at=at(60), last_error_at=at(40))
    assert one(incident, at(61), K.FINAL_STATUS_PAGE_UPDATE).status is PENDING
    incident = incident.post_update(at=at(posted_after), status="resolved", audience="status_page")
    assert one(incident, at(99), K.FINAL_STATUS_PAGE_UPDATE).status is status


def test_quiet_period_is_reported_once_resolved():
    """'No new error reports for 15 minutes (SEV1/2)': kept, as the lifecycle enforces."""
    incident = declared().start_response(at=at(3)).resolve(at=at(60), last_error_at=at(40))
    found = one(incident, at(61), K.RESOLUTION_QUIET_PERIOD)
    assert (found.owed_from, found.due_at, found.status) == (at(40), at(55), MET)


# --- post-incident -------------------------------------------------------------------


def resolved_on(moment, severity=Severity.SEV2, policy=None):
    incident = Incident.detect(
        id="INC-9",
        title="x",
        source="internal_discovery",
        at=moment,
        **({"policy": policy} if policy else {}),
    )
    incident = incident.declare(at=moment, by="ana", declarer_role="support_lead", severity=severity)
    incident = incident.start_response(at=moment)
    return incident.resolve(at=moment + timedelta(hours=1), last_error_at=moment)


def test_review_within_3_and_document_within_5_business_days():
    """Resolved Wednesday before Thanksgiving, US calendar: review by Tue 1 Dec, document by Thu 3 Dec."""
    new_york = ZoneInfo("America/New_York")
    policy = Policy(zone="America/New_York", calendar=CalendarSettings(country="US"))
    incident = resolved_on(datetime(2026, 11, 25, 16, 0, tzinfo=new_york), policy=policy)
    review = one(incident, datetime(2026, 11, 30, tzinfo=UTC), K.POST_INCIDENT_REVIEW)
    document = one(incident, datetime(2026, 11, 30, tzinfo=UTC), K.POST_INCIDENT_DOCUMENT)
    assert review.due_at.isoformat() == "2026-12-01T23:59:59.999999-05:00"
    assert document.due_at.isoformat() == "2026-12-03T23:59:59.999999-05:00"
    assert (review.status, document.status) == (PENDING, PENDING)
    started = incident.start_post_incident(at=datetime(2026, 11, 27, 10, 0, tzinfo=new_york))
    met = started.hold_review(at=datetime(2026, 12, 1, 23, 0, tzinfo=new_york), facilitator="eve")
    assert one(met, datetime(2026, 12, 10, tzinfo=UTC), K.POST_INCIDENT_REVIEW).status is MET
    late = started.hold_review(at=datetime(2026, 12, 2, 9, 0, tzinfo=new_york), facilitator="eve")
    assert one(late, datetime(2026, 12, 10, tzinfo=UTC), K.POST_INCIDENT_REVIEW).status is MISSED
    assert one(late, datetime(2026, 12, 10, tzinfo=UTC), K.POST_INCIDENT_DOCUMENT).status is OVERDUE


def test_an_explicit_calendar_overrides_the_policys():
    """obligations(now, calendar=...) counts business days with the calendar given."""
    incident = resolved_on(datetime(2026, 11, 25, 16, 0, tzinfo=UTC))
    plain = one(incident, datetime(2026, 11, 26, tzinfo=UTC), K.POST_INCIDENT_REVIEW)
    assert plain.due_at.date() == date(2026, 11, 30)
    us = BusinessCalendar("UTC", country="US")
    counted = incident.obligations(datetime(2026, 11, 26, tzinfo=UTC), calendar=us)
    assert next(o for o in counted if o.kind is K.POST_INCIDENT_REVIEW).due_at.date() == date(2026, 12, 1)


def test_sev3_owes_no_post_incident_review():
    """'Optional for SEV3'."""
    incident = resolved_on(T0, Severity.SEV3)
    kinds = {o.kind for o in incident.obligations(at(60 * 24 * 30))}
    assert kinds.isdisjoint({K.POST_INCIDENT_REVIEW, K.POST_INCIDENT_DOCUMENT})


@pytest.mark.parametrize(("archived_after_hours", "status"), [(23, MET), (25, MISSED), (None, OVERDUE)])
def test_archive_the_channel_24_hours_after_resolution(archived_after_hours, status):
    """Resolution checklist: 'Close incident channel (archive after 24h)'."""
    resolved = resolved_on(T0, Severity.SEV3)  # resolved at +60 minutes
    if archived_after_hours is not None:
        resolved = resolved.archive_channel(at=at(60 + 60 * archived_after_hours))
    found = one(resolved, at(60 + 60 * 30), K.ARCHIVE_CHANNEL)
    assert (found.owed_from, found.due_at, found.status) == (at(60), at(60 + 60 * 24), status)


def test_the_final_status_page_update_lapses_when_the_incident_closes():
    """Not posted by closing: missed, not overdue for ever."""
    closed = resolved_on(T0, Severity.SEV3).close(at=at(120))
    assert one(closed, at(60 * 48), K.FINAL_STATUS_PAGE_UPDATE).status is MISSED


def test_action_items_until_completion():
    """'Action items tracked: Until completion': due at the end of the due date, local time."""
    incident = resolved_on(T0).start_post_incident(at=at(120))
    incident = incident.add_action_item(
        "A1", "Alert on pool use", owner="bo", due=date(2026, 3, 13), at=at(121)
    )
    incident = incident.add_action_item(
        "A2", "Runbook for failover", owner="cy", due=date(2026, 3, 11), at=at(122)
    )
    incident = incident.complete_action_item("A1", at=datetime(2026, 3, 12, 10, 0, tzinfo=UTC))
    items = owed(incident, datetime(2026, 3, 12, 12, 0, tzinfo=UTC), K.ACTION_ITEM)
    assert [(o.detail, o.status) for o in items] == [
        ("A2: Runbook for failover (cy)", OVERDUE),
        ("A1: Alert on pool use (bo)", MET),
    ]
    assert items[0].due_at.isoformat() == "2026-03-11T23:59:59.999999+00:00"


# --- the moment asked about ---------------------------------------------------------------


def test_only_events_up_to_now_count():
    """An audit as of a past moment ignores what happened later."""
    incident = page().acknowledge(at=at(7), by="ana")
    assert one(incident, at(6), K.ACKNOWLEDGE).status is OVERDUE
    assert one(incident, at(8), K.ACKNOWLEDGE).status is MISSED


def test_naive_now_is_refused():
    """Now is always passed in, and always timezone-aware."""
    with pytest.raises(CalendarError, match="now: expected a timezone-aware datetime"):
        page().obligations(datetime(2026, 3, 9, 9, 30))  # noqa: DTZ001


def test_obligations_are_sorted_by_due_time():
    """The soonest due first."""
    found = declared().start_response(at=at(3)).obligations(at(30))
    assert [o.due_at for o in found] == sorted(o.due_at for o in found)


def test_nothing_is_owed_before_detection():
    """A moment before the first event: not detected yet, nothing owed."""
    assert page().obligations(at(-5)) == ()


def test_a_severity_rise_never_pushes_the_next_update_later():
    """SEV2 due at +32; raised to SEV1 at +25: still due at +32, not +40."""
    incident = declared(Severity.SEV2).change_severity(Severity.SEV1, at=at(25), reason="worse")
    (found,) = owed(incident, at(26), K.INTERNAL_UPDATE)
    assert found.due_at == at(32)
    lowered = declared(Severity.SEV1).change_severity(Severity.SEV3, at=at(10), reason="contained")
    (relaxed,) = owed(lowered, at(11), K.INTERNAL_UPDATE)
    assert relaxed.due_at == at(70)


def test_update_numbers_go_on_after_reopening():
    """The duty that lapsed at resolution keeps its number; the next one after reopening counts on."""
    incident = declared(Severity.SEV1).start_response(at=at(3)).resolve(at=at(60), last_error_at=at(40))
    incident = incident.reopen(at=at(70), reason="back")
    assert [o.detail for o in owed(incident, at(71), K.INTERNAL_UPDATE)] == ["update 1", "update 2"]


def test_obligation_times_are_shown_in_the_calendars_zone():
    """Due times read as local times of the policy's zone."""
    policy = Policy(zone="Asia/Tokyo")
    incident = page(policy=policy)
    (found,) = owed(incident, at(1), K.ACKNOWLEDGE)
    assert found.due_at.isoformat() == "2026-03-09T18:05:00+09:00"
