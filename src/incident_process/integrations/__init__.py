"""The tools around an incident: Alertmanager, PagerDuty and Prometheus in; Slack and Statuspage out.

Guide, "1. Detection" ("Automated monitoring: PagerDuty alerts on error
rate, latency, availability"; "Automated alert: Acknowledge within 5
minutes"), "Incident Criteria" (metric series) and "Communication
Guidelines" (Slack, the status page). Pure functions over the vendors'
published formats, with no network calls: a webhook becomes :class:`Alert`
values (:func:`parse_alertmanager`, :func:`parse_pagerduty`) that
:func:`apply_alert` turns into the incident's commands, idempotently, on
the incident :func:`correlate` finds for them (one problem, one incident); a
Prometheus range query becomes :class:`MetricSeries` and, with the alerts,
the signals :func:`~incident_process.detection.assess` reads
(:func:`alert_signals`); an incident becomes a Slack Block Kit message
(:func:`slack_message`, with the buttons a responder needs, whose clicks
:func:`parse_slack_action` reads, as :func:`parse_slack_command` reads the
slash command, once :func:`verify_slack_request` has checked the request's
signature) or a Statuspage incident (:func:`statuspage_incident`,
refused when its text breaks "What NOT to communicate externally").
"""

from ._alertmanager import parse_alertmanager
from ._alerts import ALERTMANAGER, PAGERDUTY, Alert, AlertApplied, AlertStatus, apply_alert
from ._correlation import CORRELATED_PHASES, correlate
from ._pagerduty import parse_pagerduty
from ._prometheus import MetricSeries, parse_prometheus_matrix
from ._signals import alert_signals
from ._slack import SLACK_ACTIONS, SLACK_LIMITS, SLACK_MESSAGE_KINDS, slack_message
from ._slack_in import (
    SLACK_SIGNATURE_WINDOW,
    SLACK_VERBS,
    SlackCommand,
    parse_slack_action,
    parse_slack_command,
    verify_slack_request,
)
from ._statuspage import STATUSPAGE_KINDS, STATUSPAGE_LIMITS, statuspage_incident

__all__ = [
    "ALERTMANAGER",
    "CORRELATED_PHASES",
    "PAGERDUTY",
    "SLACK_ACTIONS",
    "SLACK_LIMITS",
    "SLACK_MESSAGE_KINDS",
    "SLACK_SIGNATURE_WINDOW",
    "SLACK_VERBS",
    "STATUSPAGE_KINDS",
    "STATUSPAGE_LIMITS",
    "Alert",
    "AlertApplied",
    "AlertStatus",
    "MetricSeries",
    "SlackCommand",
    "alert_signals",
    "apply_alert",
    "correlate",
    "parse_alertmanager",
    "parse_pagerduty",
    "parse_prometheus_matrix",
    "parse_slack_action",
    "parse_slack_command",
    "slack_message",
    "statuspage_incident",
    "verify_slack_request",
]
