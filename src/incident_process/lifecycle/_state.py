"""What an incident's events add up to: its state, built by applying the events in order.

An incident is the sequence of its events (guide, "Incident Lifecycle"); its
phase, severity, roles and their tenures, milestones, action items and
checklist steps are derived from them by a :class:`Builder`, which applies
one event at a time in place, so a replay of *n* events costs *n* steps. The
result is an :class:`IncidentState`, frozen, which the guards read before
each command and the :class:`~incident_process.lifecycle.Incident` answers
from.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any

import attrs

from incident_process.events import (
    Acknowledged,
    ActionItemAdded,
    ActionItemCompleted,
    ActionTaken,
    ChannelArchived,
    ChecklistStepCompleted,
    Closed,
    Declared,
    Detected,
    Dismissed,
    DocumentPublished,
    Escalated,
    Event,
    MilestoneRecorded,
    Reopened,
    Resolved,
    ReviewHeld,
    RoleAssigned,
    RootCauseIdentified,
    SeverityChanged,
    UpdatePosted,
)
from incident_process.policy import Policy
from incident_process.policy._playbook import step_matches, steps_by_event
from incident_process.timing._moments import utc
from incident_process.vocabulary import DetectionSource, Milestone, Phase, Role, Severity, UpdateStatus

__all__ = ["ActionItem", "Builder", "IncidentState", "RoleTenure", "StepDone"]


_NO_ROLES: Mapping[Role, str] = MappingProxyType({})


@attrs.frozen(kw_only=True)
class RoleTenure:
    """Who held a role, from when to when.

    Attributes:
        role: The role.
        person: Who held it.
        since: When they took it.
        until: When they handed it off or the incident closed; ``None``
            while they still hold it.
    """

    role: Role
    person: str
    since: datetime
    until: datetime | None = None

    def duration(self, now: datetime) -> timedelta:
        """How long the role was held, counting an open tenure up to *now*."""
        return (self.until or now) - self.since


@attrs.frozen(kw_only=True)
class ActionItem:
    """An action item and whether it is done (guide: "Action items tracked: Until completion").

    Attributes:
        item_id: Its id within the incident.
        action: What is to be done.
        owner: Who owns it.
        due: The local date it is due by.
        added_at: When it was recorded.
        completed_at: When it was completed; ``None`` while open.
    """

    item_id: str
    action: str
    owner: str
    due: date
    added_at: datetime
    completed_at: datetime | None = None


@attrs.frozen
class StepDone:
    """When a checklist step was done, by whom (when the event says), by which event and its kind."""

    at: datetime
    by: str | None
    event_id: str
    kind: str


@attrs.frozen(kw_only=True)
class IncidentState:
    """Everything the events say about the incident now (derived, never stored).

    Every time here is a UTC instant, so that durations and order are exact
    across DST; the events keep their times as they were given.
    """

    incident_id: str
    title: str
    source: DetectionSource
    phase: Phase
    severity: Severity | None
    detected_at: datetime
    acknowledged_at: datetime | None
    declared_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    channel_archived_at: datetime | None
    review_held_at: datetime | None
    document_published_at: datetime | None
    last_at: datetime
    tenures: tuple[RoleTenure, ...]
    holders: Mapping[Role, str]
    milestones: Mapping[Milestone, datetime]
    keys: Mapping[str, int]
    action_items: Mapping[str, ActionItem]
    involved: frozenset[str]
    root_cause: RootCauseIdentified | None
    steps: Mapping[tuple[str, str], StepDone]
    escalated_to: tuple[str, ...]

    @property
    def action_item_ids(self) -> frozenset[str] | set[str]:
        """Every action item's id."""
        return self.action_items.keys()  # type: ignore[return-value] # a set-like view

    @property
    def open_action_items(self) -> frozenset[str]:
        """The ids of the open action items."""
        return frozenset(i for i, item in self.action_items.items() if item.completed_at is None)


