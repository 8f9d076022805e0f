"""The guide as data: one frozen, typed :class:`Policy`, read from and written to TOML.

Every number and table of the guide is a field of :class:`Policy`, in a
group named after its section: Guide, "What Qualifies as an Incident"
(:class:`IncidentCriteria`, :class:`Exclusions`, the severity table and its
classification rules), "1. Detection" (:class:`Detection`), "2.
Declaration", "3. Response" and "4. Resolution" (:class:`Declaration`, the
roles per severity, :class:`Response`, :class:`Resolution`), "Communication
Guidelines" (:class:`Communication`), "Escalation Path"
(:class:`Escalation`), "5. Post-Incident" and "Post-Incident Review
Process" (:class:`PostIncident`), "Metrics and Thresholds"
(:class:`Alerting`, :class:`Slos`), "Quarterly Review"
(:class:`QuarterlyReview`), "On-Call Responsibilities" (:class:`OnCall`),
the reminders of duties (:class:`Reminders`);
plus how the tools' formats map onto the guide (:class:`Integrations`) and
what counts as a business day (:class:`CalendarSettings`).

``Policy()`` is the guide (:data:`DEFAULT_POLICY`); a company changes any
number with :func:`attrs.evolve` or a TOML file (:func:`load_policy`), and
an invalid value is refused with its key path. This namespace loads with the
package; everything else loads on first use.
"""

from ._alerting import ALERT_METRICS, SLO_METRICS, Alerting, AlertMetric, AlertThreshold, Slo, SloMetric, Slos
from ._communication import Communication, CustomerCommunication, ExternalCommunication, StatusPage
from ._criteria import Exclusions, IncidentCriteria, SeverityDefinition, SeverityRule, SustainedThreshold
from ._detection import Detection, DetectionResponse
from ._escalation import Escalation, EscalationLevel
from ._file import dump_policy, load_policy, loads_policy
from ._integrations import (
    DEPENDENCY_METRIC,
    STATUSPAGE_COMPONENT_STATUSES,
    STATUSPAGE_IMPACTS,
    STATUSPAGE_STATUSES,
    AlertMapping,
    ComponentMapping,
    Correlation,
    Integrations,
    SlackMapping,
    SlackUser,
    StatuspageMapping,
)
from ._per_severity import PerSeverity
from ._playbook import (
    CHECKLISTS,
    DECISION_FACTORS,
    RESPONSE_PRIORITIES,
    ChecklistStep,
    Declaration,
    OnCall,
    ReadinessItem,
    Resolution,
    Response,
    ResponsePriority,
    RoleRequirements,
)
from ._policy import DEFAULT_POLICY, CalendarSettings, Policy
from ._post_incident import AgendaItem, PostIncident, PostIncidentDocument, QuarterlyReview, ReviewMeeting
from ._reminders import ReminderRule, Reminders
from ._tables import render_policy

__all__ = [
    "ALERT_METRICS",
    "CHECKLISTS",
    "DECISION_FACTORS",
    "DEFAULT_POLICY",
    "DEPENDENCY_METRIC",
    "RESPONSE_PRIORITIES",
    "SLO_METRICS",
    "STATUSPAGE_COMPONENT_STATUSES",
    "STATUSPAGE_IMPACTS",
    "STATUSPAGE_STATUSES",
    "AgendaItem",
    "AlertMapping",
    "AlertMetric",
    "AlertThreshold",
    "Alerting",
    "CalendarSettings",
    "ChecklistStep",
    "Communication",
    "ComponentMapping",
    "Correlation",
    "CustomerCommunication",
    "Declaration",
    "Detection",
    "DetectionResponse",
    "Escalation",
    "EscalationLevel",
    "Exclusions",
    "ExternalCommunication",
    "IncidentCriteria",
    "Integrations",
    "OnCall",
    "PerSeverity",
    "Policy",
    "PostIncident",
    "PostIncidentDocument",
    "QuarterlyReview",
    "ReadinessItem",
    "ReminderRule",
    "Reminders",
    "Resolution",
    "Response",
    "ResponsePriority",
    "ReviewMeeting",
    "RoleRequirements",
    "SeverityDefinition",
    "SeverityRule",
    "SlackMapping",
    "SlackUser",
    "Slo",
    "SloMetric",
    "Slos",
    "StatusPage",
    "StatuspageMapping",
    "SustainedThreshold",
    "dump_policy",
    "load_policy",
    "loads_policy",
    "render_policy",
]
