"""The public API used as a caller would, checked by ``mypy --strict`` in CI (never run)."""

from datetime import UTC, datetime, timedelta

import attrs

import incident_process as ip

policy: ip.Policy = ip.loads_policy('communication.update_cadence.SEV3 = "2h"')
cadence: timedelta = policy.communication.update_cadence[ip.Severity.SEV3]
review: ip.BusinessDays = policy.post_incident.review_within
stricter: ip.Policy = attrs.evolve(policy, zone="Europe/Berlin")
text: str = ip.dump_policy(stricter)
tables: str = ip.render_policy(ip.DEFAULT_POLICY)

severity: ip.Severity = ip.Severity.parse("sev2")
worst: ip.Severity = max(ip.Severity)
verdict: ip.Classification = ip.classify_severity(ip.Impact(error_rate=0.2))

t0 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)
incident: ip.Incident = ip.Incident.detect(
    id="INC-1", title="Checkout errors", source=ip.DetectionSource.AUTOMATED_ALERT, at=t0
)
incident = incident.declare(at=t0, by="ana", declarer_role="on_call_engineer", severity=ip.Severity.SEV2)
incident = incident.start_response(at=t0)
incident = incident.assign_role(ip.Role.TECHNICAL_LEAD, "bo", at=t0)
incident = incident.post_update(at=t0, status=ip.UpdateStatus.INVESTIGATING, audience="status_page")
incident = incident.change_severity(ip.Severity.SEV1, at=t0, reason="auth compromised")
phase: ip.Phase = incident.phase
current: ip.Severity | None = incident.severity
events: tuple[ip.Event, ...] = incident.events
version: int = incident.version
holders: "dict[ip.Role, str]" = dict(incident.role_holders())
unmet: tuple[ip.UnmetRoleRequirement, ...] = incident.unmet_role_requirements()
rebuilt: ip.Incident = ip.Incident.from_events(events, policy=policy)
resolved_in: timedelta | None = incident.time_to_resolve()

try:
    incident.close(at=t0 + timedelta(minutes=1))
except ip.CommandRefusedError as refusal:
    rule: str = refusal.rule
except ip.IncidentProcessError:
    pass

alerts: tuple[ip.Alert, ...] = ip.parse_alertmanager(b'{"version": "4"}', policy=policy)
page: ip.Alert = ip.parse_pagerduty({"event": {}})
applied: ip.AlertApplied = ip.apply_alert(page, None, id="INC-2", policy=policy)
changed: bool = applied.changed
series: tuple[ip.MetricSeries, ...] = ip.parse_prometheus_matrix("{}", metric="error_rate")
signals: ip.Signals = ip.alert_signals(t0, alerts=alerts, series=series, p95_baselines={"checkout": 120.0})
blocks: dict[str, object] = ip.slack_message("declaration", incident, impact="Checkout fails")
status_page: dict[str, object] = ip.statuspage_incident(
    "update", incident, body="...", endpoints=["checkout"]
)
try:
    ip.statuspage_incident("update", incident, body="...")
except ip.ExternalTextError as refused:
    found: tuple[ip.Finding, ...] = refused.findings["body"]
except ip.PayloadError as unreadable:
    problems: tuple[ip.Problem, ...] = unreadable.problems

checklist: ip.Checklist = incident.checklist("declaration")
open_steps: tuple[ip.ChecklistItem, ...] = checklist.open
incident = incident.complete_step("declaration", "create_channel", at=t0, by="ana", note="#incident-x")
steps: tuple[ip.NextStep, ...] = incident.next_steps(t0)
stage: ip.Stage = steps[0].stage
response: tuple[ip.ResponseFinding, ...] = incident.response_findings(t0)
level: ip.EscalationLevel | None = incident.next_escalation()
incident = incident.escalate(at=t0, by="ana", reason="unable to resolve")
decision: ip.Decision = ip.choose_option([ip.Option(name="roll back", risk=ip.Risk.LOW)])
chosen: ip.Option | None = decision.chosen
readiness: ip.Readiness = ip.check_readiness(ip.OnCallProfile(person="bo", access={"slack"}))
ready: bool = readiness.ready
handoff: ip.ShiftHandoff = ip.hand_off([incident], from_person="ana", to_person="bo", at=t0)
handoff_text: str = handoff.render()
