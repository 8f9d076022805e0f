"""What to do, in which order, and what a response did that the guide says not to.

Guide, "Declaration checklist", "Resolution checklist" and "3. Response":

* :func:`checklist` shows each step of a checklist done (when, by whom, by
  which event) or open. A step is done by the event the policy names (the
  declaration assigns the severity; a status-page update posts the initial
  status) or by :meth:`Incident.complete_step <incident_process.Incident.complete_step>`.
* :func:`next_steps` lists what is owed next, stage by stage (detection,
  declaration checklist, response priorities, resolution checklist,
  post-incident), and within the response in the guide's priority order:
  "1. Mitigate 2. Communicate 3. Investigate 4. Fix 5. Verify".
* :func:`response_findings` applies the guide's "Do NOT" list to the events:
  "Skip mitigation to find root cause", "Make changes without documenting",
  "Go dark on communication", "Blame individuals".

What counts as what, where the guide leaves it open:

* A *mitigation attempt* is a recorded action (:class:`~incident_process.ActionTaken`)
  or the "Mitigating" status (an update or the milestone).
* The *fix* is a recorded action after the root cause was identified.
* *Verify* is done by the resolution, which the lifecycle accepts only after
  the quiet period.
* A *change without documenting* is the "Mitigating" status reached with no
  action recorded at or before it: mitigating is changing something, and
  every change is to be an event.
* *Going dark* is an internal update missed or overdue: a gap beyond the
  severity's cadence.
* *Blame* is what the external-message linter reports as blame
  (``external.blame``) in any text the events record: blame phrases, and a
  person named as the cause (a word of the policy's ``people`` or an
  @-mention; a bare name is not taken for a person, so "caused by max pool
  size" is no blame even when someone is called max).

:func:`response_findings` also reports each checklist step required before
resolving or closing that was not done by then (``checklist.required_steps``),
which is what the policy's ``enforce_checklist`` refuses instead when set.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING

import attrs

from ._errors import PlaybookError
from ._events import (
    ActionTaken,
    Closed,
    Event,
    Milestone,
    MilestoneRecorded,
    Resolved,
    RootCauseIdentified,
    UpdatePosted,
    UpdateStatus,
    utc,
)
from ._obligations import Obligation, ObligationKind, ObligationStatus, as_of, aware_now
from ._policy_response import CHECKLISTS, ChecklistStep
from ._rules import Phase

if TYPE_CHECKING:
    from ._incident import Incident

__all__ = [
    "RESPONSE_RULES",
    "Checklist",
    "ChecklistItem",
    "NextStep",
    "ResponseFinding",
    "Stage",
    "checklist",
    "next_steps",
    "response_findings",
]

#: The rules :func:`response_findings` applies, by the rule id of their findings:
#: the guide's "Do NOT" list, and the checklists' steps required before a command.
RESPONSE_RULES = {
    "response.mitigation_skipped": "Do NOT: Skip mitigation to find root cause",
    "response.undocumented_change": "Do NOT: Make changes without documenting",
    "response.went_dark": "Do NOT: Go dark on communication",
    "response.blame": "Do NOT: Blame individuals",
    "checklist.required_steps": "Declaration checklist, Resolution checklist: a step required before "
    "resolving or closing was not done by then",
}


# --- checklists ---------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ChecklistItem:
    """One step of a checklist, done or open.

    Attributes:
        step: The step, as the policy has it.
        applies: Whether it applies to the incident's severity.
        done_at: When it was done (UTC), if it was.
        done_by: Who did it, when the event says.
        event_id: The event that did it.
    """

    step: ChecklistStep
    applies: bool
    done_at: datetime | None = None
    done_by: str | None = None
    event_id: str | None = None

    @property
    def done(self) -> bool:
        """Whether the step was done."""
        return self.done_at is not None

    @property
    def open(self) -> bool:
        """Whether the step applies and is not done."""
        return self.applies and self.done_at is None


@attrs.frozen(kw_only=True)
class Checklist:
    """A checklist of the guide for one incident.

    Attributes:
        name: ``"declaration"`` or ``"resolution"``.
        items: Its steps in the policy's order.
    """

    name: str
    items: tuple[ChecklistItem, ...]

    @property
    def open(self) -> tuple[ChecklistItem, ...]:
        """The steps that apply and are not done."""
        return tuple(item for item in self.items if item.open)

    @property
    def complete(self) -> bool:
        """Whether every step that applies is done."""
        return not self.open


def _steps(incident: Incident, name: str) -> tuple[ChecklistStep, ...]:
    if name not in CHECKLISTS:
        msg = f"checklist: expected one of {', '.join(map(repr, CHECKLISTS))}, got {name!r}"
        raise PlaybookError(msg)
    policy = incident.policy
    steps: tuple[ChecklistStep, ...] = getattr(policy, name).checklist  # each checklist names its group
    return steps


def checklist(incident: Incident, name: str) -> Checklist:
    """The checklist *name* of *incident*: every step, done or open (see the module docstring)."""
    done = incident._state.steps  # noqa: SLF001 - the incident's own derived state
    items = []
    for step in _steps(incident, name):
        record = done.get((name, step.id))
        items.append(
            ChecklistItem(
                step=step,
                applies=step.applies_to(incident.severity),
                done_at=None if record is None else record.at,
                done_by=None if record is None else record.by,
                event_id=None if record is None else record.event_id,
            )
        )
    return Checklist(name=name, items=tuple(items))


# --- next steps ---------------------------------------------------------------------------


class Stage(enum.Enum):
    """Where in the guide a next step comes from, in the order the stages come."""

    DETECTION = "detection"
    DECLARATION = "declaration"
    RESPONSE = "response"
    RESOLUTION = "resolution"
    POST_INCIDENT = "post_incident"


@attrs.frozen(kw_only=True)
class NextStep:
    """Something owed next.

    Attributes:
        stage: The part of the guide it comes from.
        priority: For the response, the response priority it serves
            (``"mitigate"``, ``"communicate"``, ...).
        what: What to do, in words.
        rule: Where the duty comes from: a checklist step
            (``"declaration.checklist.create_channel"``), a response priority
            (``"response.priorities.mitigate"``) or a timed duty's policy key.
        due_at: When it is due, for a timed duty.
        overdue: Whether it was due before ``now``.
    """

    stage: Stage
    what: str
    rule: str
    priority: str | None = None
    due_at: datetime | None = None
    overdue: bool = False


_OBLIGATION_STAGES = {
    ObligationKind.ACKNOWLEDGE: (Stage.DETECTION, None),
    ObligationKind.CORRELATE: (Stage.DETECTION, None),
    ObligationKind.DECLARE: (Stage.DETECTION, None),
    ObligationKind.ESCALATE: (Stage.DETECTION, None),
    ObligationKind.FIRST_STATUS_PAGE_UPDATE: (Stage.DECLARATION, None),
    ObligationKind.INTERNAL_UPDATE: (Stage.RESPONSE, "communicate"),
    ObligationKind.STATUS_PAGE_UPDATE: (Stage.RESPONSE, "communicate"),
    ObligationKind.RESOLUTION_QUIET_PERIOD: (Stage.RESPONSE, "verify"),
    ObligationKind.FINAL_STATUS_PAGE_UPDATE: (Stage.RESOLUTION, None),
    ObligationKind.ARCHIVE_CHANNEL: (Stage.RESOLUTION, None),
    ObligationKind.POST_INCIDENT_REVIEW: (Stage.POST_INCIDENT, None),
    ObligationKind.POST_INCIDENT_DOCUMENT: (Stage.POST_INCIDENT, None),
    ObligationKind.ACTION_ITEM: (Stage.POST_INCIDENT, None),
}
_OPEN = frozenset({ObligationStatus.PENDING, ObligationStatus.OVERDUE})
_RESPONDING = frozenset({Phase.DECLARED, Phase.RESPONDING})
_RESOLVED = frozenset({Phase.RESOLVED, Phase.POST_INCIDENT, Phase.CLOSED})


def _is_attempt(event: Event) -> bool:
    """A mitigation attempt: a recorded action, or the "Mitigating" status."""
    return isinstance(event, ActionTaken) or _is_mitigating(event)


def _is_mitigating(event: Event) -> bool:
    if isinstance(event, UpdatePosted):
        return event.status is UpdateStatus.MITIGATING
    return isinstance(event, MilestoneRecorded) and event.milestone is Milestone.MITIGATING


def _fixed(events: tuple[Event, ...]) -> bool:
    cause = next(
        (index for index, event in enumerate(events) if isinstance(event, RootCauseIdentified)), None
    )
    return cause is not None and any(isinstance(event, ActionTaken) for event in events[cause:])


def _priority_steps(incident: Incident, duties: list[Obligation]) -> list[NextStep]:
    """The response priorities still owed, each with the timed duties that serve it."""
    events = incident.events
    owed = {
        "mitigate": not any(map(_is_attempt, events)),
        "communicate": False,  # its duties are the update cadences, listed below
        "investigate": incident.root_cause is None,
        "fix": not _fixed(events),
        "verify": incident.resolved_at is None,
    }
    steps = []
    for priority in incident.policy.response.priorities:
        rule = f"response.priorities.{priority.id}"
        if owed[priority.id]:
            what = f"{priority.title}: {priority.description}"
            if priority.id == "verify" and incident.severity is not None:
                quiet = incident.policy.resolution.quiet_period[incident.severity]
                what += f"; resolve once no new error reports for {int(quiet.total_seconds() // 60)} minutes"
            steps.append(NextStep(stage=Stage.RESPONSE, priority=priority.id, what=what, rule=rule))
        steps += [
            _from_duty(duty, priority.id)
            for duty in duties
            if _OBLIGATION_STAGES[duty.kind][1] == priority.id
        ]
    return steps


# The two cadences' duties say "update N"; a next step says which.
_UPDATE_WORDS = {
    ObligationKind.INTERNAL_UPDATE: "internal update",
    ObligationKind.STATUS_PAGE_UPDATE: "status-page update",
}


def _from_duty(duty: Obligation, priority: str | None = None) -> NextStep:
    stage = _OBLIGATION_STAGES[duty.kind][0]
    what = duty.detail or duty.kind.value.replace("_", " ")
    if duty.kind in _UPDATE_WORDS:
        what = what.replace("update", _UPDATE_WORDS[duty.kind], 1)
    return NextStep(
        stage=stage,
        priority=priority,
        what=what,
        rule=duty.rule,
        due_at=duty.due_at,
        overdue=duty.status is ObligationStatus.OVERDUE,
    )


def _checklist_steps(incident: Incident, name: str, stage: Stage, duties: list[Obligation]) -> list[NextStep]:
    """The open steps of checklist *name*; each step takes (and removes from *duties*) its deadline's duty.

    A step that is done removes its duty too: the step stands for it. A
    step shown with its duty comes in the earlier of their stages (paging
    on-call is due with the acknowledgement, at detection).
    """
    order = list(Stage)
    steps = []
    for item in checklist(incident, name).items:
        duty = next((duty for duty in duties if item.step.deadline == duty.kind.value), None)
        if duty is not None:
            duties.remove(duty)  # shown once, as the step (or not at all, once the step is done)
        if not item.open:
            continue
        duty_stage = stage if duty is None else _OBLIGATION_STAGES[duty.kind][0]
        steps.append(
            NextStep(
                stage=min(stage, duty_stage, key=order.index),
                what=item.step.text,
                rule=f"{name}.checklist.{item.step.id}",
                due_at=None if duty is None else duty.due_at,
                overdue=duty is not None and duty.status is ObligationStatus.OVERDUE,
            )
        )
    return steps


def next_steps(incident: Incident, now: datetime) -> tuple[NextStep, ...]:
    """What *incident* owes next as of *now*, in the guide's order (see the module docstring).

    Only events up to *now* count. A step that is done is never listed; a
    timed duty that a checklist step stands for (the acknowledgement, the
    first and final status-page updates, the archive) is listed once, as the
    step, with its due time. The declaration checklist is listed until the
    resolution (an open step is then a finding of :func:`response_findings`),
    the resolution checklist from it on.

    Raises:
        CalendarError: if *now* is naive.
    """
    aware_now(now)
    known = as_of(incident, now)
    if known is None or known.phase is Phase.DISMISSED:
        return ()
    incident = known
    rest = [duty for duty in incident.obligations(now) if duty.status in _OPEN]
    declaration = _checklist_steps(incident, "declaration", Stage.DECLARATION, rest)
    resolution = _checklist_steps(incident, "resolution", Stage.RESOLUTION, rest)
    steps = declaration if incident.phase not in _RESOLVED else []
    if incident.phase in _RESPONDING:
        steps += _priority_steps(incident, rest)
        rest = [duty for duty in rest if _OBLIGATION_STAGES[duty.kind][1] is None]
    if incident.phase in _RESOLVED:
        steps += resolution
    steps += [_from_duty(duty, _OBLIGATION_STAGES[duty.kind][1]) for duty in rest]
    order = list(Stage)
    return tuple(sorted(steps, key=lambda step: order.index(step.stage)))


# --- "Do NOT" -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ResponseFinding:
    """Something a response did that the guide's "Do NOT" list forbids.

    Attributes:
        rule: The rule (a key of :data:`RESPONSE_RULES`).
        message: What happened, in words.
        at: When (the event's time, or the duty's due time).
        event_id: The event concerned, if one is.
    """

    rule: str
    message: str
    at: datetime | None = None
    event_id: str | None = None

    def __str__(self) -> str:
        where = f" ({self.event_id})" if self.event_id else ""
        return f"{self.message}{where} [{self.rule}]"


def _local(moment: datetime, incident: Incident) -> str:
    """*moment* in the policy's zone, as the obligations show their times."""
    return moment.astimezone(incident.policy.business_calendar().tz).isoformat()


