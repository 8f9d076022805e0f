"""What happened to an incident: one immutable event per accepted command.

An incident is the sequence of its events (event sourcing): its phase,
severity, roles and milestones are computed from them, so the events alone
rebuild it (:meth:`Incident.from_events <incident_process.lifecycle.Incident.from_events>`).
The events sit below the policy, so that a policy's checklist steps, which
name the event that completes them and conditions on its fields, are checked
against the event classes themselves (:func:`field_choices`).

Every event has an ``id`` (``"<incident id>:<sequence>"``, the sequence
being the order in which it was recorded), a timezone-aware ``at`` (when it
happened, which for a fact recorded late is earlier than the events recorded
before it), an optional ``recorded_at`` (when the caller recorded it) and an
optional caller's ``idempotency_key``.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from datetime import date, datetime
from typing import ClassVar

import attrs

from incident_process.timing._moments import is_aware, utc
from incident_process.vocabulary import (
    Audience,
    DetectionSource,
    DismissalReason,
    Milestone,
    Role,
    Severity,
    UpdateStatus,
)

from ._fields import Fields as _Fields
from ._fields import Pairs, pairs

__all__ = [
    "EVENT_TYPES",
    "Acknowledged",
    "ActionItemAdded",
    "ActionItemCompleted",
    "ActionTaken",
    "AlertLinked",
    "ChannelArchived",
    "ChecklistStepCompleted",
    "Closed",
    "Declared",
    "Detected",
    "Dismissed",
    "DocumentPublished",
    "ErrorsStopped",
    "Escalated",
    "Event",
    "MilestoneRecorded",
    "PostIncidentStarted",
    "Reopened",
    "Resolved",
    "ResponseStarted",
    "ReviewHeld",
    "RoleAssigned",
    "RootCauseIdentified",
    "SeverityChanged",
    "UpdatePosted",
    "field_choices",
]


@attrs.frozen(kw_only=True)
class Event:
    """What every event has.

    Attributes:
        id: ``"<incident id>:<sequence>"``, the sequence counting the events
            in the order they were recorded, from 1.
        at: When it happened; timezone-aware. A fact recorded late keeps
            its real time (see the lifecycle's arrival rules).
        recorded_at: When the caller recorded it, if the caller says; the
            order of record is the sequence, this is for the reader.
        idempotency_key: The caller's key, if the command carried one: the
            same command sent again with the same key changes nothing.
    """

    #: The machine event (command) that records this event.
    command: ClassVar[str] = ""
    #: The event's name in records.
    kind: ClassVar[str] = ""

    id: str
    at: datetime
    recorded_at: datetime | None = None
    idempotency_key: str | None = None

    def __attrs_post_init__(self) -> None:
        fields = _Fields(type(self).__name__)
        fields.text("id", self.id)
        fields.moment("at", self.at)
        if self.recorded_at is not None:
            fields.moment("recorded_at", self.recorded_at)
        if self.idempotency_key is not None:
            fields.text("idempotency_key", self.idempotency_key)
        self._check(fields)
        fields.done()

    def _check(self, fields: _Fields) -> None:
        """Check the event's own fields (none here)."""

    def content(self) -> tuple[object, ...]:
        """Everything but the id and when it was recorded: what an idempotent repeat must match."""
        return tuple(
            getattr(self, field.name) for field in attrs.fields(type(self)) if field.name not in _BOOKKEEPING
        )


@attrs.frozen(kw_only=True)
class Detected(Event):
    """The incident was detected: always the first event (guide, "1. Detection").

    Attributes:
        incident_id: The incident's id.
        title: A brief description.
        source: How it was detected.
        labels: What the source labelled the problem with, as sorted
            ``(name, value)`` pairs: an alert's labels (``service``,
            ``endpoint``, ``alertname``, ...), a ticket's fields. Messages
            and status-page payloads read the affected endpoint from them.
        references: The source's own identifiers of what it saw, as sorted
            ``(name, value)`` pairs (``alertmanager.fingerprint``,
            ``alertmanager.group_key``, ``pagerduty.incident``, ...): what a
            later alert or webhook is matched on.
    """

    command: ClassVar[str] = "detect"
    kind: ClassVar[str] = "detected"

    incident_id: str
    title: str
    source: DetectionSource
    labels: Pairs = attrs.field(default=(), converter=pairs)
    references: Pairs = attrs.field(default=(), converter=pairs)

    def _check(self, fields: _Fields) -> None:
        fields.text("incident_id", self.incident_id)
        fields.text("title", self.title)
        fields.member("source", self.source, DetectionSource)
        fields.pairs("labels", self.labels)
        fields.pairs("references", self.references)

    def label(self, name: str) -> str | None:
        """The value of the label *name*, if the source gave it."""
        return dict(self.labels).get(name)


@attrs.frozen(kw_only=True)
class AlertLinked(Event):
    """Another alert about the incident's problem: a second tool saw it, or the first one again.

    Guide, "1. Detection": monitoring, customer reports and engineers all
    detect; one problem seen by Alertmanager and by PagerDuty is one
    incident, with both sources recorded. The policy's
    ``integrations.correlation`` says when an alert belongs to an open
    incident (:func:`~incident_process.integrations.correlate`).

    The event's ``at`` is when the alert was linked: its start, or the
    incident's detection when the alert started earlier (a history starts
    at its detection); ``started_at`` keeps the alert's own start.

    Attributes:
        origin: The tool that sent the alert (``"pagerduty"``).
        title: What the alert says.
        started_at: When the alert started; ``None``: at ``at``.
        labels: The alert's labels, as sorted ``(name, value)`` pairs.
        references: The tool's own identifiers, as sorted ``(name, value)``
            pairs; a later webhook of that tool is matched on them.
    """

    command: ClassVar[str] = "link_alert"
    kind: ClassVar[str] = "alert_linked"

    origin: str
    title: str
    started_at: datetime | None = None
    labels: Pairs = attrs.field(default=(), converter=pairs)
    references: Pairs = attrs.field(default=(), converter=pairs)

    def _check(self, fields: _Fields) -> None:
        if self.started_at is not None:
            fields.moment("started_at", self.started_at)
            if is_aware(self.started_at) and is_aware(self.at) and utc(self.started_at) > utc(self.at):
                fields.fail("started_at", "is after the link (at)")
        fields.text("origin", self.origin)
        fields.text("title", self.title)
        fields.pairs("labels", self.labels)
        fields.pairs("references", self.references)


@attrs.frozen(kw_only=True)
class Acknowledged(Event):
    """The page was acknowledged ("Acknowledge pages within 5 minutes").

    Attributes:
        by: Who acknowledged it.
    """

    command: ClassVar[str] = "acknowledge"
    kind: ClassVar[str] = "acknowledged"

    by: str

    def _check(self, fields: _Fields) -> None:
        fields.text("by", self.by)


@attrs.frozen(kw_only=True)
class Declared(Event):
    """The incident was declared (guide, "2. Declaration").

    The declarer holds the Incident Commander role from this moment until it
    is handed off (guide, "On-Call Responsibilities": "Assume IC role until
    handed off").

    Attributes:
        by: Who declared it.
        declarer_role: What they are (``"on_call_engineer"``, ...).
        severity: The initial severity.
        impact: What's broken and who's affected, as declared (the
            declaration message's "Impact" line).
    """

    command: ClassVar[str] = "declare"
    kind: ClassVar[str] = "declared"

    by: str
    declarer_role: str
    severity: Severity
    impact: str | None = None

    def _check(self, fields: _Fields) -> None:
        fields.text("by", self.by)
        fields.text("declarer_role", self.declarer_role)
        fields.member("severity", self.severity, Severity)
        fields.optional_text("impact", self.impact)


@attrs.frozen(kw_only=True)
class ResponseStarted(Event):
    """The response began (guide, "3. Response")."""

    command: ClassVar[str] = "start_response"
    kind: ClassVar[str] = "response_started"


@attrs.frozen(kw_only=True)
class RoleAssigned(Event):
    """Someone took a role; if another held it, this is a hand-off.

    Attributes:
        role: The role.
        person: Who holds it from now on.
    """

    command: ClassVar[str] = "assign_role"
    kind: ClassVar[str] = "role_assigned"

    role: Role
    person: str

    def _check(self, fields: _Fields) -> None:
        fields.member("role", self.role, Role)
        fields.text("person", self.person)


@attrs.frozen(kw_only=True)
class SeverityChanged(Event):
    """The severity changed during the response.

    Attributes:
        severity: The new severity.
        reason: Why.
    """

    command: ClassVar[str] = "change_severity"
    kind: ClassVar[str] = "severity_changed"

    severity: Severity
    reason: str

    def _check(self, fields: _Fields) -> None:
        fields.member("severity", self.severity, Severity)
        fields.text("reason", self.reason)


@attrs.frozen(kw_only=True)
class UpdatePosted(Event):
    """An update was posted (guide, "Internal Communication", "External Communication").

    Attributes:
        status: The update's status line.
        audience: Internal, or the status page.
        text: What was posted, as posted.
        by: Who posted it.
    """

    command: ClassVar[str] = "post_update"
    kind: ClassVar[str] = "update_posted"

    status: UpdateStatus
    audience: Audience = Audience.INTERNAL
    text: str | None = None
    by: str | None = None

    def _check(self, fields: _Fields) -> None:
        fields.member("status", self.status, UpdateStatus)
        fields.member("audience", self.audience, Audience)
        fields.optional_text("text", self.text)
        fields.optional_text("by", self.by)


@attrs.frozen(kw_only=True)
class MilestoneRecorded(Event):
    """A milestone was reached, possibly before it was recorded.

    Attributes:
        milestone: Which.
        occurred_at: When it happened (at or before ``at``); customer impact
            usually starts before anyone notices.
    """

    command: ClassVar[str] = "record_milestone"
    kind: ClassVar[str] = "milestone_recorded"

    milestone: Milestone
    occurred_at: datetime

    def _check(self, fields: _Fields) -> None:
        fields.member("milestone", self.milestone, Milestone)
        fields.moment("occurred_at", self.occurred_at)
        if is_aware(self.occurred_at) and is_aware(self.at) and utc(self.occurred_at) > utc(self.at):
            fields.fail("occurred_at", "is after the event was recorded (at)")


@attrs.frozen(kw_only=True)
class Resolved(Event):
    """Resolution was declared (guide, "4. Resolution").

    Attributes:
        last_error_at: When the last error was reported; the quiet period
            runs from it.
    """

    command: ClassVar[str] = "resolve"
    kind: ClassVar[str] = "resolved"

    last_error_at: datetime

    def _check(self, fields: _Fields) -> None:
        fields.moment("last_error_at", self.last_error_at)
        if is_aware(self.last_error_at) and is_aware(self.at) and utc(self.last_error_at) > utc(self.at):
            fields.fail("last_error_at", "is after the resolution (at)")


@attrs.frozen(kw_only=True)
class ErrorsStopped(Event):
    """The errors stopped: the start of the quiet period before resolving (guide, "4. Resolution").

    "No new error reports for 15 minutes (SEV1/2) or 30 minutes (SEV3)": the
    quiet period runs from the last error, which is this event's ``at``. A
    resolved alert records it (its end), or a person does;
    :meth:`~incident_process.lifecycle.Incident.resolve` uses the latest one
    when it is not told the last error's time.

    Attributes:
        by: Who or what said so: a person, or the tool whose alert resolved
            (``"alertmanager"``).
    """

    command: ClassVar[str] = "record_errors_stopped"
    kind: ClassVar[str] = "errors_stopped"

    by: str | None = None

    def _check(self, fields: _Fields) -> None:
        fields.optional_text("by", self.by)


@attrs.frozen(kw_only=True)
class Reopened(Event):
    """A resolved incident went back into response.

    Attributes:
        reason: Why.
    """

    command: ClassVar[str] = "reopen"
    kind: ClassVar[str] = "reopened"

    reason: str

    def _check(self, fields: _Fields) -> None:
        fields.text("reason", self.reason)


@attrs.frozen(kw_only=True)
class PostIncidentStarted(Event):
    """The post-incident process began (guide, "5. Post-Incident")."""

    command: ClassVar[str] = "start_post_incident"
    kind: ClassVar[str] = "post_incident_started"


@attrs.frozen(kw_only=True)
class Closed(Event):
    """The incident was closed; every role is released.

    A closed incident still records its follow-ups: archiving the channel, a
    late review or document, and action items until they are complete.
    """

    command: ClassVar[str] = "close"
    kind: ClassVar[str] = "closed"


@attrs.frozen(kw_only=True)
class Dismissed(Event):
    """A detected incident was dismissed instead of declared.

    Attributes:
        reason: Why.
        duplicate_of: The incident it duplicates (required for ``DUPLICATE``,
            and only then).
        note: Anything else worth keeping.
    """

    command: ClassVar[str] = "dismiss"
    kind: ClassVar[str] = "dismissed"

    reason: DismissalReason
    duplicate_of: str | None = None
    note: str = ""

    def _check(self, fields: _Fields) -> None:
        fields.member("reason", self.reason, DismissalReason)
        if self.reason is DismissalReason.DUPLICATE:
            fields.text("duplicate_of", self.duplicate_of)
        elif self.duplicate_of is not None:
            fields.fail("duplicate_of", "is only for the 'duplicate' reason")
        fields.any_text("note", self.note)


@attrs.frozen(kw_only=True)
class ChannelArchived(Event):
    """The incident channel was archived (guide: "Close incident channel (archive after 24h)")."""

    command: ClassVar[str] = "archive_channel"
    kind: ClassVar[str] = "channel_archived"


@attrs.frozen(kw_only=True)
class ReviewHeld(Event):
    """The post-incident review meeting took place (guide, "Post-Incident Review Process").

    Attributes:
        facilitator: Who facilitated it ("Rotating, not someone involved in incident").
    """

    command: ClassVar[str] = "hold_review"
    kind: ClassVar[str] = "review_held"

    facilitator: str

    def _check(self, fields: _Fields) -> None:
        fields.text("facilitator", self.facilitator)


@attrs.frozen(kw_only=True)
class DocumentPublished(Event):
    """The post-incident document was published (guide, "Post-Incident Document").

    Attributes:
        location: Where it is (a path in the repository, a URL).
    """

    command: ClassVar[str] = "publish_document"
    kind: ClassVar[str] = "document_published"

    location: str

    def _check(self, fields: _Fields) -> None:
        fields.text("location", self.location)


@attrs.frozen(kw_only=True)
class ActionItemAdded(Event):
    """An action item from the review (guide: "Action items tracked: Until completion").

    Attributes:
        item_id: The item's id, unique within the incident.
        action: What is to be done.
        owner: Who owns it.
        due: The local date it is due by (the end of that day in the policy's zone).
    """

    command: ClassVar[str] = "add_action_item"
    kind: ClassVar[str] = "action_item_added"

    item_id: str
    action: str
    owner: str
    due: date

    def _check(self, fields: _Fields) -> None:
        fields.text("item_id", self.item_id)
        fields.text("action", self.action)
        fields.text("owner", self.owner)
        fields.day("due", self.due)


@attrs.frozen(kw_only=True)
class ActionItemCompleted(Event):
    """An action item was completed.

    Attributes:
        item_id: Which.
    """

    command: ClassVar[str] = "complete_action_item"
    kind: ClassVar[str] = "action_item_completed"

    item_id: str

    def _check(self, fields: _Fields) -> None:
        fields.text("item_id", self.item_id)


@attrs.frozen(kw_only=True)
class ActionTaken(Event):
    """A change or step taken during the response (guide: "Make changes without documenting": do not).

    Attributes:
        action: What was done; a runbook step as ``"<runbook>.<step>"``
            (``"database.failover_to_read_replica"``) or free text.
        by: Who did it.
        approved_by: Who approved it, for a step that needs approval.
    """

    command: ClassVar[str] = "record_action"
    kind: ClassVar[str] = "action_taken"

    action: str
    by: str
    approved_by: str | None = None

    def _check(self, fields: _Fields) -> None:
        fields.text("action", self.action)
        fields.text("by", self.by)
        if self.approved_by is not None:
            fields.text("approved_by", self.approved_by)


@attrs.frozen(kw_only=True)
class RootCauseIdentified(Event):
    """The root cause was identified (guide, "Response Priorities": "Investigate - Find root cause").

    Attributes:
        key: A short, stable name for the cause, shared by incidents with the
            same root cause (the quarterly review counts repeats by it).
        summary: The cause in words.
    """

    command: ClassVar[str] = "identify_root_cause"
    kind: ClassVar[str] = "root_cause_identified"

    key: str
    summary: str = ""

    def _check(self, fields: _Fields) -> None:
        fields.text("key", self.key)
        fields.any_text("summary", self.summary)


@attrs.frozen(kw_only=True)
class ChecklistStepCompleted(Event):
    """A step of a checklist was done (guide, "Declaration checklist", "Resolution checklist").

    Attributes:
        checklist: ``"declaration"`` or ``"resolution"``.
        step: The step's id in the policy's checklist (``"create_channel"``).
        by: Who did it.
        note: Anything worth keeping (the channel's name, where the
            stakeholders were told).
    """

    command: ClassVar[str] = "complete_step"
    kind: ClassVar[str] = "checklist_step_completed"

    checklist: str
    step: str
    by: str
    note: str = ""

    def _check(self, fields: _Fields) -> None:
        fields.text("checklist", self.checklist)
        fields.text("step", self.step)
        fields.text("by", self.by)
        fields.any_text("note", self.note)


@attrs.frozen(kw_only=True)
class Escalated(Event):
    """The response was escalated to the next level (guide, "Follow escalation path if unable to resolve").

    Attributes:
        to: The level escalated to, as the policy's escalation path names it
            (``"On-call Lead"``).
        by: Who escalated.
        reason: Why (``"unable to resolve"``).
    """

    command: ClassVar[str] = "escalate"
    kind: ClassVar[str] = "escalated"

    to: str
    by: str
    reason: str

    def _check(self, fields: _Fields) -> None:
        fields.text("to", self.to)
        fields.text("by", self.by)
        fields.text("reason", self.reason)


#: Every event type by its name in records.
EVENT_TYPES: Mapping[str, type[Event]] = {
    kind.kind: kind
    for kind in (
        Detected,
        Acknowledged,
        Declared,
        ResponseStarted,
        RoleAssigned,
        SeverityChanged,
        UpdatePosted,
        MilestoneRecorded,
        Resolved,
        ErrorsStopped,
        AlertLinked,
        Reopened,
        PostIncidentStarted,
        Closed,
        Dismissed,
        ChannelArchived,
        ReviewHeld,
        DocumentPublished,
        ActionItemAdded,
        ActionItemCompleted,
        ActionTaken,
        RootCauseIdentified,
        ChecklistStepCompleted,
        Escalated,
    )
}


#: The fields every event has, before its own.
_COMMON_FIELDS = frozenset(field.name for field in attrs.fields(Event))
#: What says how and when an event was recorded, not what happened.
_BOOKKEEPING = frozenset({"id", "recorded_at"})


@functools.cache
def field_choices(kind: str) -> Mapping[str, tuple[str, ...] | None]:
    """The own fields of the event named *kind* (``"update_posted"``), in order, with their values.

    Each field maps to the values an enumerated field takes (``audience``:
    ``("internal", "status_page")``), or ``None`` for a field of any other
    type. Read from the class, so a checklist step of the policy is checked
    against the events as they are.

    Raises:
        KeyError: for a name that is not in :data:`EVENT_TYPES`.
    """
    cls = attrs.resolve_types(EVENT_TYPES[kind])
    choices: dict[str, tuple[str, ...] | None] = {}
    for field in attrs.fields(cls):
        if field.name in _COMMON_FIELDS:
            continue
        kind_of = field.type
        is_enum = isinstance(kind_of, type) and issubclass(kind_of, enum.Enum)
        choices[field.name] = tuple(member.value for member in kind_of) if is_enum else None
    return choices
