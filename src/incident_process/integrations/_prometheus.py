"""Prometheus range queries as the metric samples the sustained-threshold detector takes.

Guide, "Incident Criteria": "Error rate >5% for any critical endpoint for >5
minutes", "P95 latency >3x baseline for >5 minutes". Those are judged on
samples over time, which Prometheus's HTTP API returns from
``/api/v1/query_range`` as a ``matrix``: one series per label set, each a list
of ``[unix seconds, "value"]`` pairs. :func:`parse_prometheus_matrix` reads
it into :class:`MetricSeries`, whose ``samples`` go straight into
:func:`~incident_process.sustained_breaches`,
:class:`~incident_process.detection.EndpointMetrics` or
:func:`~incident_process.integrations.alert_signals`.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

import attrs

from incident_process._arguments import check_type
from incident_process._problems import index, join, shown
from incident_process.errors import UnknownMetricError
from incident_process.policy import ALERT_METRICS, DEFAULT_POLICY, Policy

from ._payloads import Reader, decoded

__all__ = ["MetricSeries", "parse_prometheus_matrix"]

_WHAT = "Prometheus range query"
_NOT_FINITE = {"NaN": math.nan, "+Inf": math.inf, "-Inf": -math.inf}
# How Prometheus writes a finite value (Go's strconv.FormatFloat): ASCII digits only.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@attrs.frozen(kw_only=True)
class MetricSeries:
    """One series of a range query.

    Attributes:
        metric: What the query measures (one of the alerting metrics, as the
            caller said).
        labels: The series' labels as sorted ``(name, value)`` pairs.
        endpoint: The endpoint named by the first of the policy's
            ``integrations.endpoint_labels`` present, if any.
        samples: ``(time, value)`` pairs, aware UTC times in increasing order.
        not_finite: The times at which Prometheus returned ``NaN`` or an
            infinity (a ratio over no traffic, a quantile beyond the last
            bucket): left out of ``samples``, so that a gap shows where the
            metric had no value.
    """

    metric: str
    labels: tuple[tuple[str, str], ...]
    endpoint: str | None
    samples: tuple[tuple[datetime, float], ...]
    not_finite: tuple[datetime, ...] = ()


def parse_prometheus_matrix(
    payload: object, *, metric: str, policy: Policy = DEFAULT_POLICY
) -> tuple[MetricSeries, ...]:
    """The series of a Prometheus ``query_range`` response (``resultType`` ``"matrix"``).

    *payload* is the response body (text or bytes) or its parsed JSON;
    *metric* says what the query measures (``"error_rate"`` as a fraction,
    ``"p95_latency"`` in milliseconds, ...), since a computed series has no
    name of its own.

    Raises:
        PayloadError: for an error response (with Prometheus's ``errorType``
            and ``error``), another result type, a native histogram, a value
            that is not a number, times out of order; each with its JSON path
            (``data.result[0].values[3][1]``).
        UnknownMetricError: for a *metric* the policy does not have.
        TypeError: if *policy* is not a Policy (issue 19, defect 10).
    """
    check_type("policy", policy, Policy, "a Policy")
    if not isinstance(metric, str) or metric not in ALERT_METRICS:
        known = ", ".join(map(repr, ALERT_METRICS))
        msg = f"metric: unknown metric {metric!r}; expected one of {known}"
        raise UnknownMetricError(msg)
    read = Reader(_WHAT)
    found: list[MetricSeries | None] = []
    top = read.mapping(decoded(payload, _WHAT), "")
    if top is not None and top.get("status") == "error":
        kind, why = top.get("errorType", "unknown"), top.get("error", "no reason given")
        read.fail("status", f"the query failed ({kind}): {why}")
    elif top is not None:
        read.text(top, "", "status", choices=("success",))
        data = read.field_object(top, "", "data")
        if data is not None and read.text(data, "data", "resultType", choices=("matrix",)) is not None:
            result = read.array(data, "data", "result")
            found = [
                _series(read, index("data.result", position), item, metric, policy)
                for position, item in enumerate(result or ())
            ]
    read.done()
    return tuple(one for one in found if one is not None)


def _series(read: Reader, path: str, item: object, metric: str, policy: Policy) -> MetricSeries | None:
    data = read.mapping(item, path)
    if data is None:
        return None
    labels = read.labels(data, path, "metric")
    if "histograms" in data:
        read.fail(join(path, "histograms"), "native histograms are not samples; query a quantile of them")
        return None
    values = read.array(data, path, "values")
    if values is None:
        return None
    samples: list[tuple[datetime, float]] = []
    not_finite: list[datetime] = []
    last: datetime | None = None
    where = join(path, "values")
    for position, pair in enumerate(values):
        spot = index(where, position)
        if not isinstance(pair, list) or len(pair) != 2:
            read.fail(spot, "expected a [time, value] pair")
            continue
        stamp = read.number(pair[0], index(spot, 0))
        value = _value(read, pair[1], index(spot, 1))
        if stamp is None or value is None:
            continue
        try:
            at = datetime.fromtimestamp(stamp, UTC)
        except (OverflowError, OSError, ValueError):
            read.fail(index(spot, 0), f"not a time: {stamp!r} seconds since 1970 is out of range")
            continue
        if last is not None and at <= last:  # compared as kept: to the microsecond
            read.fail(index(spot, 0), f"times must increase: {stamp!r} is not after {last.timestamp()!r}")
            continue
        last = at
        if math.isfinite(value):
            samples.append((at, value))
        else:
            not_finite.append(at)
    return MetricSeries(
        metric=metric,
        labels=labels,
        endpoint=policy.integrations.endpoint_of(labels),
        samples=tuple(samples),
        not_finite=tuple(not_finite),
    )


def _value(read: Reader, value: object, path: str) -> float | None:
    """A sample's value: Prometheus writes it as a string (``"0.052"``, ``"NaN"``, ``"+Inf"``)."""
    if isinstance(value, str):
        if value in _NOT_FINITE:
            return _NOT_FINITE[value]
        if _NUMBER.fullmatch(value) is not None and math.isfinite(number := float(value)):
            return number
    read.fail(path, f"expected a number as a string like '0.052', got {shown(value)}")
    return None
