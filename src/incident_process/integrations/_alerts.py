"""From the tools that detect incidents: Alertmanager and PagerDuty webhooks as detection commands.

Guide, "1. Detection": "Automated monitoring: PagerDuty alerts on error
rate, latency, availability", and "Automated alert: Acknowledge within 5
minutes". A webhook is read into :class:`Alert` values
(:func:`~incident_process.integrations.parse_alertmanager`,
:func:`~incident_process.integrations.parse_pagerduty`), which
:func:`apply_alert` turns into the incident's commands:

=============  ==========================  ==============================================================
Alert status   No incident                 The incident it is about
=============  ==========================  ==============================================================
firing         ``Incident.detect`` at its  detected, declared or responding: ``link_alert`` when the alert
               start, with its labels and  brings references the incident lacks (another tool, another
               references                  alert of the group), else unchanged; resolved: no event, the
                                           suggestion ``reopen``; past resolution: no event, the
                                           suggestion ``detect`` (a new problem)
acknowledged   detected at its start,      linked as above, then ``acknowledge`` (unchanged when already
               then ``acknowledge``        acknowledged)
resolved       nothing: an alert that      linked as above, then ``record_errors_stopped`` at its end: the
               stopped is not a new        quiet period runs from it, and resolution stays the
               incident                    commander's call ("4. Resolution")
=============  ==========================  ==============================================================

Which incident an alert is about is the policy's correlation rule
(:func:`~incident_process.integrations.correlate`). Every command carries
the alert's identity as its idempotency key (:attr:`Alert.key`), so a
webhook delivered twice changes nothing the second time. A webhook that
arrives late (an acknowledgement after the declaration) is recorded as the
fact it is, at its own time. The result, :class:`AlertApplied`, always says
what was done and why nothing was, when nothing was.

Labels map to endpoints and metrics through the policy's
``[integrations]`` group.
"""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from incident_process._arguments import check_type
from incident_process.errors import CommandRefusedError, DetectionError
from incident_process.events import Event
from incident_process.lifecycle import Incident
from incident_process.policy import DEFAULT_POLICY, Policy
from incident_process.timing._moments import aware_problem, utc
from incident_process.vocabulary import DetectionSource, Phase

__all__ = ["ALERTMANAGER", "PAGERDUTY", "Alert", "AlertApplied", "AlertStatus", "apply_alert"]

#: The ``origin`` of alerts read from an Alertmanager webhook.
ALERTMANAGER = "alertmanager"
#: The ``origin`` of alerts read from a PagerDuty webhook.
PAGERDUTY = "pagerduty"


class AlertStatus(enum.Enum):
    """Where an alert is: firing, acknowledged by a person, or resolved."""

    FIRING = "firing"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


@attrs.frozen(kw_only=True)
class Alert:
    """One alert of a webhook, in the library's terms.

    Attributes:
        origin: :data:`ALERTMANAGER` or :data:`PAGERDUTY`.
        identity: The alert's identity across its statuses: Alertmanager's
            fingerprint and start (a new firing of the same labels is a new
            alert), or PagerDuty's incident id.
        key: The idempotency key of the command this alert gives:
            ``"<origin>:<identity>:<status>"``, and for a PagerDuty
            acknowledgement the webhook event's id too (each
            acknowledgement is its own event).
        status: Firing, acknowledged or resolved.
        title: What the alert says (Alertmanager's ``summary`` annotation,
            else its ``alertname``; PagerDuty's incident title).
        started_at: When the alert started firing (UTC).
        at: When this status began: the start for a firing alert, the end
            for a resolved one, the event's time for PagerDuty.
        ended_at: When the alert stopped (resolved alerts only).
        labels: The alert's labels as sorted ``(name, value)`` pairs; for
            PagerDuty ``service``, ``urgency`` and (when set) ``priority``.
        references: The tool's own identifiers of what it saw, as sorted
            ``(name, value)`` pairs: ``alertmanager.fingerprint`` and
            ``alertmanager.group_key``; ``pagerduty.incident`` and (when
            set) ``pagerduty.incident_key``. The detection keeps them, so a
            later webhook can be matched to its incident.
        endpoint: The endpoint named by the first of the policy's
            ``integrations.endpoint_labels`` present.
        metric: The metric the policy's ``integrations.alerts`` map the
            alert's :attr:`name` to, if any.
        by: Who acknowledged it (PagerDuty's agent).
        url: The tool's link to the alert. It is internal: never put it in
            external text.
    """

    origin: str
    identity: str
    key: str
    status: AlertStatus
    title: str
    started_at: datetime
    at: datetime
    ended_at: datetime | None = None
    labels: tuple[tuple[str, str], ...] = ()
    references: tuple[tuple[str, str], ...] = ()
    endpoint: str | None = None
    metric: str | None = None
    by: str | None = None
    url: str | None = None

    def label(self, name: str) -> str | None:
        """The value of the label *name*, if the alert has it."""
        return next((value for label, value in self.labels if label == name), None)

    @property
    def name(self) -> str:
        """The name the policy's ``integrations.alerts`` map: ``alertname``, or PagerDuty's title."""
        if self.origin == ALERTMANAGER:
            return self.label("alertname") or self.title
        return self.title

    def __attrs_post_init__(self) -> None:
        problems = []
        for field in ("origin", "identity", "key", "title"):
            value = getattr(self, field)
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{field}: expected non-empty text, got {value!r}")
        if not isinstance(self.status, AlertStatus):
            problems.append(f"status: expected an AlertStatus, got {self.status!r}")
        for field in ("started_at", "at", "ended_at"):
            value = getattr(self, field)
            problem = None if value is None and field == "ended_at" else aware_problem(value)
            if problem is not None:
                problems.append(f"{field}: {problem}")
        if self.status is AlertStatus.ACKNOWLEDGED and not (isinstance(self.by, str) and self.by.strip()):
            problems.append(f"by: an acknowledgement needs who acknowledged it, got {self.by!r}")
        if problems:
            raise DetectionError("Alert." + "; Alert.".join(problems))


