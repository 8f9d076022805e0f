"""The incident lifecycle as a python-statemachine machine, every rule a guard.

Guide, "Incident Lifecycle": Detection → Declaration → Response → Resolution
→ Post-Incident. The phases are ``detected -> declared -> responding ->
resolved -> post_incident -> closed``, and ``detected -> dismissed`` when the
criteria are not met. Commands that record something without changing the
phase are transitions of a phase to itself, so the machine says where each
command is allowed.

:class:`Lifecycle` is the one definition. Commands run through a real machine
(one per thread, re-pointed at the incident's phase: building a machine costs
more than a transition). Replaying recorded events uses :data:`TRANSITIONS`,
the same transitions and guards read from the machine's class, so a replay
never builds or drives a machine per event and cannot drift from it.
"""

from __future__ import annotations

import enum
import functools
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol

import attrs
from statemachine import State, StateMachine
from statemachine.exceptions import TransitionNotAllowed

from ._events import (
    ActionItemAdded,
    ActionItemCompleted,
    Declared,
    Event,
    Resolved,
    ReviewHeld,
    RoleAssigned,
    SeverityChanged,
)
from ._policy import Policy
from ._vocabulary import Role, Severity

__all__ = ["TRANSITIONS", "Lifecycle", "Phase", "RuleBroken", "run_command"]


class Phase(enum.Enum):
    """Where an incident is in its lifecycle (guide, "Incident Lifecycle")."""

    DETECTED = "detected"
    DECLARED = "declared"
    RESPONDING = "responding"
    RESOLVED = "resolved"
    POST_INCIDENT = "post_incident"
    CLOSED = "closed"
    DISMISSED = "dismissed"


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


@attrs.frozen
class Check:
    """What a guard is given: the incident before the event, the event, the policy."""

    incident: IncidentView
    event: Event
    policy: Policy


Guard = Callable[[Check], bool]


# --- guards: one rule of the guide each ------------------------------------------
#
# A guard returns why it refuses (or None); @guard gives it its rule id and
# turns a refusal into RuleBroken, for the machine and for replay alike.


def guard(rule: str) -> Callable[[Callable[[Check], str | None]], Guard]:
    """Make a check that returns a reason into a guard of *rule* (``guard.rule``)."""

    def decorate(check_rule: Callable[[Check], str | None]) -> Guard:
        @functools.wraps(check_rule)
        def run(check: Check) -> bool:
            reason = check_rule(check)
            if reason is not None:
                raise RuleBroken(rule, reason)
            return True

        run.rule = rule  # type: ignore[attr-defined] # read by the docs' commands table
        return run

    return decorate


@guard("declaration.who_may_declare")
def may_declare(check: Check) -> str | None:
    """Guide, "Who can declare an incident": any on-call engineer, support lead or engineering manager."""
    event = check.event
    allowed = check.policy.declaration.who_may_declare
    if isinstance(event, Declared) and event.declarer_role not in allowed:
        return (
            f"declarer role {event.declarer_role!r} may not declare; only {', '.join(map(repr, allowed))} may"
        )
    return None


@guard("resolution.quiet_period")
def quiet_period_passed(check: Check) -> str | None:
    """Guide, "Resolution is declared when": no new error reports for 15 min (SEV1/2) or 30 min (SEV3)."""
    event, severity = check.event, check.incident.severity
    if isinstance(event, Resolved) and severity is not None:
        quiet = check.policy.resolution.quiet_period[severity]
        waited = event.at - event.last_error_at
        if waited < quiet:
            return (
                f"{severity.value} needs no new error reports for {_minutes(quiet.total_seconds())}; "
                f"the last was {_minutes(waited.total_seconds())} before"
            )
    return None


@guard("post_incident.required")
def post_incident_optional(check: Check) -> str | None:
    """Guide, "5. Post-Incident": required for all SEV1 and SEV2 incidents, optional for SEV3."""
    severity = check.incident.severity
    if severity is not None and severity in check.policy.post_incident.required_for:
        return f"a {severity.value} incident needs its post-incident process before it closes"
    return None


@guard("severity.unchanged")
def severity_changes(check: Check) -> str | None:
    """Every change of severity is an event with its reason; a "change" to the same one is none."""
    event = check.event
    if isinstance(event, SeverityChanged) and event.severity is check.incident.severity:
        return f"the incident is already {event.severity.value}"
    return None


