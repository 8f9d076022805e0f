"""The public API used as a caller would, checked by ``mypy --strict`` in CI (never run).

The contract and the core through ``incident_process``; everything else through
its namespace, as the documentation writes it.
"""

from datetime import UTC, datetime, timedelta

import attrs

import incident_process as ip
from incident_process import comms, detection, integrations, lifecycle, policy, postincident, response, timing
from incident_process.events import Event
from incident_process.vocabulary import ObligationStatus, UpdateStatus

our_policy: ip.Policy = ip.loads_policy('communication.update_cadence.SEV3 = "2h"')
cadence: timedelta = our_policy.communication.update_cadence[ip.Severity.SEV3]
review: timing.BusinessDays = our_policy.post_incident.review_within
stricter: ip.Policy = attrs.evolve(our_policy, zone="Europe/Berlin")
text: str = ip.dump_policy(stricter)
tables: str = policy.render_policy(ip.DEFAULT_POLICY)
group: policy.Communication = stricter.communication
in_words: str = timing.describe_duration(cadence)

severity: ip.Severity = ip.Severity.parse("sev2")
worst: ip.Severity = max(ip.Severity)
verdict: detection.Classification = detection.classify_severity(detection.Impact(error_rate=0.2))

t0 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)
incident: ip.Incident = ip.Incident.detect(
    id="INC-1", title="Checkout errors", source=ip.DetectionSource.AUTOMATED_ALERT, at=t0
)
incident = incident.declare(at=t0, by="ana", declarer_role="on_call_engineer", severity=ip.Severity.SEV2)
incident = incident.start_response(at=t0)
incident = incident.assign_role(ip.Role.TECHNICAL_LEAD, "bo", at=t0)
incident = incident.post_update(at=t0, status=UpdateStatus.INVESTIGATING, audience="status_page")
incident = incident.change_severity(ip.Severity.SEV1, at=t0, reason="auth compromised")
phase: ip.Phase = incident.phase
current: ip.Severity | None = incident.severity
events: tuple[Event, ...] = incident.events
version: int = incident.version
holders: "dict[ip.Role, str]" = dict(incident.role_holders())
unmet: tuple[lifecycle.UnmetRoleRequirement, ...] = lifecycle.unmet_role_requirements(incident)
rebuilt: ip.Incident = ip.Incident.from_events(events, policy=our_policy)
earlier: ip.Incident | None = incident.as_of(t0)
resolved_in: timedelta | None = incident.time_to_resolve()
duties: tuple[ip.Obligation, ...] = incident.obligations(t0, calendar=ip.BusinessCalendar("UTC"))
same: tuple[ip.Obligation, ...] = lifecycle.obligations(incident, t0)
late: bool = duties[0].status is ObligationStatus.OVERDUE
record: str = ip.dump_record(incident)
restored: ip.Incident = ip.loads_record(record)

# History that holds: content, late facts, the policy's identity, one event at a time.
named: ip.Policy = ip.loads_policy('name = "acme"')
who: str = named.name
fingerprint: str = named.fingerprint
labelled: ip.Incident = ip.Incident.detect(
    id="INC-2",
    title="Checkout errors",
    source="automated_alert",
    at=t0,
    labels={"endpoint": "checkout"},
    references=[("alertmanager.fingerprint", "c0ffee")],
    recorded_at=t0,
)
labelled = labelled.declare(at=t0, by="ana", declarer_role="on_call_engineer", severity=2, impact="all of it")
labelled = labelled.post_update(at=t0, status="investigating", text="We are looking.", by="ana")
labelled = labelled.acknowledge(at=t0, by="bo", recorded_at=t0 + timedelta(minutes=9))
labelled = labelled.record_errors_stopped(at=t0, by="alertmanager")
stopped_at: datetime | None = labelled.errors_stopped_at
said: str | None = labelled.impact
timeline: tuple[Event, ...] = labelled.timeline
endpoint: str | None = labelled.detection.label("endpoint")
row: dict[str, object] = ip.encode_event(labelled.events[1])
again: Event = ip.decode_event(row)
arrival: lifecycle.Arrival = lifecycle.ARRIVALS[type(again)]
judged_again: ip.Incident = ip.Incident.from_events(labelled.events, judge=False)
in_berlin: ip.Incident = ip.loads_record(record, policy=named, zone="Europe/Berlin")
try:
    labelled.start_response(at=t0 - timedelta(minutes=1))
