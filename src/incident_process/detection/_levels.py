"""Guide, "Alerting Thresholds": the alert level of one reading, from the policy's table.

"Error rate >1% / >5%; P95 latency >2x baseline / >3x baseline;
Availability <99.5% / <99%; Database connections >70% pool / >90% pool"
(warning / critical). Every comparison is strict: a value exactly at a
threshold is not beyond it. Rates, availability and pool use are fractions
(``0.05`` is 5%), latencies are milliseconds.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Mapping
from typing import Final

from incident_process._arguments import check_type
from incident_process.errors import DetectionError
from incident_process.policy import ALERT_METRICS, DEFAULT_POLICY, Policy
from incident_process.vocabulary import Direction

from ._arguments import positive_baseline, real

__all__ = [
    "AlertLevel",
    "alert_level",
]


class AlertLevel(enum.Enum):
    """Guide, "Alerting Thresholds": no alert, a warning, or a critical alert that pages."""

    NONE = "none"
    WARNING = "warning"
    CRITICAL = "critical"


#: Whether a value is beyond a threshold, for each direction; strict both ways.
_BEYOND: Mapping[Direction, Callable[[float, float], bool]] = {
    Direction.ABOVE: operator.gt,
    Direction.BELOW: operator.lt,
}


_BASELINE_UNIT: Final = "x baseline"


def alert_level(
    metric: str, value: float, *, baseline: float | None = None, policy: Policy = DEFAULT_POLICY
) -> AlertLevel:
    """The alert level of one reading of *metric*, from the policy's "Alerting Thresholds".

    Guide: "Error rate >1% (warning) >5% (critical); P95 latency >2x baseline
    / >3x baseline; Availability <99.5% / <99%; Database connections >70%
    pool / >90% pool". Every comparison is strict: a value exactly at a
    threshold is not beyond it. Whether a metric alerts above or below its
    thresholds is its direction in ``ALERT_METRICS``.

    Args:
        metric: ``"error_rate"``, ``"p95_latency"``, ``"availability"`` or
            ``"db_connections"``.
        value: A fraction from 0 to 1 (``0.05`` is 5%) for the rates,
            availability and pool use; milliseconds for ``p95_latency``.
        baseline: The baseline P95 latency in milliseconds: required for
            ``p95_latency``, refused for the others.
        policy: Whose thresholds.

    Raises:
        UnknownMetricError: *metric* is not in the alerting table.
        DetectionError: *value* or *baseline* is invalid or missing.

    >>> alert_level("error_rate", 0.05)
    <AlertLevel.WARNING: 'warning'>
    >>> alert_level("availability", 0.989)
    <AlertLevel.CRITICAL: 'critical'>
    >>> alert_level("p95_latency", 650.0, baseline=200.0)
    <AlertLevel.CRITICAL: 'critical'>
    """
    check_type("policy", policy, Policy, "a Policy")  # issue 19, defect 10: a wrong type is a TypeError
    threshold = policy.alerting[metric]
    kind = ALERT_METRICS[metric]
    measured = real("value", value)
    if kind.unit == _BASELINE_UNIT:
        if baseline is None:
            msg = f"baseline: required for {metric!r}, whose thresholds are multiples of a baseline"
            raise DetectionError(msg)
        scale = positive_baseline(baseline)
        if measured < 0:
            msg = f"value: a latency must not be negative, got {value!r}"
            raise DetectionError(msg)
    else:
        if baseline is not None:
            msg = f"baseline: only a metric measured against a baseline takes one, not {metric!r}"
            raise DetectionError(msg)
        scale = 1.0
        if not 0.0 <= measured <= 1.0:
            msg = f"value: expected a fraction from 0 to 1 (0.05 is 5%) for {metric!r}, got {value!r}"
            raise DetectionError(msg)
    beyond = _BEYOND[kind.direction]
    for level, limit in ((AlertLevel.CRITICAL, threshold.critical), (AlertLevel.WARNING, threshold.warning)):
        if beyond(measured, limit * scale):
            return level
    return AlertLevel.NONE
