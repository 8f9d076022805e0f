"""The demonstration behind ``incident-process demo``: the policy, then one incident walked through."""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from incident_process.comms import channel_name, render_declaration, render_resolution
from incident_process.detection import Impact, classify_severity
from incident_process.errors import CommandRefusedError, ConflictError, ExternalTextError
from incident_process.integrations import (
    apply_alert,
    correlate,
    parse_alertmanager,
    parse_pagerduty,
    slack_message,
    statuspage_incident,
)
from incident_process.lifecycle import Incident, unmet_role_requirements
from incident_process.policy import Policy, render_policy
from incident_process.response import (
    OnCallProfile,
    Option,
    Risk,
    check_readiness,
    checklist,
    choose_option,
    hand_off,
    next_steps,
    response_findings,
)
from incident_process.store import SQLiteStore
from incident_process.timing import describe_duration
from incident_process.vocabulary import Audience, DetectionSource, ImpactFlag, Milestone, Role, UpdateStatus

__all__ = ["EXAMPLE_IMPACTS", "demo_text", "example_incident"]

#: Example impacts and how the guide classifies them.
EXAMPLE_IMPACTS = (
    ("All API requests failing", Impact(flags=frozenset({ImpactFlag.COMPLETE_OUTAGE}))),
    ("Checkout endpoint returning errors to 12% of requests", Impact(error_rate=0.12)),
    ("Export to CSV slow for large accounts; a workaround exists", Impact(flags={ImpactFlag.LIMITED_IMPACT})),
)


def example_incident(policy: Policy) -> tuple[Incident, list[str]]:
    """A checkout outage walked from detection to closing, and what happened on the way."""
    zone = ZoneInfo(policy.zone)
    start = datetime(2026, 3, 8, 9, 0, tzinfo=zone)

    def at(minutes: int) -> datetime:
        return start + timedelta(minutes=minutes)

    story: list[str] = []
    day = 24 * 60
    incident = Incident.detect(
        id="INC-2026-0042",
        title="Checkout returning 5xx errors",
        source=DetectionSource.AUTOMATED_ALERT,
        at=at(0),
        policy=policy,
    )
    severity = classify_severity(EXAMPLE_IMPACTS[1][1], policy).severity
    steps: list[tuple[str, Callable[[Incident], Incident]]] = [
        (
            "impact began 6 minutes before the alert",
            lambda i: i.record_milestone(Milestone.CUSTOMER_IMPACT_STARTED, at=at(1), occurred_at=at(-6)),
        ),
        ("ana acknowledges the page", lambda i: i.acknowledge(at=at(3), by="ana")),
        (
            "an intern tries to declare",
            lambda i: i.declare(at=at(4), by="sam", declarer_role="intern", severity=severity),
        ),
        (
            "ana, on call, declares it",
            lambda i: i.declare(at=at(4), by="ana", declarer_role="on_call_engineer", severity=severity),
        ),
        ("the response starts", lambda i: i.start_response(at=at(5))),
        ("bo becomes Technical Lead", lambda i: i.assign_role(Role.TECHNICAL_LEAD, "bo", at=at(6))),
        (
            "first status-page update",
            lambda i: i.post_update(
                at=at(9), status=UpdateStatus.INVESTIGATING, audience=Audience.STATUS_PAGE
            ),
        ),
        ("bad deploy identified", lambda i: i.post_update(at=at(20), status=UpdateStatus.IDENTIFIED)),
        ("rollback under way", lambda i: i.post_update(at=at(24), status=UpdateStatus.MITIGATING)),
        ("resolve 10 minutes after the last error", lambda i: i.resolve(at=at(40), last_error_at=at(30))),
        ("resolve 16 minutes after the last error", lambda i: i.resolve(at=at(46), last_error_at=at(30))),
        ("close straight away", lambda i: i.close(at=at(50))),
        (
            "final status-page update",
            lambda i: i.post_update(at=at(50), status=UpdateStatus.RESOLVED, audience=Audience.STATUS_PAGE),
        ),
        ("start the post-incident process", lambda i: i.start_post_incident(at=at(60))),
        ("the review, facilitated by eve", lambda i: i.hold_review(at=at(day * 2 + 60), facilitator="eve")),
        (
            "an action item for bo",
            lambda i: i.add_action_item(
                "A1",
                "Alert on checkout error rate per deploy",
                owner="bo",
                due=date(2026, 3, 13),
                at=at(day * 2 + 120),
            ),
        ),
        (
            "the document is published",
            lambda i: i.publish_document(at=at(day * 3), location="postmortems/INC-2026-0042.md"),
        ),
        ("close", lambda i: i.close(at=at(day * 3 + 30))),
        ("archive the channel", lambda i: i.archive_channel(at=at(day * 4))),
        ("bo completes the action item", lambda i: i.complete_action_item("A1", at=at(day * 5 + 6 * 60))),
    ]
    for what, command in steps:
        try:
            incident = command(incident)
        except CommandRefusedError as refusal:
            story.append(f"- {what}: REFUSED ({refusal.rule}): {refusal.reason}")
        else:
            event = incident.events[-1]
            unmet = "; ".join(f"{u.level.value}: {u.reason}" for u in unmet_role_requirements(incident))
            note = f" [roles {unmet}]" if unmet else ""
            story.append(f"- {event.at:%a %H:%M} {what}: {event.kind} -> {incident.phase.value}{note}")
    return incident, story


