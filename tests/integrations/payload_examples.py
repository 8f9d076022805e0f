"""Shared by the integration tests: the vendors' fixtures, builders of payloads and incidents, a policy."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from incident_process import DEFAULT_POLICY, Incident
from policy_examples import MAPPED_POLICY

FIXTURES = Path(__file__).parent.parent / "fixtures" / "integrations"
T0 = datetime(2026, 8, 18, 12, 0, tzinfo=UTC)


def fixture(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def pagerduty(kind, *, event_id=None, occurred=None, **data):
    payload = fixture(f"pagerduty-v3-incident-{kind}.json")
    if event_id is not None:
        payload["event"]["id"] = event_id
    if occurred is not None:
        payload["event"]["occurred_at"] = occurred.isoformat().replace("+00:00", "Z")
    payload["event"]["data"].update(data)
    return payload


def problems(error):
    return [(problem.path, problem.message) for problem in error.value.problems]


POLICY = MAPPED_POLICY


def alertmanager_alert(**changes):
    alert = {
        "status": "firing",
        "labels": {"alertname": "HighErrorRate", "endpoint": "checkout", "severity": "page"},
        "annotations": {"summary": "Checkout error rate above 5%"},
        "startsAt": "2026-08-18T12:00:00.123456789Z",
        "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus.internal:9090/graph",
        "fingerprint": "c0ffee0123456789",
    }
    alert.update(changes)
    return alert


def alertmanager(*alerts, status="firing"):
    return {"version": "4", "status": status, "receiver": "incident-bot", "alerts": list(alerts)}


def matrix(*series):
    return {"status": "success", "data": {"resultType": "matrix", "result": list(series)}}


def series(labels, values, start=T0, step=60):
    first = start.timestamp()
    return {"metric": labels, "values": [[first + step * i, value] for i, value in enumerate(values)]}


def declared(title="Checkout errors", policy=DEFAULT_POLICY, severity="SEV2"):
    incident = Incident.detect(id="INC-1", title=title, source="automated_alert", at=T0, policy=policy)
    return incident.declare(
        at=T0 + timedelta(minutes=4), by="ana", declarer_role="on_call_engineer", severity=severity
    )


def resolved(policy=DEFAULT_POLICY, severity="SEV2"):
    incident = declared(policy=policy, severity=severity).start_response(at=T0 + timedelta(minutes=5))
    incident = incident.post_update(at=T0 + timedelta(minutes=12), status="identified")
    return incident.resolve(at=T0 + timedelta(minutes=60), last_error_at=T0 + timedelta(minutes=30))


BODY = "We are aware that checkout is failing for some customers. Next update in 30 minutes."
