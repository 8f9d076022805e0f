"""Incident channel names and who is told what (guide, "2. Declaration" and "Communication Guidelines").

Guide: "Create incident channel: ``#incident-YYYY-MM-DD-brief-name``" and
"Stakeholders to notify" by severity; "Customer communication" for who hears
from us directly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

import attrs

from incident_process._arguments import check_incident, check_texts, check_type
from incident_process.errors import MessageError
from incident_process.policy import DEFAULT_POLICY, Policy
from incident_process.timing._calendar import resolve_zone
from incident_process.timing._moments import aware, utc
from incident_process.vocabulary import Severity

if TYPE_CHECKING:
    from incident_process.lifecycle import Incident

__all__ = ["SLACK_CHANNEL_LIMIT", "Stakeholders", "channel_name", "channel_name_for", "stakeholders"]

#: Slack's limit for a channel name; here it counts the leading ``#``.
SLACK_CHANNEL_LIMIT = 80

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(brief: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", brief).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")


def channel_name_for(
    brief: str, declared_at: datetime, *, taken: Iterable[str] = (), prefix: str = "#incident-"
) -> str:
    """``#incident-YYYY-MM-DD-brief-name`` for *brief* declared at *declared_at*.

    The date is *declared_at*'s local date in its own zone. The brief name is
    lower-case ASCII letters, digits and single hyphens (``"incident"`` if
    nothing is left of it), cut so that the whole name fits Slack's 80
    characters; a name in *taken* gets the first free suffix ``-2``, ``-3``, ...

    >>> from datetime import datetime, timezone
    >>> channel_name_for("Checkout 5xx — EU!", datetime(2026, 3, 8, 9, 0, tzinfo=timezone.utc))
    '#incident-2026-03-08-checkout-5xx-eu'

    Raises:
        MessageError: for a naive *declared_at*.
        TypeError: for an argument of the wrong type (a *brief* that is not
            text, a *declared_at* that is not a datetime), naming it.
    """
    check_type("brief", brief, str, "text (str)")
    check_type("declared_at", declared_at, datetime, "a timezone-aware datetime")
    taken_names = frozenset(check_texts("taken", taken))
    check_type("prefix", prefix, str, "text (str)")
    aware(declared_at, "declared_at", MessageError)
    head = f"{prefix}{declared_at.date().isoformat()}-"
    slug = _slug(brief) or "incident"
    number = 1
    while True:
        suffix = "" if number == 1 else f"-{number}"
        room = SLACK_CHANNEL_LIMIT - len(head) - len(suffix)
        name = f"{head}{slug[:room].rstrip('-')}{suffix}"
        if name not in taken_names:
            return name
        number += 1


def channel_name(incident: Incident, *, taken: Iterable[str] = ()) -> str:
    """The incident's channel: its title, and the declaration's local date in the policy's zone.

    Raises:
        MessageError: if the incident has not been declared.
        TypeError: for an argument of the wrong type, naming it.
    """
    check_incident("incident", incident)
    declared_at = incident.declared_at
    if declared_at is None:
        msg = f"{incident.id} is not declared: its channel is named at declaration"
        raise MessageError(msg)
    local = utc(declared_at).astimezone(resolve_zone(incident.policy.zone))
    return channel_name_for(
        incident.title, local, taken=taken, prefix=incident.policy.declaration.channel_prefix
    )


@attrs.frozen(kw_only=True)
class Stakeholders:
    """Who is told about an incident of one severity, and how.

    Attributes:
        severity: The severity.
        notify: "Stakeholders to notify" for it.
        notify_group: The Slack group to notify them through.
        status_page_for_all_customers: "All customers: Status page for any SEV1".
        enterprise_email: "Enterprise customers: Direct email for SEV1/2
            affecting them".
        direct_outreach_when_scope_known: "Specific customers: Direct outreach
            if we know impact scope".
    """

    severity: Severity
    notify: tuple[str, ...]
    notify_group: str
    status_page_for_all_customers: bool
    enterprise_email: bool
    direct_outreach_when_scope_known: bool


def stakeholders(severity: Severity | str | int, policy: Policy = DEFAULT_POLICY) -> Stakeholders:
    """Who must be told about an incident of *severity*, from the policy.

    >>> stakeholders("SEV2").notify
    ('On-call team', 'Support lead', 'Affected team lead')

    Raises:
        SeverityError: for a text or number that is not a severity.
        TypeError: for an argument of the wrong type, naming it.
    """
    check_type("severity", severity, (Severity, str, int), "a Severity, its name (str) or its level (int)")
    check_type("policy", policy, Policy, "a Policy")
    parsed = Severity.parse(severity)
    customers = policy.communication.customers
    return Stakeholders(
        severity=parsed,
        notify=policy.communication.stakeholders[parsed],
        notify_group=policy.declaration.notify_group,
        status_page_for_all_customers=parsed in customers.status_page_for_all_customers,
        enterprise_email=parsed in customers.enterprise_email_for,
        direct_outreach_when_scope_known=customers.direct_outreach_when_scope_known,
    )