def _owed(incident: Incident, now: datetime) -> list[str]:
    lines = ["", f"What it owed as of {now:%a %Y-%m-%d %H:%M %Z}:"]
    for duty in incident.obligations(now):
        met = f" at {duty.met_at:%a %H:%M}" if duty.met_at else ""
        due = f"due {duty.due_at:%a %H:%M}"
        lines.append(f"- {duty.status.value}{met}: {duty.detail}, {due} ({duty.kind.value}; {duty.rule})")
    return lines


def _span(span: timedelta | None) -> str:
    return "unknown" if span is None else describe_duration(span)


def _playbook(incident: Incident, policy: Policy) -> list[str]:
    """The playbook on the walked-through incident: next steps, checklists, findings, a choice, a hand-off."""
    early = Incident.from_events(incident.events[:7], policy=policy)
    moment = early.events[-1].at + timedelta(minutes=1)
    lines = [
        "",
        "## The response playbook",
        "",
        f"What {early.id} owed next at {moment:%H:%M %Z}, in the guide's order:",
    ]
    for step in next_steps(early, moment):
        due = f" (due {step.due_at:%H:%M})" if step.due_at else ""
        lines.append(f"- {step.stage.value}{'/' + step.priority if step.priority else ''}: {step.what}{due}")
    lines += ["", "Its checklists, once closed:"]
    for name in ("declaration", "resolution"):
        for item in checklist(incident, name).items:
            state = "n/a" if not item.applies else ("done" if item.done else "OPEN")
            lines.append(f"- {name}.{item.step.id}: {state}")
    lines += ["", "What the response did against the guide (audit findings):"]
    lines += [
        f"- {finding.rule}: {finding.message}"
        for finding in response_findings(incident, incident.events[-1].at)
    ]
    decision = choose_option(
        [
            Option(
                name="fail over the database",
                stops_impact=True,
                restores_in=timedelta(minutes=5),
                risk=Risk.MEDIUM,
                reversible=False,
                risks_data=False,
            ),
            Option(
                name="roll back the deploy",
                stops_impact=True,
                restores_in=timedelta(minutes=12),
                risk=Risk.LOW,
                reversible=True,
                risks_data=False,
            ),
            Option(name="scale up", stops_impact=False),
        ],
        policy=policy,
    )
    lines += ["", f"Choosing a mitigation: {decision.reason}."]
    lines += [f"- {ranked.place}. {ranked.option.name}: {ranked.reason}" for ranked in decision.ranking]
    lines += [f"- set aside: {aside.option.name}: {aside.reason}" for aside in decision.set_aside]
    profile = OnCallProfile(
        person="bo",
        confirmed={item.id for item in policy.on_call.before_incident},
        access={item.id for item in policy.on_call.required_access[:-1]},
    )
    lines += ["", str(check_readiness(profile, policy=policy)), ""]
    shift = hand_off(
        [early],
        from_person="ana",
        to_person="cy",
        at=moment,
        notes={early.id: "rollback under way"},
        policy=policy,
    )
    lines += [f"Posted to {shift.channel}:", "", *(f"    {line}" for line in shift.render().split("\n"))]
    return lines


#: The Alertmanager group of the demonstration's alert (the root route, grouped by alert name).
_GROUP_KEY = '{}:{alertname="HighErrorRate"}'


def _webhook(start: datetime) -> dict[str, object]:
    """An Alertmanager webhook (version 4) for the checkout alert, as Alertmanager would post it."""
    stamp = f"{start.astimezone(UTC):%Y-%m-%dT%H:%M:%S}.201842187Z"
    alert = {
        "status": "firing",
        "labels": {"alertname": "HighErrorRate", "endpoint": "checkout", "severity": "page"},
        "annotations": {"summary": "Checkout returning 5xx errors"},
        "startsAt": stamp,
        "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus.corp.example.com:9090/graph?g0.expr=checkout_error_ratio",
        "fingerprint": "b6a9c2f1d7e03f48",
    }
    return {
        "version": "4",
        "status": "firing",
        "receiver": "incident-bot",
        "groupKey": _GROUP_KEY,
        "alerts": [alert],
    }


