"""The guide's words that every domain shares: one enumeration per idea, defined once.

An enumeration used by more than one part of the library lives here, so that
no module keeps a hand-typed copy of its values and the policy can check its
tables against them before anything else loads (a test keeps every other
enumeration inside its own namespace).

Guide, "Incident Severity Levels" (:class:`Severity`, :class:`ImpactFlag`),
"Roles During Incident" (:class:`Role`, :class:`RequirementLevel`), "1.
Detection" (:class:`DetectionSource`, :class:`DetectionDuty`), "Incident
Lifecycle" (:class:`Phase`, :class:`DismissalReason`), "Communication
Guidelines" (:class:`UpdateStatus`, :class:`Audience`, :class:`Milestone`),
the timed duties of every section (:class:`ObligationKind`,
:class:`ObligationStatus`), "Metrics and Thresholds" (:class:`Direction`,
:class:`SloWindow`) and "Quarterly Review" (:class:`QuarterlyMetric`).
"""

from __future__ import annotations

import enum

from .errors import SeverityError

__all__ = [
    "Audience",
    "DetectionDuty",
    "DetectionSource",
    "Direction",
    "DismissalReason",
    "ImpactFlag",
    "Milestone",
    "ObligationKind",
    "ObligationStatus",
    "Phase",
    "QuarterlyMetric",
    "RequirementLevel",
    "Role",
    "Severity",
    "SloWindow",
    "UpdateStatus",
]


class Severity(enum.Enum):
    """An incident severity; ``SEV1`` is the most severe.

    Guide, "Incident Severity Levels": SEV1 Critical, SEV2 Major, SEV3 Minor.

    Severities compare by how severe they are: ``Severity.SEV1 >
    Severity.SEV3``, so ``max()`` of several severities is the most severe and
    ``sorted()`` lists the least severe first. :attr:`level` is the guide's
    number (1 for SEV1).
    """

    SEV1 = "SEV1"
    SEV2 = "SEV2"
    SEV3 = "SEV3"

    @property
    def level(self) -> int:
        """The number in the guide's name, 1 for SEV1 and 3 for SEV3."""
        return int(self.value[3:])

    @classmethod
    def parse(cls, value: object) -> Severity:
        """Read a severity from ``"SEV1"``, ``"sev1"``, ``1`` or a :class:`Severity`.

        >>> Severity.parse("sev2")
        <Severity.SEV2: 'SEV2'>
        >>> Severity.parse(1)
        <Severity.SEV1: 'SEV1'>

        Raises:
            SeverityError: for anything else, naming the value and the
                accepted forms.
        """
        if isinstance(value, Severity):
            return value
        if isinstance(value, str):
            key = value.upper()
            if key in cls.__members__:
                return cls[key]
        elif isinstance(value, int) and not isinstance(value, bool):
            for member in cls:
                if member.level == value:
                    return member
        accepted = ", ".join(f'"{m.value}"' for m in cls)
        levels = ", ".join(str(m.level) for m in cls)
        msg = f"not a severity: {value!r}; expected one of {accepted} (any case) or {levels}"
        raise SeverityError(msg)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.level > other.level

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.level >= other.level

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.level < other.level

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.level <= other.level


class Role(enum.StrEnum):
    """A role during an incident (guide, "Roles During Incident").

    A role is its value too (``Role.SCRIBE == "scribe"``), as every command
    that takes a role takes either: ``incident.role_holders()["scribe"]``
    finds the scribe.
    """

    #: Owns resolution, coordinates efforts, makes decisions.
    INCIDENT_COMMANDER = "incident_commander"
    #: Drives investigation and implementation of fixes.
    TECHNICAL_LEAD = "technical_lead"
    #: Updates status page, stakeholders, and customers.
    COMMUNICATIONS_LEAD = "communications_lead"
    #: Documents timeline, decisions, and actions in incident channel.
    SCRIBE = "scribe"


