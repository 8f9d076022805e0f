"""When to look again: reminders of duties, when an incident may be resolved, and its next change.

Everything here is a pure function of the incident and a moment, so a
service sleeps exactly until the next thing and does nothing in between:

* :func:`reminders`: the reminders due as of a moment, one per open duty
  whose policy rule (``[reminders]``) says so, with the duty's id and the
  people to remind (guide, "Internal Communication", "External
  Communication");
* :func:`may_resolve_at`: the end of the quiet period since the errors
  stopped (guide, "4. Resolution": "No new error reports for 15 minutes
  (SEV1/2) or 30 minutes (SEV3)");
* :func:`next_change`: the earliest moment after a given one at which the
  incident's obligations, next steps or reminders change: a duty becomes
  overdue, a reminder comes due, the quiet period ends, an event dated later
  happens. The obligations, next steps and reminders are the same at every
  moment from ``now`` up to that one, and differ at it;
* :func:`upcoming`: those moments for many incidents, in time order.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from incident_process._arguments import check_incident, check_type
from incident_process.errors import CalendarError
from incident_process.timing import BusinessCalendar
from incident_process.timing._moments import aware, utc
from incident_process.vocabulary import ObligationKind, ObligationStatus, Phase, Role

from ._obligations import Obligation, obligations

if TYPE_CHECKING:
    from incident_process.policy import ReminderRule

    from ._incident import Incident

__all__ = ["Reminder", "Upcoming", "may_resolve_at", "next_change", "reminders", "upcoming"]

#: The smallest step of time a datetime takes: just after a moment.
_TICK = timedelta(microseconds=1)
_OPEN = frozenset({ObligationStatus.PENDING, ObligationStatus.OVERDUE})
_RESOLVABLE = frozenset({Phase.DECLARED, Phase.RESPONDING})


@attrs.frozen(kw_only=True)
class Reminder:
    """A reminder of a duty, due as of the moment asked about.

    Attributes:
        id: ``"<duty id>@<n>"``: the duty's id and which of its reminders
            (0 the first, then one more each time it repeats); a service
            sends each id once.
        duty_id: The duty's :attr:`Obligation.id`.
        kind: What the duty is.
        at: When this reminder fell due.
        due_at: When the duty is due.
        overdue: Whether the duty is overdue.
        people: Whom to remind: the holders of the rule's roles, in its
            order (the last holders, once nobody holds them); empty when
            no one ever held them.
        detail: The duty in words (``"update 3"``).
    """

    id: str
    duty_id: str
    kind: ObligationKind
    at: datetime
    due_at: datetime
    overdue: bool
    people: tuple[str, ...]
    detail: str


@attrs.frozen(kw_only=True)
class Upcoming:
    """A moment at which an incident changes, for :func:`upcoming`.

    Attributes:
        at: The moment (the incident is as it was up to it, and differs at it).
        incident_id: Which incident.
        what: What changes: the ids of the duties that become overdue and of
            the reminders that come due, ``"may_resolve"`` when the quiet
            period ends, the ids of events dated then.
    """

    at: datetime
    incident_id: str
    what: tuple[str, ...]


def may_resolve_at(incident: Incident) -> datetime | None:
    """When the quiet period since the errors stopped ends: from then on, the incident may be resolved.

    Guide, "4. Resolution": "No new error reports for 15 minutes (SEV1/2)
    or 30 minutes (SEV3)". From the latest "errors stopped" fact
    (:meth:`Incident.record_errors_stopped`, a resolved alert records it).
    ``None`` for an incident that is not declared or in response, or when
    nobody recorded when the errors stopped.

    Raises:
        TypeError: if *incident* is not an Incident (issue 19, defect 10).
    """
    check_incident("incident", incident)
    stopped, severity = incident.errors_stopped_at, incident.severity
    if stopped is None or severity is None or incident.phase not in _RESOLVABLE:
        return None
    return stopped + incident.policy.resolution.quiet_period[severity]


def _cadence(incident: Incident) -> timedelta | None:
    severity = incident.severity
    return None if severity is None else incident.policy.communication.update_cadence[severity]


def _series(
    duty: Obligation, rule: ReminderRule, cadence: timedelta | None
) -> tuple[datetime, timedelta | None]:
    """The first reminder's moment, and how often the reminders repeat once the duty is overdue."""
    every = (rule.every or cadence) if rule.repeat else None
    return utc(duty.due_at) - rule.before, every


def _people(incident: Incident, roles: Sequence[Role]) -> tuple[str, ...]:
    holders = incident.role_holders()
    found = [holders[role] for role in roles if role in holders]
    if not found:  # nobody holds them any more (a closed incident): who held them last
        last: dict[Role, str] = {tenure.role: tenure.person for tenure in incident.role_tenures()}
        found = [last[role] for role in roles if role in last]
    return tuple(dict.fromkeys(found))


def _reminders(incident: Incident, duties: Iterable[Obligation], now: datetime) -> list[Reminder]:
    rules, cadence = incident.policy.reminders, _cadence(incident)
    found = []
    for duty in duties:
        rule = rules.rule_for(duty.kind)
        if rule is None or duty.status not in _OPEN:
            continue
        first, every = _series(duty, rule, cadence)
        if now < first:
            continue
        due = utc(duty.due_at)
        number = 0 if now <= due or every is None else (now - due) // every
        at = first if number == 0 else due + number * every  # type: ignore[operator] # every is set
        zone = duty.due_at.tzinfo
        found.append(
            Reminder(
                id=f"{duty.id}@{number}",
                duty_id=duty.id,
                kind=duty.kind,
                at=at.astimezone(zone),
                due_at=duty.due_at,
                overdue=duty.status is ObligationStatus.OVERDUE,
                people=_people(incident, rule.remind),
                detail=duty.detail,
            )
        )
    return found