def _page(start: datetime, group_key: str) -> dict[str, object]:
    """The PagerDuty V3 webhook for the page Alertmanager's PagerDuty receiver sent for the same group."""
    stamp = f"{start.astimezone(UTC):%Y-%m-%dT%H:%M:%S}Z"
    service = {"id": "PCHKOUT", "type": "service_reference", "summary": "Checkout"}
    incident = {
        "id": "Q2XK8A1F9Y",
        "type": "incident",
        "title": "[FIRING:1] HighErrorRate",
        "created_at": stamp,
        "urgency": "high",
        "incident_key": hashlib.sha256(group_key.encode()).hexdigest(),
        "service": service,
        "html_url": "https://example.pagerduty.com/incidents/Q2XK8A1F9Y",
    }
    event = {
        "id": "01DEN8ZQ6B3ZX4EKM1K6DQ0FVE",
        "event_type": "incident.triggered",
        "resource_type": "incident",
        "occurred_at": stamp,
        "data": incident,
    }
    return {"event": event}


def _integrations(policy: Policy) -> list[str]:
    """From an Alertmanager webhook to a Slack message and a status-page update."""
    start = datetime(2026, 3, 8, 9, 0, tzinfo=ZoneInfo(policy.zone))
    body = json.dumps(_webhook(start))
    [alert] = parse_alertmanager(body, policy=policy)
    applied = apply_alert(alert, id="INC-2026-0043", policy=policy)
    detected = applied.incident
    assert detected is not None  # noqa: S101 - a firing alert detects
    again = apply_alert(parse_alertmanager(body, policy=policy)[0], detected)
    page = parse_pagerduty(json.dumps(_page(start + timedelta(seconds=40), _GROUP_KEY)))
    found = correlate(page, [detected])
    linked = apply_alert(page, found, id="INC-2026-0044")
    assert linked.incident is not None  # noqa: S101 - a firing alert detects or links
    lines = [
        "",
        "## From an alert to the status page",
        "",
        f"- Alertmanager posts {alert.name} for endpoint {alert.endpoint!r} (metric {alert.metric!r}):",
        f"  {applied.reason}.",
        f"- the same webhook again: {again.reason}; unchanged: {again.incident is detected}.",
        f"- PagerDuty pages for the same group (its incident key is the group's): {linked.reason}.",
    ]
    incident = linked.incident.declare(
        at=start + timedelta(minutes=4),
        by="ana",
        declarer_role="on_call_engineer",
        severity="SEV2",
        impact="Checkout fails for 12% of requests",
    )
    incident = incident.acknowledge(at=start + timedelta(minutes=2), by="ana")
    (acknowledged,) = (
        duty for duty in incident.obligations(start + timedelta(hours=1)) if duty.kind.value == "acknowledge"
    )
    timeline = " -> ".join(event.kind for event in incident.timeline)
    lines += [
        "- ana declares it in Slack at 09:04; the page's acknowledgement (09:02) reaches the bot after:",
        f"  recorded where it happened ({timeline}); the acknowledgement duty: {acknowledged.status.value}.",
    ]
    message = slack_message("declaration", incident)
    lines += ["", "The declaration as Slack Block Kit (every text plain_text):", ""]
    lines += [f"    {json.dumps(block, ensure_ascii=False)}" for block in message["blocks"][:3]]
    lines.append(f"    ... {len(message['blocks'])} blocks in all")
    endpoints = (
        [alert.endpoint]
        if alert.endpoint and policy.integrations.statuspage.component(alert.endpoint)
        else []
    )
    draft = "The checkout-db primary ran out of connections; see http://grafana.corp.example.com/d/checkout"
    try:
        statuspage_incident("declaration", incident, body=draft, name="Checkout errors", endpoints=endpoints)
    except ExternalTextError as refused:
        lines += ["", "A first draft for the status page is refused:", ""]
        lines += [f"    {line}" for line in str(refused).split("\n")]
    text = "We are aware that some customers cannot complete checkout. Next update in 30 minutes."
    payload = statuspage_incident(
        "declaration", incident, body=text, name="Checkout errors", endpoints=endpoints
    )
    lines += ["", "The status-page incident, as Statuspage's API takes it:", ""]
    lines += [f"    {line}" for line in json.dumps(payload, indent=2).split("\n")]
    ended = json.loads(body)
    ended["status"] = ended["alerts"][0]["status"] = "resolved"
    ended["alerts"][0]["endsAt"] = f"{(start + timedelta(minutes=31)).astimezone(UTC):%Y-%m-%dT%H:%M:%S}Z"
    stopped = apply_alert(
        parse_alertmanager(json.dumps(ended), policy=policy)[0],
        incident.start_response(at=start + timedelta(minutes=5)),
    )
    assert stopped.incident is not None  # noqa: S101 - the alert's incident
    resolved = stopped.incident.resolve(at=start + timedelta(minutes=47))
    assert resolved.errors_stopped_at is not None  # noqa: S101 - recorded just above
    quiet_from = resolved.errors_stopped_at.astimezone(ZoneInfo(policy.zone))
    lines += [
        "",
        f"- the alert resolves: {stopped.reason}.",
        (
            "- resolved at 09:47 without saying when the last error was: "
            f"the quiet period ran from {quiet_from:%H:%M}, when the errors stopped."
        ),
    ]
    return lines


