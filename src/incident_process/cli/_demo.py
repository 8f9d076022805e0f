"""The demonstration behind ``incident-process demo``: the policy, then one incident walked through.

The example incident comes from :mod:`incident_process.cli._walkthrough`,
timed by the policy's own numbers, so the demonstration runs under any valid
policy (issue 19, defect 9); this module shows it: the messages, what it owed,
the playbook, the alert that starts it and the store that keeps it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import tempfile
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from incident_process.comms import channel_name, render_declaration, render_resolution
from incident_process.errors import ConflictError, ExternalTextError
from incident_process.integrations import (
    apply_alert,
    correlate,
    parse_alertmanager,
    parse_pagerduty,
    slack_message,
    statuspage_incident,
)
from incident_process.lifecycle import Incident
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
from incident_process.vocabulary import Milestone, UpdateStatus

from ._walkthrough import (
    EXAMPLE_IMPACTS,
    MINUTE,
    Walk,
    acknowledged_after,
    classified_examples,
    clock,
    declarers,
    example_impacts,
    example_incident,
    plan_for,
    prefix,
    required_steps,
    walk_through,
)

__all__ = ["EXAMPLE_IMPACTS", "classified_examples", "demo_text", "example_impacts", "example_incident"]


def _owed(incident: Incident, now: datetime, start: datetime) -> list[str]:
    lines = ["", f"What it owed as of {now:%a %Y-%m-%d %H:%M %Z}:"]
    for duty in incident.obligations(now):
        met = f" at {clock(duty.met_at, start)}" if duty.met_at else ""
        due = f"due {clock(duty.due_at, start)}"
        lines.append(f"- {duty.status.value}{met}: {duty.detail}, {due} ({duty.kind.value}; {duty.rule})")
    return lines


def _span(span: timedelta | None) -> str:
    return "unknown" if span is None else describe_duration(span)


def _playbook(walk: Walk, policy: Policy) -> list[str]:
    """The playbook on the walked-through incident: next steps, checklists, findings, a choice, a hand-off."""
    incident, early = walk.incident, prefix(walk, "first update")
    moment = early.events[-1].at + timedelta(minutes=1)
    lines = [
        "",
        "## The response playbook",
        "",
        f"What {early.id} owed next at {moment:%H:%M %Z}, in the guide's order:",
    ]
    for step in next_steps(early, moment):
        due = f" (due {_clock(step.due_at, moment)})" if step.due_at else ""
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


def _clock(moment: datetime, start: datetime) -> str:
    """*moment* as 09:04 on the day of *start*, else with its weekday (Mon 09:04), and date if far."""
    local = moment.astimezone(start.tzinfo)
    return f"{local:%H:%M}" if local.date() == start.date() else clock(local, start)


def _status_page(incident: Incident, endpoints: list[str], cadence: timedelta) -> list[str]:
    """A draft the guide refuses, then the payload of a text it accepts (or this policy's rules, allowed)."""
    lines = []
    draft = "The checkout-db primary ran out of connections; see http://grafana.corp.example.com/d/checkout"
    try:
        statuspage_incident("declaration", incident, body=draft, name="Checkout errors", endpoints=endpoints)
    except ExternalTextError as refused:
        lines += ["", "A first draft for the status page is refused:", ""]
        lines += [f"    {line}" for line in str(refused).split("\n")]
    else:
        lines += ["", "A first draft for the status page passes this policy's rules for external text."]
    text = (
        "We are aware that some customers cannot complete checkout. "
        f"Next update in {describe_duration(cadence)}."
    )
    try:
        payload = statuspage_incident(
            "declaration", incident, body=text, name="Checkout errors", endpoints=endpoints
        )
    except ExternalTextError as refused:
        allowed = sorted({finding.rule for found in refused.findings.values() for finding in found})
        lines += [
            "",
            f"This policy's rules for external text refuse the guide's wording too ({', '.join(allowed)});",
            "the sender accepts those findings (allow=...) to show the payload:",
        ]
        payload = statuspage_incident(
            "declaration", incident, body=text, name="Checkout errors", endpoints=endpoints, allow=allowed
        )
    lines += ["", "The status-page incident, as Statuspage's API takes it:", ""]
    lines += [f"    {line}" for line in json.dumps(payload, indent=2).split("\n")]
    return lines


def _integrations(walk: Walk, policy: Policy) -> list[str]:
    """From an Alertmanager webhook to a Slack message and a status-page update, timed by the policy."""
    start = datetime(2026, 3, 8, 9, 0, tzinfo=ZoneInfo(policy.zone))
    plan = plan_for(policy, walk.scenario.severity)
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
    # The acknowledgement is never dated before the alert's detection (its startsAt has a fraction).
    acknowledged = max(start + acknowledged_after(plan, 2, 2 * MINUTE), linked.incident.detected_at)
    acknowledged = acknowledged.astimezone(start.tzinfo)
    declared = acknowledged + 2 * MINUTE
    incident = linked.incident.declare(
        at=declared,
        by="ana",
        declarer_role=declarers(policy)[1],
        severity=walk.scenario.severity,
        impact=walk.scenario.words,
    )
    incident = incident.acknowledge(at=acknowledged, by="ana")
    duty = next(
        (duty.status.value for duty in incident.obligations(declared) if duty.kind.value == "acknowledge"),
        "none under this policy",
    )
    timeline = " -> ".join(event.kind for event in incident.timeline)
    lines += [
        (
            f"- ana declares it in Slack at {_clock(declared, start)}; the page's acknowledgement "
            f"({_clock(acknowledged, start)}) reaches the bot after:"
        ),
        f"  recorded where it happened ({timeline}); the acknowledgement duty: {duty}.",
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
    lines += _status_page(incident, endpoints, plan.cadence)
    stopped_at = start + 31 * MINUTE
    ended = json.loads(body)
    ended["status"] = ended["alerts"][0]["status"] = "resolved"
    ended["alerts"][0]["endsAt"] = f"{stopped_at.astimezone(UTC):%Y-%m-%dT%H:%M:%S}Z"
    stopped = apply_alert(
        parse_alertmanager(json.dumps(ended), policy=policy)[0],
        incident.start_response(at=declared + MINUTE),
    )
    assert stopped.incident is not None  # noqa: S101 - the alert's incident
    resolved_at = stopped_at + plan.quiet + MINUTE
    ready, done = stopped.incident, []
    for _, what, step, _ in required_steps(ready, "resolve", resolved_at):
        ready = step(ready, resolved_at)
        done.append(f"- {what}.")
    resolved = ready.resolve(at=resolved_at)
    assert resolved.errors_stopped_at is not None  # noqa: S101 - recorded just above
    quiet_from = resolved.errors_stopped_at.astimezone(ZoneInfo(policy.zone))
    lines += [
        "",
        f"- the alert resolves: {stopped.reason}.",
        *done,
        (
            f"- resolved at {_clock(resolved_at, start)} without saying when the last error was: "
            f"the quiet period ran from {_clock(quiet_from, start)}, when the errors stopped."
        ),
    ]
    return lines


def _messages(walk: Walk, policy: Policy) -> list[str]:
    """The channel, the declaration and the resolution messages of the walked incident."""
    incident, declared, scenario = walk.incident, prefix(walk, "declared"), walk.scenario
    lines = [
        "",
        f"The incident channel: {channel_name(declared)}",
        "",
        "The declaration, as posted to Slack:",
        "",
        *(f"    {line}" for line in render_declaration(declared, impact=scenario.words).split("\n")),
    ]
    resolved_at = incident.resolved_at
    if resolved_at is None:  # pragma: no cover - the walk always resolves; said, not raised, if not
        return [*lines, "", "The incident was not resolved, so there is no resolution message."]
    began = incident.milestones().get(Milestone.CUSTOMER_IMPACT_STARTED, incident.detected_at)
    severity = scenario.severity
    render = functools.partial(
        render_resolution,
        incident,
        format="text",
        root_cause="A deploy shipped a bad connection-pool setting",
        fix_applied="Rolled back the deploy",
        customer_impact=f"{scenario.past} for {describe_duration(resolved_at - began)}",
    )
    # The template's follow-up line names the review's deadline; where the policy requires no
    # review for the severity there is none, and the line says so instead (issue 19).
    optional = f"post-incident review optional for {severity.value}; one was held"
    resolution = render() if severity in policy.post_incident.required_for else render(follow_up=optional)
    return [*lines, "", "The resolution:", "", *(f"    {line}" for line in resolution.split("\n"))]


def demo_text(policy: Policy, *, folder: str | None = None) -> str:
    """The whole demonstration, as Markdown, under any valid *policy* (issue 19).

    *folder*: a folder without an ``incidents.db`` for the embedded store's
    SQLite file (default: a temporary folder, removed afterwards).
    """
    parts = [render_policy(policy), "## Example incidents, classified", ""]
    parts += [f"- {description}\n  -> {reason}" for description, _, reason in classified_examples(policy)]
    walk = walk_through(policy)
    incident = walk.incident
    parts += ["", f"## An incident, step by step: {incident.id} ({incident.title})", ""]
    parts += [walk.scenario.note, ""] if walk.scenario.note else []
    parts += [*walk.story, "", "Who held which role:"]
    # The policy's zone, as every other time of the demonstration.
    start = incident.detected_at.astimezone(ZoneInfo(policy.zone))
    for tenure in incident.role_tenures():
        until = f" to {clock(tenure.until, start)}" if tenure.until else ""
        parts.append(f"- {tenure.role.value}: {tenure.person} from {clock(tenure.since, start)}{until}")
    parts += _messages(walk, policy)
    resolved = incident.events[walk.marks.get("resolved", incident.version) - 1].at
    parts += _owed(incident, resolved + MINUTE, start)
    parts += _owed(incident, incident.events[-1].at + timedelta(days=1), start)
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
    parts += _playbook(walk, policy)
    parts += _integrations(walk, policy)
    if folder is None:
        with tempfile.TemporaryDirectory() as temporary:
            parts += _stored(walk, policy, temporary)
    else:
        parts += _stored(walk, policy, folder)
    return "\n".join(parts) + "\n"


def _stored(walk: Walk, policy: Policy, folder: str) -> list[str]:
    """The incident kept in the embedded store (a SQLite file in *folder*) by two writers."""
    lines = ["", "## Kept in the embedded store", ""]
    incident, early = walk.incident, prefix(walk, "declared")
    with SQLiteStore(f"{folder}/incidents.db", policy=policy) as bot:
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