def reminders(
    incident: Incident, now: datetime, *, calendar: BusinessCalendar | None = None
) -> tuple[Reminder, ...]:
    """The reminders due as of *now*: for each open duty with a reminder rule, its latest reminder.

    A duty's first reminder comes at its due time less the rule's
    ``before``; while it is overdue, another every ``every`` (by default the
    update cadence of the incident's severity) after its due time, unless
    the rule does not repeat. See :class:`~incident_process.policy.Reminders`.

    Raises:
        CalendarError: if *now* is naive.
        TypeError: for an argument of the wrong type, naming it.
    """
    check_incident("incident", incident)  # issue 19, defect 10: a wrong type is a TypeError
    check_type("calendar", calendar, (BusinessCalendar, type(None)), "a BusinessCalendar or None")
    moment = utc(aware(now, "now", CalendarError))
    known = incident.as_of(moment)
    if known is None:
        return ()
    return tuple(_reminders(known, obligations(known, moment, calendar=calendar), moment))


def _changes(
    incident: Incident, now: datetime, calendar: BusinessCalendar | None
) -> tuple[datetime, tuple[str, ...]] | None:
    """The next moment the incident changes after *now* (a UTC instant), and what changes then."""
    candidates: list[tuple[datetime, str]] = []
    timeline = incident.timeline  # in time order: the first event dated after now is the next
    later = bisect.bisect_right(timeline, now, key=lambda event: utc(event.at))
    if later < len(timeline):
        candidates.append((utc(timeline[later].at), timeline[later].id))
    known = incident.as_of(now)
    if known is not None:
        duties = obligations(known, now, calendar=calendar)
        rules, cadence = known.policy.reminders, _cadence(known)
        for duty in duties:
            if duty.status is ObligationStatus.PENDING:  # pending up to its due time, overdue after
                candidates.append((utc(duty.due_at) + _TICK, duty.id))
            rule = rules.rule_for(duty.kind)
            if rule is None or duty.status not in _OPEN:
                continue
            first, every = _series(duty, rule, cadence)
            due = utc(duty.due_at)
            if now < first:
                candidates.append((first, f"{duty.id}@0"))
            elif every is not None:
                number = max(1, (now - due) // every + 1)
                candidates.append((due + number * every, f"{duty.id}@{number}"))
        resolvable = may_resolve_at(known)
        if resolvable is not None and utc(resolvable) > now:
            candidates.append((utc(resolvable), "may_resolve"))
    if not candidates:
        return None
    moment = min(at for at, _ in candidates)
    return moment, tuple(dict.fromkeys(what for at, what in candidates if at == moment))


def next_change(
    incident: Incident, now: datetime, *, calendar: BusinessCalendar | None = None
) -> datetime | None:
    """The earliest moment after *now* at which the incident's duties, next steps or reminders change.

    They are the same at every moment from *now* up to the result, and
    differ at it: a duty becomes overdue (a microsecond after its due time),
    a reminder comes due, the quiet period ends (:func:`may_resolve_at`), an
    event dated then happens. ``None`` when nothing will change without a
    new event. In the calendar's zone. A service sleeps until then.

    Raises:
        CalendarError: if *now* is naive.
        TypeError: for an argument of the wrong type, naming it.
    """
    check_incident("incident", incident)  # issue 19, defect 10: a wrong type is a TypeError
    check_type("calendar", calendar, (BusinessCalendar, type(None)), "a BusinessCalendar or None")
    moment = utc(aware(now, "now", CalendarError))
    found = _changes(incident, moment, calendar)
    if found is None:
        return None
    zone = (calendar if calendar is not None else incident.policy.business_calendar()).tz
    return found[0].astimezone(zone)


def upcoming(
    incidents: Iterable[Incident],
    now: datetime,
    *,
    until: datetime,
    calendar: BusinessCalendar | None = None,
) -> Iterator[Upcoming]:
    """Every moment from *now* to *until* at which one of *incidents* changes, in time order.

    For each incident, the moments :func:`next_change` gives one after
    another; each incident is read once (the iterable may be a store's
    stream) and only its moments are kept. A service sleeps until the first
    and handles what it says.

    The arguments are checked when it is called, each incident when it is
    read.

    Raises:
        CalendarError: if *now* or *until* is naive.
        TypeError: for an argument of the wrong type, naming it (an incident
            by its index: ``incidents[3]``).
    """
    check_type("incidents", incidents, Iterable, "an iterable of Incident values")  # issue 19, defect 10
    check_type("calendar", calendar, (BusinessCalendar, type(None)), "a BusinessCalendar or None")
    start = utc(aware(now, "now", CalendarError))
    end = utc(aware(until, "until", CalendarError))
    return _upcoming(incidents, start, end, calendar)


def _upcoming(
    incidents: Iterable[Incident], start: datetime, end: datetime, calendar: BusinessCalendar | None
) -> Iterator[Upcoming]:
    found: list[tuple[datetime, str, tuple[str, ...]]] = []
    for index, incident in enumerate(incidents):
        check_incident(f"incidents[{index}]", incident)
        zone = (calendar if calendar is not None else incident.policy.business_calendar()).tz
        moment = start
        while True:
            change = _changes(incident, moment, calendar)
            if change is None or change[0] > end:
                break
            found.append((change[0].astimezone(zone), incident.id, change[1]))
            moment = change[0]
    heapq.heapify(found)
    while found:
        at, incident_id, what = heapq.heappop(found)
        yield Upcoming(at=at, incident_id=incident_id, what=what)
