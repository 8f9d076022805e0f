"""The post-incident report skeleton and the review meeting."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_process import (
    DEFAULT_POLICY,
    Incident,
    MessageError,
    Policy,
    Role,
    parse_action_items,
    render_postmortem,
    validate_postmortem,
)
from incident_process.postincident import review_plan

T0 = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)  # a Monday


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def incident():
    done = Incident.detect(id="INC-3", title="Checkout *errors* [EU]", source="automated_alert", at=T0)
    done = done.record_milestone("customer_impact_started", at=at(1), occurred_at=at(-6))
    done = done.acknowledge(at=at(2), by="ana").declare(
        at=at(3), by="ana", declarer_role="on_call_engineer", severity=2
    )
    done = done.start_response(at=at(4)).assign_role(Role.TECHNICAL_LEAD, "bo", at=at(5))
    done = done.resolve(at=at(46), last_error_at=at(30))
    done = done.identify_root_cause("pool-size", at=at(50), summary="A deploy shrank the connection pool")
    done = done.start_post_incident(at=at(60))
    return done.add_action_item("A1", "Alert on pool use", owner="bo", due=date(2026, 3, 20), at=at(61))


def test_the_skeleton_is_the_guides_with_what_the_events_know():
    """Title, duration, timeline, root cause and action items come from the incident."""
    text = render_postmortem(incident(), summary="Checkout failed for some EU customers.")
    lines = text.splitlines()
    assert lines[0] == "# Incident Report: Checkout \\*errors\\* \\[EU\\]"
    assert [line for line in lines if line.startswith("## ")] == [
        "## Summary",
        "## Impact",
        "## Timeline",
        "## Root Cause",
        "## Resolution",
        "## Lessons Learned",
        "## Action Items",
    ]
    assert "- Duration: 52 minutes (2026-03-09 08:54 UTC to 2026-03-09 09:46 UTC)" in lines
    assert "- Customers affected: [count/scope]" in lines
    assert lines[lines.index("## Timeline") + 1] == "- 2026-03-09 08:54 UTC: Customer impact started"
    assert "- 2026-03-09 09:03 UTC: Declared SEV2 by ana, Incident Commander" in lines
    assert lines[lines.index("## Root Cause") + 1] == "A deploy shrank the connection pool"
    assert lines[-3:] == [
        "| Action | Owner | Due Date | Status |",
        "|--------|-------|----------|--------|",
        "| Alert on pool use | bo | 2026-03-20 | Open |",
    ]


def test_timestamps_are_local_to_the_policys_zone():
    """The timeline reads in the policy's zone."""
    events = incident().events
    text = render_postmortem(Incident.from_events(events, policy=Policy(zone="Europe/Berlin")))
    assert "- 2026-03-09 10:00 CET: Detected (automated alert): Checkout \\*errors\\* \\[EU\\]" in text


def test_fields_replace_placeholders_and_unknown_fields_are_refused():
    """Given fields are escaped once; a misspelt one is an error."""
    text = render_postmortem(incident(), customers_affected="~3,000 | EU", resolution="Rolled back")
    assert "- Customers affected: ~3,000 \\| EU" in text
    with pytest.raises(MessageError, match="unknown fields summery"):
        render_postmortem(incident(), summery="x")


def test_an_unresolved_incident_keeps_the_duration_placeholder():
    """Nothing is guessed."""
    open_incident = Incident.detect(id="I", title="t", source="automated_alert", at=T0)
    assert "- Duration: [time]" in render_postmortem(open_incident)


def test_the_review_plan_follows_the_policy():
    """Duration 30-60, the five agenda items, IC and TL by name, deadlines, and an uninvolved facilitator."""
    plan = review_plan(incident(), facilitator="eve")
    assert (plan.min_duration, plan.max_duration) == (timedelta(minutes=30), timedelta(minutes=60))
    assert [topic for topic, _ in plan.agenda] == [
        item.topic for item in DEFAULT_POLICY.post_incident.review.agenda
    ]
    assert plan.required_attendees == ((Role.INCIDENT_COMMANDER, ("ana",)), (Role.TECHNICAL_LEAD, ("bo",)))
    assert plan.review_due == datetime(2026, 3, 12, 23, 59, 59, 999999, tzinfo=UTC)
    assert plan.document_due == datetime(2026, 3, 16, 23, 59, 59, 999999, tzinfo=UTC)
    assert plan.facilitator_problem is None
    assert "bo was involved" in review_plan(incident(), facilitator="bo").facilitator_problem


def test_completion_rate():
    """Completed over all action items; None when there are none."""
    items = incident()
    assert items.action_item_completion_rate() == 0.0
    assert items.complete_action_item("A1", at=at(90)).action_item_completion_rate() == 1.0
    assert (
        Incident.detect(id="I", title="t", source="automated_alert", at=T0).action_item_completion_rate()
        is None
    )


_WORDS = st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=3, max_size=10)


@given(st.lists(_WORDS, min_size=9, max_size=9))
def test_a_rendered_report_filled_in_validates_clean(words):
    """render_postmortem, then every placeholder filled with real text: no finding."""
    summary, customers, errors, revenue, cause, resolution, good, better, _ = words
    text = render_postmortem(
        incident(),
        summary=f"Checkout {summary} failed.",
        customers_affected=customers,
        errors_generated=errors,
        revenue_impact=revenue,
        root_cause=cause,
        resolution=resolution,
        went_well=good,
        could_improve=better,
    )
    assert validate_postmortem(text) == []
    (item,) = parse_action_items(text)
    assert (item.action, item.owner, item.due) == ("Alert on pool use", "bo", date(2026, 3, 20))


def test_the_bare_skeleton_is_reported_until_filled():
    """The placeholders render_postmortem leaves are what validate_postmortem reports."""
    rules = {finding.rule for finding in validate_postmortem(render_postmortem(incident()))}
    assert "postmortem.placeholder" in rules


def test_the_report_uses_what_the_events_hold():
    """The declared impact, each update's text and author, the errors stopping, a fact recorded late."""
    done = Incident.detect(id="INC-4", title="Checkout errors", source="automated_alert", at=T0)
    done = done.declare(
        at=at(3), by="ana", declarer_role="on_call_engineer", severity=2, impact="1 in 8 EU checkouts fail"
    )
    done = done.start_response(at=at(4)).post_update(
        at=at(10), status="identified", text="A deploy shrank the *pool*", by="bo"
    )
    done = done.record_errors_stopped(at=at(28), by="alertmanager")
    done = done.acknowledge(at=at(2), by="ana")  # the page's acknowledgement, recorded late
    report = render_postmortem(done.resolve(at=at(46)))
    assert "- Customers affected: 1 in 8 EU checkouts fail" in report
    timeline = [line for line in report.splitlines() if line.startswith("- 2026-03-09")]
    assert timeline == [
        "- 2026-03-09 09:00 UTC: Detected (automated alert): Checkout errors",
        "- 2026-03-09 09:02 UTC: Page acknowledged by ana",
        "- 2026-03-09 09:03 UTC: Declared SEV2 by ana, Incident Commander: 1 in 8 EU checkouts fail",
        "- 2026-03-09 09:04 UTC: Response started",
        "- 2026-03-09 09:10 UTC: Internal update by bo (identified): A deploy shrank the \\*pool\\*",
        "- 2026-03-09 09:28 UTC: Errors stopped (reported by alertmanager)",
        "- 2026-03-09 09:46 UTC: Resolved",
    ]
