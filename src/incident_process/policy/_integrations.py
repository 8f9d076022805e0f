"""How the formats of monitoring and status tools map onto the guide's terms.

The guide names PagerDuty alerts, Slack and a status page ("1. Detection",
"Communication Guidelines") but no formats; these settings say which label
names an endpoint, which alert measures which metric, and how an incident
shows on an Atlassian Statuspage page (read by
:mod:`incident_process.integrations`).
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ._alerting import ALERT_METRICS
from ._checks import Checker
from ._per_severity import PerSeverity, each

__all__ = [
    "DEPENDENCY_METRIC",
    "STATUSPAGE_COMPONENT_STATUSES",
    "STATUSPAGE_IMPACTS",
    "STATUSPAGE_STATUSES",
    "AlertMapping",
    "ComponentMapping",
    "Integrations",
    "StatuspageMapping",
]


#: What an alert can report, besides the alerting metrics: a critical
#: upstream service down (guide, "Incident Criteria": Dependency).
DEPENDENCY_METRIC = "dependency"


#: Atlassian Statuspage's incident impacts and component statuses.
STATUSPAGE_IMPACTS = ("none", "maintenance", "minor", "major", "critical")


STATUSPAGE_COMPONENT_STATUSES = (
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
)


#: Atlassian Statuspage's statuses of a realtime incident.
STATUSPAGE_STATUSES = ("investigating", "identified", "monitoring", "resolved")


@attrs.frozen(kw_only=True)
class AlertMapping:
    """Which metric an alert measures, by the alert's name.

    Attributes:
        alert: The alert's name (Alertmanager's ``alertname`` label).
        metric: One of the alerting metrics (``"error_rate"``,
            ``"p95_latency"``, ``"availability"``, ``"db_connections"``) or
            ``"dependency"`` (a critical upstream service is down).
    """

    alert: str
    metric: str

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.text("alert", self.alert)
        if check.text("metric", self.metric) and self.metric not in (*ALERT_METRICS, DEPENDENCY_METRIC):
            known = ", ".join(map(repr, (*ALERT_METRICS, DEPENDENCY_METRIC)))
            check.fail("metric", f"expected one of {known}, got {self.metric!r}")
        check.done()


@attrs.frozen(kw_only=True)
class ComponentMapping:
    """The status-page component that shows an endpoint.

    Attributes:
        endpoint: The endpoint's name, as the alerts' labels give it.
        component_id: The Statuspage component's id.
    """

    endpoint: str
    component_id: str

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.text("endpoint", self.endpoint)
        check.text("component_id", self.component_id)
        check.done()


@attrs.frozen(kw_only=True)
class StatuspageMapping:
    """How an incident shows on an Atlassian Statuspage page.

    The guide says what the status page is for ("Status page updates",
    "All customers: Status page for any SEV1") but not how severities look
    there; these defaults map the severity table's words ("Critical",
    "Major", "Minor") onto Statuspage's impacts.

    Attributes:
        impact: The incident's ``impact_override`` per severity.
        component_status: The status of the affected components per severity
            while the incident is open (``"operational"`` once resolved).
        investigating: The Statuspage status while the guide's update
            status ("Investigating/Identified/Mitigating/Resolved") is
            "Investigating" (and before any update).
        identified: ... while it is "Identified".
        mitigating: ... while it is "Mitigating": ``"monitoring"``,
            Statuspage's "a fix has been implemented and we are monitoring
            the results". A resolved incident is always ``"resolved"``.
        components: The component of each endpoint.
    """

    impact: PerSeverity[str] = PerSeverity(sev1="critical", sev2="major", sev3="minor")
    component_status: PerSeverity[str] = PerSeverity(
        sev1="major_outage", sev2="partial_outage", sev3="degraded_performance"
    )
    investigating: str = "investigating"
    identified: str = "identified"
    mitigating: str = "monitoring"
    components: tuple[ComponentMapping, ...] = ()

    def __attrs_post_init__(self) -> None:
        check = Checker()
        for field, allowed in (
            ("impact", STATUSPAGE_IMPACTS),
            ("component_status", STATUSPAGE_COMPONENT_STATUSES),
        ):
            values = getattr(self, field)
            if check.instance(field, values, PerSeverity):
                for path, _, value in each(field, values):
                    check.one_of(path, value, allowed)
        for field in ("investigating", "identified", "mitigating"):
            check.one_of(field, getattr(self, field), STATUSPAGE_STATUSES[:-1])
        check.keyed("components", self.components, ComponentMapping, "endpoint")
        check.done()

    def component(self, endpoint: str) -> str | None:
        """The component id of *endpoint*, if it has one."""
        return next((item.component_id for item in self.components if item.endpoint == endpoint), None)


@attrs.frozen(kw_only=True)
class Integrations:
    """How the formats of monitoring and status tools map onto the guide's terms.

    The guide names PagerDuty alerts, Slack and a status page ("1.
    Detection", "Communication Guidelines") but no formats; the library reads
    Alertmanager and PagerDuty webhooks and Prometheus range queries, and
    writes Slack Block Kit and Statuspage payloads, through these settings.

    Attributes:
        endpoint_labels: The labels that name the endpoint an alert or a
            series is about; the first one present wins.
        alerts: The metric each alert measures, by alert name (alerts not
            listed measure no known metric).
        dependency_label: The label naming the upstream service that a
            ``"dependency"`` alert reports down (default: the alert's name).
        critical_endpoints: The critical endpoints ("Error rate >5% for any
            critical endpoint"); empty: every endpoint is critical.
        statuspage: How incidents show on the status page.
    """

    endpoint_labels: tuple[str, ...] = ("endpoint", "handler", "route")
    alerts: tuple[AlertMapping, ...] = ()
    dependency_label: str = "dependency"
    critical_endpoints: tuple[str, ...] = ()
    statuspage: StatuspageMapping = StatuspageMapping()

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.texts("endpoint_labels", self.endpoint_labels)
        check.keyed("alerts", self.alerts, AlertMapping, "alert")
        check.text("dependency_label", self.dependency_label)
        check.texts("critical_endpoints", self.critical_endpoints, non_empty=False)
        check.instance("statuspage", self.statuspage, StatuspageMapping)
        check.done()

    def endpoint_of(self, labels: Iterable[tuple[str, str]]) -> str | None:
        """The endpoint that *labels* (``(name, value)`` pairs) name: the first of ``endpoint_labels`` set."""
        found = dict(labels)
        return next((found[name] for name in self.endpoint_labels if found.get(name)), None)

    def metric_of(self, alert: str) -> str | None:
        """The metric the alert named *alert* measures, if the policy says."""
        return next((item.metric for item in self.alerts if item.alert == alert), None)

    def is_critical(self, endpoint: str) -> bool:
        """Whether *endpoint* is critical (every endpoint, when none is listed)."""
        return not self.critical_endpoints or endpoint in self.critical_endpoints
