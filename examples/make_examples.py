"""Write the example records, policy and documents in this directory (run from the repository root).

``python examples/make_examples.py`` rewrites them from the commands below, so
they always match the library's record format.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from incident_process import Incident, Policy, dump_record, loads_policy, render_postmortem

HERE = Path(__file__).resolve().parent
POLICY_TEXT = """\
# Our changes to the guide: New York time, US holidays, a faster SEV3 cadence.
name = "example-co-2026"
zone = "America/New_York"

[calendar]
country = "US"

[communication.update_cadence]
SEV3 = "45m"

[communication.external]
internal_domains = ["corp.example.com"]

# How our alerts and status page map onto the guide.
[integrations]
critical_endpoints = ["checkout"]

[[integrations.alerts]]
alert = "HighErrorRate"
metric = "error_rate"

[[integrations.statuspage.components]]
endpoint = "checkout"
component_id = "kctbh9vrtdwd"
"""


def at(start: datetime, minutes: float) -> datetime:
    """*minutes* after *start*."""
    return start + timedelta(minutes=minutes)


def sev1_on_time(policy: Policy) -> Incident:
    """A SEV1 where every duty was met in time."""
    t0 = datetime(2026, 7, 14, 13, 0, tzinfo=UTC)
    i = Incident.detect(
        id="INC-2026-101",
        title="API returning 503 for all requests",
        source="automated_alert",
        at=t0,
        policy=policy,
        labels={"alertname": "HighErrorRate", "service": "api-gateway", "endpoint": "checkout"},
        references={
            "alertmanager.fingerprint": "5e6b1a4b2c3d7f80",
            "alertmanager.group_key": '{}:{alertname="HighErrorRate"}',
        },
    )
    i = i.record_milestone("customer_impact_started", at=at(t0, 1), occurred_at=at(t0, -3))
    i = i.acknowledge(at=at(t0, 2), by="ana")
    i = i.complete_step("declaration", "confirm_criteria", at=at(t0, 3), by="ana", note="every request fails")
    i = i.declare(
        at=at(t0, 3),
        by="ana",
        declarer_role="on_call_engineer",
        severity="SEV1",
        impact="Every API request fails with 503; all customers are affected",
    )
    i = i.complete_step(
        "declaration", "create_channel", at=at(t0, 3), by="ana", note="#incident-2026-07-14-api-503"
    )
    i = i.complete_step("declaration", "notify_stakeholders", at=at(t0, 4), by="ana", note="@incident-notify")
    i = i.start_response(at=at(t0, 4)).assign_role("technical_lead", "bo", at=at(t0, 5))
    i = i.assign_role("communications_lead", "cy", at=at(t0, 5)).assign_role("scribe", "di", at=at(t0, 6))
    i = i.post_update(
        at=at(t0, 8),
        status="investigating",
        audience="status_page",
        by="cy",
        text="We are aware that API requests are failing and are investigating. Next update by 13:25 UTC.",
    )
    i = i.post_update(at=at(t0, 15), status="identified", by="cy", text="A deploy at 12:55 pinned a bad tag.")
    i = i.post_update(
        at=at(t0, 22),
        status="identified",
        audience="status_page",
        by="cy",
        text="We have identified the cause of the failing API requests. Next update by 13:40 UTC.",
    )
    i = i.record_action("api_gateway.rollback", at=at(t0, 25), by="bo")
    # The alert's end (errors stopped at 13:28) reached the bot after the 13:29 update: a late fact.
    i = i.post_update(at=at(t0, 29), status="mitigating", by="cy", text="Rolled back; error rate falling.")
    i = i.record_errors_stopped(at=at(t0, 28), by="alertmanager")
    i = i.post_update(
        at=at(t0, 36),
        status="mitigating",
        audience="status_page",
        by="cy",
        text="A fix is in place and API requests are succeeding again. Next update by 13:55 UTC.",
    )
    i = i.post_update(at=at(t0, 42), status="mitigating", by="cy", text="No errors for 14 minutes.")
    i = i.resolve(at=at(t0, 44))
    i = i.post_update(at=at(t0, 46), status="resolved", audience="status_page")
    i = i.post_update(at=at(t0, 46), status="resolved")
    i = i.identify_root_cause("bad-image-tag", at=at(t0, 60), summary="A deploy pinned a broken image tag")
    i = i.start_post_incident(at=at(t0, 90))
    i = i.archive_channel(at=at(t0, 60 * 20))
    i = i.hold_review(at=at(t0, 60 * 24), facilitator="eve")
    i = i.add_action_item(
        "A1", "Verify image tags in the pipeline", owner="bo", due=date(2026, 7, 24), at=at(t0, 60 * 24 + 60)
    )
    i = i.publish_document(at=at(t0, 60 * 48), location="postmortems/INC-2026-101.md")
    i = i.close(at=at(t0, 60 * 49))
    return i.complete_action_item("A1", at=at(t0, 60 * 24 * 5))


def sev2_late(policy: Policy) -> Incident:
    """A SEV2 with missed updates and a late review."""
    t0 = datetime(2026, 8, 18, 15, 0, tzinfo=UTC)
    i = Incident.detect(
        id="INC-2026-117",
        title="Checkout errors for EU customers",
        source="automated_alert",
        at=t0,
        policy=policy,
    )
    # PagerDuty's acknowledgement (15:09) reached the bot after fay declared in Slack (15:12).
    i = i.declare(
        at=at(t0, 12),
        by="fay",
        declarer_role="on_call_engineer",
        severity="SEV2",
        impact="About 15% of checkouts from the EU fail",
    )
    i = i.acknowledge(at=at(t0, 9), by="fay")
    i = i.start_response(at=at(t0, 13)).assign_role("technical_lead", "gus", at=at(t0, 20))
    i = i.post_update(at=at(t0, 30), status="investigating", audience="status_page")
    i = i.post_update(at=at(t0, 95), status="identified")
    i = i.resolve(at=at(t0, 150), last_error_at=at(t0, 120))
    i = i.start_post_incident(at=at(t0, 60 * 24))
    return i.hold_review(at=at(t0, 60 * 24 * 7), facilitator="hal")


def sev3_closed(policy: Policy) -> Incident:
    """A SEV3 closed without a review (optional for SEV3)."""
    t0 = datetime(2026, 9, 2, 18, 0, tzinfo=UTC)
    i = Incident.detect(
        id="INC-2026-123",
        title="CSV export slow for large accounts",
        source="customer_reports",
        at=t0,
        policy=policy,
    )
    i = i.complete_step("declaration", "confirm_criteria", at=at(t0, 9), by="ivy", note="three tickets")
    i = i.declare(
        at=at(t0, 10),
        by="ivy",
        declarer_role="support_lead",
        severity="SEV3",
        impact="CSV exports of accounts with over 100,000 rows take minutes",
    )
    i = i.complete_step("declaration", "create_channel", at=at(t0, 10), by="ivy", note="#incident-csv")
    i = i.complete_step("declaration", "page_on_call", at=at(t0, 11), by="ivy", note="data on-call paged")
    i = i.complete_step("declaration", "notify_stakeholders", at=at(t0, 11), by="ivy")
    i = i.start_response(at=at(t0, 11))
    i = i.post_update(at=at(t0, 15), status="investigating", audience="status_page")
    i = i.record_action("background_workers.restart", at=at(t0, 48), by="ivy")
    i = i.post_update(at=at(t0, 50), status="mitigating")
    i = i.post_update(at=at(t0, 55), status="mitigating", audience="status_page")
    i = i.post_update(at=at(t0, 90), status="mitigating")
    i = i.post_update(at=at(t0, 95), status="mitigating", audience="status_page")
    i = i.resolve(at=at(t0, 120), last_error_at=at(t0, 80))
    i = i.post_update(at=at(t0, 125), status="resolved", audience="status_page")
    i = i.post_update(at=at(t0, 125), status="resolved")
    i = i.archive_channel(at=at(t0, 60 * 20))
    return i.close(at=at(t0, 60 * 21))


def main() -> None:
    """Write every example file."""
    (HERE / "policy.toml").write_text(POLICY_TEXT)
    policy = loads_policy(POLICY_TEXT)
    records = HERE / "records"
    records.mkdir(exist_ok=True)
    incidents = {
        "sev1-on-time": sev1_on_time(policy),
        "sev2-late": sev2_late(policy),
        "sev3-closed": sev3_closed(policy),
    }
    for name, incident in incidents.items():
        (records / f"{name}.json").write_text(dump_record(incident))
    postmortems = HERE / "postmortems"
    postmortems.mkdir(exist_ok=True)
    complete = render_postmortem(
        incidents["sev1-on-time"],
        summary="All API requests failed for 47 minutes after a deploy pinned a broken image tag.",
        customers_affected="All customers using the API",
        errors_generated="About 1.9 million 503 responses",
        revenue_impact="None measured",
        resolution="Rolled back to the previous image tag, then fixed the pipeline",
        went_well="The rollback took four minutes",
        could_improve="The pipeline accepted an image tag nobody had built",
    )
    (postmortems / "INC-2026-101.md").write_text(complete)
    broken = (
        render_postmortem(incidents["sev2-late"]).replace("## Root Cause", "## Cause")
        + "\nIt was caused by gus.\n"
    )
    (postmortems / "INC-2026-117-draft.md").write_text(broken)


if __name__ == "__main__":
    main()
