"""On-call readiness and the shift hand-off.

Guide, "On-Call Responsibilities":

    Before Incident: Ensure PagerDuty profile is current; Have laptop and
    internet access available; Know how to access runbooks and dashboards;
    Be familiar with recent deployments.

    After Incident: ... Hand off context at shift change.

and "Tools and Access", "Required Access for On-Call" (six accesses), and
"#oncall-handoff: Shift change notes". The items are the policy's
``on_call`` group; :func:`check_readiness` checks a person against them, and
:func:`hand_off` builds the shift hand-off: every open incident with the
roles the outgoing person holds in it, what it owes next and what is late.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

import attrs

from incident_process._arguments import check_type
from incident_process.errors import PlaybookError
from incident_process.lifecycle import Incident, Obligation, obligations
from incident_process.policy import DEFAULT_POLICY, Policy, ReadinessItem
from incident_process.timing._calendar import resolve_zone
from incident_process.timing._moments import aware
from incident_process.vocabulary import ObligationStatus, Phase, Role, Severity

from ._next_steps import NextStep, next_steps

__all__ = ["HandoffEntry", "OnCallProfile", "Readiness", "ShiftHandoff", "check_readiness", "hand_off"]


def _ids(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        msg = f"OnCallProfile: expected a set of item ids, got the string {value!r}"
        raise PlaybookError(msg)
    try:
        ids = frozenset(value)
    except TypeError:
        msg = f"OnCallProfile: expected a set of item ids, got {value!r}"
        raise PlaybookError(msg) from None
    if not all(isinstance(item, str) for item in ids):
        msg = f"OnCallProfile: item ids are text, got {sorted(map(repr, ids))}"
        raise PlaybookError(msg)
    return ids


@attrs.frozen(kw_only=True)
class OnCallProfile:
    """What an on-call engineer has confirmed and holds.

    Attributes:
        person: Who.
        confirmed: The ids of the policy's ``on_call.before_incident`` items
            they confirmed (``"paging_profile_current"``, ...).
        access: The ids of the policy's ``on_call.required_access`` they hold
            (``"pagerduty"``, ``"status_page_admin"``, ...).
    """

    person: str
    confirmed: frozenset[str] = attrs.field(default=frozenset(), converter=_ids)
    access: frozenset[str] = attrs.field(default=frozenset(), converter=_ids)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.person, str) or not self.person.strip():
            msg = f"OnCallProfile.person: expected non-empty text, got {self.person!r}"
            raise PlaybookError(msg)


@attrs.frozen(kw_only=True)
class Readiness:
    """Whether a person is ready to be on call, and what is missing.

    Attributes:
        person: Who.
        missing: The "Before Incident" items not confirmed.
        missing_access: The required accesses not held.
    """

    person: str
    missing: tuple[ReadinessItem, ...]
    missing_access: tuple[ReadinessItem, ...]

    @property
    def ready(self) -> bool:
        """Whether nothing is missing."""
        return not self.missing and not self.missing_access

    def __str__(self) -> str:
        if self.ready:
            return f"{self.person} is ready to be on call"
        lines = [f"{self.person} is not ready to be on call:"]
        lines += [f"- before incident: {item.text}" for item in self.missing]
        lines += [f"- access: {item.text}" for item in self.missing_access]
        return "\n".join(lines)


def check_readiness(profile: OnCallProfile, *, policy: Policy = DEFAULT_POLICY) -> Readiness:
    """Check *profile* against the policy's on-call items (guide, "Before Incident", "Required Access").

    Raises:
        PlaybookError: for an item id the policy does not have (a typo would
            otherwise read as "not confirmed").
        TypeError: for an argument of the wrong type, naming it (issue 19, defect 10).
    """
    check_type("profile", profile, OnCallProfile, "an OnCallProfile")
    check_type("policy", policy, Policy, "a Policy")
    on_call = policy.on_call
    for field, items in (("confirmed", on_call.before_incident), ("access", on_call.required_access)):
        known = {item.id for item in items}
        unknown = sorted(getattr(profile, field) - known)
        if unknown:
            listed = ", ".join(map(repr, unknown))
            msg = f"{field}: unknown items {listed}; the policy has {', '.join(sorted(known))}"
            raise PlaybookError(msg)
    return Readiness(
        person=profile.person,
        missing=tuple(item for item in on_call.before_incident if item.id not in profile.confirmed),
        missing_access=tuple(item for item in on_call.required_access if item.id not in profile.access),
    )


# --- the hand-off ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class HandoffEntry:
    """One open incident, as the hand-off carries it.

    Attributes:
        incident_id: Its id.
        title: Its title.
        phase: Where it is.
        severity: Its severity, once declared.
        roles: The roles the outgoing person holds in it: to hand off
            (:meth:`Incident.hand_off_role <incident_process.Incident.hand_off_role>`).
        next_steps: What it owes next at the hand-off.
        late: Its duties missed or overdue at the hand-off.
        note: The outgoing person's note.
    """

    incident_id: str
    title: str
    phase: Phase
    severity: Severity | None
    roles: tuple[Role, ...]
    next_steps: tuple[NextStep, ...]
    late: tuple[Obligation, ...]
    note: str = ""


@attrs.frozen(kw_only=True)
class ShiftHandoff:
    """A shift hand-off (guide, "Hand off context at shift change").

    Attributes:
        from_person: Who hands off.
        to_person: Who takes over.
        at: When.
        channel: Where it is posted ("#oncall-handoff").
        entries: The open incidents, in the order given.
        not_carried: The ids of the closed or dismissed incidents given,
            which need no hand-off.
    """

    from_person: str
    to_person: str
    at: datetime
    channel: str
    entries: tuple[HandoffEntry, ...]
    not_carried: tuple[str, ...] = ()

    def render(self) -> str:
        """The hand-off as the text to post in its channel."""
        lines = [f"Shift hand-off {self.at:%Y-%m-%d %H:%M %Z}: {self.from_person} to {self.to_person}"]
        if not self.entries:
            lines.append("No open incidents.")
        for entry in self.entries:
            severity = entry.severity.value if entry.severity else "not declared"
            lines += ["", f"{entry.incident_id} ({severity}, {entry.phase.value}): {entry.title}"]
            if entry.roles:
                held = ", ".join(role.value for role in entry.roles)
                lines.append(f"- {self.from_person} holds {held}: hand off to {self.to_person}")
            lines += [f"- late: {duty.detail}, due {duty.due_at:%Y-%m-%d %H:%M %Z}" for duty in entry.late]
            for step in entry.next_steps:
                due = f", due {step.due_at:%Y-%m-%d %H:%M %Z}" if step.due_at else ""
                lines.append(f"- next: {step.what}{due}")
            if entry.note:
                lines.append(f"- note: {entry.note}")
        if self.not_carried:
            lines += ["", f"Not carried (closed or dismissed): {', '.join(self.not_carried)}"]
        return "\n".join(lines)


_ENDED = frozenset({Phase.CLOSED, Phase.DISMISSED})


def _as_of_hand_off(incidents: Iterable[Incident], at: datetime) -> list[Incident]:
    """Each incident as its events up to *at* make it; each once, each detected by then."""
    if isinstance(incidents, Incident):
        msg = "incidents: expected a list of incidents, got one Incident; pass [incident]"
        raise PlaybookError(msg)
    try:
        items = list(incidents)
    except TypeError:
        msg = f"incidents: expected a list of incidents, got {incidents!r}"
        raise PlaybookError(msg) from None
    given: list[Incident] = []
    for index, incident in enumerate(items):
        if not isinstance(incident, Incident):
            msg = f"incidents[{index}]: expected an Incident, got {type(incident).__name__}"
            raise PlaybookError(msg)
        known = incident.as_of(at)
        if known is None:
            msg = f"incidents[{index}]: {incident.id} was detected after the hand-off"
            raise PlaybookError(msg)
        if any(earlier.id == known.id for earlier in given):
            msg = f"incidents[{index}]: {known.id} is given twice"
            raise PlaybookError(msg)
        given.append(known)
    return given


_LATE = frozenset({ObligationStatus.OVERDUE, ObligationStatus.MISSED})


def hand_off(  # noqa: PLR0913 - the hand-off's own fields
    incidents: Iterable[Incident],
    *,
    from_person: str,
    to_person: str,
    at: datetime,
    notes: Mapping[str, str] | None = None,
    policy: Policy | None = None,
) -> ShiftHandoff:
    """The shift hand-off from *from_person* to *to_person* at *at*: every open incident with its context.

    Every incident is taken as its events up to *at* make it (its phase, its
    roles, what it owes). *notes* are the outgoing person's notes, by
    incident id. Duties late at *at* are listed as late, the rest of what is
    owed as next steps. The channel is the policy's ``on_call.handoff_channel``;
    the policy is the incidents' own unless *policy* says otherwise, and
    every time is shown in its zone.

    Raises:
        PlaybookError: for a naive *at*, a missing or equal person, an item
            that is not an incident, an incident detected after *at* or given
            twice, or a note for an incident not given.
        TypeError: if *notes* is not a mapping or *policy* not a Policy or
            None (issue 19, defect 10).
    """
    check_type("notes", notes, (Mapping, type(None)), "a mapping of incident ids to notes, or None")
    check_type("policy", policy, (Policy, type(None)), "a Policy or None")
    aware(at, "at", PlaybookError)
    for name, person in (("from_person", from_person), ("to_person", to_person)):
        if not isinstance(person, str) or not person.strip():
            msg = f"{name}: expected non-empty text, got {person!r}"
            raise PlaybookError(msg)
    if from_person == to_person:
        msg = f"to_person: the shift is handed to someone else, got {to_person!r} twice"
        raise PlaybookError(msg)
    given = _as_of_hand_off(incidents, at)
    unknown = sorted(set(notes or {}) - {incident.id for incident in given})
    if unknown:
        msg = f"notes: no incident {', '.join(map(repr, unknown))} among those handed off"
        raise PlaybookError(msg)
    entries = []
    for incident in given:
        if incident.phase in _ENDED:
            continue
        entries.append(
            HandoffEntry(
                incident_id=incident.id,
                title=incident.title,
                phase=incident.phase,
                severity=incident.severity,
                roles=tuple(
                    role for role, person in incident.role_holders().items() if person == from_person
                ),
                next_steps=tuple(step for step in next_steps(incident, at) if not step.overdue),
                late=tuple(duty for duty in obligations(incident, at) if duty.status in _LATE),
                note=(notes or {}).get(incident.id, ""),
            )
        )
    chosen = policy if policy is not None else (given[0].policy if given else DEFAULT_POLICY)
    return ShiftHandoff(
        from_person=from_person,
        to_person=to_person,
        at=at.astimezone(resolve_zone(chosen.zone)),
        channel=chosen.on_call.handoff_channel,
        entries=tuple(entries),
        not_carried=tuple(incident.id for incident in given if incident.phase in _ENDED),
    )
