"""Guide, "Metrics and Thresholds": the alerting thresholds and the SLOs.

"Alerting Thresholds" (a warning and a critical, paging, threshold per
metric) and "SLOs" (a target per service, over a calendar window). What each
metric measures (its direction and unit) is fixed by the metric, not by the
policy: :data:`ALERT_METRICS` and :data:`SLO_METRICS`.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from incident_process.errors import UnknownMetricError
from incident_process.vocabulary import Direction, SloWindow

from ._checks import Checker

__all__ = [
    "ALERT_METRICS",
    "SLO_METRICS",
    "AlertMetric",
    "AlertThreshold",
    "Alerting",
    "Slo",
    "SloMetric",
    "Slos",
]


@attrs.frozen(kw_only=True)
class AlertMetric:
    """What an alerting metric measures: fixed by the metric, not by the policy.

    Attributes:
        title: The guide's name for the metric.
        direction: Whether values above or below the thresholds alert.
        unit: ``"fraction"`` (0.05 is 5%) or ``"x baseline"``.
    """

    title: str
    direction: Direction
    unit: str


#: The guide's "Alerting Thresholds" metrics, by the name the policy uses.
ALERT_METRICS: Mapping[str, AlertMetric] = {
    "error_rate": AlertMetric(title="Error rate", direction=Direction.ABOVE, unit="fraction"),
    "p95_latency": AlertMetric(title="P95 latency", direction=Direction.ABOVE, unit="x baseline"),
    "availability": AlertMetric(title="Availability", direction=Direction.BELOW, unit="fraction"),
    "db_connections": AlertMetric(
        title="Database connections", direction=Direction.ABOVE, unit="fraction of pool"
    ),
}


@attrs.frozen(kw_only=True)
class AlertThreshold:
    """A warning and a critical (page) threshold; comparisons strict.

    Attributes:
        warning: Warn beyond this.
        critical: Page beyond this.
    """

    warning: float
    critical: float

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.number("warning", self.warning)
        check.number("critical", self.critical)
        check.done()


@attrs.frozen(kw_only=True)
class Alerting:
    """Guide, "Alerting Thresholds".

    Attributes:
        error_rate: ">1%" warning, ">5%" critical.
        p95_latency: ">2x baseline" warning, ">3x baseline" critical.
        availability: "<99.5%" warning, "<99%" critical.
        db_connections: ">70% pool" warning, ">90% pool" critical.
    """

    error_rate: AlertThreshold = AlertThreshold(warning=0.01, critical=0.05)
    p95_latency: AlertThreshold = AlertThreshold(warning=2.0, critical=3.0)
    availability: AlertThreshold = AlertThreshold(warning=0.995, critical=0.99)
    db_connections: AlertThreshold = AlertThreshold(warning=0.70, critical=0.90)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        for name, metric in ALERT_METRICS.items():
            threshold = getattr(self, name)
            if not check.instance(name, threshold, AlertThreshold):
                continue
            if metric.unit != "x baseline":
                check.fraction(f"{name}.warning", threshold.warning)
                check.fraction(f"{name}.critical", threshold.critical)
            if metric.direction is Direction.ABOVE and threshold.warning >= threshold.critical:
                check.fail(
                    f"{name}.warning",
                    f"must be below critical ({threshold.critical!r}), got {threshold.warning!r}",
                )
            if metric.direction is Direction.BELOW and threshold.warning <= threshold.critical:
                check.fail(
                    f"{name}.warning",
                    f"must be above critical ({threshold.critical!r}) for a metric that alerts "
                    f"when it falls, got {threshold.warning!r}",
                )
        check.done()

    def __getitem__(self, metric: str) -> AlertThreshold:
        if metric not in ALERT_METRICS:
            known = ", ".join(map(repr, ALERT_METRICS))
            msg = f"unknown alerting metric {metric!r}; expected one of {known}"
            raise UnknownMetricError(msg)
        threshold: AlertThreshold = getattr(self, metric)
        return threshold


@attrs.frozen(kw_only=True)
class SloMetric:
    """What an SLO measures: fixed by the SLO, not by the policy.

    Attributes:
        service: The guide's name for the service.
        direction: ``ABOVE``: the target is a floor ("99.9%");
            ``BELOW``: the target is a ceiling ("<500ms").
        unit: ``"fraction"`` or ``"ms"``.
    """

    service: str
    direction: Direction
    unit: str


#: The guide's SLOs, by the name the policy uses.
SLO_METRICS: Mapping[str, SloMetric] = {
    "api_availability": SloMetric(service="API Availability", direction=Direction.ABOVE, unit="fraction"),
    "api_latency_p95": SloMetric(service="API Latency P95", direction=Direction.BELOW, unit="ms"),
    "error_rate": SloMetric(service="Error Rate", direction=Direction.BELOW, unit="fraction"),
}


@attrs.frozen(kw_only=True)
class Slo:
    """A service level objective.

    Attributes:
        target: The objective (a fraction, or milliseconds for latency).
        window: Over which calendar window it is measured.
    """

    target: float
    window: SloWindow

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.number("target", self.target)
        check.member("window", self.window, SloWindow)
        check.done()


@attrs.frozen(kw_only=True)
class Slos:
    """Guide, "SLOs".

    Attributes:
        api_availability: "99.9%", monthly.
        api_latency_p95: "<500ms", weekly.
        error_rate: "<0.1%", daily.
    """

    api_availability: Slo = Slo(target=0.999, window=SloWindow.MONTHLY)
    api_latency_p95: Slo = Slo(target=500.0, window=SloWindow.WEEKLY)
    error_rate: Slo = Slo(target=0.001, window=SloWindow.DAILY)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        for name, metric in SLO_METRICS.items():
            slo = getattr(self, name)
            if check.instance(name, slo, Slo) and metric.unit == "fraction":
                check.fraction(f"{name}.target", slo.target)
        check.done()