class DetectionSource(enum.Enum):
    """How an incident was detected (guide, "1. Detection")."""

    #: PagerDuty alerts on error rate, latency, availability.
    AUTOMATED_ALERT = "automated_alert"
    #: Multiple tickets with same pattern within 30 minutes.
    CUSTOMER_REPORTS = "customer_reports"
    #: Engineer notices issue during deployment or testing.
    INTERNAL_DISCOVERY = "internal_discovery"
    #: Security researcher, vendor, or partner report.
    EXTERNAL_NOTIFICATION = "external_notification"


class ImpactFlag(enum.Enum):
    """A fact about an incident's impact that the severity criteria test.

    Guide, "Incident Severity Levels" (criteria and examples).
    """

    #: "Complete outage" (SEV1), e.g. all API requests failing.
    COMPLETE_OUTAGE = "complete_outage"
    #: "Data breach" (SEV1), e.g. auth system compromised.
    DATA_BREACH = "data_breach"
    #: "One critical endpoint down" (SEV2).
    CRITICAL_ENDPOINT_DOWN = "critical_endpoint_down"
    #: "Significant functionality impaired" (SEV2).
    SIGNIFICANT_FUNCTIONALITY_IMPAIRED = "significant_functionality_impaired"
    #: "Limited impact with workaround" (SEV3), such as a non-critical
    #: feature degraded or a specific edge case.
    LIMITED_IMPACT = "limited_impact"


# --- Roles --------------------------------------------------------------------


class RequirementLevel(enum.Enum):
    """How strongly the guide asks for a role.

    "must" is a requirement (an audit finding when unmet), "should" a
    recommendation (a warning). Neither refuses a command: roles are filled
    during the response, and the check reports what is missing now.
    """

    MUST = "must"
    SHOULD = "should"


# --- Detection ----------------------------------------------------------------


class DetectionDuty(enum.Enum):
    """What a detection source obliges responders to do (guide, "1. Detection")."""

    ACKNOWLEDGE = "acknowledge"
    CORRELATE = "correlate"
    DECLARE = "declare"


# --- The lifecycle ------------------------------------------------------------


class Phase(enum.Enum):
    """Where an incident is in its lifecycle (guide, "Incident Lifecycle")."""

    DETECTED = "detected"
    DECLARED = "declared"
    RESPONDING = "responding"
    RESOLVED = "resolved"
    POST_INCIDENT = "post_incident"
    CLOSED = "closed"
    DISMISSED = "dismissed"


class DismissalReason(enum.Enum):
    """Why a detected incident was dismissed rather than declared."""

    #: The incident criteria are not met.
    NOT_AN_INCIDENT = "not_an_incident"
    #: One of the guide's exclusions applies ("What Is NOT an Incident").
    EXCLUDED = "excluded"
    #: Another incident already covers it (``duplicate_of`` names it).
    DUPLICATE = "duplicate"
    #: The signal was wrong (a broken check, a test page).
    FALSE_ALARM = "false_alarm"


# --- Communication ------------------------------------------------------------


