"""The tools around an incident: Alertmanager, PagerDuty and Prometheus in; Slack and Statuspage out.

Guide, "1. Detection" ("Automated monitoring: PagerDuty alerts on error
rate, latency, availability"; "Automated alert: Acknowledge within 5
minutes"), "Incident Criteria" (metric series) and "Communication
Guidelines" (Slack, the status page). Pure functions over the vendors'
published formats, with no network calls: a webhook becomes :class:`Alert`
values (:func:`parse_alertmanager`, :func:`parse_pagerduty`) that
:func:`apply_alert` turns into the incident's commands, idempotently; a
Prometheus range query becomes :class:`MetricSeries` and, with the alerts,
the signals :func:`~incident_process.detection.assess` reads
(:func:`alert_signals`); an incident becomes a Slack Block Kit message
(:func:`slack_message`) or a Statuspage incident (:func:`statuspage_incident`,
refused when its text breaks "What NOT to communicate externally").
"""

from ._alertmanager import parse_alertmanager
from ._alerts import ALERTMANAGER, PAGERDUTY, Alert, AlertApplied, AlertStatus, apply_alert
from ._pagerduty import parse_pagerduty
from ._prometheus import MetricSeries, parse_prometheus_matrix
from ._signals import alert_signals
from ._slack import SLACK_LIMITS, SLACK_MESSAGE_KINDS, slack_message
from ._statuspage import STATUSPAGE_KINDS, STATUSPAGE_LIMITS, statuspage_incident

__all__ = [
    "ALERTMANAGER",
    "PAGERDUTY",
    "SLACK_LIMITS",
    "SLACK_MESSAGE_KINDS",
    "STATUSPAGE_KINDS",
    "STATUSPAGE_LIMITS",
    "Alert",
    "AlertApplied",
    "AlertStatus",
    "MetricSeries",
    "alert_signals",
    "apply_alert",
    "parse_alertmanager",
    "parse_pagerduty",
    "parse_prometheus_matrix",
    "slack_message",
    "statuspage_incident",
]
