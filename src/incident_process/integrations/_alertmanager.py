"""Prometheus Alertmanager webhooks in: each alert of a notification as an ``Alert``.

Guide, "1. Detection": "Automated monitoring ... alerts on error rate,
latency, availability". Alertmanager's webhook (payload ``version`` ``"4"``)
carries a group of alerts; each keeps its own status, fingerprint and start,
which make its identity.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from incident_process._arguments import check_type
from incident_process._problems import index, join
from incident_process.policy import DEFAULT_POLICY, Integrations, Policy

from ._alerts import ALERTMANAGER, PAGERDUTY, Alert, AlertStatus
from ._payloads import Reader, decoded

__all__ = ["parse_alertmanager"]

_ALERTMANAGER_WHAT = "Alertmanager webhook"


def parse_alertmanager(payload: object, *, policy: Policy = DEFAULT_POLICY) -> tuple[Alert, ...]:
    """The alerts of a Prometheus Alertmanager webhook (payload ``version`` ``"4"``).

    *payload* is the request body (text or bytes) or its parsed JSON. Each
    alert keeps its own ``status``; the group's status is checked but an
    alert's own wins. ``fingerprint`` and ``startsAt`` make the identity
    (Alertmanager sends the same pair again on every repeat notification);
    the fingerprint and the group's ``groupKey`` are its references, with
    ``pagerduty.incident_key``: the SHA-256 of the group key (hex), which
    Alertmanager's own PagerDuty receiver sends as the dedup key, so the
    PagerDuty incident that receiver opened correlates with the alert.
    Keys the library does not read are ignored.

    Raises:
        PayloadError: naming every missing or mistyped field by its JSON path
            (``alerts[0].startsAt``), an unknown status or version.
        TypeError: if *policy* is not a Policy (issue 19, defect 10).
    """
    check_type("policy", policy, Policy, "a Policy")
    data = decoded(payload, _ALERTMANAGER_WHAT)
    read = Reader(_ALERTMANAGER_WHAT)
    top = read.mapping(data, "")
    if top is None:
        read.done()
    assert top is not None  # noqa: S101 - read.done() raised otherwise
    read.text(top, "", "version", choices=("4",))
    read.text(top, "", "status", choices=("firing", "resolved"))
    group_key = read.text(top, "", "groupKey", required=False)
    alerts = read.array(top, "", "alerts")
    found = []
    for position, item in enumerate(alerts or ()):
        alert = _alertmanager_alert(read, index("alerts", position), item, policy.integrations, group_key)
        if alert is not None:
            found.append(alert)
    read.done()
    return tuple(found)


def _alertmanager_alert(
    read: Reader, path: str, item: object, integrations: Integrations, group_key: str | None
) -> Alert | None:
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
    references = [(f"{ALERTMANAGER}.fingerprint", fingerprint)]
    if group_key:
        references.append((f"{ALERTMANAGER}.group_key", group_key))
        # Alertmanager's PagerDuty receiver sends the group key's SHA-256 as the dedup key
        # (notify.Key.Hash); the PagerDuty incident it opens has it as its incident_key.
        references.append((f"{PAGERDUTY}.incident_key", hashlib.sha256(group_key.encode()).hexdigest()))
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
        references=tuple(sorted(references)),
        endpoint=endpoint,
        metric=metric,
        url=url,
    )
