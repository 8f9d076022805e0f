"""Events check their own fields; every event type has a unique record name."""

from datetime import UTC, datetime

import pytest

from incident_process import DetectionSource, InvalidEventError, Severity
from incident_process.events import (
    EVENT_TYPES,
    Acknowledged,
    Declared,
    Detected,
    MilestoneRecorded,
    UpdatePosted,
)
from incident_process.lifecycle._machine import TRANSITIONS
from incident_process.vocabulary import Audience, Milestone, UpdateStatus

T0 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)


def test_every_event_type_has_a_kind_and_a_command():
    """Record names are unique, and every command but detect is a lifecycle transition."""
    assert len(EVENT_TYPES) == 24
    commands = {command for _, command in TRANSITIONS}
    for kind, event_type in EVENT_TYPES.items():
        assert event_type.kind == kind
        assert event_type.command == "detect" or event_type.command in commands


def test_all_problems_of_an_event_are_named_at_once():
    """Each field problem is named with the event type and the field."""
    with pytest.raises(InvalidEventError) as caught:
        Declared(id="", at=datetime(2026, 3, 8), by=" ", declarer_role="x", severity="SEV1")  # noqa: DTZ001
    message = str(caught.value)
    assert "Declared.id: expected non-empty text" in message
    assert "Declared.at: expected a timezone-aware datetime, got naive 2026-03-08T00:00:00" in message
    assert "Declared.by" in message
    assert (
        "Declared.severity: expected one of Severity.SEV1, Severity.SEV2, Severity.SEV3, got 'SEV1' (str)"
        in message
    )


def test_times_must_be_datetimes():
    """A string is not a time."""
    with pytest.raises(
        InvalidEventError,
        match=r"Acknowledged\.at: expected a timezone-aware datetime, got '2026-03-08T09:00:00Z'",
    ):
        Acknowledged(id="I:2", at="2026-03-08T09:00:00Z", by="ana")


def test_an_empty_idempotency_key_is_refused():
    """A key, if given, has content."""
    with pytest.raises(InvalidEventError, match="idempotency_key"):
        Acknowledged(id="I:2", at=T0, by="ana", idempotency_key="")


def test_content_is_everything_but_the_id():
    """Two deliveries of the same command differ only in id."""
    one = UpdatePosted(id="I:2", at=T0, status=UpdateStatus.IDENTIFIED, audience=Audience.STATUS_PAGE)
    two = UpdatePosted(id="I:3", at=T0, status=UpdateStatus.IDENTIFIED, audience=Audience.STATUS_PAGE)
    assert one.content() == two.content()
    assert one != two


def test_milestone_statuses_match_update_statuses():
    """Every update status is a milestone of the same name."""
    assert {status.value for status in UpdateStatus} <= {milestone.value for milestone in Milestone}
    event = MilestoneRecorded(id="I:2", at=T0, milestone=Milestone.CUSTOMER_IMPACT_STARTED, occurred_at=T0)
    assert event.occurred_at == T0


def test_detected_names_its_source():
    """The source is a DetectionSource."""
    with pytest.raises(InvalidEventError, match=r"Detected\.source"):
        Detected(id="I:1", at=T0, incident_id="I", title="t", source="pager")
    event = Detected(id="I:1", at=T0, incident_id="I", title="t", source=DetectionSource.CUSTOMER_REPORTS)
    assert event.kind == "detected"
    assert Severity.SEV1.value == "SEV1"
