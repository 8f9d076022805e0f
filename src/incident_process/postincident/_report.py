"""Guide, "Post-Incident Document": the report's skeleton, filled in from the events.

:func:`render_postmortem` writes the guide's "Incident Report" Markdown
skeleton for an incident, filled in with what the events know (title, impact
duration, the timeline with local timestamps, root cause, action items) and
with the fields a caller gives; what nobody knows yet keeps the guide's
``[placeholder]``, so :func:`~incident_process.postincident.validate_postmortem`
reports it until someone fills it in.

Every value is data, kept inside its section (issue 19, defect 5): it is one
line (line breaks become spaces), control characters (C0, DEL, C1: ESC, BEL,
NUL, U+009B...) are dropped, the Markdown that would link, emphasise, open
HTML or break a table cell is backslash-escaped, and a value that begins a
line (the summary, the root cause, the resolution) cannot begin a block: a
leading ``#``, ``>``, ``-``, ``+``, ``=``, ``~``, or the ``.``/``)`` of a
leading number gets a backslash, so ``summary="## Root Cause"`` is the text
"## Root Cause", not a heading, ``---`` no rule, and three backticks or
tildes no code fence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from incident_process._arguments import check_incident
from incident_process._limits import printable
from incident_process.errors import MessageError
from incident_process.events import (
    Acknowledged,
    ActionItemAdded,
    ActionItemCompleted,
    ActionTaken,
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
from incident_process.timing import describe_duration
from incident_process.timing._calendar import resolve_zone
from incident_process.timing._moments import utc
from incident_process.vocabulary import Milestone

if TYPE_CHECKING:
    from incident_process.lifecycle import Incident

__all__ = ["render_postmortem"]

_INLINE = re.compile(r"[\\`*_\[\]<>|]")
#: What starts a Markdown block at the start of a line (CommonMark): a heading, a quote, a list item, a
#: thematic break, a setext underline, a code fence; and the number of an ordered list item.
_BLOCK_START = re.compile(r"[#>+=~-]|\d{1,9}(?=[.)])")

#: The fields a caller may give, with the guide's placeholder for each.
_FIELDS: Mapping[str, str] = {
    "title": "[Brief Title]",
    "summary": "[1-2 sentence summary]",
    "duration": "[time]",
    "customers_affected": "[count/scope]",
    "errors_generated": "[count]",
    "revenue_impact": "[if applicable]",
    "root_cause": "[Technical explanation]",
    "resolution": "[What we did to fix it]",
    "went_well": "[What went well]",
    "could_improve": "[What could be improved]",
}


def _text(value: object) -> str:
    """A value as one line of Markdown text: no control character, link, emphasis, HTML or cell break."""
    one_line = printable(" ".join(str(value).split())).strip()  # no tab nor line feed is left
    return _INLINE.sub(lambda match: "\\" + match.group(), one_line)


def _paragraph(value: object) -> str:
    """A value as a line of its own: :func:`_text`, and no block (heading, rule, fence...) at its start."""
    text = _text(value)
    start = _BLOCK_START.match(text)
    if start is None:
        return text
    if start.group()[0].isdigit():  # "1. x" is a list item; "1\. x" the text
        return f"{text[: start.end()]}\\{text[start.end() :]}"
    return "\\" + text


#: The fields written as a line of their own (the others follow a label on theirs).
_PARAGRAPHS = frozenset({"summary", "root_cause", "resolution"})


def _local(moment: datetime, incident: Incident) -> str:
    local = moment.astimezone(resolve_zone(incident.policy.zone))
    return f"{local.date().isoformat()} {local.hour:02d}:{local.minute:02d} {local.tzname()}"


def _describe(event: Event) -> str:  # noqa: C901, PLR0911, PLR0912 - one line per event type
    """What one event says, for the timeline."""
    if isinstance(event, Detected):
        return f"Detected ({event.source.value.replace('_', ' ')}): {_text(event.title)}"
    if isinstance(event, Acknowledged):
        return f"Page acknowledged by {_text(event.by)}"
    if isinstance(event, Declared):
        impact = f": {_text(event.impact)}" if event.impact else ""
        return f"Declared {event.severity.value} by {_text(event.by)}, Incident Commander{impact}"
    if isinstance(event, ResponseStarted):
        return "Response started"
    if isinstance(event, RoleAssigned):
        return f"{_text(event.person)} took the {event.role.value.replace('_', ' ')} role"
    if isinstance(event, SeverityChanged):
        return f"Severity changed to {event.severity.value}: {_text(event.reason)}"
    if isinstance(event, UpdatePosted):
        by = f" by {_text(event.by)}" if event.by else ""
        text = f": {_text(event.text)}" if event.text else ""
        return (
            f"{event.audience.value.replace('_', ' ').capitalize()} update{by} ({event.status.value}){text}"
        )
    if isinstance(event, ErrorsStopped):
        return f"Errors stopped{f' (reported by {_text(event.by)})' if event.by else ''}"
    if isinstance(event, MilestoneRecorded):
        return f"{event.milestone.value.replace('_', ' ').capitalize()}"
    if isinstance(event, Resolved):
        return "Resolved"
    if isinstance(event, Reopened):
        return f"Reopened: {_text(event.reason)}"
    if isinstance(event, PostIncidentStarted):
        return "Post-incident process started"
    if isinstance(event, Closed):
        return "Closed"
    if isinstance(event, Dismissed):
        return f"Dismissed: {event.reason.value.replace('_', ' ')}"
    if isinstance(event, ActionTaken):
        approved = f" (approved by {_text(event.approved_by)})" if event.approved_by else ""
        return f"{_text(event.by)}: {_text(event.action)}{approved}"
    if isinstance(event, RootCauseIdentified):
        return f"Root cause identified: {_text(event.summary or event.key)}"
    if isinstance(event, ReviewHeld):
        return f"Review held, facilitated by {_text(event.facilitator)}"
    if isinstance(event, DocumentPublished):
        return "Post-incident document published"
    if isinstance(event, ChannelArchived):
        return "Incident channel archived"
    if isinstance(event, ActionItemAdded):
        return f"Action item {_text(event.item_id)} added for {_text(event.owner)}"
    if isinstance(event, ActionItemCompleted):
        return f"Action item {_text(event.item_id)} completed"
    if isinstance(event, Escalated):
        return f"Escalated to {_text(event.to)} by {_text(event.by)}: {_text(event.reason)}"
    return event.kind.replace("_", " ").capitalize()


def _step_done(event: ChecklistStepCompleted, incident: Incident) -> str:
    """A checklist step, in the policy's words for it."""
    steps = getattr(incident.policy, event.checklist).checklist  # each checklist is its policy group's
    text = next(step.text for step in steps if step.id == event.step)
    note = f" ({_text(event.note)})" if event.note else ""
    return f"{_text(event.checklist).capitalize()} checklist: {_text(text)}, by {_text(event.by)}{note}"