def demo_text(policy: Policy) -> str:
    """The whole demonstration, as Markdown."""
    parts = [render_policy(policy), "## Example incidents, classified", ""]
    for description, impact in EXAMPLE_IMPACTS:
        parts.append(f"- {description}\n  -> {classify_severity(impact, policy).reason}")
    incident, story = example_incident(policy)
    parts += ["", f"## An incident, step by step: {incident.id} ({incident.title})", "", *story, ""]
    parts.append("Who held which role:")
    zone = ZoneInfo(policy.zone)  # the policy's zone, as every other time of the demonstration
    for tenure in incident.role_tenures():
        until = f" to {tenure.until.astimezone(zone):%a %H:%M}" if tenure.until else ""
        parts.append(
            f"- {tenure.role.value}: {tenure.person} from {tenure.since.astimezone(zone):%a %H:%M}{until}"
        )
    declared = Incident.from_events(incident.events[:5], policy=policy)
    parts += [
        "",
        f"The incident channel: {channel_name(declared)}",
        "",
        "The declaration, as posted to Slack:",
        "",
        *(
            f"    {line}"
            for line in render_declaration(declared, impact="Checkout fails for 12% of requests").split("\n")
        ),
        "",
        "The resolution:",
        "",
        *(
            f"    {line}"
            for line in render_resolution(
                incident,
                format="text",
                root_cause="A deploy shipped a bad connection-pool setting",
                fix_applied="Rolled back the deploy",
                customer_impact="12% of checkouts failed for 52 minutes",
            ).split("\n")
        ),
    ]
    parts += _owed(incident, incident.events[9].at + timedelta(minutes=1))
    parts += _owed(incident, incident.events[-1].at + timedelta(days=1))
    rebuilt = Incident.from_events(incident.events, policy=policy) == incident
    parts += [
        "",
        (
            f"Time to detect: {_span(incident.time_to_detect())}; "
            f"to acknowledge: {_span(incident.time_to_acknowledge())}; "
            f"to mitigate: {_span(incident.time_to_mitigate())}; "
            f"to resolve: {_span(incident.time_to_resolve())}."
        ),
        f"Replaying its {incident.version} events rebuilds the same incident: {rebuilt}.",
    ]
    parts += _playbook(incident, policy)
    parts += _integrations(policy)
    parts += _stored(incident, policy)
    return "\n".join(parts) + "\n"


def _stored(incident: Incident, policy: Policy) -> list[str]:
    """The incident kept in the embedded store (a SQLite file in a temporary folder) by two writers."""
    lines = ["", "## Kept in the embedded store", ""]
    with tempfile.TemporaryDirectory() as folder, SQLiteStore(f"{folder}/incidents.db", policy=policy) as bot:
        early = Incident.from_events(incident.events[:5], policy=policy)
        bot.add(early)
        lines.append(
            f"- the bot stores {early.id} as declared: {early.version} events, a row each, in a SQLite file."
        )
        with SQLiteStore(f"{folder}/incidents.db", policy=policy) as replica:
            stale = replica.get(early.id)
            bot.save(incident)
            later = stale.post_update(at=early.events[-1].at, status=UpdateStatus.INVESTIGATING)
            try:
                replica.save(later)
            except ConflictError as error:
                lines.append(
                    f"- a second replica saves from what it read before: refused, {error.__class__.__name__}."
                )
            updated = replica.update(
                early.id,
                lambda current: current.identify_root_cause(
                    "bad-deploy", at=current.timeline[-1].at, summary="A deploy shipped a bad pool setting"
                ),
            )
        lines.append(f"- update() reads it again and saves: {updated.version} events, none lost.")
        feed = list(bot.events_since(0))
        lines.append(
            f"- the change feed: {len(feed)} events in commit order, the last at position {feed[-1][0]}."
        )
        written = bot.written_under(early.id)
        lines.append(
            f"- it keeps the policy it was last written under: {written['name'] or 'unnamed'}, fingerprint "
            f"{written['fingerprint'][:12]}, zone {written['zone']}."
        )
    return lines
