"""Which open incident an alert is about: the policy's correlation rule.

Guide, "1. Detection": one problem is one incident, however many tools see
it. The policy's ``integrations.correlation``
(:class:`~incident_process.policy.Correlation`) says when an alert belongs to
an incident already open:

1. by reference: the alert has a reference (of the names the rule lists)
   that the incident's detection or a linked alert has: an Alertmanager
   fingerprint or group key, a PagerDuty incident id or incident key (the
   dedup key). Alertmanager's PagerDuty receiver sends the SHA-256 of the
   group key as the dedup key, and :func:`parse_alertmanager` gives every
   Alertmanager alert that reference, so the PagerDuty incident a
   receiver opened matches the Alertmanager alert of the same group;
2. else by labels: every label of the rule is present and equal on the
   alert and on one of the incident's alerts (``endpoint`` being the
   endpoint as the policy's ``endpoint_labels`` name it), and the alert
   started within the rule's window of the incident's detection.

An incident is a candidate while it can still take the alert: detected,
declared, responding, or resolved (a firing alert on a resolved incident
suggests ``reopen``). Among several, the one detected last wins, then the
greatest id, so the answer does not depend on the order of *incidents*.
"""

from __future__ import annotations

from collections.abc import Iterable

from incident_process._arguments import check_type
from incident_process.events import AlertLinked, Detected
from incident_process.lifecycle import Incident
from incident_process.policy import Policy
from incident_process.timing._moments import utc
from incident_process.vocabulary import Phase

from ._alerts import Alert

__all__ = ["CORRELATED_PHASES", "correlate"]

#: The phases in which an incident can still take an alert about its problem.
CORRELATED_PHASES = frozenset({Phase.DETECTED, Phase.DECLARED, Phase.RESPONDING, Phase.RESOLVED})

#: The name of the label that stands for the endpoint the policy's ``endpoint_labels`` find.
_ENDPOINT = "endpoint"


def correlate(
    alert: Alert, incidents: Iterable[Incident], *, policy: Policy | None = None
) -> Incident | None:
    """The incident among *incidents* that *alert* is about, by *policy*'s correlation rule; else ``None``.

    *policy* gives the rule (default: each incident's own policy, which
    also names its endpoints). See the module's documentation for the rule.

    Raises:
        TypeError: for an argument of the wrong type, naming it (an incident
            by its index: ``incidents[3]``; issue 19, defect 10).
    """
    check_type("alert", alert, Alert, "an Alert")
    check_type("incidents", incidents, Iterable, "an iterable of Incident values")
    check_type("policy", policy, (Policy, type(None)), "a Policy or None")
    by_reference: list[Incident] = []
    by_labels: list[Incident] = []
    for index, incident in enumerate(incidents):
        check_type(f"incidents[{index}]", incident, Incident, "an Incident")
        if incident.phase not in CORRELATED_PHASES:
            continue
        rule = (incident.policy if policy is None else policy).integrations.correlation
        names = frozenset(rule.references)
        wanted = {reference for reference in alert.references if reference[0] in names}
        if wanted & incident.references:
            by_reference.append(incident)
        elif not by_reference and _same_labels(alert, incident, policy or incident.policy):
            by_labels.append(incident)
    found = by_reference or by_labels
    return max(found, key=lambda incident: (utc(incident.detected_at), incident.id), default=None)


def _same_labels(alert: Alert, incident: Incident, policy: Policy) -> bool:
    """Whether *alert* has the rule's labels, equal to those of one of *incident*'s alerts, in the window."""
    rule = policy.integrations.correlation
    if not rule.labels or abs(utc(alert.started_at) - utc(incident.detected_at)) > rule.within:
        return False
    wanted = _labelled(rule.labels, alert.labels, alert.endpoint)
    if wanted is None:
        return False
    endpoint_of = incident.policy.integrations.endpoint_of
    return any(
        _labelled(rule.labels, event.labels, endpoint_of(event.labels)) == wanted
        for event in incident.events
        if isinstance(event, Detected | AlertLinked)
    )


def _labelled(
    names: tuple[str, ...], labels: tuple[tuple[str, str], ...], endpoint: str | None
) -> tuple[str, ...] | None:
    """The values of the labels *names* (``endpoint``: *endpoint*), or ``None`` when one is missing."""
    given = dict(labels)
    values = []
    for name in names:
        value = endpoint if name == _ENDPOINT else given.get(name)
        if value is None:
            return None
        values.append(value)
    return tuple(values)
