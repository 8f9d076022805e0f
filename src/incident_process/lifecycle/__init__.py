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
An incident is stored and exchanged as a versioned JSON record
(:func:`dump_record`, :func:`load_record`).
"""

from ._incident import Incident
from ._machine import Lifecycle
from ._obligations import Obligation, obligations
from ._records import RECORD_SCHEMA, dump_record, load_record, loads_record, record_schema
from ._roles import UnmetRoleRequirement, unmet_role_requirements
from ._state import ActionItem, RoleTenure

__all__ = [
    "RECORD_SCHEMA",
    "ActionItem",
    "Incident",
    "Lifecycle",
    "Obligation",
    "RoleTenure",
    "UnmetRoleRequirement",
    "dump_record",
    "load_record",
    "loads_record",
    "obligations",
    "record_schema",
    "unmet_role_requirements",
]
