"""Guide, "3. Response", "Do NOT": what a response did that the guide says not to.

:func:`response_findings` applies the guide's "Do NOT" list to the events:
"Skip mitigation to find root cause", "Make changes without documenting",
"Go dark on communication", "Blame individuals". What counts as what, where
the guide leaves it open:

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

from collections.abc import Iterator
from datetime import datetime

import attrs

from incident_process._arguments import check_type
from incident_process.comms import lint_external
from incident_process.events import ActionTaken, Closed, Event, Resolved, RootCauseIdentified
from incident_process.lifecycle import Incident, obligations
from incident_process.policy import CHECKLISTS
from incident_process.timing._moments import utc
from incident_process.vocabulary import ObligationKind, ObligationStatus

from ._checklists import checklist
from ._next_steps import is_attempt, is_mitigating

__all__ = [
    "RESPONSE_RULES",
    "ResponseFinding",
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
        mitigated = mitigated or is_attempt(event)
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
        if is_mitigating(event):
            message = (
                f"mitigating since {_local(event.at, incident)} with no action recorded: "
                f"record each change with record_action ({_do_not('response.undocumented_change')})"
            )
            return [_at(event, "response.undocumented_change", message)]
    return []


def _went_dark(incident: Incident, now: datetime) -> list[ResponseFinding]:
    late = {ObligationStatus.MISSED, ObligationStatus.OVERDUE}
    findings = []
    for duty in obligations(incident, now):
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
    """Blame in any text of the history; the people recorded on the incident count as people."""
    findings = []
    people = incident.involved_people()
    for event in incident.events:
        for field, text in _texts(event):
            for finding in lint_external(text, incident.policy, people=people):
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
        TypeError: if *incident* is not an Incident (issue 19, defect 10).
    """
    check_type("incident", incident, Incident, "an Incident")
    known = incident.as_of(now)
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
