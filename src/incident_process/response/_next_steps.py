"""Guide, "3. Response": what is owed next, in which order.

:func:`next_steps` lists what is owed next, stage by stage (detection,
declaration checklist, response priorities, resolution checklist,
post-incident), and within the response in the guide's priority order:
"1. Mitigate 2. Communicate 3. Investigate 4. Fix 5. Verify".

What counts as what, where the guide leaves it open:

* A *mitigation attempt* is a recorded action
  (:class:`~incident_process.events.ActionTaken`) or the "Mitigating"
  status (an update or the milestone).
* The *fix* is a recorded action after the root cause was identified.
* *Verify* is done by the resolution, which the lifecycle accepts only after
  the quiet period: once someone recorded when the errors stopped, the step
  says when it ends (:meth:`~incident_process.lifecycle.Incident.may_resolve_at`),
  and from then on that the incident may be resolved.
"""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from incident_process._arguments import check_type
from incident_process.events import ActionTaken, Event, MilestoneRecorded, RootCauseIdentified, UpdatePosted
from incident_process.lifecycle import Incident, Obligation, obligations
from incident_process.timing import describe_duration
from incident_process.timing._calendar import resolve_zone
from incident_process.timing._moments import utc
from incident_process.vocabulary import Milestone, ObligationKind, ObligationStatus, Phase, UpdateStatus

from ._checklists import checklist

__all__ = [
    "NextStep",
    "Stage",
    "is_attempt",
    "is_mitigating",
    "next_steps",
]


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


def is_attempt(event: Event) -> bool:
    """A mitigation attempt: a recorded action, or the "Mitigating" status."""
    return isinstance(event, ActionTaken) or is_mitigating(event)


def is_mitigating(event: Event) -> bool:
    if isinstance(event, UpdatePosted):
        return event.status is UpdateStatus.MITIGATING
    return isinstance(event, MilestoneRecorded) and event.milestone is Milestone.MITIGATING


def _fixed(events: tuple[Event, ...]) -> bool:
    cause = next(
        (index for index, event in enumerate(events) if isinstance(event, RootCauseIdentified)), None
    )
    return cause is not None and any(isinstance(event, ActionTaken) for event in events[cause:])


def _verify(incident: Incident, now: datetime) -> tuple[str, datetime | None]:
    """What the verify step adds: the quiet period, and when it ends once the errors stopped."""
    assert incident.severity is not None  # noqa: S101 - a responding incident has one
    quiet = incident.policy.resolution.quiet_period[incident.severity]
    resolvable = incident.may_resolve_at()
    if resolvable is None:
        return f"; resolve once no new error reports for {describe_duration(quiet)}", None
    local = resolvable.astimezone(resolve_zone(incident.policy.zone))
    shown = f"{local:%H:%M} {local.tzname()}"
    if utc(now) >= utc(resolvable):
        return (
            f"; you may resolve now: no new error reports for {describe_duration(quiet)} (since {shown})",
            resolvable,
        )
    return f"; you may resolve from {shown}, {describe_duration(quiet)} after the errors stopped", resolvable


def _priority_steps(incident: Incident, duties: list[Obligation], now: datetime) -> list[NextStep]:
    """The response priorities still owed, each with the timed duties that serve it."""
    events = incident.events
    owed = {
        "mitigate": not any(map(is_attempt, events)),
        "communicate": False,  # its duties are the update cadences, listed below
        "investigate": incident.root_cause is None,
        "fix": not _fixed(events),
        "verify": incident.resolved_at is None,
    }
    steps = []
    for priority in incident.policy.response.priorities:
        rule = f"response.priorities.{priority.id}"
        if owed[priority.id]:
            what, due_at = f"{priority.title}: {priority.description}", None
            if priority.id == "verify" and incident.severity is not None:
                quiet, due_at = _verify(incident, now)
                what += quiet
            steps.append(
                NextStep(stage=Stage.RESPONSE, priority=priority.id, what=what, rule=rule, due_at=due_at)
            )
        steps += [
            _from_duty(duty, priority.id)
            for duty in duties
            if _OBLIGATION_STAGES[duty.kind][1] == priority.id
        ]
    return steps


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
        TypeError: if *incident* is not an Incident (issue 19, defect 10).
    """
    check_type("incident", incident, Incident, "an Incident")
    known = incident.as_of(now)
    if known is None or known.phase is Phase.DISMISSED:
        return ()
    incident = known
    rest = [duty for duty in obligations(incident, now) if duty.status in _OPEN]
    declaration = _checklist_steps(incident, "declaration", Stage.DECLARATION, rest)
    resolution = _checklist_steps(incident, "resolution", Stage.RESOLUTION, rest)
    steps = declaration if incident.phase not in _RESOLVED else []
    if incident.phase in _RESPONDING:
        steps += _priority_steps(incident, rest, now)
        rest = [duty for duty in rest if _OBLIGATION_STAGES[duty.kind][1] is None]
    if incident.phase in _RESOLVED:
        steps += resolution
    steps += [_from_duty(duty, _OBLIGATION_STAGES[duty.kind][1]) for duty in rest]
    order = list(Stage)
    return tuple(sorted(steps, key=lambda step: order.index(step.stage)))
