"""Alerts and metric series as the signals the incident criteria are assessed on.

Guide, "Incident Criteria": "Error rate >5% for any critical endpoint for >5
minutes", "P95 latency >3x baseline for >5 minutes", "Critical upstream
service (database, auth provider) down". :func:`alert_signals` gathers
firing alerts and Prometheus series into the
:class:`~incident_process.detection.Signals` that
:func:`~incident_process.detection.assess` takes; labels map to endpoints
and metrics through the policy's ``[integrations]`` group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from incident_process._arguments import check_type
from incident_process.detection import EndpointMetrics, Signals
from incident_process.errors import DetectionError
from incident_process.policy import DEFAULT_POLICY, DEPENDENCY_METRIC, Policy

from ._alerts import Alert, AlertStatus
from ._prometheus import MetricSeries

__all__ = ["alert_signals"]


def alert_signals(  # noqa: PLR0913 - the signals' sources, all keyword-only
    at: datetime,
    *,
    alerts: Iterable[Alert] = (),
    series: Iterable[MetricSeries] = (),
    p95_baselines: Mapping[str, float] | None = None,
    max_gap: timedelta | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> Signals:
    """The :class:`~incident_process.detection.Signals` that alerts and metric series show at *at*.

    * *series* (from :func:`~incident_process.integrations.parse_prometheus_matrix`) of the
      metrics ``"error_rate"`` and ``"p95_latency"`` become each endpoint's
      :class:`~incident_process.detection.EndpointMetrics`; an endpoint is critical as
      the policy's ``integrations.critical_endpoints`` says, and its latency
      needs its baseline in *p95_baselines*.
    * Firing alerts whose name the policy maps to ``"dependency"`` name the
      critical upstream services down (the value of the policy's
      ``integrations.dependency_label``, else the alert's title).

    Raises:
        DetectionError: for a series without an endpoint or of a metric that
            :func:`~incident_process.assess` does not read, a latency series
            without its baseline, or a naive *at*.
        TypeError: for an argument of the wrong type, naming it (an alert or
            a series by its index: ``series[2]``; issue 19, defect 10).
    """
    check_type("alerts", alerts, Iterable, "an iterable of Alert values")
    check_type("series", series, Iterable, "an iterable of MetricSeries values")
    check_type("p95_baselines", p95_baselines, (Mapping, type(None)), "a mapping of endpoints to ms, or None")
    check_type("max_gap", max_gap, (timedelta, type(None)), "a timedelta or None")
    check_type("policy", policy, Policy, "a Policy")
    integrations = policy.integrations
    columns: dict[str, dict[str, list[tuple[datetime, float]]]] = {}
    seen: dict[tuple[str, str], int] = {}
    for position, one in enumerate(series):
        check_type(f"series[{position}]", one, MetricSeries, "a MetricSeries")
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
    for position, alert in enumerate(alerts):
        check_type(f"alerts[{position}]", alert, Alert, "an Alert")
        if alert.status is AlertStatus.FIRING and alert.metric == DEPENDENCY_METRIC:
            name = alert.label(integrations.dependency_label) or alert.title
            if name not in down:
                down.append(name)
    return Signals(at=at, endpoints=tuple(endpoints), max_gap=max_gap, critical_dependencies_down=tuple(down))
