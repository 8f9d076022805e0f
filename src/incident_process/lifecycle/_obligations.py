"""What an incident owes, as of a moment: every timed duty of the guide, and its status.

Each :class:`Obligation` says what is owed (its kind), which rule of the
policy asks for it (the policy key), when it became owed, when it is due, and
its status as of ``now``: pending (not yet due), met (done on time, at
``met_at``), overdue (due, not done, still open) or missed (done late, or no
longer possible). Only events up to ``now`` count, so an audit can ask about
any past moment. Durations are exact; the post-incident deadlines use the
business calendar's deadline rule.

Where the guide leaves a gap, the choice made here:

* "Correlate within 15 minutes" is met by the decision it leads to: the
  declaration or the dismissal.
* "Declare immediately if criteria met" is not owed once the incident is
  dismissed (the criteria were not met).
* The escalation path applies to automated pages nobody picked up: until
  the page is acknowledged or an incident commander holds the incident (the
  declarer does from the declaration), each level after the first is owed
  from the end of the previous level's window; picking the page up meets
  the level under way, and no later level is owed. A level limited to some
  severities (VP Engineering: SEV1) is owed only at those. An escalation by
  hand still records.
* Update cadences run from the declaration, restart at each update, are
  re-timed from a severity change, pause at resolution and restart when the
  incident reopens.
* The final status-page update is due within the first-update window
  (10 minutes by default) of the resolution.
* The resolution checklist closes the incident channel at resolution and
  archives it 24 hours later: the archive is due 24 hours after the (last)
  resolution.
* The quiet period is reported for a resolved incident (the last error time
  comes with the resolve command, or from the latest "errors stopped" fact);
  the lifecycle refuses an early resolution, and one that a record holds
  from a shorter quiet period than the policy now has is missed.
* A duty that was not met when the incident closed (or was dismissed) is
  missed; one not yet due then is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, TypeGuard

import attrs

from incident_process._arguments import check_incident, check_type
from incident_process.events import (
    Closed,
    Declared,
    Dismissed,
    Escalated,
    Event,
    Reopened,
    Resolved,
    SeverityChanged,
    UpdatePosted,
)
from incident_process.timing import BusinessCalendar
from incident_process.timing._moments import utc
from incident_process.vocabulary import (
    Audience,
    DetectionDuty,
    ObligationKind,
    ObligationStatus,
    Phase,
    Role,
    Severity,
    UpdateStatus,
)

if TYPE_CHECKING:
    from ._incident import Incident

__all__ = ["Obligation", "obligations"]


@attrs.frozen(kw_only=True)
class Obligation:
    """One timed duty and its status.

    Attributes:
        id: Which duty, unique within the incident and the same in every
            replay and as later events come: the kind, and for a duty owed
            more than once which one (``"internal_update:3"``,
            ``"status_page_update:3"``, ``"escalate:on_call_lead"``,
            ``"action_item:A1"``). A fact recorded late that adds an update
            before others renumbers the cadence's duties after it.
        kind: What is owed.
        rule: The policy key it comes from (``"communication.update_cadence.SEV2"``);
            for action items, which no number of the policy governs,
            ``"post_incident.action_items"`` (the guide's "Action items
            tracked: Until completion").
        owed_from: When it became owed.
        due_at: When it is due.
        status: Pending, met, overdue or missed, as of the ``now`` asked about.
        met_at: When it was done, if it was (late, for a missed one).
        detail: What exactly, in words (``"escalate to On-call Lead"``).
    """

    id: str
    kind: ObligationKind
    rule: str
    owed_from: datetime
    due_at: datetime
    status: ObligationStatus
    met_at: datetime | None = None
    detail: str = ""


def _status(
    due_at: datetime, met_at: datetime | None, ended_at: datetime | None, now: datetime
) -> ObligationStatus:
    """All four times are UTC instants."""
    if met_at is not None:
        return ObligationStatus.MET if met_at <= due_at else ObligationStatus.MISSED
    if ended_at is not None:
        return ObligationStatus.MISSED
    return ObligationStatus.PENDING if now <= due_at else ObligationStatus.OVERDUE


class _Collector:
    """Builds obligations with their status as of ``now``."""

    __slots__ = ("ended_at", "found", "ids", "now", "zone")

    def __init__(self, now: datetime, ended_at: datetime | None, zone: tzinfo) -> None:
        self.now = utc(now)
        self.ended_at = ended_at
        self.zone = zone
        self.found: list[Obligation] = []
        self.ids: set[str] = set()

    def add(  # noqa: PLR0913 - an obligation's fields
        self,
        kind: ObligationKind,
        rule: str,
        owed_from: datetime,
        due_at: datetime,
        met_at: datetime | None,
        *,
        ended_at: datetime | None = None,
        outlives_closing: bool = False,
        broken: bool = False,
        item: str | None = None,
        detail: str = "",
    ) -> None:
        """Record a duty; one that lapsed before it was due is not owed at all.

        A duty lapses at *ended_at*, or when the incident closes, unless it
        *outlives_closing* (the follow-ups and post-incident deadlines). A
        *broken* duty is missed whatever the times say (a resolution before
        the quiet period ended, which only a changed policy lets a record hold).
        *item* says which one of its kind it is, for its id.
        """
        owed_from, due_at = utc(owed_from), utc(due_at)
        met_at = None if met_at is None else utc(met_at)
        ended = ended_at if ended_at is not None or outlives_closing else self.ended_at
        ended = None if ended is None else utc(ended)
        if met_at is None and ended is not None and ended < due_at:
            return
        status = ObligationStatus.MISSED if broken else _status(due_at, met_at, ended, self.now)
        zone = self.zone
        duty_id = kind.value if item is None else f"{kind.value}:{item}"
        if duty_id in self.ids:  # two escalation levels of one name: each its own duty
            duty_id += f"#{sum(known.startswith(duty_id) for known in self.ids) + 1}"
        self.ids.add(duty_id)
        self.found.append(
            Obligation(
                id=duty_id,
                kind=kind,
                rule=rule,
                owed_from=owed_from.astimezone(zone),
                due_at=due_at.astimezone(zone),
                status=status,
                met_at=None if met_at is None else met_at.astimezone(zone),
                detail=detail,
            )
        )


def obligations(
    incident: Incident, now: datetime, *, calendar: BusinessCalendar | None = None
) -> tuple[Obligation, ...]:
    """Every timed duty the incident's events up to *now* give rise to, with its status as of *now*.

    *calendar* counts business days (default: the policy's
    :meth:`~incident_process.policy.Policy.business_calendar`); see the module
    docstring for the duties and the choices made where the guide leaves a gap.

    Raises:
        CalendarError: if *now* is naive.
        TypeError: for an argument of the wrong type, naming it.
    """
    check_incident("incident", incident)  # issue 19, defect 10: a wrong type is a TypeError
    check_type("calendar", calendar, (BusinessCalendar, type(None)), "a BusinessCalendar or None")
    known = incident.as_of(now)
    calendar = calendar if calendar is not None else incident.policy.business_calendar()
    if known is None:
        return ()  # not detected yet, as of now
    incident, events = known, known.timeline
    ended_at = next((utc(e.at) for e in reversed(events) if isinstance(e, Closed | Dismissed)), None)
    found = _Collector(now, ended_at, calendar.tz)
    _detection(incident, found)
    _cadences(incident, found)
    _after_resolution(incident, calendar, found)
    _follow_ups(incident, calendar, found)
    return tuple(sorted(found.found, key=lambda o: (utc(o.due_at), o.kind.value, o.detail)))


def _first(events: tuple[Event, ...], kinds: type | tuple[type, ...]) -> datetime | None:
    return next((utc(event.at) for event in events if isinstance(event, kinds)), None)


def _detection(incident: Incident, found: _Collector) -> None:
    """The detection source's duty, and the escalation path of an unacknowledged page."""
    events = incident.timeline
    for index, response in enumerate(incident.policy.detection.responses):
        if response.source is not incident.source:
            continue
        rule = f"detection.responses[{index}]"
        due = incident.detected_at + response.within
        if response.duty is DetectionDuty.ACKNOWLEDGE:
            met = incident.acknowledged_at
            found.add(
                ObligationKind.ACKNOWLEDGE,
                rule,
                incident.detected_at,
                due,
                met,
                detail="acknowledge the page",
            )
            _escalation(incident, found)
        elif response.duty is DetectionDuty.CORRELATE:
            met = _first(events, (Declared, Dismissed))
            found.add(
                ObligationKind.CORRELATE, rule, incident.detected_at, due, met, detail="correlate the reports"
            )
        elif incident.phase is not Phase.DISMISSED:
            met = incident.declared_at
            found.add(
                ObligationKind.DECLARE, rule, incident.detected_at, due, met, detail="declare the incident"
            )


def _escalation(incident: Incident, found: _Collector) -> None:
    """Each level after the first is owed while nobody has picked the page up when it starts.

    The page is picked up when it is acknowledged or an incident commander
    holds the incident (the declarer does from the declaration), whichever
    comes first: the escalation path is for a page nobody picked up. Picking
    it up meets the level under way, or an escalation to that level does
    (whichever comes first); no later level is owed.
    """
    severity = incident.severity
    picked_up = _picked_up(incident)
    escalated: dict[str, datetime] = {}
    for event in incident.timeline:
        if isinstance(event, Escalated):
            escalated.setdefault(event.to, utc(event.at))
    start = incident.detected_at
    path = incident.policy.escalation.path_for(severity)
    for index, level in enumerate(incident.policy.escalation.levels):
        window = level.window if level.window is not None else timedelta(0)
        nobody = picked_up is None or picked_up > start
        if index > 0 and nobody and level in path:
            met = min((moment for moment in (picked_up, escalated.get(level.who)) if moment), default=None)
            rule = f"escalation.levels[{index}]"
            found.add(
                ObligationKind.ESCALATE,
                rule,
                start,
                start + window,
                met,
                item=_slug(level.who),
                detail=f"escalate to {level.who}",
            )
        if level.window is None:
            break
        start += level.window


def _picked_up(incident: Incident) -> datetime | None:
    """When the page was picked up: acknowledged, or an incident commander held the incident."""
    commanders = (
        tenure.since for tenure in incident.role_tenures() if tenure.role is Role.INCIDENT_COMMANDER
    )
    moments = [moment for moment in (incident.acknowledged_at, min(commanders, default=None)) if moment]
    return min(moments, default=None)


def _slug(name: str) -> str:
    """A level's name as part of an id: ``"On-call Lead"`` is ``on_call_lead``."""
    return "_".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


def _after_declaration(events: tuple[Event, ...]) -> Iterator[tuple[Event, Severity]]:
    """Each event from the declaration on, with the severity in force after it."""
    severity: Severity | None = None
    for event in events:
        if isinstance(event, Declared | SeverityChanged):
            severity = event.severity
        if severity is not None:
            yield event, severity


def _chain(  # noqa: PLR0913 - keyword-only parts of one cadence
    found: _Collector,
    incident: Incident,
    *,
    kind: ObligationKind,
    rule: str,
    begins: Callable[[Event], bool],
    is_update: Callable[[Event], bool],
) -> None:
    """A cadence: it begins at one event; each update meets the running duty and starts the next.

    A severity change re-times the running duty from the change; resolving or
    closing ends it (missed if it was already due); reopening starts it again.
    """
    cadence = incident.policy.communication.update_cadence
    running: tuple[datetime, datetime] | None = None  # (owed from, due at)
    begun = False
    number = 1
    severity = previous = Severity.SEV3
    for event, severity in _after_declaration(incident.timeline):
        at = utc(event.at)
        if not begun:
            begun = begins(event)
            running = (at, at + cadence[severity]) if begun else None
        elif isinstance(event, Reopened) or (running is not None and is_update(event)):
            if running is not None:
                found.add(
                    kind,
                    rule.format(severity.value),
                    *running,
                    at,
                    item=str(number),
                    detail=f"update {number}",
                )
                number += 1
            running = (at, at + cadence[severity])
        elif isinstance(event, SeverityChanged) and running is not None:
            # From the change on, at the new cadence; a rise never pushes the due time later.
            retimed = at + cadence[severity]
            running = (running[0], min(retimed, running[1]) if severity > previous else retimed)
        elif isinstance(event, Resolved | Closed | Dismissed) and running is not None:
            found.add(
                kind,
                rule.format(severity.value),
                *running,
                None,
                ended_at=at,
                item=str(number),
                detail=f"update {number}",
            )
            number += 1
            running = None
        previous = severity
    if running is not None:
        found.add(
            kind, rule.format(severity.value), *running, None, item=str(number), detail=f"update {number}"
        )


def _is_page_update(event: Event) -> TypeGuard[UpdatePosted]:
    return isinstance(event, UpdatePosted) and event.audience is Audience.STATUS_PAGE


def _is_internal_update(event: Event) -> bool:
    return isinstance(event, UpdatePosted) and event.audience is Audience.INTERNAL


def _cadences(incident: Incident, found: _Collector) -> None:
    """The first status-page update, then the internal and status-page cadences."""
    declared_at = incident.declared_at
    if declared_at is None:
        return
    status_page = incident.policy.communication.status_page
    first_page = next((utc(e.at) for e in incident.timeline if _is_page_update(e)), None)
    found.add(
        ObligationKind.FIRST_STATUS_PAGE_UPDATE,
        "communication.status_page.first_update_within",
        declared_at,
        declared_at + status_page.first_update_within,
        first_page,
        detail="first status-page update",
    )
    internal = "communication.update_cadence.{}"
    _chain(
        found,
        incident,
        kind=ObligationKind.INTERNAL_UPDATE,
        rule=internal,
        begins=_is_declared,
        is_update=_is_internal_update,
    )
    if status_page.subsequent_match_internal:
        _chain(
            found,
            incident,
            kind=ObligationKind.STATUS_PAGE_UPDATE,
            rule="communication.status_page.subsequent_match_internal",
            begins=_is_page_update,
            is_update=_is_page_update,
        )


def _is_declared(event: Event) -> bool:
    return isinstance(event, Declared)


def _after_resolution(incident: Incident, calendar: BusinessCalendar, found: _Collector) -> None:
    """Quiet period, final status-page update and post-incident deadlines of the last resolution."""
    resolution = next((e for e in reversed(incident.timeline) if isinstance(e, Resolved)), None)
    resolved_at, severity, policy = incident.resolved_at, incident.severity, incident.policy
    if resolution is None or resolved_at is None or severity is None:
        return
    last_error_at = utc(resolution.last_error_at)
    quiet_ends = last_error_at + policy.resolution.quiet_period[severity]
    # The lifecycle refuses an early resolution; a record read under a longer
    # quiet period than it was written under holds one: missed.
    waited = resolved_at >= quiet_ends
    found.add(
        ObligationKind.RESOLUTION_QUIET_PERIOD,
        f"resolution.quiet_period.{severity.value}",
        last_error_at,
        quiet_ends,
        quiet_ends if waited else None,
        outlives_closing=True,
        broken=not waited,
        detail="no new error reports before resolving",
    )
    status_page = policy.communication.status_page
    if status_page.final_update_on_resolve:
        final = next(
            (
                utc(e.at)
                for e in incident.timeline
                if _is_page_update(e) and e.status is UpdateStatus.RESOLVED and utc(e.at) >= resolved_at
            ),
            None,
        )
        due = resolved_at + status_page.first_update_within
        found.add(
            ObligationKind.FINAL_STATUS_PAGE_UPDATE,
            "communication.status_page.final_update_on_resolve",
            resolved_at,
            due,
            final,
            detail="final status-page update, with summary",
        )
    post = policy.post_incident
    if severity in post.required_for:
        for kind, rule, days, met in (
            (
                ObligationKind.POST_INCIDENT_REVIEW,
                "post_incident.review_within",
                post.review_within,
                incident.review_held_at,
            ),
            (
                ObligationKind.POST_INCIDENT_DOCUMENT,
                "post_incident.document_within",
                post.document_within,
                incident.document_published_at,
            ),
        ):
            due = calendar.deadline(resolved_at, days.days)
            found.add(
                kind,
                rule,
                resolved_at,
                due,
                met,
                outlives_closing=True,
                detail=f"within {days} of resolution",
            )


def _follow_ups(incident: Incident, calendar: BusinessCalendar, found: _Collector) -> None:
    """Archive the channel 24 h after resolution; every action item until it is complete."""
    resolved_at = incident.resolved_at
    if resolved_at is not None:
        found.add(
            ObligationKind.ARCHIVE_CHANNEL,
            "resolution.archive_channel_after",
            resolved_at,
            resolved_at + incident.policy.resolution.archive_channel_after,
            incident.channel_archived_at,
            outlives_closing=True,
            detail="archive the incident channel",
        )
    for item in incident.action_items():
        found.add(
            ObligationKind.ACTION_ITEM,
            "post_incident.action_items",
            item.added_at,
            calendar.end_of_day(item.due),
            item.completed_at,
            outlives_closing=True,
            item=item.item_id,
            detail=f"{item.item_id}: {item.action} ({item.owner})",
        )
