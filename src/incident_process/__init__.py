"""incident-process: a company's incident-response guide as executable, tested policy.

The public API is re-exported here; the modules behind it are private.
"""

from ._classification import Classification, Impact, classify_severity
from ._durations import BusinessDays
from ._errors import IncidentProcessError, PolicyError, Problem, SeverityError, UnknownMetricError
from ._policy import (
    ALERT_METRICS,
    DEFAULT_POLICY,
    SLO_METRICS,
    AgendaItem,
    Alerting,
    AlertMetric,
    AlertThreshold,
    Communication,
    CustomerCommunication,
    Declaration,
    Detection,
    DetectionDuty,
    DetectionResponse,
    Direction,
    Escalation,
    EscalationLevel,
    Exclusions,
    IncidentCriteria,
    PerSeverity,
    Policy,
    PostIncident,
    PostIncidentDocument,
    QuarterlyMetric,
    QuarterlyReview,
    Resolution,
    ReviewMeeting,
    RoleRequirements,
    SeverityDefinition,
    SeverityRule,
    Slo,
    SloMetric,
    Slos,
    SloWindow,
    StatusPage,
    SustainedThreshold,
)
from ._policy_file import dump_policy, load_policy, loads_policy
from ._policy_tables import render_policy
from ._vocabulary import DetectionSource, ImpactFlag, Role, Severity

__all__ = [
    "ALERT_METRICS",
    "DEFAULT_POLICY",
    "SLO_METRICS",
    "AgendaItem",
    "AlertMetric",
    "AlertThreshold",
    "Alerting",
    "BusinessDays",
    "Classification",
    "Communication",
    "CustomerCommunication",
    "Declaration",
    "Detection",
    "DetectionDuty",
    "DetectionResponse",
    "DetectionSource",
    "Direction",
    "Escalation",
    "EscalationLevel",
    "Exclusions",
    "Impact",
    "ImpactFlag",
    "IncidentCriteria",
    "IncidentProcessError",
    "PerSeverity",
    "Policy",
    "PolicyError",
    "PostIncident",
    "PostIncidentDocument",
    "Problem",
    "QuarterlyMetric",
    "QuarterlyReview",
    "Resolution",
    "ReviewMeeting",
    "Role",
    "RoleRequirements",
    "Severity",
    "SeverityDefinition",
    "SeverityError",
    "SeverityRule",
    "Slo",
    "SloMetric",
    "SloWindow",
    "Slos",
    "StatusPage",
    "SustainedThreshold",
    "UnknownMetricError",
    "classify_severity",
    "dump_policy",
    "load_policy",
    "loads_policy",
    "render_policy",
]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import version

        return version("incident-process")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
