"""The guide's rules for the lifecycle: one guard per rule.

Each guard is a function of an :class:`Attempt` (the incident before the
event, the event, the policy) that returns why it refuses, or ``None``;
``@guard`` names its rule (``"resolution.quiet_period"``). The machine
(:mod:`incident_process.lifecycle._machine`) attaches them to its
transitions; replaying recorded events calls the same guards.

Rules are of two kinds. The rules of history hold whatever the policy says
(a page is acknowledged once, an action item is completed once): every
replay checks them. The policy's rules (who may declare, the quiet period,
approvals, the escalation path, ...) judge a command when it is made: a
record read under a changed policy keeps what was accepted under the old one
(:data:`POLICY_RULES`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Protocol

import attrs

from incident_process.events import (
    ActionItemAdded,
    ActionItemCompleted,
    ActionTaken,
    ChecklistStepCompleted,
    Declared,
    Escalated,
    Event,
    Resolved,
    ReviewHeld,
    RoleAssigned,
    SeverityChanged,
)
from incident_process.policy import CHECKLISTS, ChecklistStep, Policy
from incident_process.timing import describe_duration
from incident_process.timing._moments import utc
from incident_process.vocabulary import Role, Severity

__all__ = ["POLICY_RULES", "Attempt", "Guard", "IncidentView", "RuleBroken", "guard", "is_policy_rule"]


class RuleBroken(Exception):  # noqa: N818 - a guard's verdict, turned into CommandRefusedError or ReplayError
    """A guard's refusal: the rule's id and why."""

    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(reason)
        self.rule = rule
        self.reason = reason


class IncidentView(Protocol):
    """What guards read of an incident's current state."""

    @property
    def severity(self) -> Severity | None:
        """The current severity, once declared."""

    @property
    def acknowledged_at(self) -> datetime | None:
        """When the page was first acknowledged."""

    @property
    def holders(self) -> Mapping[Role, str]:
        """Who holds each role now."""

    @property
    def channel_archived_at(self) -> datetime | None:
        """When the incident channel was archived."""

    @property
    def review_held_at(self) -> datetime | None:
        """When the post-incident review was held."""

    @property
    def open_action_items(self) -> frozenset[str] | set[str]:
        """The ids of the action items not yet completed."""

    @property
    def action_item_ids(self) -> frozenset[str] | set[str]:
        """The ids of every action item."""

    @property
    def involved(self) -> frozenset[str] | set[str]:
        """Everyone who held a role or acted in an event."""

    @property
    def steps(self) -> Mapping[tuple[str, str], object]:
        """The checklist steps done, by ``(checklist, step id)``."""

    @property
    def escalated_to(self) -> Sequence[str]:
        """The levels escalated to, in order."""


@attrs.frozen
class Attempt:
    """What a guard is given: the incident before the event, the event, the policy."""

    incident: IncidentView
    event: Event
    policy: Policy


Guard = Callable[[Attempt], bool]


# --- guards: one rule of the guide each ------------------------------------------
#
# A guard returns why it refuses (or None); @guard gives it its rule id and
# turns a refusal into RuleBroken, for the machine and for replay alike.


#: The rules that judge a command under the policy it is made under; reading history does not re-judge.
POLICY_RULES: set[str] = set()


def guard(rule: str, *, policy: bool = False) -> Callable[[Callable[[Attempt], str | None]], Guard]:
    """Make a function that returns why it refuses into a guard of *rule* (``guard.rule``).

    *policy*: the rule is the policy's (see the module docstring).
    """
    if policy:
        POLICY_RULES.add(rule)

    def decorate(refusal_of: Callable[[Attempt], str | None]) -> Guard:
        @functools.wraps(refusal_of)
        def run(attempt: Attempt) -> bool:
            reason = refusal_of(attempt)
            if reason is not None:
                raise RuleBroken(rule, reason)
            return True

        run.rule = rule  # type: ignore[attr-defined] # read by the docs' commands table
        return run

    return decorate


def is_policy_rule(check: Guard) -> bool:
    """Whether *check* is one of the policy's rules (:data:`POLICY_RULES`)."""
    return getattr(check, "rule", None) in POLICY_RULES


