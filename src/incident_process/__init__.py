"""incident-process: a company's incident-response guide as executable, tested policy.

The public API is re-exported here; the modules behind it are private.
``Lifecycle`` (the python-statemachine machine) loads on first use, so
reading policies never loads python-statemachine.
"""

from typing import TYPE_CHECKING

from ._assessment import (
    Assessment,
    CriterionMet,
    EndpointMetrics,
    Signals,
    assess,
)
from ._calendar import (
    BusinessCalendar,
)
from ._channels import (
    SLACK_CHANNEL_LIMIT,
    Stakeholders,
    channel_name,
    channel_name_for,
    stakeholders,
)
from ._classification import (
    Classification,
    Impact,
    classify_severity,
)
from ._detection import (
    AlertLevel,
    Breach,
    SloReport,
    SustainedThresholdDetector,
    alert_level,
    latency_slo_report,
    slo_report,
    slo_window,
    sustained_breaches,
)
from ._durations import (
    BusinessDays,
)
from ._errors import (
    CalendarError,
    CommandRefusedError,
    DetectionError,
    IncidentProcessError,
    InvalidEventError,
    MessageError,
    PolicyError,
    Problem,
    ReplayError,
    SampleError,
    SeverityError,
    UnknownMetricError,
)
from ._events import (
    EVENT_TYPES,
    Acknowledged,
    ActionItemAdded,
    ActionItemCompleted,
    ActionTaken,
    Audience,
    ChannelArchived,
    Closed,
    Declared,
    Detected,
    DismissalReason,
    Dismissed,
    DocumentPublished,
    Event,
    Milestone,
    MilestoneRecorded,
    PostIncidentStarted,
    Reopened,
    Resolved,
    ResponseStarted,
    ReviewHeld,
    RoleAssigned,
    SeverityChanged,
    UpdatePosted,
    UpdateStatus,
)
from ._findings import (
    Finding,
)
from ._incident import (
    ActionItem,
    Incident,
    RequirementLevel,
    RoleTenure,
    UnmetRoleRequirement,
)
from ._lint import (
    LINT_RULES,
    lint_external,
)
from ._messages import (
    FORMATS,
    SLACK_TEXT_LIMIT,
    MessageTemplates,
    markdown_escape,
    render_declaration,
    render_resolution,
    render_update,
    slack_escape,
)
from ._obligations import (
    Obligation,
    ObligationKind,
    ObligationStatus,
)
from ._playbook import (
    RUNBOOKS,
    SCENARIOS,
    Runbook,
    RunbookStep,
    Scenario,
    ScenarioMatch,
    match_scenarios,
)
from ._policy import (
    ALERT_METRICS,
    DEFAULT_POLICY,
    SLO_METRICS,
    AgendaItem,
    Alerting,
    AlertMetric,
    AlertThreshold,
    CalendarSettings,
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
    ExternalCommunication,
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
from ._policy_file import (
    dump_policy,
    load_policy,
    loads_policy,
)
from ._policy_tables import (
    render_policy,
)
from ._rules import (
    Phase,
)
from ._vocabulary import (
    DetectionSource,
    ImpactFlag,
    Role,
    Severity,
)

__all__ = [
    "ALERT_METRICS",
    "DEFAULT_POLICY",
    "EVENT_TYPES",
    "FORMATS",
    "LINT_RULES",
    "RUNBOOKS",
    "SCENARIOS",
    "SLACK_CHANNEL_LIMIT",
    "SLACK_TEXT_LIMIT",
    "SLO_METRICS",
    "Acknowledged",
    "ActionItem",
    "ActionItemAdded",
    "ActionItemCompleted",
    "ActionTaken",
    "AgendaItem",
    "AlertLevel",
    "AlertMetric",
    "AlertThreshold",
    "Alerting",
    "Assessment",
    "Audience",
    "Breach",
    "BusinessCalendar",
    "BusinessDays",
    "CalendarError",
    "CalendarSettings",
    "ChannelArchived",
    "Classification",
    "Closed",
    "CommandRefusedError",
    "Communication",
    "CriterionMet",
    "CustomerCommunication",
    "Declaration",
    "Declared",
    "Detected",
    "Detection",
    "DetectionDuty",
    "DetectionError",
    "DetectionResponse",
    "DetectionSource",
    "Direction",
    "DismissalReason",
    "Dismissed",
    "DocumentPublished",
    "EndpointMetrics",
    "Escalation",
    "EscalationLevel",
    "Event",
    "Exclusions",
    "ExternalCommunication",
    "Finding",
    "Impact",
    "ImpactFlag",
    "Incident",
    "IncidentCriteria",
    "IncidentProcessError",
    "InvalidEventError",
    "Lifecycle",
    "MessageError",
    "MessageTemplates",
    "Milestone",
    "MilestoneRecorded",
    "Obligation",
    "ObligationKind",
    "ObligationStatus",
    "PerSeverity",
    "Phase",
    "Policy",
    "PolicyError",
    "PostIncident",
    "PostIncidentDocument",
    "PostIncidentStarted",
    "Problem",
    "QuarterlyMetric",
    "QuarterlyReview",
    "Reopened",
    "ReplayError",
    "RequirementLevel",
    "Resolution",
    "Resolved",
    "ResponseStarted",
    "ReviewHeld",
    "ReviewMeeting",
    "Role",
    "RoleAssigned",
    "RoleRequirements",
    "RoleTenure",
    "Runbook",
    "RunbookStep",
    "SampleError",
    "Scenario",
    "ScenarioMatch",
    "Severity",
    "SeverityChanged",
    "SeverityDefinition",
    "SeverityError",
    "SeverityRule",
    "Signals",
    "Slo",
    "SloMetric",
    "SloReport",
    "SloWindow",
    "Slos",
    "Stakeholders",
    "StatusPage",
    "SustainedThreshold",
    "SustainedThresholdDetector",
    "UnknownMetricError",
    "UnmetRoleRequirement",
    "UpdatePosted",
    "UpdateStatus",
    "alert_level",
    "assess",
    "channel_name",
    "channel_name_for",
    "classify_severity",
    "dump_policy",
    "latency_slo_report",
    "lint_external",
    "load_policy",
    "loads_policy",
    "markdown_escape",
    "match_scenarios",
    "render_declaration",
    "render_policy",
    "render_resolution",
    "render_update",
    "slack_escape",
    "slo_report",
    "slo_window",
    "stakeholders",
    "sustained_breaches",
]


if TYPE_CHECKING:
    from ._lifecycle import Lifecycle


def __getattr__(name: str) -> object:
    if name == "Lifecycle":  # the python-statemachine machine, loaded when first asked for
        from ._lifecycle import Lifecycle

        return Lifecycle
    if name == "__version__":
        from importlib.metadata import version

        return version("incident-process")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
