"""What an incident's events add up to: its state, built by applying the events in order.

An incident is the sequence of its events (guide, "Incident Lifecycle"); its
phase, severity, roles and their tenures, milestones, action items and
checklist steps are derived from them by a :class:`Builder`, which applies
one event at a time in place, in the order the events *happened* (the
timeline), so a replay of *n* events costs *n* steps. The result is an
:class:`IncidentState`, frozen, which the guards read before each command
and the :class:`~incident_process.lifecycle.Incident` answers from.

A fact recorded late goes into the timeline where it happened: the builder
can take back the latest events of its timeline (:meth:`Builder.pop`), since
every change it makes while journaling is kept with its inverse, then apply
the late fact and the events after it again (:mod:`._history`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
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
    ErrorsStopped,
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
from incident_process.policy._playbook import conditions_hold, steps_by_event
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
    errors_stopped_at: datetime | None
    timeline: tuple[Event, ...]
    judged_from: int

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
        "errors_stopped_at",
        "escalated_to",
        "holders",
        "incident_id",
        "involved",
        "journal",
        "judged_from",
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
        "timeline",
        "times",
        "title",
        "undo",
    )

    def __init__(self, state: IncidentState, policy: Policy, *, journal: bool = False) -> None:
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
        self.errors_stopped_at = state.errors_stopped_at
        self.timeline = list(state.timeline)
        self.times = [utc(event.at) for event in state.timeline]
        self.judged_from = state.judged_from
        self.step_index = steps_by_event(policy.declaration.checklist, policy.resolution.checklist)
        #: Per event of the timeline, the inverses of the changes it made (when journaling), or
        #: ``None`` for an event that will never be taken back.
        self.journal: list[list[_Undo] | None] | None = [] if journal else None
        #: The inverses of the changes the event being applied makes, while journaling.
        self.undo: list[_Undo] | None = None

    @property
    def action_item_ids(self) -> set[str]:
        """Every action item's id (for the guards)."""
        return self.action_items.keys()  # type: ignore[return-value] # a set-like view

    @property
    def open_action_items(self) -> set[str]:
        """The ids of the open action items (for the guards)."""
        return {i for i, item in self.action_items.items() if item.completed_at is None}

    @classmethod
    def start(cls, detected: Detected, policy: Policy, *, journal: bool = False) -> Builder:
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
            errors_stopped_at=None,
            timeline=(),
            judged_from=0,
        )
        builder = cls(state, policy, journal=journal)
        if detected.idempotency_key is not None:
            builder.keys[detected.idempotency_key] = 0
        builder.push(detected, Phase.DETECTED)
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
            errors_stopped_at=self.errors_stopped_at,
            timeline=tuple(self.timeline),
            judged_from=self.judged_from,
        )

    # --- the timeline -----------------------------------------------------------

    def keep_key(self, event: Event, index: int) -> None:
        """Remember *event*'s idempotency key as the *index*-th event's (the order of record)."""
        if event.idempotency_key is not None:
            self.keys[event.idempotency_key] = index

    def push(self, event: Event, phase: Phase, *, kept: bool = True) -> None:
        """Apply an accepted *event* that happened at or after every event applied, moving to *phase*.

        *kept*: whether the event may be taken back later (journaling only):
        a replay knows which events no late fact will ever come before.
        """
        at = utc(event.at)
        journal = self.journal
        if journal is None or not kept:
            self.phase = phase
            self.last_at = at
        else:
            self.undo = [(setattr, (self, "phase", self.phase)), (setattr, (self, "last_at", self.last_at))]
            self.phase = phase
            self.last_at = at
        _APPLY.get(type(event), _nothing)(self, event)
        self.complete_steps(event)
        self.timeline.append(event)
        self.times.append(at)
        if journal is not None:
            journal.append(self.undo)
            self.undo = None

    def pop(self) -> Event:
        """Take back the latest event of the timeline (journaling only); the state is as before it."""
        assert self.journal is not None  # noqa: S101 - only a journaling builder takes events back
        undone = self.journal.pop()
        assert undone is not None  # noqa: S101 - the replay kept the inverses of what it takes back
        for undo, arguments in reversed(undone):
            undo(*arguments)
        self.times.pop()
        return self.timeline.pop()

    def complete_steps(self, event: Event) -> None:
        """Record the checklist steps *event* completes (the first completion of each stands)."""
        candidates = self.step_index.get(event.kind)
        if candidates is None:
            return
        for checklist, step, conditions in candidates:
            if (checklist, step.id) not in self.steps and conditions_hold(conditions, event):
                done = StepDone(
                    at=utc(event.at), by=getattr(event, "by", None), event_id=event.id, kind=event.kind
                )
                self._put(self.steps, (checklist, step.id), done)

    # --- changes, kept with their inverses while journaling ----------------------

    def _set(self, name: str, value: object) -> None:
        if self.undo is not None:
            self.undo.append((setattr, (self, name, getattr(self, name))))
        setattr(self, name, value)

    def _put(self, mapping: MutableMapping[Any, Any], key: object, value: object) -> None:
        if self.undo is not None:
            if key in mapping:
                self.undo.append((mapping.__setitem__, (key, mapping[key])))
            else:
                self.undo.append((mapping.pop, (key,)))
        mapping[key] = value

    def _delete(self, mapping: MutableMapping[Any, Any], key: object) -> None:
        if self.undo is not None:
            self.undo.append((mapping.__setitem__, (key, mapping[key])))
        del mapping[key]

    def _append(self, items: list[Any], value: object) -> None:
        if self.undo is not None:
            self.undo.append((items.pop, ()))
        items.append(value)

    def _replace(self, items: list[Any], position: int, value: object) -> None:
        if self.undo is not None:
            self.undo.append((items.__setitem__, (position, items[position])))
        items[position] = value

    def _involve(self, person: str) -> None:
        if person in self.involved:
            return
        if self.undo is not None:
            self.undo.append((self.involved.discard, (person,)))
        self.involved.add(person)

    # One method per event type that changes more than the phase.

    def _acknowledged(self, event: Acknowledged) -> None:
        self._set("acknowledged_at", self.last_at)
        self._involve(event.by)

    def _declared(self, event: Declared) -> None:
        self._set("severity", event.severity)
        self._set("declared_at", self.last_at)
        self._hold(Role.INCIDENT_COMMANDER, event.by, self.last_at)

    def _role_assigned(self, event: RoleAssigned) -> None:
        self._hold(event.role, event.person, self.last_at)

    def _severity_changed(self, event: SeverityChanged) -> None:
        self._set("severity", event.severity)

    def _update_posted(self, event: UpdatePosted) -> None:
        self._reach(_STATUS_MILESTONE[event.status], self.last_at)
        if event.by is not None:
            self._involve(event.by)

    def _milestone_recorded(self, event: MilestoneRecorded) -> None:
        self._reach(event.milestone, utc(event.occurred_at))

    def _errors_stopped(self, _: ErrorsStopped) -> None:
        self._set("errors_stopped_at", self.last_at)

    def _resolved(self, _: Resolved) -> None:
        self._set("resolved_at", self.last_at)
        self._reach(Milestone.RESOLVED, self.last_at)

    def _reopened(self, _: Reopened) -> None:
        self._set("resolved_at", None)
        # The resolution checklist starts again for the next resolution, but for
        # a step done by archiving the channel, which happens once.
        for key in [key for key in self.steps if key[0] == "resolution"]:
            if self.steps[key].kind != "channel_archived":
                self._delete(self.steps, key)

    def _step_completed(self, event: ChecklistStepCompleted) -> None:
        self._involve(event.by)
        done = StepDone(at=self.last_at, by=event.by, event_id=event.id, kind=event.kind)
        self._put(self.steps, (event.checklist, event.step), done)

    def _escalated(self, event: Escalated) -> None:
        self._involve(event.by)
        self._append(self.escalated_to, event.to)

    def _ended(self, _: Event) -> None:
        for role in list(self.holders):
            self._release(role, self.last_at)

    def _closed(self, _: Closed) -> None:
        self._set("closed_at", self.last_at)
        self._ended(_)

    def _channel_archived(self, _: ChannelArchived) -> None:
        self._set("channel_archived_at", self.last_at)

    def _review_held(self, _: ReviewHeld) -> None:
        self._set("review_held_at", self.last_at)

    def _document_published(self, _: DocumentPublished) -> None:
        if self.document_published_at is None:
            self._set("document_published_at", self.last_at)

    def _action_item_added(self, event: ActionItemAdded) -> None:
        self._involve(event.owner)
        item = ActionItem(
            item_id=event.item_id,
            action=event.action,
            owner=event.owner,
            due=event.due,
            added_at=self.last_at,
        )
        self._put(self.action_items, event.item_id, item)

    def _action_taken(self, event: ActionTaken) -> None:
        self._involve(event.by)
        if event.approved_by is not None:
            self._involve(event.approved_by)

    def _root_cause_identified(self, event: RootCauseIdentified) -> None:
        self._set("root_cause", event)

    def _action_item_completed(self, event: ActionItemCompleted) -> None:
        item = self.action_items[event.item_id]
        self._put(self.action_items, event.item_id, attrs.evolve(item, completed_at=self.last_at))

    def _hold(self, role: Role, person: str, at: datetime) -> None:
        self._involve(person)
        self._release(role, at)
        self._put(self.holders, role, person)
        self._append(self.tenures, RoleTenure(role=role, person=person, since=at))

    def _release(self, role: Role, at: datetime) -> None:
        if role not in self.holders:
            return
        self._delete(self.holders, role)
        for position in range(len(self.tenures) - 1, -1, -1):
            tenure = self.tenures[position]
            if tenure.role is role and tenure.until is None:
                self._replace(self.tenures, position, attrs.evolve(tenure, until=at))
                return

    def _reach(self, milestone: Milestone, at: datetime) -> None:
        known = self.milestones.get(milestone)
        if known is None or at < known:
            self._put(self.milestones, milestone, at)


#: The milestone each update status marks (the guide's statuses are milestones).
_STATUS_MILESTONE: Mapping[UpdateStatus, Milestone] = {
    status: Milestone(status.value) for status in UpdateStatus
}


#: An inverse change: a function and its arguments.
_Undo = tuple[Callable[..., object], tuple[object, ...]]


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
    ErrorsStopped: Builder._errors_stopped,  # noqa: SLF001
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
