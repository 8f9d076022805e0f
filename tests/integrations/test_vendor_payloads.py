"""The vendors' documented payloads: we read their examples and write only the fields they document."""

import json
from datetime import UTC, datetime

import pytest
from payload_examples import BODY, FIXTURES, POLICY, declared, fixture

from incident_process.integrations import (
    ALERTMANAGER,
    PAGERDUTY,
    AlertStatus,
    parse_alertmanager,
    parse_pagerduty,
    parse_prometheus_matrix,
    slack_message,
    statuspage_incident,
)
from incident_process.policy import STATUSPAGE_COMPONENT_STATUSES, STATUSPAGE_IMPACTS, STATUSPAGE_STATUSES


def test_the_documented_alertmanager_payload_reads_into_its_two_alerts():
    """Alertmanager's documented webhook reads into its two alerts: status, title, times, identity, link."""
    firing, resolved = parse_alertmanager(json.dumps(fixture("alertmanager-v4.json")))
    assert firing.origin == resolved.origin == ALERTMANAGER
    assert firing.status is AlertStatus.FIRING
    assert firing.title == "Disk is running full"  # the summary annotation
    assert firing.name == "DiskRunningFull"
    assert firing.started_at == firing.at == datetime(2024, 5, 14, 9, 12, 31, 482345, tzinfo=UTC)
    assert firing.ended_at is None  # Go's zero time means "still firing"
    assert firing.identity == "8320f0af89d48747@2024-05-14T09:12:31.482345Z"
    assert firing.key == f"alertmanager:{firing.identity}:firing"
    assert firing.label("instance") == "example1"
    assert firing.url.startswith("http://prometheus:9090/graph?g0.expr=")
    assert "&g0.tab=1" in firing.url  # JSON's \u0026 decoded
    assert resolved.status is AlertStatus.RESOLVED
    assert resolved.ended_at == resolved.at == datetime(2024, 5, 14, 9, 17, 31, 482345, tzinfo=UTC)
    assert firing.endpoint is firing.metric is None  # the default policy maps no label of these


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("triggered", AlertStatus.FIRING),
        ("acknowledged", AlertStatus.ACKNOWLEDGED),
        ("resolved", AlertStatus.RESOLVED),
    ],
)
def test_the_documented_pagerduty_payloads_read_into_alerts(kind, status):
    """PagerDuty's documented triggered, acknowledged and resolved events read into alerts of that status."""
    alert = parse_pagerduty((FIXTURES / f"pagerduty-v3-incident-{kind}.json").read_bytes())
    assert alert.origin == PAGERDUTY
    assert alert.status is status
    assert alert.identity == "PGR0VU2"
    assert alert.title == "A little bump in the road"
    assert alert.started_at == datetime(2020, 4, 9, 15, 16, 27, tzinfo=UTC)
    assert alert.at == datetime(2020, 10, 2, 18, 45, 22, 169000, tzinfo=UTC)
    assert dict(alert.labels) == {"service": "API Service", "urgency": "high", "priority": "P1"}
    assert alert.url == "https://acme.pagerduty.com/incidents/PGR0VU2"
    assert alert.by == ("Tenex Engineer" if kind == "acknowledged" else None)
    assert alert.ended_at == (alert.at if kind == "resolved" else None)


def test_pagerduty_keys_tell_statuses_and_acknowledgements_apart():
    """A PagerDuty alert's key holds its status, and an acknowledgement's key also its event id."""
    keys = {
        parse_pagerduty(fixture(f"pagerduty-v3-incident-{kind}.json")).key
        for kind in ("triggered", "resolved")
    }
    assert keys == {"pagerduty:PGR0VU2:firing", "pagerduty:PGR0VU2:resolved"}
    ack = parse_pagerduty(fixture("pagerduty-v3-incident-acknowledged.json"))
    assert ack.key == "pagerduty:PGR0VU2:acknowledged:5ac64822-4adc-4fda-ade0-410becf0de4f"


def test_the_documented_range_query_reads_into_series():
    """Prometheus's documented range-query response reads into one series per result, values as numbers."""
    series = parse_prometheus_matrix(fixture("prometheus-range-matrix.json"), metric="error_rate")
    assert [dict(one.labels)["instance"] for one in series] == ["localhost:9090", "localhost:9091"]
    first = series[0]
    assert first.metric == "error_rate"
    assert first.endpoint is None
    assert first.samples[0] == (datetime(2015, 7, 1, 20, 10, 30, 781000, tzinfo=UTC), 1.0)
    assert [value for _, value in series[1].samples] == [0.0, 0.0, 1.0]
    assert first.not_finite == ()


def test_our_statuspage_payload_uses_the_documented_request_fields():
    """Our Statuspage incident uses only the documented request fields, each with a documented value."""
    documented = fixture("statuspage-create-incident.json")["incident"]
    incident = declared(policy=POLICY)
    payload = statuspage_incident("declaration", incident, body=BODY, endpoints=["checkout"])
    assert set(payload) == {"incident"}
    assert set(payload["incident"]) <= set(documented)
    assert payload["incident"]["status"] in STATUSPAGE_STATUSES
    assert payload["incident"]["impact_override"] in STATUSPAGE_IMPACTS
    assert set(payload["incident"]["components"].values()) <= set(STATUSPAGE_COMPONENT_STATUSES)


def test_our_block_kit_payload_uses_the_documented_block_shapes():
    """Our Slack message uses only the keys of Slack's documented blocks, plus the text's emoji flag."""
    documented = fixture("slack-block-kit-message.json")
    shapes = {block["type"]: set(block) for block in documented["blocks"]}
    text_keys = {key for block in documented["blocks"] if "text" in block for key in block["text"]}
    message = slack_message("declaration", declared(), impact="Checkout fails", buttons=False)
    assert set(message) <= set(documented)
    for block in message["blocks"]:
        assert set(block) <= shapes[block["type"]]
        assert set(block["text"]) <= text_keys | {"emoji"}
