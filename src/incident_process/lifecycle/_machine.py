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

import threading
from collections.abc import Mapping

from statemachine import State, StateMachine
from statemachine.exceptions import TransitionNotAllowed

from incident_process.events import Event
from incident_process.policy import Policy
from incident_process.vocabulary import Phase

from ._rules import (
    Attempt,
    Guard,
    IncidentView,
    RuleBroken,
    approved_when_required,
    first_acknowledgement,
    first_archive,
    first_review,
    is_policy_rule,
    known_step,
    may_declare,
    new_action_item,
    next_escalation_level,
    open_action_item,
    post_incident_optional,
    quiet_period_passed,
    required_steps_done,
    role_changes_hands,
    severity_changes,
    step_once,
    uninvolved_facilitator,
)

__all__ = ["TRANSITIONS", "Lifecycle", "changes_phase", "replay_transition", "run_command"]


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
    resolve = responding.to(resolved, cond=[quiet_period_passed, required_steps_done])
    reopen = resolved.to(responding)
    start_post_incident = resolved.to(post_incident)
    close = resolved.to(closed, cond=[post_incident_optional, required_steps_done]) | post_incident.to(
        closed, cond=required_steps_done
    )

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
    record_errors_stopped = (
        detected.to.itself(internal=True)
        | declared.to.itself(internal=True)
        | responding.to.itself(internal=True)
        | resolved.to.itself(internal=True)
        | post_incident.to.itself(internal=True)
    )
    link_alert = (
        detected.to.itself(internal=True)
        | declared.to.itself(internal=True)
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

    record_action = declared.to.itself(internal=True, cond=approved_when_required) | responding.to.itself(
        internal=True, cond=approved_when_required
    )

    identify_root_cause = (
        responding.to.itself(internal=True)
        | resolved.to.itself(internal=True)
        | post_incident.to.itself(internal=True)
        | closed.to.itself(internal=True)
    )

    complete_step = (
        detected.to.itself(internal=True, cond=[known_step, step_once])
        | declared.to.itself(internal=True, cond=[known_step, step_once])
        | responding.to.itself(internal=True, cond=[known_step, step_once])
        | resolved.to.itself(internal=True, cond=[known_step, step_once])
        | post_incident.to.itself(internal=True, cond=[known_step, step_once])
        | closed.to.itself(internal=True, cond=[known_step, step_once])
    )
    escalate = (
        detected.to.itself(internal=True, cond=next_escalation_level)
        | declared.to.itself(internal=True, cond=next_escalation_level)
        | responding.to.itself(internal=True, cond=next_escalation_level)
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

#: The same, with the rules of history only: what reading a record checks.
_HISTORY_TRANSITIONS = {
    key: (target, tuple(check for check in guards if not is_policy_rule(check)))
    for key, (target, guards) in TRANSITIONS.items()
}


def changes_phase(command: str) -> bool:
    """Whether *command* moves an incident to another phase in any phase that allows it (a decision)."""
    return any(
        target.value != source.value for (source, name), (target, _) in TRANSITIONS.items() if name == command
    )


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


def run_command(phase: Phase, attempt: Attempt) -> Phase:
    """Send the event's command to the machine at *phase*; the phase it moves to.

    Raises:
        RuleBroken: if the phase does not allow the command, or a guard refuses it.
    """
    machine, holder = _machine()
    command = attempt.event.command
    machine.current_state_value = phase.value
    try:
        machine.send(command, attempt=attempt)
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


def replay_transition(
    phase: Phase, event: Event, incident: IncidentView, policy: Policy, *, judge: bool = True
) -> Phase:
    """The same decision as :func:`run_command`, read from :data:`TRANSITIONS`.

    *judge*: check the policy's rules too; without, only the rules of history.
    """
    found = (TRANSITIONS if judge else _HISTORY_TRANSITIONS).get((phase, event.command))
    if found is None:
        raise RuleBroken("lifecycle.phase", _not_allowed(phase, event.command))
    target, guards = found
    if guards:
        attempt = Attempt(incident, event, policy)
        for guard in guards:
            guard(attempt)
    return target