@attrs.frozen(kw_only=True)
class AlertApplied:
    """What :func:`apply_alert` did.

    Attributes:
        incident: The incident after the alert (the same value when nothing
            changed); ``None`` when there was none and the alert makes none
            (a "resolved" alert for an incident never seen firing).
        events: The events the alert added, oldest first (none when nothing
            changed).
        reason: What was done, or why nothing was.
        suggestion: The command the alert calls for but that stays a
            person's decision, if any: ``"reopen"`` (it fires again on a
            resolved incident: "4. Resolution" is undone by new errors) or
            ``"detect"`` (it fires on an incident past resolution: a new
            problem, so a new incident).
    """

    incident: Incident | None
    events: tuple[Event, ...]
    reason: str
    suggestion: str | None = None

    @property
    def changed(self) -> bool:
        """Whether the alert added any event."""
        return bool(self.events)


def apply_alert(
    alert: Alert,
    incident: Incident | None = None,
    *,
    id: str | None = None,  # noqa: A002 - the name Incident.detect gives it
    policy: Policy | None = None,
) -> AlertApplied:
    """Apply *alert* to *incident* (or detect a new incident, with the id *id*); see the table above.

    *incident* is the incident the alert is about, if any: the one
    :func:`~incident_process.integrations.correlate` (or a store's ``find``)
    found for it. Applying the same alert again, or any alert whose command
    the incident already has, changes nothing: its :attr:`Alert.key` is the
    commands' idempotency key. *id* and *policy* are a new incident's
    (default policy: the guide); *id* is not used when there is an
    incident, and an existing incident keeps its own policy.

    Webhooks arrive at least once and in any order, so a command the
    lifecycle refuses (an acknowledgement that arrives after later events,
    or once the incident is closed) leaves the incident unchanged, and the
    result's ``reason`` quotes the refusal: a webhook handler need not fail.

    Raises:
        DetectionError: if there is no incident and no *id* to detect one
            with (for an alert that would detect one), or *policy* is not
            the existing incident's.
        TypeError: for an argument of the wrong type, naming it (issue 19, defect 10).
    """
    check_type("alert", alert, Alert, "an Alert")
    check_type("incident", incident, (Incident, type(None)), "an Incident or None")
    check_type("id", id, (str, type(None)), "an incident id (str) or None")
    check_type("policy", policy, (Policy, type(None)), "a Policy or None")
    if incident is not None and policy is not None and policy != incident.policy:
        msg = "apply_alert: policy differs from the incident's own; an existing incident keeps its policy"
        raise DetectionError(msg)
    if incident is None:
        if alert.status is AlertStatus.RESOLVED:
            reason = (
                f"no incident: {alert.origin} alert {alert.identity!r} resolved without an incident seen "
                "firing, and an alert that has stopped is not a new incident"
            )
            return AlertApplied(incident=None, events=(), reason=reason)
        if id is None:
            msg = "apply_alert: no incident and no id to detect one with; pass id='INC-...'"
            raise DetectionError(msg)
        detected = Incident.detect(
            id=id,
            title=alert.title,
            source=DetectionSource.AUTOMATED_ALERT,
            at=alert.started_at,
            policy=DEFAULT_POLICY if policy is None else policy,
            labels=alert.labels,
            references=alert.references,
            idempotency_key=f"{alert.origin}:{alert.identity}:{AlertStatus.FIRING.value}",
        )
        done = f"detected {detected.id} from {alert.origin} alert {alert.identity!r}"
        return _followed(alert, detected, [detected.events[0]], done)
    if alert.status is AlertStatus.FIRING and incident.phase not in _TAKES_ALERTS:
        return _fired_after(alert, incident)
    events: list[Event] = []
    linked = _link(alert, incident, events)
    if isinstance(linked, AlertApplied):
        return linked
    done = f"linked {alert.origin} alert {alert.identity!r} to {incident.id}" if events else ""
    return _followed(alert, linked, events, done)


