"""alert_signals: Prometheus series and alerts become the signals that assess reads."""

from datetime import timedelta

import pytest
from payload_examples import POLICY, T0, alertmanager, alertmanager_alert, matrix, series

from incident_process import DetectionError, assess
from incident_process.integrations import alert_signals, parse_alertmanager, parse_prometheus_matrix


def test_series_and_alerts_become_signals_that_assess_reads():
    """Error-rate series and firing alerts become endpoint signals and dependencies down, as assess reads."""
    rates = parse_prometheus_matrix(
        matrix(series({"endpoint": "checkout"}, ["0.08"] * 8), series({"endpoint": "search"}, ["0.5"] * 8)),
        metric="error_rate",
        policy=POLICY,
    )
    down = alertmanager_alert(labels={"alertname": "DatabaseDown", "dependency": "orders-db"})
    alerts = parse_alertmanager(alertmanager(down, alertmanager_alert()), policy=POLICY)
    signals = alert_signals(T0 + timedelta(minutes=8), alerts=alerts, series=rates, policy=POLICY)
    assert [(e.endpoint, e.critical) for e in signals.endpoints] == [("checkout", True), ("search", False)]
    assert signals.critical_dependencies_down == ("orders-db",)
    verdict = assess(signals, POLICY)
    assert verdict.is_incident
    assert {criterion.criterion for criterion in verdict.criteria} == {"availability", "dependency"}


def test_latency_series_need_their_baseline():
    """A latency series needs its endpoint's p95 baseline; with it, assess finds the latency criterion."""
    latency = parse_prometheus_matrix(
        matrix(series({"route": "checkout"}, ["900"] * 7)), metric="p95_latency"
    )
    with pytest.raises(DetectionError, match="p95_baselines: no baseline for endpoint 'checkout'"):
        alert_signals(T0, series=latency)
    signals = alert_signals(T0 + timedelta(minutes=7), series=latency, p95_baselines={"checkout": 200.0})
    assert signals.endpoints[0].p95_baseline == 200.0
    assert [c.criterion for c in assess(signals).criteria] == ["latency"]


def test_a_dependency_alert_without_its_label_names_itself():
    """A dependency alert without a dependency label gives its own name as the dependency down."""
    down = alertmanager_alert(labels={"alertname": "DatabaseDown"}, annotations={})
    alerts = parse_alertmanager(alertmanager(down), policy=POLICY)
    assert alert_signals(T0, alerts=alerts, policy=POLICY).critical_dependencies_down == ("DatabaseDown",)


def test_resolved_dependency_alerts_are_not_down():
    """A resolved dependency alert is no dependency down."""
    down = alertmanager_alert(
        status="resolved", endsAt="2026-08-18T12:30:00Z", labels={"alertname": "DatabaseDown"}
    )
    alerts = parse_alertmanager(alertmanager(down, status="resolved"), policy=POLICY)
    assert alert_signals(T0, alerts=alerts, policy=POLICY).critical_dependencies_down == ()


@pytest.mark.parametrize(
    ("result", "metric", "message"),
    [
        ([series({"job": "api"}, ["0.1"])], "error_rate", r"series\[0\]: no endpoint label"),
        ([series({"endpoint": "a"}, ["0.1"])], "availability", "assess reads 'error_rate' and 'p95_latency'"),
        (
            [series({"endpoint": "a", "pod": "1"}, ["0.1"]), series({"endpoint": "a", "pod": "2"}, ["0.1"])],
            "error_rate",
            r"series\[1\]: a second error_rate series for endpoint 'a' \(the first is series\[0\]\)",
        ),
    ],
)
def test_series_that_do_not_make_signals_are_refused(result, metric, message):
    """A series without an endpoint, of a metric assess does not read, or repeating an endpoint is refused."""
    found = parse_prometheus_matrix(matrix(*result), metric=metric)
    with pytest.raises(DetectionError, match=message):
        alert_signals(T0, series=found)