@guard("roles.already_held")
def role_changes_hands(check: Check) -> str | None:
    """Assigning a role to the person who holds it records nothing."""
    event = check.event
    if isinstance(event, RoleAssigned) and check.incident.holders.get(event.role) == event.person:
        return f"{event.person} already holds {event.role.value}"
    return None


@guard("detection.acknowledged_once")
def first_acknowledgement(check: Check) -> str | None:
    """Guide, "Acknowledge pages within 5 minutes": a page is acknowledged once."""
    acknowledged_at = check.incident.acknowledged_at
    return None if acknowledged_at is None else f"already acknowledged at {acknowledged_at.isoformat()}"


@guard("channel.archived_once")
def first_archive(check: Check) -> str | None:
    """Guide, "Close incident channel (archive after 24h)": a channel is archived once."""
    archived_at = check.incident.channel_archived_at
    return None if archived_at is None else f"the channel was archived at {archived_at.isoformat()}"


@guard("post_incident.review_once")
def first_review(check: Check) -> str | None:
    """Guide, "Post-Incident Review Process": one review meeting per incident."""
    held_at = check.incident.review_held_at
    return None if held_at is None else f"the review was held at {held_at.isoformat()}"


@guard("post_incident.facilitator_uninvolved")
def uninvolved_facilitator(check: Check) -> str | None:
    """Guide, "Facilitator: Rotating, not someone involved in incident".

    Involved: anyone who held a role or acted in an event (acknowledged,
    declared, owns an action item).
    """
    event = check.event
    rule_applies = check.policy.post_incident.review.facilitator_uninvolved
    if isinstance(event, ReviewHeld) and rule_applies and event.facilitator in check.incident.involved:
        return f"{event.facilitator} was involved in the incident and may not facilitate its review"
    return None


@guard("action_items.duplicate_id")
def new_action_item(check: Check) -> str | None:
    """Action items are tracked by an id unique within the incident."""
    event = check.event
    if isinstance(event, ActionItemAdded) and event.item_id in check.incident.action_item_ids:
        return f"an action item {event.item_id!r} exists already"
    return None


@guard("action_items.not_open")
def open_action_item(check: Check) -> str | None:
    """Guide, "Action items tracked: Until completion": only an open item can be completed."""
    event = check.event
    if isinstance(event, ActionItemCompleted) and event.item_id not in check.incident.open_action_items:
        state = "is complete already" if event.item_id in check.incident.action_item_ids else "does not exist"
        return f"action item {event.item_id!r} {state}"
    return None


def _minutes(seconds: float) -> str:
    minutes = seconds / 60
    return f"{minutes:g} minute{'' if minutes == 1 else 's'}"


# --- the machine -------------------------------------------------------------------