class Builder:
    """Applies events one by one; mutable, so a replay of n events is O(n)."""

    __slots__ = (
        "acknowledged_at",
        "action_items",
        "channel_archived_at",
        "closed_at",
        "declared_at",
        "detected_at",
        "document_published_at",
        "escalated_to",
        "holders",
        "incident_id",
        "involved",
        "keys",
        "last_at",
        "milestones",
        "phase",
        "resolved_at",
        "review_held_at",
        "root_cause",
        "severity",
        "source",
        "step_index",
        "steps",
        "tenures",
        "title",
    )

    def __init__(self, state: IncidentState, policy: Policy) -> None:
        self.incident_id = state.incident_id
        self.title = state.title
        self.source = state.source
        self.phase = state.phase
        self.severity = state.severity
        self.detected_at = state.detected_at
        self.acknowledged_at = state.acknowledged_at
        self.declared_at = state.declared_at
        self.resolved_at = state.resolved_at
        self.closed_at = state.closed_at
        self.channel_archived_at = state.channel_archived_at
        self.review_held_at = state.review_held_at
        self.document_published_at = state.document_published_at
        self.last_at = state.last_at
        self.tenures = list(state.tenures)
        self.holders = dict(state.holders)
        self.milestones = dict(state.milestones)
        self.keys = dict(state.keys)
        self.action_items = dict(state.action_items)
        self.involved = set(state.involved)
        self.root_cause = state.root_cause
        self.steps = dict(state.steps)
        self.escalated_to = list(state.escalated_to)
        self.step_index = steps_by_event(policy.declaration.checklist, policy.resolution.checklist)

    @property
    def action_item_ids(self) -> set[str]:
        """Every action item's id (for the guards)."""
        return self.action_items.keys()  # type: ignore[return-value] # a set-like view

    @property
    def open_action_items(self) -> set[str]:
        """The ids of the open action items (for the guards)."""
        return {i for i, item in self.action_items.items() if item.completed_at is None}

    @classmethod
    def start(cls, detected: Detected, policy: Policy) -> Builder:
        state = IncidentState(
            incident_id=detected.incident_id,
            title=detected.title,
            source=detected.source,
            phase=Phase.DETECTED,
            severity=None,
            detected_at=utc(detected.at),
            acknowledged_at=None,
            declared_at=None,
            resolved_at=None,
            closed_at=None,
            channel_archived_at=None,
            review_held_at=None,
            document_published_at=None,
            last_at=utc(detected.at),
            tenures=(),
            holders=_NO_ROLES,
            milestones=MappingProxyType({}),
            keys=MappingProxyType({}),
            action_items=MappingProxyType({}),
            involved=frozenset(),
            root_cause=None,
            steps=MappingProxyType({}),
            escalated_to=(),
        )
        builder = cls(state, policy)
        if detected.idempotency_key is not None:
            builder.keys[detected.idempotency_key] = 0
        builder.complete_steps(detected)
        return builder

    def freeze(self) -> IncidentState:
        return IncidentState(
            incident_id=self.incident_id,
            title=self.title,
            source=self.source,
            phase=self.phase,
            severity=self.severity,
            detected_at=self.detected_at,
            acknowledged_at=self.acknowledged_at,
            declared_at=self.declared_at,
            resolved_at=self.resolved_at,
            closed_at=self.closed_at,
            channel_archived_at=self.channel_archived_at,
            review_held_at=self.review_held_at,
            document_published_at=self.document_published_at,
            last_at=self.last_at,
            tenures=tuple(self.tenures),
            holders=MappingProxyType(self.holders),
            milestones=MappingProxyType(self.milestones),
            keys=MappingProxyType(self.keys),
            action_items=MappingProxyType(self.action_items),
            involved=frozenset(self.involved),
            root_cause=self.root_cause,
            steps=MappingProxyType(self.steps),
            escalated_to=tuple(self.escalated_to),
        )

    def apply(self, event: Event, phase: Phase, index: int) -> None:
        """Record *event* (already accepted) as the *index*-th, moving to *phase*."""
        self.phase = phase
        self.last_at = utc(event.at)
        if event.idempotency_key is not None:
            self.keys[event.idempotency_key] = index
        _APPLY.get(type(event), _nothing)(self, event)
        self.complete_steps(event)

    def complete_steps(self, event: Event) -> None:
        """Record the checklist steps *event* completes (the first completion of each stands)."""
        pairs = self.step_index.get(event.kind)
        if pairs is None:
            return
        for checklist, step in pairs:
            if (checklist, step.id) not in self.steps and step_matches(step, event):
                self.steps[checklist, step.id] = StepDone(
                    at=utc(event.at), by=getattr(event, "by", None), event_id=event.id, kind=event.kind
                )

    # One method per event type that changes more than the phase.

    def _acknowledged(self, event: Acknowledged) -> None:
        self.acknowledged_at = self.last_at
        self.involved.add(event.by)

    def _declared(self, event: Declared) -> None:
        self.severity = event.severity
        self.declared_at = self.last_at
        self._hold(Role.INCIDENT_COMMANDER, event.by, self.last_at)

    def _role_assigned(self, event: RoleAssigned) -> None:
        self._hold(event.role, event.person, self.last_at)

    def _severity_changed(self, event: SeverityChanged) -> None:
        self.severity = event.severity

    def _update_posted(self, event: UpdatePosted) -> None:
        self._reach(_STATUS_MILESTONE[event.status], self.last_at)

    def _milestone_recorded(self, event: MilestoneRecorded) -> None:
        self._reach(event.milestone, utc(event.occurred_at))

    def _resolved(self, _: Resolved) -> None:
        self.resolved_at = self.last_at
        self._reach(Milestone.RESOLVED, self.last_at)

    def _reopened(self, _: Reopened) -> None:
        self.resolved_at = None
        # The resolution checklist starts again for the next resolution, but for
        # a step done by archiving the channel, which happens once.
        for key in [key for key in self.steps if key[0] == "resolution"]:
            if self.steps[key].kind != "channel_archived":
                del self.steps[key]

    def _step_completed(self, event: ChecklistStepCompleted) -> None:
        self.involved.add(event.by)
        self.steps[event.checklist, event.step] = StepDone(
            at=self.last_at, by=event.by, event_id=event.id, kind=event.kind
        )

    def _escalated(self, event: Escalated) -> None:
        self.involved.add(event.by)
        self.escalated_to.append(event.to)

    def _ended(self, _: Event) -> None:
        for role in list(self.holders):
            self._release(role, self.last_at)

    def _closed(self, _: Closed) -> None:
        self.closed_at = self.last_at
        self._ended(_)

    def _channel_archived(self, _: ChannelArchived) -> None:
        self.channel_archived_at = self.last_at

    def _review_held(self, _: ReviewHeld) -> None:
        self.review_held_at = self.last_at

    def _document_published(self, _: DocumentPublished) -> None:
        if self.document_published_at is None:
            self.document_published_at = self.last_at

    def _action_item_added(self, event: ActionItemAdded) -> None:
        self.involved.add(event.owner)
        self.action_items[event.item_id] = ActionItem(
            item_id=event.item_id,
            action=event.action,
            owner=event.owner,
            due=event.due,
            added_at=self.last_at,
        )

    def _action_taken(self, event: ActionTaken) -> None:
        self.involved.add(event.by)
        if event.approved_by is not None:
            self.involved.add(event.approved_by)

    def _root_cause_identified(self, event: RootCauseIdentified) -> None:
        self.root_cause = event

    def _action_item_completed(self, event: ActionItemCompleted) -> None:
        item = self.action_items[event.item_id]
        self.action_items[event.item_id] = attrs.evolve(item, completed_at=self.last_at)

    def _hold(self, role: Role, person: str, at: datetime) -> None:
        self.involved.add(person)
        self._release(role, at)
        self.holders[role] = person
        self.tenures.append(RoleTenure(role=role, person=person, since=at))

    def _release(self, role: Role, at: datetime) -> None:
        if self.holders.pop(role, None) is None:
            return
        for position in range(len(self.tenures) - 1, -1, -1):
            tenure = self.tenures[position]
            if tenure.role is role and tenure.until is None:
                self.tenures[position] = attrs.evolve(tenure, until=at)
                return

    def _reach(self, milestone: Milestone, at: datetime) -> None:
        known = self.milestones.get(milestone)
        if known is None or at < known:
            self.milestones[milestone] = at