def _at(event: Event, rule: str, message: str) -> ResponseFinding:
    """A finding about *event*."""
    return ResponseFinding(rule=rule, message=message, at=event.at, event_id=event.id)


def _do_not(rule: str) -> str:
    """The guide's words for *rule*, quoted."""
    return f'"{RESPONSE_RULES[rule]}"'


def _skipped_mitigation(incident: Incident) -> list[ResponseFinding]:
    events = incident.events
    mitigated = False
    resolved = False
    for event in events:
        mitigated = mitigated or _is_attempt(event)
        resolved = resolved or isinstance(event, Resolved)
        if isinstance(event, RootCauseIdentified) and not mitigated and not resolved:
            message = (
                f"root cause {event.key!r} recorded at {_local(event.at, incident)} "
                f"before any mitigation attempt: {_do_not('response.mitigation_skipped')}"
            )
            return [_at(event, "response.mitigation_skipped", message)]
    return []


def _undocumented_change(incident: Incident) -> list[ResponseFinding]:
    events = incident.events
    for event in events:
        if isinstance(event, ActionTaken):
            return []
        if _is_mitigating(event):
            message = (
                f"mitigating since {_local(event.at, incident)} with no action recorded: "
                f"record each change with record_action ({_do_not('response.undocumented_change')})"
            )
            return [_at(event, "response.undocumented_change", message)]
    return []