class UpdateStatus(enum.Enum):
    """The status line of an update (guide, "Update template")."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MITIGATING = "mitigating"
    RESOLVED = "resolved"


class Audience(enum.Enum):
    """Who an update is for (guide, "Communication Guidelines")."""

    INTERNAL = "internal"
    STATUS_PAGE = "status_page"


class Milestone(enum.Enum):
    """Points in an incident's life that its durations are measured between.

    The update statuses (guide, "Update template": Investigating, Identified,
    Mitigating, Resolved) and the start of customer impact, which usually
    precedes detection.
    """

    CUSTOMER_IMPACT_STARTED = "customer_impact_started"
    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MITIGATING = "mitigating"
    RESOLVED = "resolved"


# --- Timed duties -------------------------------------------------------------


class ObligationKind(enum.Enum):
    """A timed duty of the guide."""

    #: Acknowledge an automated page.
    #: Guide, "Automated alert: Acknowledge within 5 minutes".
    ACKNOWLEDGE = "acknowledge"
    #: Correlate customer reports.
    #: Guide, "Customer reports: Correlate within 15 minutes".
    CORRELATE = "correlate"
    #: Declare an internally discovered incident.
    #: Guide, "Internal discovery: Declare immediately if criteria met".
    DECLARE = "declare"
    #: Escalate an unacknowledged page to the next level.
    #: Guide, "Escalation Path": the next level, while a page is not acknowledged.
    ESCALATE = "escalate"
    #: Post the first status-page update.
    #: Guide, "Status page updates: First update: Within 10 minutes of declaration".
    FIRST_STATUS_PAGE_UPDATE = "first_status_page_update"
    #: Post the next internal update.
    #: Guide, "Internal Communication: Frequency by severity".
    INTERNAL_UPDATE = "internal_update"
    #: Post the next status-page update.
    #: Guide, "Subsequent updates: Match internal frequency".
    STATUS_PAGE_UPDATE = "status_page_update"
    #: Post the final status-page update.
    #: Guide, "Final update: When resolved, with summary".
    FINAL_STATUS_PAGE_UPDATE = "final_status_page_update"
    #: Wait out the quiet period before resolving.
    #: Guide, "No new error reports for 15 minutes (SEV1/2) or 30 minutes (SEV3)".
    RESOLUTION_QUIET_PERIOD = "resolution_quiet_period"
    #: Archive the incident channel.
    #: Guide, "Close incident channel (archive after 24h)".
    ARCHIVE_CHANNEL = "archive_channel"
    #: Hold the post-incident review.
    #: Guide, "Post-incident review: Within 3 business days".
    POST_INCIDENT_REVIEW = "post_incident_review"
    #: Publish the post-incident document.
    #: Guide, "Post-incident document: Within 5 business days".
    POST_INCIDENT_DOCUMENT = "post_incident_document"
    #: Complete an action item.
    #: Guide, "Action items tracked: Until completion".
    ACTION_ITEM = "action_item"


class ObligationStatus(enum.Enum):
    """Where a duty stands as of ``now``."""

    PENDING = "pending"
    MET = "met"
    OVERDUE = "overdue"
    MISSED = "missed"


# --- Metrics and thresholds ---------------------------------------------------


class Direction(enum.Enum):
    """Which side of a threshold is bad."""

    ABOVE = "above"
    BELOW = "below"


class SloWindow(enum.Enum):
    """An SLO's measurement window, in the policy's time zone."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


# --- Quarterly review ---------------------------------------------------------


class QuarterlyMetric(enum.Enum):
    """What the quarterly review looks at (guide, "Quarterly Review")."""

    INCIDENT_COUNT_BY_SEVERITY = "incident_count_by_severity"
    MEAN_TIME_TO_DETECT = "mean_time_to_detect"
    MEAN_TIME_TO_RESOLVE = "mean_time_to_resolve"
    REPEAT_INCIDENTS = "repeat_incidents"
    ACTION_ITEM_COMPLETION_RATE = "action_item_completion_rate"
    ON_CALL_BURDEN = "on_call_burden"

    @property
    def title(self) -> str:
        """The guide's words for the metric."""
        return _QUARTERLY_TITLES[self]


_QUARTERLY_TITLES = {
    QuarterlyMetric.INCIDENT_COUNT_BY_SEVERITY: "Incident count by severity",
    QuarterlyMetric.MEAN_TIME_TO_DETECT: "Mean time to detect (MTTD)",
    QuarterlyMetric.MEAN_TIME_TO_RESOLVE: "Mean time to resolve (MTTR)",
    QuarterlyMetric.REPEAT_INCIDENTS: "Repeat incidents (same root cause)",
    QuarterlyMetric.ACTION_ITEM_COMPLETION_RATE: "Action item completion rate",
    QuarterlyMetric.ON_CALL_BURDEN: "On-call burden distribution",
}
