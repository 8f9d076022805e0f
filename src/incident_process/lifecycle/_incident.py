"""The incident: an immutable value made of its events.

Each command returns a new :class:`Incident` with exactly one event appended;
a refused command raises :class:`~incident_process.CommandRefusedError` and the
incident it was sent to is unchanged (it cannot change: it is frozen).
:meth:`Incident.from_events` rebuilds an equal incident from the events alone.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ._errors import CommandRefusedError, InvalidEventError, ReplayError
from ._events import (
    Acknowledged,
    ActionItemAdded,
    ActionItemCompleted,
    ActionTaken,
    Audience,
    ChannelArchived,
    ChecklistStepCompleted,
    Closed,
    Declared,
    Detected,
    DismissalReason,
    Dismissed,
    DocumentPublished,
    Escalated,
    Event,
    Milestone,
    MilestoneRecorded,
    PostIncidentStarted,
    Reopened,
    Resolved,
    ResponseStarted,
    ReviewHeld,
    RoleAssigned,
    RootCauseIdentified,
    SeverityChanged,
    UpdatePosted,
    UpdateStatus,
    is_aware,
    utc,
)
from ._policy import DEFAULT_POLICY, Policy
from ._policy_response import step_matches, steps_by_event
from ._rules import Check, Phase, RuleBroken
from ._vocabulary import DetectionSource, Role, Severity

if TYPE_CHECKING:
    from ._calendar import BusinessCalendar
    from ._obligations import Obligation
    from ._policy import EscalationLevel
    from ._response import Checklist, NextStep, ResponseFinding

__all__ = ["ActionItem", "Incident", "RequirementLevel", "RoleTenure", "UnmetRoleRequirement"]

E = TypeVar("E", bound=enum.Enum)
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


class RequirementLevel(enum.Enum):
    """How strongly the guide asks for a role.

    "must" is a requirement (an audit finding when unmet), "should" a
    recommendation (a warning). Neither refuses a command: roles are filled
    during the response, and the check reports what is missing now.
    """

    MUST = "must"
    SHOULD = "should"


@attrs.frozen(kw_only=True)
class UnmetRoleRequirement:
    """A role requirement of the incident's severity that is not met now.

    Attributes:
        role: The role concerned.
        level: ``MUST`` or ``SHOULD``.
        reason: What is missing, in words.
    """

    role: Role
    level: RequirementLevel
    reason: str


@attrs.frozen
class StepDone:
    """When a checklist step was done, by whom (when the event says), by which event and its kind."""

    at: datetime
    by: str | None
    event_id: str
    kind: str


@attrs.frozen(kw_only=True)
class _State:
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


class _Builder:
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

    def __init__(self, state: _State, policy: Policy) -> None:
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
    def start(cls, detected: Detected, policy: Policy) -> _Builder:
        state = _State(
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

    def freeze(self) -> _State:
        return _State(
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


def _nothing(_: _Builder, __: Event) -> None:
    """Events that change only the phase."""


_APPLY: Mapping[type[Event], Any] = {
    Acknowledged: _Builder._acknowledged,  # noqa: SLF001 - the builder's own dispatch table
    Declared: _Builder._declared,  # noqa: SLF001
    RoleAssigned: _Builder._role_assigned,  # noqa: SLF001
    SeverityChanged: _Builder._severity_changed,  # noqa: SLF001
    UpdatePosted: _Builder._update_posted,  # noqa: SLF001
    MilestoneRecorded: _Builder._milestone_recorded,  # noqa: SLF001
    Resolved: _Builder._resolved,  # noqa: SLF001
    Reopened: _Builder._reopened,  # noqa: SLF001
    Closed: _Builder._closed,  # noqa: SLF001
    Dismissed: _Builder._ended,  # noqa: SLF001
    ChannelArchived: _Builder._channel_archived,  # noqa: SLF001
    ReviewHeld: _Builder._review_held,  # noqa: SLF001
    DocumentPublished: _Builder._document_published,  # noqa: SLF001
    ActionItemAdded: _Builder._action_item_added,  # noqa: SLF001
    ActionItemCompleted: _Builder._action_item_completed,  # noqa: SLF001
    ActionTaken: _Builder._action_taken,  # noqa: SLF001
    RootCauseIdentified: _Builder._root_cause_identified,  # noqa: SLF001
    ChecklistStepCompleted: _Builder._step_completed,  # noqa: SLF001
    Escalated: _Builder._escalated,  # noqa: SLF001
}


def _member(kind: type[E], value: object, name: str) -> E:
    """A member of *kind* from itself or its value, else an InvalidEventError naming *name*."""
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(repr(m.value) for m in kind)
        msg = f"{name}: expected one of {choices}, got {value!r}"
        raise InvalidEventError(msg) from None


@attrs.frozen(init=False)
class Incident:
    """An incident: the immutable sequence of its events, and what they add up to.

    Start one with :meth:`detect`, rebuild one with :meth:`from_events`; every
    command returns a new incident with one more event. Two incidents are equal
    when their events and policies are. The events keep their times as given;
    the times the incident derives from them (``detected_at``, role tenures,
    milestones, ...) are UTC instants, so durations are exact across DST.

    >>> from datetime import date, datetime, timedelta, timezone
    >>> t0 = datetime(2026, 3, 8, 9, 0, tzinfo=timezone.utc)
    >>> incident = Incident.detect(
    ...     id="INC-1", title="Checkout errors", source=DetectionSource.AUTOMATED_ALERT, at=t0
    ... )
    >>> incident = incident.declare(
    ...     at=t0 + timedelta(minutes=3), by="ana", declarer_role="on_call_engineer", severity="SEV2"
    ... )
    >>> incident.phase, incident.severity, incident.version
    (<Phase.DECLARED: 'declared'>, <Severity.SEV2: 'SEV2'>, 2)
    >>> incident.role_holders()[Role.INCIDENT_COMMANDER]
    'ana'
    """

    events: tuple[Event, ...]
    policy: Policy
    _state: _State = attrs.field(eq=False, repr=False)

    @classmethod
    def _make(cls, events: tuple[Event, ...], policy: Policy, state: _State) -> Incident:
        incident = cls.__new__(cls)
        object.__setattr__(incident, "events", events)
        object.__setattr__(incident, "policy", policy)
        object.__setattr__(incident, "_state", state)
        return incident

    def __repr__(self) -> str:
        severity = self.severity.value if self.severity else None
        return (
            f"Incident(id={self.id!r}, phase={self.phase.value!r}, severity={severity!r}, "
            f"version={self.version})"
        )

    # --- starting and rebuilding ---------------------------------------------------

    @classmethod
    def detect(  # noqa: PLR0913 - the keyword-only fields of the first event
        cls,
        *,
        id: str,  # noqa: A002 - the guide's and the records' name for it
        title: str,
        source: DetectionSource | str,
        at: datetime,
        policy: Policy = DEFAULT_POLICY,
        idempotency_key: str | None = None,
    ) -> Incident:
        """A newly detected incident (guide, "1. Detection").

        Raises:
            InvalidEventError: for a bad id, title, source or a naive time.
        """
        parsed: object = source
        with contextlib.suppress(InvalidEventError):  # Detected names a bad one, with any other bad field
            parsed = _member(DetectionSource, source, "source")
        detected = Detected(
            id=f"{id}:1",
            at=at,
            idempotency_key=idempotency_key,
            incident_id=id,
            title=title,
            source=parsed,  # type: ignore[arg-type] # checked by Detected
        )
        return cls._make((detected,), policy, _Builder.start(detected, policy).freeze())

    @classmethod
    def from_events(cls, events: Iterable[Event], *, policy: Policy = DEFAULT_POLICY) -> Incident:
        """Rebuild the incident the *events* record, checking every rule on the way.

        The result equals the incident the commands produced. Replay reads the
        lifecycle's transitions and guards once and applies each event in
        place: its cost is linear in the number of events.

        Raises:
            ReplayError: naming the first event that the lifecycle would have
                refused (out of order, wrong phase, a guard, a repeated
                idempotency key or a wrong id).
        """
        recorded = tuple(events)
        if not recorded or not isinstance(recorded[0], Detected):
            found = type(recorded[0]).__name__ if recorded else "nothing"
            raise ReplayError(0, f"the first event must be Detected, got {found}")
        first = recorded[0]
        if first.id != f"{first.incident_id}:1":
            raise ReplayError(0, f"id {first.id!r} should be {first.incident_id}:1")
        from ._lifecycle import replay_transition  # the machine's module, loaded on first use

        builder = _Builder.start(first, policy)
        for index in range(1, len(recorded)):
            event = recorded[index]
            _replay_one(builder, event, index, policy, replay_transition)
        return cls._make(recorded, policy, builder.freeze())

    # --- what the events add up to -------------------------------------------------

    @property
    def id(self) -> str:
        """The incident's id."""
        return self._state.incident_id

    @property
    def title(self) -> str:
        """Its brief description."""
        return self._state.title

    @property
    def source(self) -> DetectionSource:
        """How it was detected."""
        return self._state.source

    @property
    def phase(self) -> Phase:
        """Where it is in the lifecycle."""
        return self._state.phase

    @property
    def severity(self) -> Severity | None:
        """Its current severity; ``None`` until it is declared."""
        return self._state.severity

    @property
    def version(self) -> int:
        """The number of events; compare it to detect concurrent changes."""
        return len(self.events)

    @property
    def detected_at(self) -> datetime:
        """When it was detected."""
        return self._state.detected_at

    @property
    def acknowledged_at(self) -> datetime | None:
        """When the page was acknowledged, if it was."""
        return self._state.acknowledged_at

    @property
    def declared_at(self) -> datetime | None:
        """When it was declared, if it was."""
        return self._state.declared_at

    @property
    def resolved_at(self) -> datetime | None:
        """When it was last resolved; ``None`` before that, or once reopened."""
        return self._state.resolved_at

    @property
    def closed_at(self) -> datetime | None:
        """When it was closed, if it was."""
        return self._state.closed_at

    @property
    def channel_archived_at(self) -> datetime | None:
        """When its channel was archived, if it was."""
        return self._state.channel_archived_at

    @property
    def review_held_at(self) -> datetime | None:
        """When its post-incident review was held, if it was."""
        return self._state.review_held_at

    @property
    def document_published_at(self) -> datetime | None:
        """When its post-incident document was first published, if it was."""
        return self._state.document_published_at

    @property
    def root_cause(self) -> RootCauseIdentified | None:
        """The latest root cause identified, with its key and summary, if any."""
        return self._state.root_cause

    def involved_people(self) -> frozenset[str]:
        """Everyone who held a role or acted: acknowledged, declared, took an action, owns an item."""
        return self._state.involved

    def action_item_completion_rate(self) -> float | None:
        """Completed action items over all of them; ``None`` when there are none."""
        items = self._state.action_items.values()
        if not items:
            return None
        return sum(item.completed_at is not None for item in items) / len(items)

    def action_items(self) -> tuple[ActionItem, ...]:
        """Every action item, in the order they were added, with whether each is done."""
        return tuple(self._state.action_items.values())

    def role_holders(self) -> Mapping[Role, str]:
        """Who holds each role now; a closed incident holds none."""
        return self._state.holders

    def role_tenures(self) -> tuple[RoleTenure, ...]:
        """Every role assignment with who held it, from when to when, in order."""
        return self._state.tenures

    def milestones(self) -> Mapping[Milestone, datetime]:
        """When each milestone was first reached, from milestone events and update statuses."""
        return self._state.milestones

    def time_to_detect(self) -> timedelta | None:
        """From the start of customer impact to detection; ``None`` if the start is unknown."""
        started = self._state.milestones.get(Milestone.CUSTOMER_IMPACT_STARTED)
        return None if started is None else self.detected_at - started

    def time_to_acknowledge(self) -> timedelta | None:
        """From detection to the acknowledgement of the page."""
        acknowledged = self.acknowledged_at
        return None if acknowledged is None else acknowledged - self.detected_at

    def time_to_mitigate(self) -> timedelta | None:
        """From detection to the first "mitigating" milestone or update."""
        mitigating = self._state.milestones.get(Milestone.MITIGATING)
        return None if mitigating is None else mitigating - self.detected_at

    def time_to_resolve(self) -> timedelta | None:
        """From detection to the (last) resolution; ``None`` while unresolved."""
        resolved = self.resolved_at
        return None if resolved is None else resolved - self.detected_at

    def unmet_role_requirements(self) -> tuple[UnmetRoleRequirement, ...]:
        """Every role requirement of the current severity not met now, each with its level.

        Guide, "Roles During Incident": "For SEV3: IC may handle all roles.
        For SEV2: Minimum IC + Technical Lead. For SEV1: All roles should be
        filled." Where the policy asks for separate people, a person holding
        two required roles is unmet too (a "must" only if both roles are
        musts). An incident not yet declared, or closed, owes none.
        """
        severity = self.severity
        if severity is None or self.phase in {Phase.CLOSED, Phase.DISMISSED}:
            return ()
        required = self.policy.roles[severity]
        holders = self._state.holders
        unmet = [
            UnmetRoleRequirement(
                role=role, level=level, reason=f"{severity.value} {level.value} fill {role.value}"
            )
            for roles, level in (
                (required.must, RequirementLevel.MUST),
                (required.should, RequirementLevel.SHOULD),
            )
            for role in roles
            if role not in holders
        ]
        if required.separate_people:
            seen: dict[str, Role] = {}
            for role in (*required.must, *required.should):
                person = holders.get(role)
                if person is None:
                    continue
                other = seen.setdefault(person, role)
                if other is role:
                    continue
                both_must = role in required.must and other in required.must
                level = RequirementLevel.MUST if both_must else RequirementLevel.SHOULD
                reason = (
                    f"{severity.value} {level.value} give {role.value} to someone other than {other.value}"
                )
                unmet.append(UnmetRoleRequirement(role=role, level=level, reason=f"{reason} ({person})"))
        return tuple(unmet)

    def obligations(
        self, now: datetime, *, calendar: BusinessCalendar | None = None
    ) -> tuple[Obligation, ...]:
        """Every timed duty the events up to *now* give rise to, with its status as of *now*.

        *calendar* counts business days (default: the policy's
        :meth:`~incident_process.Policy.business_calendar`). The duties, and
        the choices made where the guide leaves a gap, are listed in the
        documentation's "Business days and obligations" page.

        Raises:
            CalendarError: if *now* is naive.
        """
        from ._obligations import obligations

        return obligations(self, now, calendar)

    def checklist(self, name: str) -> Checklist:
        """The checklist *name* (``"declaration"`` or ``"resolution"``): each step done or open.

        Guide, "Declaration checklist" and "Resolution checklist"; the steps
        are the policy's, each done by the event it names or by
        :meth:`complete_step`.

        Raises:
            PlaybookError: for an unknown checklist.
        """
        from ._response import checklist

        return checklist(self, name)

    def next_steps(self, now: datetime) -> tuple[NextStep, ...]:
        """What is owed next as of *now*, in the guide's order; never a step already done.

        Stage by stage (detection, declaration checklist, response,
        resolution checklist, post-incident), and within the response in the
        guide's "Response Priorities": mitigate, communicate, investigate,
        fix, verify. See the documentation's "Response playbook" page.

        Raises:
            CalendarError: if *now* is naive.
        """
        from ._response import next_steps

        return next_steps(self, now)

    def response_findings(self, now: datetime) -> tuple[ResponseFinding, ...]:
        """What the events up to *now* did against the guide's "Do NOT" list (``RESPONSE_RULES``).

        Raises:
            CalendarError: if *now* is naive.
        """
        from ._response import response_findings

        return response_findings(self, now)

    # --- commands --------------------------------------------------------------

    def acknowledge(self, *, at: datetime, by: str, idempotency_key: str | None = None) -> Incident:
        """Acknowledge the page (guide: "Acknowledge pages within 5 minutes")."""
        return self._command(Acknowledged, at, idempotency_key, by=by)

    def declare(
        self,
        *,
        at: datetime,
        by: str,
        declarer_role: str,
        severity: Severity | str | int,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Declare the incident; the declarer holds Incident Commander until handed off.

        Guide, "Who can declare an incident": any on-call engineer, support
        lead or engineering manager (``declarer_role`` one of the policy's
        ``declaration.who_may_declare``).
        """
        with self._parsing(Declared):
            parsed = Severity.parse(severity)
        return self._command(
            Declared, at, idempotency_key, by=by, declarer_role=declarer_role, severity=parsed
        )

    def start_response(self, *, at: datetime, idempotency_key: str | None = None) -> Incident:
        """Move a declared incident into response."""
        return self._command(ResponseStarted, at, idempotency_key)

    def assign_role(
        self, role: Role | str, person: str, *, at: datetime, idempotency_key: str | None = None
    ) -> Incident:
        """Give *role* to *person*; if someone else holds it, this is a hand-off."""
        with self._parsing(RoleAssigned):
            parsed = _member(Role, role, "role")
        return self._command(RoleAssigned, at, idempotency_key, role=parsed, person=person)

    def hand_off_role(
        self, role: Role | str, to: str, *, at: datetime, idempotency_key: str | None = None
    ) -> Incident:
        """Hand *role* from its holder to *to* (guide: "Hand off context at shift change").

        Raises:
            CommandRefusedError: with rule ``roles.hand_off_needs_holder`` if nobody
                holds the role.
        """
        with self._parsing(RoleAssigned):
            parsed = _member(Role, role, "role")
        if parsed not in self._state.holders:
            reason = f"nobody holds {parsed.value} to hand it off; assign it instead"
            raise self._refused("assign_role", "roles.hand_off_needs_holder", reason)
        return self.assign_role(parsed, to, at=at, idempotency_key=idempotency_key)

    def change_severity(
        self, severity: Severity | str | int, *, at: datetime, reason: str, idempotency_key: str | None = None
    ) -> Incident:
        """Change the severity during the response; the reason is kept with the event."""
        with self._parsing(SeverityChanged):
            parsed = Severity.parse(severity)
        return self._command(SeverityChanged, at, idempotency_key, severity=parsed, reason=reason)

    def post_update(
        self,
        *,
        at: datetime,
        status: UpdateStatus | str,
        audience: Audience | str = "internal",
        idempotency_key: str | None = None,
    ) -> Incident:
        """Record an update posted internally or to the status page."""
        with self._parsing(UpdatePosted):
            parsed_status = _member(UpdateStatus, status, "status")
            parsed_audience = _member(Audience, audience, "audience")
        return self._command(
            UpdatePosted, at, idempotency_key, status=parsed_status, audience=parsed_audience
        )

    def record_milestone(
        self,
        milestone: Milestone | str,
        *,
        at: datetime,
        occurred_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Record that *milestone* was reached at *occurred_at* (default: *at*)."""
        with self._parsing(MilestoneRecorded):
            parsed = _member(Milestone, milestone, "milestone")
        occurred = at if occurred_at is None else occurred_at
        return self._command(MilestoneRecorded, at, idempotency_key, milestone=parsed, occurred_at=occurred)

    def resolve(
        self, *, at: datetime, last_error_at: datetime, idempotency_key: str | None = None
    ) -> Incident:
        """Declare resolution; refused until the severity's quiet period has passed since the last error."""
        return self._command(Resolved, at, idempotency_key, last_error_at=last_error_at)

    def reopen(self, *, at: datetime, reason: str, idempotency_key: str | None = None) -> Incident:
        """Take a resolved incident back into response (only before post-incident starts)."""
        return self._command(Reopened, at, idempotency_key, reason=reason)

    def start_post_incident(self, *, at: datetime, idempotency_key: str | None = None) -> Incident:
        """Start the post-incident process of a resolved incident."""
        return self._command(PostIncidentStarted, at, idempotency_key)

    def close(self, *, at: datetime, idempotency_key: str | None = None) -> Incident:
        """Close the incident; SEV1 and SEV2 need their post-incident process first."""
        return self._command(Closed, at, idempotency_key)

    def dismiss(
        self,
        *,
        at: datetime,
        reason: DismissalReason | str,
        duplicate_of: str | None = None,
        note: str = "",
        idempotency_key: str | None = None,
    ) -> Incident:
        """Dismiss a detected incident that will not be declared, with the reason."""
        with self._parsing(Dismissed):
            parsed = _member(DismissalReason, reason, "reason")
        return self._command(
            Dismissed, at, idempotency_key, reason=parsed, duplicate_of=duplicate_of, note=note
        )

    def complete_step(  # noqa: PLR0913 - the step, who, a note, the time and the key
        self,
        checklist: str,
        step: str,
        *,
        at: datetime,
        by: str,
        note: str = "",
        idempotency_key: str | None = None,
    ) -> Incident:
        """Record that *by* did *step* of *checklist* (``"declaration"`` or ``"resolution"``).

        Guide, "Declaration checklist" and "Resolution checklist". A step
        the policy's checklist has, once, and for the incident's severity.

        Raises:
            CommandRefusedError: with rule ``checklist.known_step`` or
                ``checklist.step_once``.
        """
        return self._command(
            ChecklistStepCompleted, at, idempotency_key, checklist=checklist, step=step, by=by, note=note
        )

    def escalate(
        self,
        *,
        at: datetime,
        by: str,
        reason: str = "unable to resolve",
        to: str | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Escalate to the next level (guide, "Follow escalation path if unable to resolve").

        *to* defaults to the next level for the incident's severity
        (:meth:`next_escalation`); given, it must be that level.

        Raises:
            CommandRefusedError: with rule ``escalation.next_level``.
        """
        if to is None:
            level = self.next_escalation()
            if level is None:
                path = self.policy.escalation.path_for(self.severity)
                reason_given = (
                    f"no level of the escalation path is left above {path[-1].who if path else 'nobody'}"
                )
                raise self._refused("escalate", "escalation.next_level", reason_given)
            to = level.who
        return self._command(Escalated, at, idempotency_key, to=to, by=by, reason=reason)

    def next_escalation(self) -> EscalationLevel | None:
        """The next level of the escalation path for the incident's severity, if one is left.

        The level after the highest one escalated to so far on the path for
        the current severity (before a severity is set, the levels that apply
        to every severity).
        """
        return self.policy.escalation.next_level(self.severity, self._state.escalated_to)

    def record_action(
        self,
        action: str,
        *,
        at: datetime,
        by: str,
        approved_by: str | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Record a change or runbook step taken during the response.

        A runbook step that needs approval (``"database.failover_to_read_replica"``:
        "requires IC approval") is refused unless ``approved_by`` is the
        current holder of the approving role.
        """
        return self._command(ActionTaken, at, idempotency_key, action=action, by=by, approved_by=approved_by)

    def identify_root_cause(
        self, key: str, *, at: datetime, summary: str = "", idempotency_key: str | None = None
    ) -> Incident:
        """Record the root cause: a stable *key* shared by incidents with the same cause, and a summary."""
        return self._command(RootCauseIdentified, at, idempotency_key, key=key, summary=summary)

    def archive_channel(self, *, at: datetime, idempotency_key: str | None = None) -> Incident:
        """Record that the closed incident's channel was archived."""
        return self._command(ChannelArchived, at, idempotency_key)

    def hold_review(self, *, at: datetime, facilitator: str, idempotency_key: str | None = None) -> Incident:
        """Record the post-incident review meeting and who facilitated it."""
        return self._command(ReviewHeld, at, idempotency_key, facilitator=facilitator)

    def publish_document(
        self, *, at: datetime, location: str, idempotency_key: str | None = None
    ) -> Incident:
        """Record that the post-incident document was published, and where."""
        return self._command(DocumentPublished, at, idempotency_key, location=location)

    def add_action_item(  # noqa: PLR0913 - an action item's four fields, the time and the key
        self,
        item_id: str,
        action: str,
        *,
        owner: str,
        due: date,
        at: datetime,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Record an action item from the review, with its owner and due date."""
        return self._command(
            ActionItemAdded, at, idempotency_key, item_id=item_id, action=action, owner=owner, due=due
        )

    def complete_action_item(
        self, item_id: str, *, at: datetime, idempotency_key: str | None = None
    ) -> Incident:
        """Record that an open action item is done."""
        return self._command(ActionItemCompleted, at, idempotency_key, item_id=item_id)

    # --- how every command runs --------------------------------------------------

    def _refused(self, command: str, rule: str, reason: str) -> CommandRefusedError:
        return CommandRefusedError(command=command, phase=self.phase.value, rule=rule, reason=reason)

    @contextmanager
    def _parsing(self, kind: type[Event]) -> Iterator[None]:
        """Turn a bad argument into a refusal naming the command and the phase."""
        try:
            yield
        except ValueError as error:  # InvalidEventError and SeverityError are ValueErrors
            raise self._refused(kind.command, "event.fields", str(error)) from None

    def _command(self, kind: type[Event], at: datetime, key: str | None, /, **values: object) -> Incident:
        """Validate, run through the lifecycle and append one event of *kind*."""
        state = self._state
        if key is not None and key in state.keys:
            if not is_aware(at):
                shown = at.isoformat() if isinstance(at, datetime) else repr(at)
                raise self._refused(
                    kind.command, "time.timezone_aware", f"at={shown} is not a timezone-aware time"
                )
            return self._repeat(kind, key, values)
        _check_time(at, state.last_at, self._refused, kind.command)
        try:
            event = kind(
                id=f"{state.incident_id}:{len(self.events) + 1}", at=at, idempotency_key=key, **values
            )
        except InvalidEventError as error:
            raise self._refused(kind.command, "event.fields", str(error)) from None
        from ._lifecycle import run_command  # the machine's module, loaded on first use

        try:
            phase = run_command(state.phase, Check(state, event, self.policy))
        except RuleBroken as broken:
            raise self._refused(kind.command, broken.rule, broken.reason) from None
        builder = _Builder(state, self.policy)
        builder.apply(event, phase, len(self.events))
        return Incident._make((*self.events, event), self.policy, builder.freeze())

    def _repeat(self, kind: type[Event], key: str, values: dict[str, Any]) -> Incident:
        """The same key again: unchanged if the command is the same, refused if not.

        The time is not compared: a retry sent later is still the same command.
        """
        earlier = self.events[self._state.keys[key]]
        try:
            again = kind(id=earlier.id, at=earlier.at, idempotency_key=key, **values)
        except InvalidEventError:
            again = None
        if again != earlier:
            reason = (
                f"idempotency key {key!r} was used for a different command ({earlier.id}, {earlier.kind})"
            )
            raise self._refused(kind.command, "idempotency.key_reused", reason)
        return self


def _check_time(
    at: object, last_at: datetime, refuse: Callable[[str, str, str], CommandRefusedError], command: str
) -> None:
    if not is_aware(at):
        shown = at.isoformat() if isinstance(at, datetime) else repr(at)
        raise refuse(command, "time.timezone_aware", f"at={shown} is not a timezone-aware time")
    assert isinstance(at, datetime)  # noqa: S101 - is_aware implies it
    if utc(at) < last_at:
        reason = f"at={at.isoformat()} is earlier than the previous event ({last_at.isoformat()})"
        raise refuse(command, "time.order", reason)


def _replay_one(
    builder: _Builder,
    event: object,
    index: int,
    policy: Policy,
    transition: Callable[[Phase, Event, _Builder, Policy], Phase],
) -> None:
    """Check and apply one recorded event, or raise a ReplayError naming its index."""
    if not isinstance(event, Event) or isinstance(event, Detected):
        raise ReplayError(index, f"expected an event after detection, got {type(event).__name__}")
    if event.id != f"{builder.incident_id}:{index + 1}":
        raise ReplayError(index, f"id {event.id!r} should be {builder.incident_id}:{index + 1}")
    if utc(event.at) < builder.last_at:
        raise ReplayError(
            index,
            f"at={event.at.isoformat()} is earlier than the previous event ({builder.last_at.isoformat()})",
        )
    key = event.idempotency_key
    if key is not None and key in builder.keys:
        raise ReplayError(index, f"idempotency key {key!r} was already used by events[{builder.keys[key]}]")
    try:
        phase = transition(builder.phase, event, builder, policy)
    except RuleBroken as broken:
        refusal = CommandRefusedError(
            command=event.command, phase=builder.phase.value, rule=broken.rule, reason=broken.reason
        )
        raise ReplayError(index, str(refusal), refusal=refusal) from None
    builder.apply(event, phase, index)