def _went_dark(incident: Incident, now: datetime) -> list[ResponseFinding]:
    late = {ObligationStatus.MISSED, ObligationStatus.OVERDUE}
    findings = []
    for duty in incident.obligations(now):
        if duty.kind is ObligationKind.INTERNAL_UPDATE and duty.status in late:
            posted = f"the next came at {duty.met_at.isoformat()}" if duty.met_at else "none came"
            message = (
                f"no internal update from {duty.owed_from.isoformat()} to its due time "
                f"{duty.due_at.isoformat()} ({duty.rule}); {posted}: {_do_not('response.went_dark')}"
            )
            findings.append(ResponseFinding(rule="response.went_dark", message=message, at=duty.due_at))
    return findings


def _texts(event: Event) -> Iterator[tuple[str, str]]:
    for field in attrs.fields(type(event)):
        value = getattr(event, field.name)
        if field.name not in {
            "id",
            "idempotency_key",
            "by",
            "person",
            "owner",
            "facilitator",
            "approved_by",
        } and (isinstance(value, str) and " " in value.strip()):
            yield field.name, value


def _blame(incident: Incident) -> list[ResponseFinding]:
    from ._lint import lint_external

    findings = []
    for event in incident.events:
        for field, text in _texts(event):
            for finding in lint_external(text, incident.policy):
                if finding.rule == "external.blame":
                    message = (
                        f"{event.kind}.{field}: {finding.message.split(':')[0]}: {_do_not('response.blame')}"
                    )
                    findings.append(_at(event, "response.blame", message))
    return findings