@guard("declaration.who_may_declare", policy=True)
def may_declare(attempt: Attempt) -> str | None:
    """Guide, "Who can declare an incident": any on-call engineer, support lead or engineering manager."""
    event = attempt.event
    allowed = attempt.policy.declaration.who_may_declare
    if isinstance(event, Declared) and event.declarer_role not in allowed:
        return (
            f"declarer role {event.declarer_role!r} may not declare; only {', '.join(map(repr, allowed))} may"
        )
    return None


@guard("resolution.quiet_period", policy=True)
def quiet_period_passed(attempt: Attempt) -> str | None:
    """Guide, "Resolution is declared when": no new error reports for 15 min (SEV1/2) or 30 min (SEV3)."""
    event, severity = attempt.event, attempt.incident.severity
    if isinstance(event, Resolved) and severity is not None:
        quiet = attempt.policy.resolution.quiet_period[severity]
        waited = utc(event.at) - utc(event.last_error_at)
        if waited < quiet:
            return (
                f"{severity.value} needs no new error reports for {describe_duration(quiet)}; "
                f"the last was {describe_duration(waited)} before"
            )
    return None


@guard("post_incident.required", policy=True)
def post_incident_optional(attempt: Attempt) -> str | None:
    """Guide, "5. Post-Incident": required for all SEV1 and SEV2 incidents, optional for SEV3."""
    severity = attempt.incident.severity
    if severity is not None and severity in attempt.policy.post_incident.required_for:
        return f"a {severity.value} incident needs its post-incident process before it closes"
    return None


@guard("severity.unchanged")
def severity_changes(attempt: Attempt) -> str | None:
    """Every change of severity is an event with its reason; a "change" to the same one is none."""
    event = attempt.event
    if isinstance(event, SeverityChanged) and event.severity is attempt.incident.severity:
        return f"the incident is already {event.severity.value}"
    return None


@guard("roles.already_held")
def role_changes_hands(attempt: Attempt) -> str | None:
    """Assigning a role to the person who holds it records nothing."""
    event = attempt.event
    if isinstance(event, RoleAssigned) and attempt.incident.holders.get(event.role) == event.person:
        return f"{event.person} already holds {event.role.value}"
    return None


@guard("detection.acknowledged_once")
def first_acknowledgement(attempt: Attempt) -> str | None:
    """Guide, "Acknowledge pages within 5 minutes": a page is acknowledged once."""
    acknowledged_at = attempt.incident.acknowledged_at
    return None if acknowledged_at is None else f"already acknowledged at {acknowledged_at.isoformat()}"


@guard("channel.archived_once")
def first_archive(attempt: Attempt) -> str | None:
    """Guide, "Close incident channel (archive after 24h)": a channel is archived once."""
    archived_at = attempt.incident.channel_archived_at
    return None if archived_at is None else f"the channel was archived at {archived_at.isoformat()}"


@guard("post_incident.review_once")
def first_review(attempt: Attempt) -> str | None:
    """Guide, "Post-Incident Review Process": one review meeting per incident."""
    held_at = attempt.incident.review_held_at
    return None if held_at is None else f"the review was held at {held_at.isoformat()}"


@guard("post_incident.facilitator_uninvolved", policy=True)
def uninvolved_facilitator(attempt: Attempt) -> str | None:
    """Guide, "Facilitator: Rotating, not someone involved in incident".

    Involved: anyone who held a role or acted in an event (acknowledged,
    declared, owns an action item).
    """
    event = attempt.event
    rule_applies = attempt.policy.post_incident.review.facilitator_uninvolved
    if isinstance(event, ReviewHeld) and rule_applies and event.facilitator in attempt.incident.involved:
        return f"{event.facilitator} was involved in the incident and may not facilitate its review"
    return None


@guard("runbook.approval", policy=True)
def approved_when_required(attempt: Attempt) -> str | None:
    """Guide, "Runbooks for Specific Systems": "Failover to read replica (requires IC approval)".

    A runbook step that needs a role's approval must name, as ``approved_by``,
    the person who holds that role when the step is taken. The runbooks
    (:data:`~incident_process.detection.RUNBOOKS`) load with the first action
    recorded, so that incidents that record none never load detection.
    """
    from incident_process.detection._scenarios import runbook_step

    event = attempt.event
    if not isinstance(event, ActionTaken):
        return None
    step = runbook_step(event.action)
    if step is None or step.approval_by is None:
        return None
    holder = attempt.incident.holders.get(step.approval_by)
    if holder is None:
        return (
            f"{event.action} needs the approval of the {step.approval_by.value}, and nobody holds that role"
        )
    if event.approved_by != holder:
        given = "no approval" if event.approved_by is None else f"approval by {event.approved_by}"
        return f"{event.action} needs the approval of the {step.approval_by.value} ({holder}); got {given}"
    return None


