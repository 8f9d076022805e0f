"""Benchmark the integrations: webhooks and range queries in, Block Kit and Statuspage payloads out.

Run from the repository root with the package installed::

    python benchmarks/bench_integrations.py            # print the report
    python benchmarks/bench_integrations.py --write    # also update docs/performance.md

What is measured (best of several repeats):

* ``parse_alertmanager`` of webhooks of 1, 100 and 1,000 alerts, against
  ``json.loads`` of the same body (the floor of reading it);
* ``apply_alert`` of a re-delivered alert (the no-op every repeat
  notification costs), firing and acknowledged, on incidents of 3 and 1,000
  events;
* ``parse_prometheus_matrix`` of one series of 1,100 and 11,000 samples
  (11,000 is the most points Prometheus returns for a series), against
  ``json.loads``;
* ``slack_message`` against ``render_declaration`` (one rendering), and
  ``statuspage_incident`` against ``lint_external`` of its body.

Targets, set before measuring: reading is linear (a flat cost per alert and
per sample); a 100-alert webhook reads in under 5 ms and an 11,000-sample
series in under 50 ms; a re-delivered alert costs the same whatever the
incident's length; ``slack_message`` is at most 3x one rendering (it renders
twice, for the blocks and the fallback); ``statuspage_incident`` is at most
2.5x linting its body (it lints the name too).
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import sys

from _report import best, run
from incident_process import Incident, lint_external, render_declaration
from incident_process.integrations import (
    Alert,
    apply_alert,
    parse_alertmanager,
    parse_pagerduty,
    parse_prometheus_matrix,
    slack_message,
    statuspage_incident,
)

T0 = dt.datetime(2026, 8, 18, 12, 0, tzinfo=dt.UTC)
BODY = "We are aware that some customers cannot complete checkout. Next update in 30 minutes."


def webhook(alerts: int) -> str:
    """An Alertmanager webhook body of *alerts* firing alerts."""
    items = [
        {
            "status": "firing",
            "labels": {"alertname": "HighErrorRate", "endpoint": f"endpoint-{n}", "severity": "page"},
            "annotations": {"summary": f"Error rate above 5% on endpoint-{n}"},
            "startsAt": f"2026-08-18T12:00:{n % 60:02d}.201842187Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus:9090/graph?g0.expr=errors",
            "fingerprint": f"{n:016x}",
        }
        for n in range(alerts)
    ]
    return json.dumps({"version": "4", "status": "firing", "receiver": "bot", "alerts": items})


def matrix(samples: int) -> str:
    """A range-query response of one series of *samples* samples."""
    start = T0.timestamp()
    values = [[start + 15 * n, f"{(n % 100) / 1000:.3f}"] for n in range(samples)]
    series = {"metric": {"endpoint": "checkout"}, "values": values}
    return json.dumps({"status": "success", "data": {"resultType": "matrix", "result": [series]}})


def incident_of(events: int, *, acknowledged: Alert | None = None) -> Incident:
    """A declared incident of *events* events (the detection from an alert, then updates)."""
    [alert] = parse_alertmanager(webhook(1))
    incident = apply_alert(alert, id="INC-1").incident
    if acknowledged is not None:
        incident = apply_alert(acknowledged, incident).incident
        events -= 1
    incident = incident.declare(
        at=T0 + dt.timedelta(minutes=1), by="ana", declarer_role="on_call_engineer", severity="SEV2"
    )
    incident = incident.start_response(at=T0 + dt.timedelta(minutes=2))
    for n in range(events - 3):
        incident = incident.post_update(at=T0 + dt.timedelta(minutes=3 + n), status="investigating")
    return incident


def _inbound(lines: list[str]) -> None:
    lines += [
        "| Input | Size | Parse (ms) | per item (us) | `json.loads` (ms) | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for alerts in (1, 100, 1_000):
        body = webhook(alerts)
        number = max(1, 1_000 // alerts)
        parse = best(lambda body=body: parse_alertmanager(body), number=number)
        floor = best(lambda body=body: json.loads(body), number=number)
        size = f"{alerts:,} alert{'s' if alerts > 1 else ''}"
        lines.append(
            f"| Alertmanager webhook | {size} | {parse * 1e3:.3f} | {parse / alerts * 1e6:.1f} "
            f"| {floor * 1e3:.3f} | {parse / floor:.0f}x |"
        )
    for samples in (1_100, 11_000):
        body = matrix(samples)
        parse = best(lambda body=body: parse_prometheus_matrix(body, metric="error_rate"), number=3)
        floor = best(lambda body=body: json.loads(body), number=3)
        lines.append(
            f"| Prometheus matrix | {samples:,} samples | {parse * 1e3:.2f} | {parse / samples * 1e6:.2f} "
            f"| {floor * 1e3:.2f} | {parse / floor:.0f}x |"
        )


def acknowledgement() -> Alert:
    """A PagerDuty acknowledgement of the benchmark's incident."""
    event = {
        "id": "01ACK",
        "event_type": "incident.acknowledged",
        "occurred_at": "2026-08-18T12:00:30Z",
        "agent": {"summary": "Ana", "type": "user_reference"},
        "data": {
            "id": "PGR0VU2",
            "type": "incident",
            "title": "Checkout errors",
            "created_at": "2026-08-18T12:00:00Z",
            "service": {"summary": "API Service"},
            "urgency": "high",
        },
    }
    return parse_pagerduty({"event": event})


