"""The incident as an immutable, event-sourced value, and the state machine that governs it.

Guide, "Incident Lifecycle": Detection → Declaration → Response →
Resolution → Post-Incident. An :class:`Incident` is the sequence of its
events (:mod:`incident_process.events`); every command returns a new
incident with one event more, or raises
:class:`~incident_process.errors.CommandRefusedError` naming the rule that
refused it. The phases and commands are one python-statemachine machine
(:class:`Lifecycle`), and every rule of the guide is one of its guards: who
may declare ("2. Declaration"), the quiet period before resolving ("4.
Resolution"), the post-incident process SEV1 and SEV2 need ("5.
Post-Incident"), the IC's approval of a database failover ("Runbooks for
Specific Systems"), one escalation level at a time ("Escalation Path"), and
the roles per severity ("Roles During Incident", as requirements).

What the incident owes at any moment (acknowledgement, update cadences, the
first and final status-page updates, the escalation path, the quiet period,
archiving the channel, the business-day deadlines of the review and the
document, action items) is :func:`obligations`: the lifecycle's timed rules.
When anything the incident owes or is reminded of changes next is
:func:`next_change` (for many incidents, :func:`upcoming`), and the
reminders due are :func:`reminders` (the policy's ``[reminders]``).

An incident is stored and exchanged as a versioned JSON record
(:func:`dump_record`, :func:`load_record`), or one event at a time
(:func:`encode_event`, :func:`decode_event`).

Webhooks arrive late and several processes write one incident, so an event
has two orders: when it happened and when it was recorded. A fact recorded
late keeps its time and is judged where it happened; a decision is never
dated before what is recorded (:data:`ARRIVALS`, guide "Incident
Lifecycle"). Reading history never re-judges it under a changed policy.
"""

from ._history import ARRIVALS, Arrival
from ._incident import Incident
from ._machine import Lifecycle
from ._obligations import Obligation, obligations
from ._records import (
    RECORD_SCHEMA,
    decode_event,
    dump_record,
    encode_event,
    load_record,
    loads_record,
    record_schema,
)
from ._roles import UnmetRoleRequirement, unmet_role_requirements
from ._schedule import Reminder, Upcoming, may_resolve_at, next_change, reminders, upcoming
from ._state import ActionItem, RoleTenure

__all__ = [
    "ARRIVALS",
    "RECORD_SCHEMA",
    "ActionItem",
    "Arrival",
    "Incident",
    "Lifecycle",
    "Obligation",
    "Reminder",
    "RoleTenure",
    "UnmetRoleRequirement",
    "Upcoming",
    "decode_event",
    "dump_record",
    "encode_event",
    "load_record",
    "loads_record",
    "may_resolve_at",
    "next_change",
    "obligations",
    "record_schema",
    "reminders",
    "unmet_role_requirements",
    "upcoming",
]