except ip.CommandRefusedError as refusal:
    contradicted: str | None = refusal.contradicts

try:
    incident.close(at=t0 + timedelta(minutes=1))
except ip.CommandRefusedError as refusal:
    rule: str = refusal.rule
except ip.IncidentProcessError:
    pass

alerts: tuple[integrations.Alert, ...] = integrations.parse_alertmanager(
    b'{"version": "4"}', policy=our_policy
)
page: integrations.Alert = integrations.parse_pagerduty({"event": {}})
applied: integrations.AlertApplied = integrations.apply_alert(page, None, id="INC-2", policy=our_policy)
changed: bool = applied.changed
series: tuple[integrations.MetricSeries, ...] = integrations.parse_prometheus_matrix(
    "{}", metric="error_rate"
)
signals: detection.Signals = integrations.alert_signals(
    t0, alerts=alerts, series=series, p95_baselines={"checkout": 120.0}
)
assessed: detection.Assessment = ip.assess(signals)
blocks: dict[str, object] = integrations.slack_message("declaration", incident, impact="Checkout fails")
status_page: dict[str, object] = integrations.statuspage_incident(
    "update", incident, body="...", endpoints=["checkout"]
)
try:
    integrations.statuspage_incident("update", incident, body="...")
except ip.ExternalTextError as refused:
    found: tuple[ip.Finding, ...] = refused.findings["body"]
except ip.PayloadError as unreadable:
    problems: tuple[ip.Problem, ...] = unreadable.problems

# What a bot needs next: when to wake, what to remind, which incident an alert is about, Slack in.
wake: datetime | None = incident.next_change(t0)
duty_id: str = duties[0].id
reminded: tuple[lifecycle.Reminder, ...] = incident.reminders(t0)
people: tuple[str, ...] = reminded[0].people
resolvable: datetime | None = incident.may_resolve_at()
changes: list[lifecycle.Upcoming] = list(ip.upcoming([incident], t0, until=t0 + timedelta(hours=1)))
about: ip.Incident | None = integrations.correlate(page, [incident], policy=our_policy)
maybe: ip.Incident | None = applied.incident
suggestion: str | None = applied.suggestion
linked: ip.Incident = incident.link_alert(
    at=t0, origin="pagerduty", title="5xx", references={"pagerduty.incident": "Q1"}
)
references: frozenset[tuple[str, str]] = linked.references
rule_of: policy.Correlation = our_policy.integrations.correlation
users: tuple[policy.SlackUser, ...] = our_policy.integrations.slack.users
signed: datetime = integrations.verify_slack_request(b"", {}, signing_secret="s", now=t0)  # noqa: S106
slash: integrations.SlackCommand = integrations.parse_slack_command("text=ack", at=signed, policy=our_policy)
click: integrations.SlackCommand = integrations.parse_slack_action({"type": "block_actions"})
after_click: ip.Incident = click.apply(incident, status="investigating", text="Looking.")
with_buttons: dict[str, object] = integrations.slack_message(
    "declaration", incident, buttons=False, impact="x"
)

findings: list[comms.Finding] = ip.lint_external("We are aware. Next update in 30 minutes.")
message: str = ip.render_declaration(incident, format="markdown", impact="Checkout fails")

checklist: response.Checklist = response.checklist(incident, "declaration")
open_steps: tuple[response.ChecklistItem, ...] = checklist.open
incident = incident.complete_step("declaration", "create_channel", at=t0, by="ana", note="#incident-x")
steps: tuple[response.NextStep, ...] = response.next_steps(incident, t0)
stage: response.Stage = steps[0].stage
done_wrong: tuple[response.ResponseFinding, ...] = response.response_findings(incident, t0)
level: policy.EscalationLevel | None = incident.next_escalation()
incident = incident.escalate(at=t0, by="ana", reason="unable to resolve")
decision: response.Decision = response.choose_option(
    [response.Option(name="roll back", risk=response.Risk.LOW)]
)
chosen: response.Option | None = decision.chosen
readiness: response.Readiness = response.check_readiness(
    response.OnCallProfile(person="bo", access={"slack"})
)
ready: bool = readiness.ready
handoff: response.ShiftHandoff = response.hand_off([incident], from_person="ana", to_person="bo", at=t0)
handoff_text: str = handoff.render()

report: str = ip.render_postmortem(incident)
quarter: postincident.QuarterlyReport = ip.quarterly_review([incident], quarter="2026Q1")