def _redelivery(lines: list[str]) -> None:
    [alert] = parse_alertmanager(webhook(1))
    ack = acknowledgement()
    lines += ["", "| Re-delivered alert | Incident events | `apply_alert` (us) |", "| --- | ---: | ---: |"]
    for events in (3, 1_000):
        incident = incident_of(events, acknowledged=ack)
        again = best(lambda incident=incident: apply_alert(alert, incident), number=2_000)
        lines.append(f"| Alertmanager, firing | {events:,} | {again * 1e6:.1f} |")
        again = best(lambda incident=incident: apply_alert(ack, incident), number=2_000)
        lines.append(f"| PagerDuty, acknowledged | {events:,} | {again * 1e6:.1f} |")


def _outbound(lines: list[str]) -> None:
    incident = incident_of(3)
    slack = best(lambda: slack_message("declaration", incident, impact="Checkout fails"), number=500)
    render = best(lambda: render_declaration(incident, impact="Checkout fails"), number=500)
    page = best(
        lambda: statuspage_incident("declaration", incident, body=BODY, name="Checkout errors"), number=200
    )
    lint = best(lambda: lint_external(BODY), number=200)
    rows = [
        ("`slack_message`", slack, "`render_declaration`", render),
        ("`statuspage_incident`", page, "`lint_external(body)`", lint),
    ]
    lines += ["", "| Payload | (us) | Against | (us) | ratio |", "| --- | ---: | --- | ---: | ---: |"]
    lines += [f"| {a} | {x * 1e6:.1f} | {b} | {y * 1e6:.1f} | {x / y:.2f}x |" for a, x, b, y in rows]


def report() -> str:
    """Measure everything and return the Markdown section."""
    machine = f"CPython {platform.python_version()}, {platform.system()} {platform.machine()}"
    lines = [
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d} on {machine}.",
        "Rerun with `python benchmarks/bench_integrations.py --write`.",
        "",
    ]
    lines += [
        "Targets, set before measuring: reading is linear; a 100-alert webhook reads in under 5 ms and an",
        "11,000-sample series (the most Prometheus returns) in under 50 ms; a re-delivered alert costs the",
        "same whatever the incident's length; `slack_message` is at most 3x one rendering (it renders twice,",
        "for the blocks and the escaped fallback); `statuspage_incident` at most 2.5x linting its body (it",
        "lints the name too).",
        "",
    ]
    _inbound(lines)
    _redelivery(lines)
    _outbound(lines)
    lines += [
        "",
        "The cost per alert and per sample is flat from the smallest input to the largest. Reading checks",
        "every field it uses and converts every time (RFC 3339 with up to nine digits of fraction), which is",
        "most of its cost over `json.loads`. A re-delivered alert is answered from the incident's state",
        "without looking through its events.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the report; with --write, also update docs/performance.md."""
    return run(__doc__.splitlines()[0], "bench_integrations", "Integrations", report, argv)


if __name__ == "__main__":
    sys.exit(main())