def _timeline(incident: Incident) -> list[str]:
    """One bullet per event, in time order, with local timestamps; the impact start where it happened."""
    entries: list[tuple[datetime, int, str]] = []
    for order, event in enumerate(incident.timeline):
        moment = utc(event.at)
        if isinstance(event, MilestoneRecorded):
            moment = utc(event.occurred_at)
            if event.milestone is Milestone.CUSTOMER_IMPACT_STARTED:
                entries.append((moment, order, "Customer impact started"))
                continue
        text = _step_done(event, incident) if isinstance(event, ChecklistStepCompleted) else _describe(event)
        entries.append((moment, order, text))
    return [f"- {_local(moment, incident)}: {text}" for moment, _, text in sorted(entries)]


def render_postmortem(incident: Incident, **fields: object) -> str:
    """The guide's "Incident Report" skeleton for *incident*, filled in as far as it is known.

    Fields (each replaces what the incident knows, or the guide's
    placeholder): ``title``, ``summary``, ``duration``, ``customers_affected``,
    ``errors_generated``, ``revenue_impact``, ``root_cause``, ``resolution``,
    ``went_well``, ``could_improve``. The duration is computed from the
    events (from the start of customer impact, or detection, to the last
    resolution); the customers affected from the impact declared; the root
    cause from the last root cause identified; the timeline from the events,
    updates with their text and author; the action items from the incident.

    Raises:
        MessageError: for a field the report does not have.
    """
    check_incident("incident", incident)  # issue 19, defect 10
    unknown = sorted(set(fields) - _FIELDS.keys())
    if unknown:
        msg = f"postmortem: unknown fields {', '.join(unknown)}; the report has {', '.join(_FIELDS)}"
        raise MessageError(msg)
    known: dict[str, str] = {"title": _text(incident.title)}
    started = incident.milestones().get(Milestone.CUSTOMER_IMPACT_STARTED, incident.detected_at)
    if incident.resolved_at is not None:
        span = incident.resolved_at - started
        known["duration"] = (
            f"{describe_duration(span, unit='minute')} "
            f"({_local(started, incident)} to {_local(incident.resolved_at, incident)})"
        )
    if incident.root_cause is not None and incident.root_cause.summary:
        known["root_cause"] = _paragraph(incident.root_cause.summary)
    if incident.impact is not None:
        known["customers_affected"] = _text(incident.impact)
    given = {name: (_paragraph if name in _PARAGRAPHS else _text)(value) for name, value in fields.items()}
    value = {**_FIELDS, **known, **given}
    timeline = _timeline(incident) or ["[Detailed timeline with timestamps]"]
    rows = [
        f"| {_text(item.action)} | {_text(item.owner)} | {item.due.isoformat()} | "
        f"{'Done' if item.completed_at else 'Open'} |"
        for item in incident.action_items()
    ]
    document = incident.policy.post_incident.document
    columns = document.action_item_columns
    lines = [
        f"# Incident Report: {value['title']}",
        "",
        "## Summary",
        value["summary"],
        "",
        "## Impact",
        f"- Duration: {value['duration']}",
        f"- Customers affected: {value['customers_affected']}",
        f"- Errors generated: {value['errors_generated']}",
        f"- Revenue impact: {value['revenue_impact']}",
        "",
        "## Timeline",
        *timeline,
        "",
        "## Root Cause",
        value["root_cause"],
        "",
        "## Resolution",
        value["resolution"],
        "",
        "## Lessons Learned",
        f"- What went well: {value['went_well']}",
        f"- What could be improved: {value['could_improve']}",
        "",
        "## Action Items",
        "| " + " | ".join(columns) + " |",
        "|" + "|".join("-" * (len(column) + 2) for column in columns) + "|",
        *rows,
    ]
    return "\n".join(lines) + "\n"