_COMMAND_EVENTS = {"resolve": Resolved, "close": Closed}


def _late_steps(incident: Incident) -> list[ResponseFinding]:
    """Steps required before resolving or closing and still open then (the policy not refusing)."""
    findings = []
    for name in CHECKLISTS:
        items = checklist(incident, name).items
        for command, kind in _COMMAND_EVENTS.items():
            happened = next((event for event in incident.events if isinstance(event, kind)), None)
            if happened is None:
                continue
            for item in items:
                if item.step.before != command or not item.applies:
                    continue
                if item.done_at is None or item.done_at > utc(happened.at):
                    when = (
                        "never done"
                        if item.done_at is None
                        else f"done later, at {_local(item.done_at, incident)}"
                    )
                    message = (
                        f"{name}.{item.step.id} ({item.step.text}) was open at {command} "
                        f"({_local(happened.at, incident)}): {when}"
                    )
                    findings.append(_at(happened, "checklist.required_steps", message))
    return findings


def response_findings(incident: Incident, now: datetime) -> tuple[ResponseFinding, ...]:
    """What the events up to *now* show the response did against the guide's "Do NOT" list.

    Raises:
        CalendarError: if *now* is naive.
    """
    aware_now(now)
    known = as_of(incident, now)
    if known is None:
        return ()
    incident, _events = known, known.events
    found = (
        _skipped_mitigation(incident)
        + _undocumented_change(incident)
        + _went_dark(incident, now)
        + _blame(incident)
        + _late_steps(incident)
    )
    return tuple(
        sorted(found, key=lambda finding: (utc(finding.at) if finding.at else utc(now), finding.rule))
    )
