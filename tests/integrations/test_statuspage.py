"""Statuspage incidents (statuspage_incident): impact, status, components; customer text checked."""

from datetime import timedelta

import attrs
import pytest
from payload_examples import BODY, POLICY, T0, declared, resolved

from incident_process import DEFAULT_POLICY, ExternalTextError, Incident, MessageError
from incident_process.integrations import STATUSPAGE_LIMITS, statuspage_incident
from incident_process.policy import Integrations, StatuspageMapping

FINAL = "Checkout is working again for all customers. We are aware of the earlier failures."


@pytest.mark.parametrize(
    ("severity", "impact", "component"),
    [
        ("SEV1", "critical", "major_outage"),
        ("SEV2", "major", "partial_outage"),
        ("SEV3", "minor", "degraded_performance"),
    ],
)
def test_impact_and_component_status_follow_the_severity(severity, impact, component):
    """The impact and the status of the endpoints' components follow the severity."""
    incident = declared(policy=POLICY, severity=severity)
    payload = statuspage_incident("declaration", incident, body=BODY, endpoints=["checkout", "search"])[
        "incident"
    ]
    assert payload == {
        "name": "Checkout errors",
        "status": "investigating",
        "impact_override": impact,
        "body": BODY,
        "component_ids": ["cmp-checkout", "cmp-search"],
        "components": {"cmp-checkout": component, "cmp-search": component},
        "deliver_notifications": True,
    }


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        ("investigating", "investigating"),
        ("identified", "identified"),
        ("mitigating", "monitoring"),
    ],
)
def test_the_status_follows_the_latest_update(status, shown):
    """The status is the latest update's, mitigating shown as monitoring."""
    incident = declared().start_response(at=T0 + timedelta(minutes=5))
    incident = incident.post_update(at=T0 + timedelta(minutes=9), status=status, audience="status_page")
    assert statuspage_incident("update", incident, body=BODY)["incident"]["status"] == shown


def test_the_final_update_is_resolved_with_components_operational():
    """The resolution is status resolved, with every component operational again."""
    payload = statuspage_incident("resolution", resolved(policy=POLICY), body=FINAL, endpoints=["checkout"])
    assert payload["incident"]["status"] == "resolved"
    assert payload["incident"]["components"] == {"cmp-checkout": "operational"}


def test_the_policy_changes_the_mapping():
    """The policy's Statuspage mapping sets the impact per severity and the status shown for mitigating."""
    mapping = StatuspageMapping(
        impact=attrs.evolve(StatuspageMapping().impact, sev3="none"), mitigating="identified"
    )
    policy = attrs.evolve(DEFAULT_POLICY, integrations=Integrations(statuspage=mapping))
    incident = declared(policy=policy, severity="SEV3").start_response(at=T0 + timedelta(minutes=5))
    incident = incident.post_update(at=T0 + timedelta(minutes=9), status="mitigating")
    payload = statuspage_incident("update", incident, body=BODY)["incident"]
    assert (payload["impact_override"], payload["status"]) == ("none", "identified")


def test_external_text_is_refused_with_its_findings_by_field():
    """Internal hosts and links or a promised fix time are refused, with the findings for each field."""
    text = "db-prod-3 is down, see http://wiki.corp/INC-1. Fixed by 5pm."
    with pytest.raises(ExternalTextError) as error:
        statuspage_incident("update", declared(), body=text, name="Outage on orders.internal")
    findings = error.value.findings
    assert set(findings) == {"name", "body"}
    assert {finding.rule for finding in findings["name"]} == {"external.internal_host"}
    assert {"external.internal_url", "external.fix_timeline", "external.missing_acknowledgement"} <= {
        finding.rule for finding in findings["body"]
    }
    assert str(error.value).startswith("external text refused: ")


def test_the_name_is_not_asked_to_say_when_the_next_update_comes():
    """The name is not held to the body's rules: it need not say when the next update comes."""
    payload = statuspage_incident("declaration", declared(title="Checkout errors"), body=BODY)
    assert payload["incident"]["name"] == "Checkout errors"


def test_the_final_update_is_a_summary():
    """Guide: "Final update: When resolved, with summary": no next update, no "we are aware" needed."""
    summary = "Checkout was failing for some customers from 12:00 to 13:00 UTC and works again."
    assert statuspage_incident("resolution", resolved(), body=summary)["incident"]["body"] == summary
    with pytest.raises(ExternalTextError) as error:
        statuspage_incident("resolution", resolved(), body="All fine now.")
    assert [finding.rule for finding in error.value.findings["body"]] == ["external.missing_functionality"]


def test_a_resolved_incident_gets_only_its_resolution():
    """A resolved incident gets only its resolution, not another update."""
    with pytest.raises(MessageError, match="update: INC-1 is resolved; its final update is the 'resolution'"):
        statuspage_incident("update", resolved(), body=BODY)


