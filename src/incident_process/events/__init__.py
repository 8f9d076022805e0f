"""What happened to an incident: one immutable event per accepted command.

Guide, "Incident Lifecycle": every step of Detection → Declaration →
Response → Resolution → Post-Incident is recorded as an event (``Detected``,
``Declared``, ``UpdatePosted``, ``Resolved``, ``ReviewHeld``, ...). An
incident is the sequence of its events; :mod:`incident_process.lifecycle`
decides which events may follow which, and records them. The events depend on
nothing but the vocabulary, so the policy can check its checklists (which
name the event that completes each step) against them.
"""

from ._events import (
    EVENT_TYPES,
    Acknowledged,
    ActionItemAdded,
    ActionItemCompleted,
    ActionTaken,
    AlertLinked,
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

__all__ = [
    "EVENT_TYPES",
    "Acknowledged",
    "ActionItemAdded",
    "ActionItemCompleted",
    "ActionTaken",
    "AlertLinked",
    "ChannelArchived",
    "ChecklistStepCompleted",
    "Closed",
    "Declared",
    "Detected",
    "Dismissed",
    "DocumentPublished",
    "ErrorsStopped",
    "Escalated",
    "Event",
    "MilestoneRecorded",
    "PostIncidentStarted",
    "Reopened",
    "Resolved",
    "ResponseStarted",
    "ReviewHeld",
    "RoleAssigned",
    "RootCauseIdentified",
    "SeverityChanged",
    "UpdatePosted",
]