#: The milestone each update status marks (the guide's statuses are milestones).
_STATUS_MILESTONE: Mapping[UpdateStatus, Milestone] = {
    status: Milestone(status.value) for status in UpdateStatus
}


def _nothing(_: Builder, __: Event) -> None:
    """Events that change only the phase."""


_APPLY: Mapping[type[Event], Any] = {
    Acknowledged: Builder._acknowledged,  # noqa: SLF001 - the builder's own dispatch table
    Declared: Builder._declared,  # noqa: SLF001
    RoleAssigned: Builder._role_assigned,  # noqa: SLF001
    SeverityChanged: Builder._severity_changed,  # noqa: SLF001
    UpdatePosted: Builder._update_posted,  # noqa: SLF001
    MilestoneRecorded: Builder._milestone_recorded,  # noqa: SLF001
    Resolved: Builder._resolved,  # noqa: SLF001
    Reopened: Builder._reopened,  # noqa: SLF001
    Closed: Builder._closed,  # noqa: SLF001
    Dismissed: Builder._ended,  # noqa: SLF001
    ChannelArchived: Builder._channel_archived,  # noqa: SLF001
    ReviewHeld: Builder._review_held,  # noqa: SLF001
    DocumentPublished: Builder._document_published,  # noqa: SLF001
    ActionItemAdded: Builder._action_item_added,  # noqa: SLF001
    ActionItemCompleted: Builder._action_item_completed,  # noqa: SLF001
    ActionTaken: Builder._action_taken,  # noqa: SLF001
    RootCauseIdentified: Builder._root_cause_identified,  # noqa: SLF001
    ChecklistStepCompleted: Builder._step_completed,  # noqa: SLF001
    Escalated: Builder._escalated,  # noqa: SLF001
}