class Lifecycle(StateMachine):
    """The lifecycle: phases, commands and their guards."""

    # A closed incident still takes its follow-ups (archiving the channel, a late
    # review or document, action items until completion), so only "dismissed" is
    # final, and the phases after declaration need no path to it.
    validate_final_reachability = False

    detected = State("Detected", initial=True, value="detected")
    declared = State("Declared", value="declared")
    responding = State("Responding", value="responding")
    resolved = State("Resolved", value="resolved")
    post_incident = State("Post-incident", value="post_incident")
    closed = State("Closed", value="closed")
    dismissed = State("Dismissed", final=True, value="dismissed")

    declare = detected.to(declared, cond=may_declare)
    dismiss = detected.to(dismissed)
    start_response = declared.to(responding)
    resolve = responding.to(resolved, cond=quiet_period_passed)
    reopen = resolved.to(responding)
    start_post_incident = resolved.to(post_incident)
    close = resolved.to(closed, cond=post_incident_optional) | post_incident.to(closed)

    acknowledge = (
        detected.to.itself(internal=True, cond=first_acknowledgement)
        | declared.to.itself(internal=True, cond=first_acknowledgement)
        | responding.to.itself(internal=True, cond=first_acknowledgement)
    )
    assign_role = (
        declared.to.itself(internal=True, cond=role_changes_hands)
        | responding.to.itself(internal=True, cond=role_changes_hands)
        | resolved.to.itself(internal=True, cond=role_changes_hands)
    )
    change_severity = declared.to.itself(internal=True, cond=severity_changes) | responding.to.itself(
        internal=True, cond=severity_changes
    )
    post_update = (
        declared.to.itself(internal=True)
        | responding.to.itself(internal=True)
        | resolved.to.itself(internal=True)
        | post_incident.to.itself(internal=True)
    )
    record_milestone = (
        detected.to.itself(internal=True)
        | declared.to.itself(internal=True)
        | responding.to.itself(internal=True)
        | resolved.to.itself(internal=True)
        | post_incident.to.itself(internal=True)
    )

    # Follow-ups, which go on after closing.
    archive_channel = (
        resolved.to.itself(internal=True, cond=first_archive)
        | post_incident.to.itself(internal=True, cond=first_archive)
        | closed.to.itself(internal=True, cond=first_archive)
    )
    hold_review = post_incident.to.itself(
        internal=True, cond=[first_review, uninvolved_facilitator]
    ) | closed.to.itself(internal=True, cond=[first_review, uninvolved_facilitator])
    publish_document = post_incident.to.itself(internal=True) | closed.to.itself(internal=True)
    add_action_item = post_incident.to.itself(internal=True, cond=new_action_item) | closed.to.itself(
        internal=True, cond=new_action_item
    )
    complete_action_item = post_incident.to.itself(internal=True, cond=open_action_item) | closed.to.itself(
        internal=True, cond=open_action_item
    )


def _read_transitions() -> Mapping[tuple[Phase, str], tuple[Phase, tuple[Guard, ...]]]:
    table: dict[tuple[Phase, str], tuple[Phase, tuple[Guard, ...]]] = {}
    for state in Lifecycle.states:
        for transition in state.transitions:
            guards = tuple(spec.func for spec in transition.cond)
            table[Phase(state.value), transition.event] = (Phase(transition.target.value), guards)
    return table


#: ``(phase, command) -> (next phase, guards)``, read from :class:`Lifecycle`.
TRANSITIONS: Mapping[tuple[Phase, str], tuple[Phase, tuple[Guard, ...]]] = _read_transitions()


class _PhaseHolder:
    """The model a per-thread machine keeps its state in."""

    __slots__ = ("state",)

    def __init__(self) -> None:
        self.state: str | None = None


_local = threading.local()


def _machine() -> tuple[Lifecycle, _PhaseHolder]:
    pair: tuple[Lifecycle, _PhaseHolder] | None = getattr(_local, "pair", None)
    if pair is None:
        holder = _PhaseHolder()
        pair = (Lifecycle(holder), holder)
        _local.pair = pair
    return pair


def run_command(phase: Phase, check: Check) -> Phase:
    """Send the event's command to the machine at *phase*; the phase it moves to.

    Raises:
        RuleBroken: if the phase does not allow the command, or a guard refuses it.
    """
    machine, holder = _machine()
    command = check.event.command
    machine.current_state_value = phase.value
    try:
        machine.send(command, check=check)
    except TransitionNotAllowed:
        raise RuleBroken("lifecycle.phase", _not_allowed(phase, command)) from None
    except BaseException:
        _local.pair = None  # a machine that failed mid-step is not reused
        raise
    moved_to = Phase(holder.state)
    if moved_to in _FINAL:
        # Entering a final state terminates a machine: the next command gets a new one.
        _local.pair = None
    return moved_to


_FINAL = frozenset(Phase(state.value) for state in Lifecycle.states if state.final)


def _not_allowed(phase: Phase, command: str) -> str:
    allowed = sorted(name for (source, name) in TRANSITIONS if source is phase)
    if not allowed:
        return f"a {phase.value} incident takes no more commands"
    return f"{command} is not allowed when {phase.value}; allowed: {', '.join(allowed)}"


def replay_transition(phase: Phase, event: Event, incident: IncidentView, policy: Policy) -> Phase:
    """The same decision as :func:`run_command`, read from :data:`TRANSITIONS`."""
    found = TRANSITIONS.get((phase, event.command))
    if found is None:
        raise RuleBroken("lifecycle.phase", _not_allowed(phase, event.command))
    target, guards = found
    if guards:
        check = Check(incident, event, policy)
        for guard in guards:
            guard(check)
    return target
