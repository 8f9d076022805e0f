"""How the formats of monitoring and status tools map onto the guide's terms.

The guide names PagerDuty alerts, Slack and a status page ("1. Detection",
"Communication Guidelines") but no formats; these settings say which label
names an endpoint, which alert measures which metric, and how an incident
shows on an Atlassian Statuspage page (read by
:mod:`incident_process.integrations`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

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
    "Correlation",
    "Integrations",
    "SlackMapping",
    "SlackUser",
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
class Correlation:
    """When an alert is about an incident already open: the same problem, seen again or by another tool.

    Guide, "1. Detection": "Customer reports: Multiple tickets with same
    pattern within 30 minutes"; the same holds of alerts: one problem seen
    by Alertmanager and by PagerDuty is one incident. An alert belongs to an
    open incident when it has one of its references (of the names listed),
    or when the labels listed are present and equal on both (``endpoint``
    being the endpoint as ``endpoint_labels`` name it) and the alert started
    within ``within`` of the incident's detection.

    Attributes:
        references: The reference names that identify one problem.
        labels: The label set that identifies one problem; empty: references only.
        within: How close to the incident's detection an alert with the same
            labels must start.
    """

    references: tuple[str, ...] = (
        "alertmanager.fingerprint",
        "alertmanager.group_key",
        "pagerduty.incident",
        "pagerduty.incident_key",
    )
    labels: tuple[str, ...] = ("endpoint",)
    within: timedelta = timedelta(minutes=30)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.texts("references", self.references, non_empty=False)
        check.texts("labels", self.labels, non_empty=False)
        check.duration("within", self.within)
        check.done()


@attrs.frozen(kw_only=True)
class SlackUser:
    """Who a Slack user is in the incident process.

    Guide, "Who can declare an incident": "Any on-call engineer, any support
    lead, any engineering manager". Slack names a user by an id
    (``U012AB3CD``); the process names people and the role they declare in.

    Attributes:
        user_id: The Slack user's id.
        person: The person's name in the incident's events (role holders,
            update authors).
        declarer_role: The role the person declares incidents in (one of
            ``declaration.who_may_declare``), if they declare at all.
    """

    user_id: str
    person: str
    declarer_role: str | None = None

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.text("user_id", self.user_id)
        check.text("person", self.person)
        if self.declarer_role is not None:
            check.identifier("declarer_role", self.declarer_role)
        check.done()


@attrs.frozen(kw_only=True)
class SlackMapping:
    """How Slack's slash command and buttons map onto the incident process.

    Guide, "Communication Guidelines": the incident channel is where the
    response is run. Responders declare, acknowledge, post updates and
    resolve from it: a slash command (``/incident declare SEV2 ...``) or the
    buttons of the bot's messages.

    Attributes:
        command: The slash command the app registered.
        users: The Slack users the process knows, by id; a user not listed
            acts under their Slack user name and cannot declare.
    """

    command: str = "/incident"
    users: tuple[SlackUser, ...] = ()

    def __attrs_post_init__(self) -> None:
        check = Checker()
        if check.text("command", self.command) and not self.command.startswith("/"):
            check.fail("command", f"expected a slash command starting with '/', got {self.command!r}")
        check.keyed("users", self.users, SlackUser, "user_id")
        check.done()

    def user(self, user_id: str) -> SlackUser | None:
        """The process's entry for the Slack user *user_id*, if it has one."""
        return next((user for user in self.users if user.user_id == user_id), None)


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
        correlation: When an alert belongs to an incident already open.
        slack: Who Slack's users are, and the slash command.
    """

    endpoint_labels: tuple[str, ...] = ("endpoint", "handler", "route")
    alerts: tuple[AlertMapping, ...] = ()
    dependency_label: str = "dependency"
    critical_endpoints: tuple[str, ...] = ()
    statuspage: StatuspageMapping = StatuspageMapping()
    correlation: Correlation = Correlation()
    slack: SlackMapping = SlackMapping()

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.texts("endpoint_labels", self.endpoint_labels)
        check.instance("correlation", self.correlation, Correlation)
        check.instance("slack", self.slack, SlackMapping)
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