def test_the_status_is_the_latest_update_even_going_back():
    """The status is the latest update's, even going back from monitoring to investigating."""
    incident = declared().start_response(at=T0 + timedelta(minutes=5))
    incident = incident.post_update(at=T0 + timedelta(minutes=10), status="mitigating")
    assert statuspage_incident("update", incident, body=BODY)["incident"]["status"] == "monitoring"
    incident = incident.post_update(at=T0 + timedelta(minutes=20), status="investigating")
    assert statuspage_incident("update", incident, body=BODY)["incident"]["status"] == "investigating"


def test_a_reopened_incident_is_investigated_again():
    """A reopened incident is shown as investigating again."""
    incident = resolved().reopen(at=T0 + timedelta(minutes=70), reason="errors are back")
    assert statuspage_incident("update", incident, body=BODY)["incident"]["status"] == "investigating"


def test_a_confident_fix_time_can_be_allowed():
    """A fix time, refused by default, is accepted when the caller allows that linter rule."""
    body = (
        "We are aware that checkout is failing for some customers. It will be fixed by 5pm. "
        "Next update in 30 minutes."
    )
    with pytest.raises(ExternalTextError):
        statuspage_incident("update", declared(), body=body)
    payload = statuspage_incident("update", declared(), body=body, allow=["external.fix_timeline"])
    assert payload["incident"]["body"] == body


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: statuspage_incident("postmortem", declared(), body=BODY), "kind: expected one of"),
        (
            lambda: statuspage_incident(
                "declaration",
                Incident.detect(id="INC-1", title="x", source="automated_alert", at=T0),
                body=BODY,
            ),
            "declaration: INC-1 has no severity yet; declare it first",
        ),
        (
            lambda: statuspage_incident("resolution", declared(), body=FINAL),
            "resolution: INC-1 is not resolved",
        ),
        (
            lambda: statuspage_incident("update", declared(policy=POLICY), body=BODY, endpoints=["billing"]),
            "endpoints: no status-page component for 'billing'.*known: 'checkout', 'search'",
        ),
        (lambda: statuspage_incident("update", declared(), body="  "), "body: expected text for customers"),
        (lambda: statuspage_incident("update", declared(), body="a\ud800b"), "body: not valid Unicode"),
        (
            lambda: statuspage_incident("update", declared(), body=BODY, allow="external.fix_timeline"),
            "allow: expected a list of names, got 'external.fix_timeline'",
        ),
        (
            lambda: statuspage_incident("update", declared(), body=BODY, allow=["external.fix_time"]),
            "allow: unknown linter rules 'external.fix_time'",
        ),
        (
            lambda: statuspage_incident("update", declared(policy=POLICY), body=BODY, endpoints="checkout"),
            "endpoints: expected a list of names, got 'checkout'",
        ),
        (
            lambda: statuspage_incident("update", declared(), body=BODY, deliver_notifications="no"),
            "deliver_notifications: expected true or false, got 'no'",
        ),
        (lambda: statuspage_incident([], declared(), body=BODY), "kind: expected one of"),
        (
            lambda: statuspage_incident("update", declared(), body=BODY, name=""),
            "name: expected text for customers",
        ),
        (
            lambda: statuspage_incident("update", declared(), body=BODY, name="x" * 256),
            "name: 256 characters, over Statuspage's limit of 255",
        ),
        (
            lambda: statuspage_incident("update", declared(), body=BODY + " " * STATUSPAGE_LIMITS["body"]),
            "body: 25084 characters, over Statuspage's limit of 25,000",
        ),
    ],
)
def test_statuspage_errors_name_what_is_wrong(call, message):
    """A bad argument, or an incident not ready for that kind of message, is refused, naming what is wrong."""
    with pytest.raises(MessageError, match=message):
        call()


def test_the_components_default_to_the_endpoint_the_detection_names():
    """An incident detected from an alert labelled endpoint=checkout shows the checkout component."""
    incident = Incident.detect(
        id="INC-1",
        title="Checkout errors",
        source="automated_alert",
        at=T0,
        policy=POLICY,
        labels={"endpoint": "checkout", "alertname": "HighErrorRate"},
    ).declare(at=T0 + timedelta(minutes=4), by="ana", declarer_role="on_call_engineer", severity="SEV2")
    payload = statuspage_incident("declaration", incident, body=BODY)["incident"]
    assert payload["components"] == {POLICY.integrations.statuspage.component("checkout"): "partial_outage"}
    assert (
        statuspage_incident("declaration", incident, body=BODY, endpoints=())["incident"]["components"] == {}
    )


def test_an_endpoint_the_detection_names_without_a_component_is_named():
    """The detection names an endpoint the policy has no component for: say so, and how to send none."""
    incident = Incident.detect(
        id="INC-1",
        title="Billing errors",
        source="automated_alert",
        at=T0,
        policy=POLICY,
        labels={"endpoint": "billing"},
    ).declare(at=T0 + timedelta(minutes=4), by="ana", declarer_role="on_call_engineer", severity="SEV2")
    with pytest.raises(
        MessageError, match=r"'billing' .*named by the detection's labels; pass endpoints=\(\)"
    ):
        statuspage_incident("declaration", incident, body=BODY)