#: The phases in which a firing alert is about the incident's ongoing problem.
_TAKES_ALERTS = frozenset({Phase.DETECTED, Phase.DECLARED, Phase.RESPONDING})


def _followed(alert: Alert, incident: Incident, events: list[Event], done: str) -> AlertApplied:
    """*done* to *incident* (adding *events*), then what the alert's status asks."""
    if alert.status is AlertStatus.ACKNOWLEDGED:
        return _acknowledged(alert, incident, events, done)
    if alert.status is AlertStatus.RESOLVED:
        return _stopped(alert, incident, events, done)
    reason = done or f"{incident.id} already has the firing alert {alert.identity!r}; it adds nothing"
    return AlertApplied(incident=incident, events=tuple(events), reason=reason)


def _fired_after(alert: Alert, incident: Incident) -> AlertApplied:
    """A firing alert on an incident past its response: a suggestion, no event."""
    if incident.phase is Phase.RESOLVED:
        reason = (
            f"{incident.id} is resolved, but {alert.origin} alert {alert.identity!r} fires: the errors came "
            "back; reopen it (guide, '4. Resolution'), then apply the alert again"
        )
        return AlertApplied(incident=incident, events=(), reason=reason, suggestion="reopen")
    reason = (
        f"{incident.id} is {incident.phase.value.replace('_', ' ')}, and {alert.origin} alert "
        f"{alert.identity!r} fires: a new problem; detect a new incident (apply_alert without the incident)"
    )
    return AlertApplied(incident=incident, events=(), reason=reason, suggestion="detect")


def _link(alert: Alert, incident: Incident, events: list[Event]) -> Incident | AlertApplied:
    """*incident* with *alert* linked, when the alert has references the incident does not."""
    if set(alert.references) <= incident.references:
        return incident
    try:
        after = incident.link_alert(
            at=max(alert.started_at, incident.detected_at, key=utc),
            origin=alert.origin,
            title=alert.title,
            started_at=alert.started_at,
            labels=alert.labels,
            references=alert.references,
            idempotency_key=f"{alert.origin}:{alert.identity}:linked",
        )
    except CommandRefusedError as refusal:  # a closed or dismissed incident
        return AlertApplied(incident=incident, events=(), reason=f"{incident.id} is unchanged: {refusal}")
    if after is not incident:
        events.append(after.events[-1])
    return after


def _stopped(alert: Alert, incident: Incident, events: list[Event], done: str) -> AlertApplied:
    """A resolved alert: the errors stopped at its end; resolving stays a person's decision."""
    first = f"{done}, and " if done else ""
    try:
        after = incident.record_errors_stopped(at=alert.at, by=alert.origin, idempotency_key=alert.key)
    except CommandRefusedError as refusal:  # a closed incident; an end before the detection
        reason = f"{first}{incident.id} is {'otherwise ' if done else ''}unchanged: {refusal}"
        return AlertApplied(incident=incident, events=tuple(events), reason=reason)
    if after is incident:  # delivered again
        reason = f"{first}{incident.id} already has the end of alert {alert.identity!r}"
        return AlertApplied(incident=incident, events=tuple(events), reason=reason)
    events.append(after.events[-1])
    reason = (
        f"{first}recorded that the errors of {after.id} stopped at {alert.at.isoformat()} (the alert's end): "
        "resolve it once the severity's quiet period has passed (guide, '4. Resolution')"
    )
    return AlertApplied(incident=after, events=tuple(events), reason=reason)


def _acknowledged(alert: Alert, incident: Incident, events: list[Event], done: str) -> AlertApplied:
    assert alert.by is not None  # noqa: S101 - Alert requires it of an acknowledgement
    first = f"{done}, and " if done else ""
    if incident.acknowledged_at is not None:  # this acknowledgement again, or another one
        reason = f"{first}{incident.id} was already acknowledged at {incident.acknowledged_at.isoformat()}"
        return AlertApplied(incident=incident, events=tuple(events), reason=reason)
    try:
        after = incident.acknowledge(at=alert.at, by=alert.by, idempotency_key=alert.key)
    except CommandRefusedError as refusal:
        reason = f"{first}{incident.id} is {'otherwise ' if done else ''}unchanged: {refusal}"
        return AlertApplied(incident=incident, events=tuple(events), reason=reason)
    events.append(after.events[-1])
    reason = f"{first}acknowledged {after.id} by {alert.by} at {alert.at.isoformat()}"
    return AlertApplied(incident=after, events=tuple(events), reason=reason)