@guard("action_items.duplicate_id")
def new_action_item(attempt: Attempt) -> str | None:
    """Action items are tracked by an id unique within the incident."""
    event = attempt.event
    if isinstance(event, ActionItemAdded) and event.item_id in attempt.incident.action_item_ids:
        return f"an action item {event.item_id!r} exists already"
    return None


@guard("action_items.not_open")
def open_action_item(attempt: Attempt) -> str | None:
    """Guide, "Action items tracked: Until completion": only an open item can be completed."""
    event = attempt.event
    if isinstance(event, ActionItemCompleted) and event.item_id not in attempt.incident.open_action_items:
        state = (
            "is complete already" if event.item_id in attempt.incident.action_item_ids else "does not exist"
        )
        return f"action item {event.item_id!r} {state}"
    return None


def _checklist(policy: Policy, name: str) -> tuple[ChecklistStep, ...]:
    steps: tuple[ChecklistStep, ...] = getattr(policy, name).checklist  # each checklist names its group
    return steps


@guard("checklist.known_step", policy=True)
def known_step(attempt: Attempt) -> str | None:
    """Guide, "Declaration checklist", "Resolution checklist": a step the policy has, for this severity."""
    event = attempt.event
    if not isinstance(event, ChecklistStepCompleted):
        return None
    if event.checklist not in CHECKLISTS:
        return f"unknown checklist {event.checklist!r}; expected one of {', '.join(map(repr, CHECKLISTS))}"
    steps = _checklist(attempt.policy, event.checklist)
    step = next((step for step in steps if step.id == event.step), None)
    if step is None:
        known = ", ".join(step.id for step in steps) or "none"
        return f"the {event.checklist} checklist has no step {event.step!r} (its steps: {known})"
    severity = attempt.incident.severity
    if severity is not None and not step.applies_to(severity):
        return f"{event.checklist}.{event.step} does not apply to a {severity.value} incident"
    return None


@guard("checklist.step_once")
def step_once(attempt: Attempt) -> str | None:
    """A checklist step is done once (by its event, or by completing it)."""
    event = attempt.event
    if isinstance(event, ChecklistStepCompleted):
        done = attempt.incident.steps.get((event.checklist, event.step))
        if done is not None:
            return f"{event.checklist}.{event.step} was done already ({getattr(done, 'event_id', done)})"
    return None


@guard("checklist.required_steps", policy=True)
def required_steps_done(attempt: Attempt) -> str | None:
    """Guide, "Declaration checklist" and "Resolution checklist", where the policy enforces them.

    With ``enforce_checklist`` set, a step required before resolving (or
    closing) must be done first; otherwise open steps are reported by audits.
    """
    command = type(attempt.event).command
    open_steps = []
    for name in CHECKLISTS:
        group = getattr(attempt.policy, name)
        if not group.enforce_checklist:
            continue
        open_steps += [
            f"{name}.{step.id} ({step.text})"
            for step in group.checklist
            if step.before == command
            and step.applies_to(attempt.incident.severity)
            and (name, step.id) not in attempt.incident.steps
        ]
    if open_steps:
        return f"checklist steps required before {command} are open: {'; '.join(open_steps)}"
    return None


@guard("escalation.next_level", policy=True)
def next_escalation_level(attempt: Attempt) -> str | None:
    """Guide, "Follow escalation path if unable to resolve": one level at a time, in the path's order.

    The first level (the on-call engineer) is where the response starts; each
    escalation goes to the next level of the path for the incident's
    severity (VP Engineering only for SEV1).
    """
    event = attempt.event
    if not isinstance(event, Escalated):
        return None
    escalation = attempt.policy.escalation
    level = escalation.next_level(attempt.incident.severity, attempt.incident.escalated_to)
    if level is None:
        path = escalation.path_for(attempt.incident.severity)
        return f"no level of the escalation path is left above {path[-1].who if path else 'nobody'}"
    if event.to != level.who:
        return f"the next level is {level.who}, not {event.to}"
    return None
