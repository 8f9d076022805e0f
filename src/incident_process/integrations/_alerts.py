"""From the tools that detect incidents: Alertmanager and PagerDuty webhooks as detection commands.

Guide, "1. Detection": "Automated monitoring: PagerDuty alerts on error
rate, latency, availability", and "Automated alert: Acknowledge within 5
minutes". A webhook is read into :class:`Alert` values
(:func:`parse_alertmanager`, :func:`parse_pagerduty`), which
:func:`apply_alert` turns into the incident's commands:

========================  ==================================  =========================================
Alert status              No incident yet                     An incident
========================  ==================================  =========================================
firing                    ``Incident.detect`` at its start    unchanged (the incident was detected)
acknowledged              detected at its start, then         ``acknowledge`` (unchanged when the
                          ``acknowledge``                     incident is already acknowledged)
resolved                  detected at its start               unchanged: the alert's end is the last
                                                              error, and resolution stays the
                                                              commander's call ("4. Resolution")
========================  ==================================  =========================================

Every command carries the alert's identity as its idempotency key
(:attr:`Alert.key`), so a webhook delivered twice changes nothing the second
time. The result, :class:`AlertApplied`, always says what was done and why
nothing was, when nothing was.

:func:`alert_signals` gathers firing alerts and metric series into the
:class:`~incident_process.Signals` that :func:`~incident_process.assess`
takes. Labels map to endpoints and metrics through the policy's
``[integrations]`` group.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs

from ._errors import CommandRefusedError, DetectionError
from ._events import Detected, Event, is_aware
from ._incident import Incident
from ._payloads import Reader, decoded, index, join
from ._policy import DEFAULT_POLICY, DEPENDENCY_METRIC, Integrations, Policy
from ._vocabulary import DetectionSource

if TYPE_CHECKING:
    from ._assessment import Signals
    from ._prometheus import MetricSeries

__all__ = [
    "ALERTMANAGER",
    "PAGERDUTY",
    "Alert",
    "AlertApplied",
    "AlertStatus",
    "alert_signals",
    "apply_alert",
    "parse_alertmanager",
    "parse_pagerduty",
]

#: The ``origin`` of alerts read from an Alertmanager webhook.
ALERTMANAGER = "alertmanager"
#: The ``origin`` of alerts read from a PagerDuty webhook.
PAGERDUTY = "pagerduty"

_ALERTMANAGER_WHAT = "Alertmanager webhook"
_PAGERDUTY_WHAT = "PagerDuty webhook"


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
            if not (value is None and field == "ended_at") and not is_aware(value):
                problems.append(f"{field}: expected a timezone-aware datetime, got {value!r}")
        if self.status is AlertStatus.ACKNOWLEDGED and not (isinstance(self.by, str) and self.by.strip()):
            problems.append(f"by: an acknowledgement needs who acknowledged it, got {self.by!r}")
        if problems:
            raise DetectionError("Alert." + "; Alert.".join(problems))


@attrs.frozen(kw_only=True)
class AlertApplied:
    """What :func:`apply_alert` did.

    Attributes:
        incident: The incident after the alert (the same value when nothing
            changed).
        events: The events the alert added, oldest first (none when nothing
            changed).
        reason: What was done, or why nothing was.
    """

    incident: Incident
    events: tuple[Event, ...]
    reason: str

    @property
    def changed(self) -> bool:
        """Whether the alert added any event."""
        return bool(self.events)


# --- Alertmanager ---------------------------------------------------------------


def parse_alertmanager(payload: object, *, policy: Policy = DEFAULT_POLICY) -> tuple[Alert, ...]:
    """The alerts of a Prometheus Alertmanager webhook (payload ``version`` ``"4"``).

    *payload* is the request body (text or bytes) or its parsed JSON. Each
    alert keeps its own ``status``; the group's status is checked but an
    alert's own wins. ``fingerprint`` and ``startsAt`` make the identity
    (Alertmanager sends the same pair again on every repeat notification).
    Keys the library does not read are ignored.

    Raises:
        PayloadError: naming every missing or mistyped field by its JSON path
            (``alerts[0].startsAt``), an unknown status or version.
    """
    data = decoded(payload, _ALERTMANAGER_WHAT)
    read = Reader(_ALERTMANAGER_WHAT)
    top = read.mapping(data, "")
    if top is None:
        read.done()
    assert top is not None  # noqa: S101 - read.done() raised otherwise
    read.text(top, "", "version", choices=("4",))
    read.text(top, "", "status", choices=("firing", "resolved"))
    alerts = read.array(top, "", "alerts")
    found = []
    for position, item in enumerate(alerts or ()):
        alert = _alertmanager_alert(read, index("alerts", position), item, policy.integrations)
        if alert is not None:
            found.append(alert)
    read.done()
    return tuple(found)


def _alertmanager_alert(read: Reader, path: str, item: object, integrations: Integrations) -> Alert | None:
    data = read.mapping(item, path)
    if data is None:
        return None
    before = len(read.problems)
    status = read.text(data, path, "status", choices=("firing", "resolved"))
    labels = read.labels(data, path, "labels")
    annotations = dict(read.labels(data, path, "annotations", required=False))
    started = read.time(data, path, "startsAt")
    ended = read.time(data, path, "endsAt", required=status == "resolved")
    fingerprint = read.text(data, path, "fingerprint")
    url = (
        read.text(data, path, "generatorURL", required=False, nullable=True)
        if data.get("generatorURL") != ""
        else None
    )
    name = (
        read.text(data["labels"], join(path, "labels"), "alertname")
        if isinstance(data.get("labels"), Mapping)
        else None
    )
    if status == "resolved" and started is not None and ended is not None and ended < started:
        read.fail(join(path, "endsAt"), f"ends before it starts ({data['startsAt']})")
    if len(read.problems) > before:
        return None
    assert status is not None  # noqa: S101 - read above
    assert started is not None  # noqa: S101
    assert fingerprint is not None  # noqa: S101
    assert name is not None  # noqa: S101
    endpoint, metric = integrations.endpoint_of(labels), integrations.metric_of(name)
    identity = f"{fingerprint}@{started.isoformat(timespec='microseconds').replace('+00:00', 'Z')}"
    resolved = status == "resolved"
    return Alert(
        origin=ALERTMANAGER,
        identity=identity,
        key=f"{ALERTMANAGER}:{identity}:{status}",
        status=AlertStatus(status),
        title=annotations.get("summary", "").strip() or name,
        started_at=started,
        at=ended if resolved and ended is not None else started,
        ended_at=ended if resolved else None,
        labels=labels,
        endpoint=endpoint,
        metric=metric,
        url=url,
    )


# --- PagerDuty --------------------------------------------------------------------

_PAGERDUTY_EVENTS = {
    "incident.triggered": AlertStatus.FIRING,
    "incident.acknowledged": AlertStatus.ACKNOWLEDGED,
    "incident.resolved": AlertStatus.RESOLVED,
}


def parse_pagerduty(payload: object, *, policy: Policy = DEFAULT_POLICY) -> Alert:
    """The alert of a PagerDuty V3 webhook: ``incident.triggered``, ``.acknowledged`` or ``.resolved``.

    *payload* is the request body (text or bytes) or its parsed JSON. The
    alert's identity is the PagerDuty incident's id; its labels are the
    service's name (``service``), the ``urgency`` and the priority's name
    (``priority``, when set), so the policy's label mapping applies to them.
    An acknowledgement is by the event's ``agent``, or, when PagerDuty sends
    none, by the incident's first assignee.

    Raises:
        PayloadError: naming every missing or mistyped field by its JSON path
            (``event.data.created_at``), or another event type.
    """
    data = decoded(payload, _PAGERDUTY_WHAT)
    read = Reader(_PAGERDUTY_WHAT)
    top = read.mapping(data, "")
    event = read.field_object(top, "", "event") if top is not None else None
    if event is None:
        read.done()
    assert event is not None  # noqa: S101 - read.done() raised otherwise
    kind = read.text(event, "event", "event_type", choices=tuple(_PAGERDUTY_EVENTS))
    event_id = read.text(event, "event", "id")
    occurred = read.time(event, "event", "occurred_at")
    incident = read.field_object(event, "event", "data")
    if incident is None:
        read.done()
    assert incident is not None  # noqa: S101 - read.done() raised otherwise
    path = "event.data"
    read.text(incident, path, "type", choices=("incident",))
    identity = read.text(incident, path, "id")
    title = read.text(incident, path, "title")
    created = read.time(incident, path, "created_at")
    url = read.text(incident, path, "html_url", required=False)
    labels = _pagerduty_labels(read, incident, path)
    by = None
    if kind == "incident.acknowledged":
        by = _acknowledger(read, event, incident)
    read.done()
    assert kind is not None  # noqa: S101 - read above
    assert event_id is not None  # noqa: S101
    assert occurred is not None  # noqa: S101
    assert identity is not None  # noqa: S101
    assert title is not None  # noqa: S101
    assert created is not None  # noqa: S101
    status = _PAGERDUTY_EVENTS[kind]
    endpoint, metric = policy.integrations.endpoint_of(labels), policy.integrations.metric_of(title)
    key = f"{PAGERDUTY}:{identity}:{status.value}"
    return Alert(
        origin=PAGERDUTY,
        identity=identity,
        key=f"{key}:{event_id}" if status is AlertStatus.ACKNOWLEDGED else key,
        status=status,
        title=title,
        started_at=created,
        at=occurred,
        ended_at=occurred if status is AlertStatus.RESOLVED else None,
        labels=labels,
        endpoint=endpoint,
        metric=metric,
        by=by,
        url=url,
    )


def _summary(read: Reader, data: Mapping[str, Any], path: str, key: str, *, required: bool) -> str | None:
    reference = read.field_object(data, path, key, required=required, nullable=not required)
    if reference is None:
        return None
    return read.text(reference, join(path, key), "summary")


def _pagerduty_labels(read: Reader, incident: Mapping[str, Any], path: str) -> tuple[tuple[str, str], ...]:
    labels = {
        "service": _summary(read, incident, path, "service", required=True),
        "urgency": read.text(incident, path, "urgency", choices=("high", "low")),
        "priority": _summary(read, incident, path, "priority", required=False),
    }
    return tuple(sorted((name, value) for name, value in labels.items() if value is not None))


def _acknowledger(read: Reader, event: Mapping[str, Any], incident: Mapping[str, Any]) -> str | None:
    if event.get("agent") is not None:
        return _summary(read, event, "event", "agent", required=True)
    assignees = incident.get("assignees")
    if isinstance(assignees, list) and assignees:
        return _summary(read, {"0": assignees[0]}, "event.data.assignees", "0", required=True)
    read.fail("event.agent", "an acknowledgement needs an agent, or an assignee in event.data.assignees")
    return None


# --- Applying alerts ----------------------------------------------------------------


def apply_alert(
    alert: Alert,
    incident: Incident | None = None,
    *,
    id: str | None = None,  # noqa: A002 - the name Incident.detect gives it
    policy: Policy | None = None,
) -> AlertApplied:
    """Apply *alert* to *incident* (or detect a new incident, with the id *id*); see the table above.

    Applying the same alert again, or any alert whose command the incident
    already has, changes nothing: its :attr:`Alert.key` is the commands'
    idempotency key. *id* and *policy* are a new incident's (default policy:
    the guide); *id* is not used when there is an incident, and an existing
    incident keeps its own policy.

    Webhooks arrive at least once and in any order, so a command the
    lifecycle refuses (an acknowledgement that arrives after later events,
    or once the incident is resolved) leaves the incident unchanged, and the
    result's ``reason`` quotes the refusal: a webhook handler need not fail.

    Raises:
        DetectionError: if there is no incident and no *id* to detect one
            with, or *policy* is not the existing incident's.
    """
    events: list[Event] = []
    if incident is not None and policy is not None and policy != incident.policy:
        msg = "apply_alert: policy differs from the incident's own; an existing incident keeps its policy"
        raise DetectionError(msg)
    if incident is None:
        if id is None:
            msg = "apply_alert: no incident and no id to detect one with; pass id='INC-...'"
            raise DetectionError(msg)
        incident = Incident.detect(
            id=id,
            title=alert.title,
            source=DetectionSource.AUTOMATED_ALERT,
            at=alert.started_at,
            policy=DEFAULT_POLICY if policy is None else policy,
            idempotency_key=f"{alert.origin}:{alert.identity}:{AlertStatus.FIRING.value}",
        )
        events.append(incident.events[0])
    if alert.status is AlertStatus.ACKNOWLEDGED:
        return _acknowledged(alert, incident, events)
    if events:
        done = f"detected {incident.id} from {alert.origin} alert {alert.identity!r}"
    elif alert.status is AlertStatus.FIRING:
        done = f"{incident.id} was already detected; the firing alert {alert.identity!r} adds nothing"
    else:
        done = f"{incident.id} is unchanged"
    if alert.status is AlertStatus.RESOLVED:
        done += (
            f"; the alert stopped at {alert.at.isoformat()}: resolve the incident with that as "
            "last_error_at once the severity's quiet period has passed (guide, '4. Resolution')"
        )
    return AlertApplied(incident=incident, events=tuple(events), reason=done)


def _acknowledged(alert: Alert, incident: Incident, events: list[Event]) -> AlertApplied:
    assert alert.by is not None  # noqa: S101 - Alert requires it of an acknowledgement
    if incident.acknowledged_at is not None:  # this acknowledgement again, or another one
        reason = f"{incident.id} was already acknowledged at {incident.acknowledged_at.isoformat()}"
        return AlertApplied(incident=incident, events=tuple(events), reason=reason)
    try:
        after = incident.acknowledge(at=alert.at, by=alert.by, idempotency_key=alert.key)
    except CommandRefusedError as refusal:
        reason = f"{incident.id} is unchanged: {refusal}"
        return AlertApplied(incident=incident, events=tuple(events), reason=reason)
    events.append(after.events[-1])
    first = "detected and " if isinstance(events[0], Detected) else ""
    reason = f"{first}acknowledged {after.id} by {alert.by} at {alert.at.isoformat()}"
    return AlertApplied(incident=after, events=tuple(events), reason=reason)


# --- Signals for assess ------------------------------------------------------------------


def alert_signals(  # noqa: PLR0913 - the signals' sources, all keyword-only
    at: datetime,
    *,
    alerts: Iterable[Alert] = (),
    series: Iterable[MetricSeries] = (),
    p95_baselines: Mapping[str, float] | None = None,
    max_gap: timedelta | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> Signals:
    """The :class:`~incident_process.Signals` that alerts and metric series show at *at*.

    * *series* (from :func:`~incident_process.parse_prometheus_matrix`) of the
      metrics ``"error_rate"`` and ``"p95_latency"`` become each endpoint's
      :class:`~incident_process.EndpointMetrics`; an endpoint is critical as
      the policy's ``integrations.critical_endpoints`` says, and its latency
      needs its baseline in *p95_baselines*.
    * Firing alerts whose name the policy maps to ``"dependency"`` name the
      critical upstream services down (the value of the policy's
      ``integrations.dependency_label``, else the alert's title).

    Raises:
        DetectionError: for a series without an endpoint or of a metric that
            :func:`~incident_process.assess` does not read, a latency series
            without its baseline, or a naive *at*.
    """
    from ._assessment import EndpointMetrics, Signals

    integrations = policy.integrations
    columns: dict[str, dict[str, list[tuple[datetime, float]]]] = {}
    seen: dict[tuple[str, str], int] = {}
    for position, one in enumerate(series):
        if one.endpoint is None:
            labels = ", ".join(integrations.endpoint_labels)
            msg = f"series[{position}]: no endpoint label ({labels}) among {dict(one.labels)}"
            raise DetectionError(msg)
        if one.metric not in {"error_rate", "p95_latency"}:
            msg = (
                f"series[{position}]: assess reads 'error_rate' and 'p95_latency' series, got {one.metric!r}"
            )
            raise DetectionError(msg)
        if (one.endpoint, one.metric) in seen:
            msg = (
                f"series[{position}]: a second {one.metric} series for endpoint {one.endpoint!r} (the first "
                f"is series[{seen[one.endpoint, one.metric]}]); aggregate per endpoint in the query"
            )
            raise DetectionError(msg)
        seen[one.endpoint, one.metric] = position
        columns.setdefault(one.endpoint, {"error_rate": [], "p95_latency": []})[one.metric].extend(
            one.samples
        )
    baselines = p95_baselines or {}
    endpoints = []
    for endpoint, metrics in columns.items():
        if metrics["p95_latency"] and endpoint not in baselines:
            msg = f"p95_baselines: no baseline for endpoint {endpoint!r}, which has latency samples"
            raise DetectionError(msg)
        endpoints.append(
            EndpointMetrics(
                endpoint=endpoint,
                critical=integrations.is_critical(endpoint),
                error_rate=metrics["error_rate"],
                p95_latency=metrics["p95_latency"],
                p95_baseline=baselines.get(endpoint),
            )
        )
    down = []
    for alert in alerts:
        if alert.status is AlertStatus.FIRING and alert.metric == DEPENDENCY_METRIC:
            name = alert.label(integrations.dependency_label) or alert.title
            if name not in down:
                down.append(name)
    return Signals(at=at, endpoints=tuple(endpoints), max_gap=max_gap, critical_dependencies_down=tuple(down))
