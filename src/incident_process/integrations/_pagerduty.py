"""PagerDuty V3 webhooks in: an incident's trigger, acknowledgement or resolution as an ``Alert``.

Guide, "1. Detection": "Automated monitoring: PagerDuty alerts on error
rate, latency, availability" and "Automated alert: Acknowledge within 5
minutes": PagerDuty's ``incident.triggered``, ``incident.acknowledged`` and
``incident.resolved`` events. Both eras of V3 read: the payloads PagerDuty
sent until late 2021 have no ``event.data.created_at`` (nor
``incident_key``); the retired V2 format (a ``messages`` array) is refused
with a message that says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from incident_process._arguments import check_type
from incident_process._problems import join
from incident_process.policy import DEFAULT_POLICY, Policy

from ._alerts import PAGERDUTY, Alert, AlertStatus
from ._payloads import Reader, decoded

__all__ = ["parse_pagerduty"]

_PAGERDUTY_WHAT = "PagerDuty webhook"


#: What a V2 webhook (retired by PagerDuty) is told.
_V2 = (
    "this is a PagerDuty V2 webhook (a 'messages' array), a format PagerDuty has retired; "
    "subscribe a V3 webhook (a Generic Webhook (v3) extension or the Webhook Subscriptions API) "
    "and send its payloads here"
)

_PAGERDUTY_EVENTS = {
    "incident.triggered": AlertStatus.FIRING,
    "incident.acknowledged": AlertStatus.ACKNOWLEDGED,
    "incident.resolved": AlertStatus.RESOLVED,
}


def parse_pagerduty(payload: object, *, policy: Policy = DEFAULT_POLICY) -> Alert:
    """The alert of a PagerDuty V3 webhook: ``incident.triggered``, ``.acknowledged`` or ``.resolved``.

    *payload* is the request body (text or bytes) or its parsed JSON. The
    alert's identity is the PagerDuty incident's id (a reference, with its
    ``incident_key`` when PagerDuty sends one); its labels are the
    service's name (``service``), the ``urgency`` and the priority's name
    (``priority``, when set), so the policy's label mapping applies to them.
    An acknowledgement is by the event's ``agent``, or, when PagerDuty sends
    none, by the incident's first assignee.

    The alert starts at the incident's ``created_at``. Payloads of 2021 and
    before have none (PagerDuty added ``event.data.created_at`` in October
    2021): the event's ``occurred_at`` stands for it, which is the start for
    ``incident.triggered`` and later than the start for an acknowledgement
    or a resolution (a detection from one of those is dated then).

    Raises:
        PayloadError: naming every missing or mistyped field by its JSON path
            (``event.data.id``), another event type, or a V2 webhook.
        TypeError: if *policy* is not a Policy (issue 19, defect 10).
    """
    check_type("policy", policy, Policy, "a Policy")
    data = decoded(payload, _PAGERDUTY_WHAT)
    read = Reader(_PAGERDUTY_WHAT)
    top = read.mapping(data, "")
    if top is not None and "event" not in top and "messages" in top:
        read.fail("messages", _V2)
        read.done()
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
    created = read.time(incident, path, "created_at", required=False) or occurred
    url = read.text(incident, path, "html_url", required=False)
    labels = _pagerduty_labels(read, incident, path)
    incident_key = read.text(incident, path, "incident_key", required=False, nullable=True)
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
    references = [(f"{PAGERDUTY}.incident", identity)]
    if incident_key:
        references.append((f"{PAGERDUTY}.incident_key", incident_key))
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
        references=tuple(sorted(references)),
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
