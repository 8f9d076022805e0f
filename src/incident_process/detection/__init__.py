"""Detection: whether signals meet the incident criteria, how severe, and what to check first.

Guide, "Incident Criteria" (error rate and latency sustained beyond a
threshold: :func:`sustained_breaches`, :class:`SustainedThresholdDetector`),
"What Is NOT an Incident" and "Incident Severity Levels" (:func:`assess`
weighs signals against the criteria and the exclusions;
:func:`classify_severity` assigns a severity to impact facts), "Alerting
Thresholds" (:func:`alert_level`), "SLOs" (:func:`slo_report`,
:func:`latency_slo_report`, :func:`slo_window`), "Common Incident
Scenarios" and "Runbooks for Specific Systems" (:data:`SCENARIOS`,
:data:`RUNBOOKS`, :func:`match_scenarios`). Every threshold comes from the
policy; every comparison is strict where the guide writes ``>`` or ``<``.
"""

from ._assessment import Assessment, CriterionMet, EndpointMetrics, Signals, assess
from ._classification import Classification, Impact, classify_severity
from ._levels import AlertLevel, alert_level
from ._scenarios import RUNBOOKS, SCENARIOS, Runbook, RunbookStep, Scenario, ScenarioMatch, match_scenarios
from ._slos import SloReport, latency_slo_report, slo_report, slo_window
from ._thresholds import Breach, SustainedThresholdDetector, sustained_breaches

__all__ = [
    "RUNBOOKS",
    "SCENARIOS",
    "AlertLevel",
    "Assessment",
    "Breach",
    "Classification",
    "CriterionMet",
    "EndpointMetrics",
    "Impact",
    "Runbook",
    "RunbookStep",
    "Scenario",
    "ScenarioMatch",
    "Signals",
    "SloReport",
    "SustainedThresholdDetector",
    "alert_level",
    "assess",
    "classify_severity",
    "latency_slo_report",
    "match_scenarios",
    "slo_report",
    "slo_window",
    "sustained_breaches",
]
