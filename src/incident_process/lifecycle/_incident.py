"""The incident: an immutable value made of its events.

Each command returns a new :class:`Incident` with exactly one event appended;
a refused command raises :class:`~incident_process.errors.CommandRefusedError`
and the incident it was sent to is unchanged (it cannot change: it is
frozen). :meth:`Incident.from_events` rebuilds an equal incident from the
events alone. A fact dated before events already recorded is accepted where
it happened, by the arrival rules of :mod:`._history`.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from incident_process._arguments import check_type
from incident_process.errors import CalendarError, CommandRefusedError, InvalidEventError
from incident_process.events import (
    Acknowledged,
    ActionItemAdded,
    ActionItemCompleted,
    ActionTaken,
    AlertLinked,
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
    PostIncidentStarted,
    Reopened,
    Resolved,
    ResponseStarted,
    ReviewHeld,
    RoleAssigned,
    RootCauseIdentified,
    SeverityChanged,
    UpdatePosted,
)
from incident_process.events._fields import pairs
from incident_process.policy import DEFAULT_POLICY, Policy
from incident_process.timing._moments import aware, aware_problem, is_aware, utc
from incident_process.vocabulary import (
    Audience,
    DetectionSource,
    DismissalReason,
    Milestone,
    Phase,
    Role,
    Severity,
    UpdateStatus,
)

from ._history import Refusal, record, replay
from ._machine import run_command
from ._obligations import Obligation, obligations
from ._rules import Attempt, RuleBroken
from ._schedule import Reminder, may_resolve_at, next_change, reminders
from ._state import ActionItem, Builder, IncidentState, RoleTenure

if TYPE_CHECKING:
    from incident_process.policy import EscalationLevel
    from incident_process.timing import BusinessCalendar

__all__ = ["Incident"]

E = TypeVar("E", bound=enum.Enum)


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
    _state: IncidentState = attrs.field(eq=False, repr=False)

    @classmethod
    def _make(cls, events: tuple[Event, ...], policy: Policy, state: IncidentState) -> Incident:
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
        labels: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        references: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """A newly detected incident (guide, "1. Detection").

        *labels* are what the source labelled the problem with (an alert's
        labels: ``service``, ``endpoint``, ...); *references* the source's
        own identifiers of what it saw (``alertmanager.fingerprint``, ...):
        both are kept with the detection (:class:`~incident_process.events.Detected`).

        Raises:
            InvalidEventError: for a bad id, title, source, labels or
                references, or a naive time.
            TypeError: if *policy* is not a Policy (issue 19, defect 10).
        """
        check_type("policy", policy, Policy, "a Policy")
        parsed: object = source
        with contextlib.suppress(InvalidEventError):  # Detected names a bad one, with any other bad field
            parsed = _member(DetectionSource, source, "source")
        detected = Detected(
            id=f"{id}:1",
            at=at,
            recorded_at=recorded_at,
            idempotency_key=idempotency_key,
            incident_id=id,
            title=title,
            source=parsed,  # type: ignore[arg-type] # checked by Detected
            labels=pairs(labels),
            references=pairs(references),
        )
        return cls._make((detected,), policy, Builder.start(detected, policy).freeze())

    @classmethod
    def from_events(
        cls, events: Iterable[Event], *, policy: Policy = DEFAULT_POLICY, judge: bool = True
    ) -> Incident:
        """Rebuild the incident the *events* record, in their order of record.

        The result equals the incident the commands produced: the same
        arrival rules place each fact recorded late where it happened. With
        *judge* (the default) every rule is checked, the policy's too, as the
        commands did; without, only the rules of history (phases, order,
        once-only facts, ids and keys), as reading a record does, so events
        accepted under an earlier policy stand under a changed one. Replay
        reads the lifecycle's transitions and guards once and applies each
        event in place: its cost is linear in the number of events, plus,
        for a fact recorded late, the events that happened after it.

        Raises:
            ReplayError: naming the first event that could not have been
                recorded (out of order, wrong phase, a guard, a repeated
                idempotency key or a wrong id).
            TypeError: for an argument of the wrong type, naming it (issue 19, defect 10).
        """
        check_type("events", events, Iterable, "an iterable of events")
        check_type("policy", policy, Policy, "a Policy")
        check_type("judge", judge, bool, "true or false (bool)")
        recorded = tuple(events)
        builder = replay(recorded, policy, judged_from=0 if judge else len(recorded))
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
    def timeline(self) -> tuple[Event, ...]:
        """The events in the order they happened (by ``at``; equal times in their order of record).

        :attr:`events` is the order of record. The two differ when a fact
        was recorded late; every analysis of what happened reads this one.
        """
        return self._state.timeline

    @property
    def detection(self) -> Detected:
        """The first event, which says how, when and from what the incident was detected."""
        detected = self.events[0]
        assert isinstance(detected, Detected)  # noqa: S101 - replay checks it
        return detected

    @property
    def references(self) -> frozenset[tuple[str, str]]:
        """Every ``(name, value)`` reference of the detection and of the alerts linked since.

        What a later webhook is matched on (an Alertmanager fingerprint, a
        PagerDuty incident id, ...): :func:`~incident_process.integrations.correlate`
        and the store's ``find`` read it.
        """
        return frozenset(
            reference
            for event in self.events
            if isinstance(event, Detected | AlertLinked)
            for reference in event.references
        )

    @property
    def last_event_at(self) -> datetime:
        """The time the latest event happened, a UTC instant; a decision cannot be dated earlier."""
        return self._state.last_at

    @property
    def errors_stopped_at(self) -> datetime | None:
        """When the errors last stopped, as recorded by :meth:`record_errors_stopped`."""
        return self._state.errors_stopped_at

    @property
    def impact(self) -> str | None:
        """What's broken and who's affected, as declared; ``None`` if the declaration did not say."""
        declared = next((event for event in self.timeline if isinstance(event, Declared)), None)
        return None if declared is None else declared.impact

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

    def obligations(
        self, now: datetime, *, calendar: BusinessCalendar | None = None
    ) -> tuple[Obligation, ...]:
        """Every timed duty the events up to *now* give rise to, with its status as of *now*.

        The same as :func:`incident_process.lifecycle.obligations`: *calendar*
        counts business days (default: the policy's
        :meth:`~incident_process.policy.Policy.business_calendar`). The duties,
        and the choices made where the guide leaves a gap, are listed in the
        documentation's "Business days and obligations" page.

        Raises:
            CalendarError: if *now* is naive.
        """
        return obligations(self, now, calendar=calendar)

    def next_change(self, now: datetime) -> datetime | None:
        """The earliest moment after *now* at which what the incident owes, or is reminded of, changes.

        The same as :func:`incident_process.lifecycle.next_change`: its
        obligations, next steps and reminders are the same from *now* up to
        it, and differ at it; ``None`` when nothing changes without a new
        event. A service sleeps until then.

        Raises:
            CalendarError: if *now* is naive.
        """
        return next_change(self, now)

    def reminders(self, now: datetime) -> tuple[Reminder, ...]:
        """The reminders due as of *now*, by the policy's ``[reminders]`` rules.

        The same as :func:`incident_process.lifecycle.reminders`: each with
        the duty's id and the people to remind.

        Raises:
            CalendarError: if *now* is naive.
        """
        return reminders(self, now)

    def may_resolve_at(self) -> datetime | None:
        """When the quiet period since the errors stopped ends; from then on it may be resolved.

        Guide, "4. Resolution": "No new error reports for 15 minutes
        (SEV1/2) or 30 minutes (SEV3)", from the latest "errors stopped"
        fact. ``None`` unless the incident is declared or in response and
        someone recorded when the errors stopped.
        """
        return may_resolve_at(self)

    def as_of(self, now: datetime) -> Incident | None:
        """The incident as the events that happened up to *now* make it; ``None`` before its detection.

        Every analysis "as of a moment" (obligations, next steps, findings, a
        shift hand-off) reads this: what had happened by then, and nothing
        after; a fact recorded late counts from when it happened. The events
        kept are in their order of record, with their ids; the result is for
        reading, and what it was judged by is not judged again.

        Raises:
            CalendarError: if *now* is naive.
        """
        moment = utc(aware(now, "now", CalendarError))
        if self._state.last_at <= moment:
            return self
        if self._state.detected_at > moment:
            return None
        kept = tuple(event for event in self.events if utc(event.at) <= moment)
        builder = replay(kept, self.policy, judged_from=len(kept), check_ids=False)
        return Incident._make(kept, self.policy, builder.freeze())

    # --- commands --------------------------------------------------------------
    #
    # Every command takes ``at`` (when it happened), ``recorded_at`` (when the
    # caller recorded it, if it says) and an ``idempotency_key``.

    def acknowledge(
        self,
        *,
        at: datetime,
        by: str,
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Acknowledge the page (guide: "Acknowledge pages within 5 minutes").

        A fact: an acknowledgement that arrives after later events is
        recorded where it happened, and meets the duty at its own time.
        """
        return self._command(Acknowledged, at, recorded_at, idempotency_key, by=by)

    def declare(  # noqa: PLR0913 - the declaration's fields, the times and the key
        self,
        *,
        at: datetime,
        by: str,
        declarer_role: str,
        severity: Severity | str | int,
        impact: str | None = None,
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Declare the incident; the declarer holds Incident Commander until handed off.

        Guide, "Who can declare an incident": any on-call engineer, support
        lead or engineering manager (``declarer_role`` one of the policy's
        ``declaration.who_may_declare``). *impact* is what's broken and
        who's affected, kept for the declaration message and the report.
        """
        with self._parsing(Declared):
            parsed = Severity.parse(severity)
        return self._command(
            Declared,
            at,
            recorded_at,
            idempotency_key,
            by=by,
            declarer_role=declarer_role,
            severity=parsed,
            impact=impact,
        )

    def start_response(
        self, *, at: datetime, recorded_at: datetime | None = None, idempotency_key: str | None = None
    ) -> Incident:
        """Move a declared incident into response."""
        return self._command(ResponseStarted, at, recorded_at, idempotency_key)

    def assign_role(
        self,
        role: Role | str,
        person: str,
        *,
        at: datetime,
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Give *role* to *person*; if someone else holds it, this is a hand-off."""
        with self._parsing(RoleAssigned):
            parsed = _member(Role, role, "role")
        return self._command(RoleAssigned, at, recorded_at, idempotency_key, role=parsed, person=person)

    def hand_off_role(
        self,
        role: Role | str,
        to: str,
        *,
        at: datetime,
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
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
        return self.assign_role(parsed, to, at=at, recorded_at=recorded_at, idempotency_key=idempotency_key)

    def change_severity(
        self,
        severity: Severity | str | int,
        *,
        at: datetime,
        reason: str,
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Change the severity during the response; the reason is kept with the event."""
        with self._parsing(SeverityChanged):
            parsed = Severity.parse(severity)
        return self._command(
            SeverityChanged, at, recorded_at, idempotency_key, severity=parsed, reason=reason
        )

    def post_update(  # noqa: PLR0913 - the update's fields, the times and the key
        self,
        *,
        at: datetime,
        status: UpdateStatus | str,
        audience: Audience | str = "internal",
        text: str | None = None,
        by: str | None = None,
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Record an update posted internally or to the status page: its status, *text* and author.

        A fact: an update recorded late keeps its time, and the update
        cadences are counted from when updates were posted.
        """
        with self._parsing(UpdatePosted):
            parsed_status = _member(UpdateStatus, status, "status")
            parsed_audience = _member(Audience, audience, "audience")
        return self._command(
            UpdatePosted,
            at,
            recorded_at,
            idempotency_key,
            status=parsed_status,
            audience=parsed_audience,
            text=text,
            by=by,
        )

    def record_milestone(
        self,
        milestone: Milestone | str,
        *,
        at: datetime,
        occurred_at: datetime | None = None,
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Record that *milestone* was reached at *occurred_at* (default: *at*)."""
        with self._parsing(MilestoneRecorded):
            parsed = _member(Milestone, milestone, "milestone")
        occurred = at if occurred_at is None else occurred_at
        return self._command(
            MilestoneRecorded, at, recorded_at, idempotency_key, milestone=parsed, occurred_at=occurred
        )

    def record_errors_stopped(
        self,
        *,
        at: datetime,
        by: str | None = None,
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Record that the errors stopped at *at*: the quiet period before resolving runs from it.

        Guide, "4. Resolution": "No new error reports for 15 minutes (SEV1/2)
        or 30 minutes (SEV3)". A resolved alert records it
        (:func:`~incident_process.integrations.apply_alert`), or a person;
        :meth:`resolve` uses the latest one when it is not given the last
        error's time.
        """
        return self._command(ErrorsStopped, at, recorded_at, idempotency_key, by=by)

    def link_alert(  # noqa: PLR0913 - the alert's fields, the times and the key
        self,
        *,
        at: datetime,
        origin: str,
        title: str,
        started_at: datetime | None = None,
        labels: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        references: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Record that another alert, from *origin*, is about this incident's problem, at *at*.

        *started_at* is when the alert started, if before *at* (an alert
        that started before the incident's detection is linked at it).

        Guide, "1. Detection": one problem seen by several tools is one
        incident. The alert's *references* join the incident's
        (:attr:`references`), so later webhooks of that tool find it;
        :func:`~incident_process.integrations.apply_alert` records it when
        the policy's ``integrations.correlation`` matches an alert to an
        open incident.
        """
        return self._command(
            AlertLinked,
            at,
            recorded_at,
            idempotency_key,
            origin=origin,
            title=title,
            started_at=started_at,
            labels=pairs(labels),
            references=pairs(references),
        )

    def resolve(
        self,
        *,
        at: datetime,
        last_error_at: datetime | None = None,
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Declare resolution; refused until the severity's quiet period has passed since the last error.

        *last_error_at* defaults to when the errors last stopped
        (:meth:`record_errors_stopped`) up to *at*.

        Raises:
            CommandRefusedError: with rule ``resolution.last_error_known`` when
                neither is known, or ``resolution.quiet_period`` too early.
        """
        if last_error_at is None:
            last_error_at = self._errors_stopped_by(at)
        return self._command(Resolved, at, recorded_at, idempotency_key, last_error_at=last_error_at)

    def _errors_stopped_by(self, at: datetime) -> datetime:
        """When the errors last stopped at or before *at*, as given; refused if never recorded."""
        problem = aware_problem(at)
        if problem is not None:
            raise self._refused("resolve", "time.timezone_aware", f"at: {problem}")
        moment = utc(at)
        stopped = [e.at for e in self.timeline if isinstance(e, ErrorsStopped) and utc(e.at) <= moment]
        if not stopped:
            reason = (
                "the last error's time is not known: pass last_error_at, or record when the errors "
                "stopped (record_errors_stopped; a resolved alert does)"
            )
            raise self._refused("resolve", "resolution.last_error_known", reason)
        return stopped[-1]

    def reopen(
        self,
        *,
        at: datetime,
        reason: str,
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Take a resolved incident back into response (only before post-incident starts)."""
        return self._command(Reopened, at, recorded_at, idempotency_key, reason=reason)

    def start_post_incident(
        self, *, at: datetime, recorded_at: datetime | None = None, idempotency_key: str | None = None
    ) -> Incident:
        """Start the post-incident process of a resolved incident."""
        return self._command(PostIncidentStarted, at, recorded_at, idempotency_key)

    def close(
        self, *, at: datetime, recorded_at: datetime | None = None, idempotency_key: str | None = None
    ) -> Incident:
        """Close the incident; SEV1 and SEV2 need their post-incident process first."""
        return self._command(Closed, at, recorded_at, idempotency_key)

    def dismiss(  # noqa: PLR0913 - the dismissal's fields, the times and the key
        self,
        *,
        at: datetime,
        reason: DismissalReason | str,
        duplicate_of: str | None = None,
        note: str = "",
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Dismiss a detected incident that will not be declared, with the reason."""
        with self._parsing(Dismissed):
            parsed = _member(DismissalReason, reason, "reason")
        return self._command(
            Dismissed, at, recorded_at, idempotency_key, reason=parsed, duplicate_of=duplicate_of, note=note
        )

    def complete_step(  # noqa: PLR0913 - the step, who, a note, the times and the key
        self,
        checklist: str,
        step: str,
        *,
        at: datetime,
        by: str,
        note: str = "",
        recorded_at: datetime | None = None,
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
            ChecklistStepCompleted,
            at,
            recorded_at,
            idempotency_key,
            checklist=checklist,
            step=step,
            by=by,
            note=note,
        )

    def escalate(  # noqa: PLR0913 - who, why, to whom, the times and the key
        self,
        *,
        at: datetime,
        by: str,
        reason: str = "unable to resolve",
        to: str | None = None,
        recorded_at: datetime | None = None,
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
        return self._command(Escalated, at, recorded_at, idempotency_key, to=to, by=by, reason=reason)

    def next_escalation(self) -> EscalationLevel | None:
        """The next level of the escalation path for the incident's severity, if one is left.

        The level after the highest one escalated to so far on the path for
        the current severity (before a severity is set, the levels that apply
        to every severity).
        """
        return self.policy.escalation.next_level(self.severity, self._state.escalated_to)

    def record_action(  # noqa: PLR0913 - the action, who, the approval, the times and the key
        self,
        action: str,
        *,
        at: datetime,
        by: str,
        approved_by: str | None = None,
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Record a change or runbook step taken during the response.

        A runbook step that needs approval (``"database.failover_to_read_replica"``:
        "requires IC approval") is refused unless ``approved_by`` is the
        current holder of the approving role.
        """
        return self._command(
            ActionTaken, at, recorded_at, idempotency_key, action=action, by=by, approved_by=approved_by
        )

    def identify_root_cause(
        self,
        key: str,
        *,
        at: datetime,
        summary: str = "",
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Record the root cause: a stable *key* shared by incidents with the same cause, and a summary."""
        return self._command(RootCauseIdentified, at, recorded_at, idempotency_key, key=key, summary=summary)

    def archive_channel(
        self, *, at: datetime, recorded_at: datetime | None = None, idempotency_key: str | None = None
    ) -> Incident:
        """Record that the closed incident's channel was archived."""
        return self._command(ChannelArchived, at, recorded_at, idempotency_key)

    def hold_review(
        self,
        *,
        at: datetime,
        facilitator: str,
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Record the post-incident review meeting and who facilitated it."""
        return self._command(ReviewHeld, at, recorded_at, idempotency_key, facilitator=facilitator)

    def publish_document(
        self,
        *,
        at: datetime,
        location: str,
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Record that the post-incident document was published, and where."""
        return self._command(DocumentPublished, at, recorded_at, idempotency_key, location=location)

    def add_action_item(  # noqa: PLR0913 - an action item's four fields, the times and the key
        self,
        item_id: str,
        action: str,
        *,
        owner: str,
        due: date,
        at: datetime,
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Record an action item from the review, with its owner and due date."""
        return self._command(
            ActionItemAdded,
            at,
            recorded_at,
            idempotency_key,
            item_id=item_id,
            action=action,
            owner=owner,
            due=due,
        )

    def complete_action_item(
        self,
        item_id: str,
        *,
        at: datetime,
        recorded_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> Incident:
        """Record that an open action item is done."""
        return self._command(ActionItemCompleted, at, recorded_at, idempotency_key, item_id=item_id)

    # --- how every command runs --------------------------------------------------

    def _refused(
        self, command: str, rule: str, reason: str, contradicts: Event | None = None
    ) -> CommandRefusedError:
        return CommandRefusedError(
            command=command,
            phase=self.phase.value,
            rule=rule,
            reason=reason,
            contradicts=None if contradicts is None else contradicts.id,
        )

    @contextmanager
    def _parsing(self, kind: type[Event]) -> Iterator[None]:
        """Turn a bad argument into a refusal naming the command and the phase."""
        try:
            yield
        except ValueError as error:  # InvalidEventError and SeverityError are ValueErrors
            raise self._refused(kind.command, "event.fields", str(error)) from None

    def _command(
        self,
        kind: type[Event],
        at: datetime,
        recorded_at: datetime | None,
        key: str | None,
        /,
        **values: object,
    ) -> Incident:
        """Validate, run through the lifecycle and append one event of *kind*."""
        state = self._state
        if not is_aware(at):
            raise self._refused(kind.command, "time.timezone_aware", f"at: {aware_problem(at)}")
        if key is not None and key in state.keys:
            return self._repeat(kind, key, values)
        try:
            event = kind(
                id=f"{state.incident_id}:{len(self.events) + 1}",
                at=at,
                recorded_at=recorded_at,
                idempotency_key=key,
                **values,
            )
        except InvalidEventError as error:
            raise self._refused(kind.command, "event.fields", str(error)) from None
        if utc(at) < state.last_at:
            return self._late(event)
        try:
            phase = run_command(state.phase, Attempt(state, event, self.policy))
        except RuleBroken as broken:
            raise self._refused(kind.command, broken.rule, broken.reason) from None
        builder = Builder(state, self.policy)
        builder.push(event, phase)
        builder.keep_key(event, len(self.events))
        return Incident._make((*self.events, event), self.policy, builder.freeze())

    def _late(self, event: Event) -> Incident:
        """*event* happened before the latest recorded event: rebuild with it where it happened.

        The same arrival rules as a replay, which this is: the recorded
        events again, then this one, judged where it happened.
        """
        events = (*self.events, event)
        state = self._state
        builder = replay(
            self.events,
            self.policy,
            judged_from=state.judged_from,
            check_ids=False,
            journal=True,
            then=utc(event.at),
        )
        try:
            record(builder, event, len(self.events), self.policy, judge=True)
        except Refusal as refusal:
            raise self._refused(event.command, refusal.rule, refusal.reason, refusal.contradicts) from None
        builder.journal = None
        return Incident._make(events, self.policy, builder.freeze())

    def _repeat(self, kind: type[Event], key: str, values: dict[str, Any]) -> Incident:
        """The same key again: unchanged if the command is the same, refused if not.

        The time is not compared: a retry sent later is still the same command.
        """
        earlier = self.events[self._state.keys[key]]
        try:
            again = kind(
                id=earlier.id, at=earlier.at, recorded_at=earlier.recorded_at, idempotency_key=key, **values
            )
        except InvalidEventError:
            again = None
        if again != earlier:
            reason = (
                f"idempotency key {key!r} was used for a different command ({earlier.id}, {earlier.kind})"
            )
            raise self._refused(kind.command, "idempotency.key_reused", reason)
        return self
