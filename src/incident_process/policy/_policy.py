"""The guide as data: one frozen, typed :class:`Policy` holding every number and table.

The groups follow the guide's own sections. Every field's default is the
guide's value, so ``Policy()`` *is* the guide and :data:`DEFAULT_POLICY` is
that value. A company changes any number with :func:`attrs.evolve` or a TOML
file (:func:`~incident_process.load_policy`) without forking.

Every class checks its own fields when it is built and raises one
:class:`~incident_process.PolicyError` listing every problem, each with its key
path, so an invalid policy cannot exist.

Two kinds of span are never mixed: elapsed durations are
:class:`datetime.timedelta` (exact seconds), business-day rules are
:class:`~incident_process.BusinessDays`.

File-format note: optional (``None``) fields live only inside array items
(escalation levels, detection responses, classification rules). Arrays are
replaced whole when a file overrides them, so an omitted optional key always
means ``None`` and a dumped policy always loads back equal.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Generic, TypeVar

import attrs

from ._checks import Checker
from ._durations import BusinessDays
from ._errors import UnknownMetricError
from ._policy_response import (
    DECLARATION_CHECKLIST,
    RESOLUTION_CHECKLIST,
    ChecklistStep,
    OnCall,
    Response,
)
from ._vocabulary import DetectionSource, ImpactFlag, Role, Severity

if TYPE_CHECKING:
    from ._calendar import BusinessCalendar

__all__ = [
    "ALERT_METRICS",
    "DEFAULT_POLICY",
    "DEPENDENCY_METRIC",
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
    "Communication",
    "ComponentMapping",
    "CustomerCommunication",
    "Declaration",
    "Detection",
    "DetectionDuty",
    "DetectionResponse",
    "Direction",
    "Escalation",
    "EscalationLevel",
    "Exclusions",
    "ExternalCommunication",
    "IncidentCriteria",
    "Integrations",
    "PerSeverity",
    "Policy",
    "PostIncident",
    "PostIncidentDocument",
    "QuarterlyMetric",
    "QuarterlyReview",
    "Resolution",
    "ReviewMeeting",
    "RoleRequirements",
    "SeverityDefinition",
    "SeverityRule",
    "Slo",
    "SloMetric",
    "SloWindow",
    "Slos",
    "StatusPage",
    "StatuspageMapping",
    "SustainedThreshold",
]

T = TypeVar("T")

_MINUTE = timedelta(minutes=1)


def _minutes(n: int) -> timedelta:
    return n * _MINUTE


@attrs.frozen(kw_only=True)
class PerSeverity(Generic[T]):
    """One value for each severity; written ``{SEV1 = ..., SEV2 = ..., SEV3 = ...}`` in files.

    Look a value up by :class:`Severity`, or by anything
    :meth:`Severity.parse` reads:

    >>> cadence = PerSeverity(sev1=15, sev2=30, sev3=60)
    >>> cadence[Severity.SEV2]
    30
    >>> cadence["sev3"]
    60
    """

    sev1: T
    sev2: T
    sev3: T

    def __getitem__(self, severity: Severity | str | int) -> T:
        value: T = getattr(self, Severity.parse(severity).name.lower())
        return value

    def items(self) -> Iterator[tuple[Severity, T]]:
        """Each severity with its value, most severe first."""
        for severity in Severity:
            yield severity, self[severity]


def _each(path: str, values: object) -> Iterator[tuple[str, Severity, object]]:
    """Yield ``(path.SEVn, severity, value)`` for a :class:`PerSeverity` field."""
    if isinstance(values, PerSeverity):
        for severity, value in values.items():
            yield f"{path}.{severity.value}", severity, value


# --- What Qualifies as an Incident -------------------------------------------


@attrs.frozen(kw_only=True)
class SustainedThreshold:
    """A value above a threshold for longer than a duration; both comparisons strict.

    Attributes:
        above: The value must be strictly above this.
        longer_than: ... for strictly longer than this.
    """

    above: float
    longer_than: timedelta

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.number("above", self.above)
        check.duration("longer_than", self.longer_than)
        check.done()


@attrs.frozen(kw_only=True)
class IncidentCriteria:
    """Guide, "Incident Criteria": an incident is declared when ANY of these occur.

    The Data, Security and Dependency rows are facts (suspected data
    corruption or unauthorized access; an active exploit or a vulnerability
    disclosure affecting us; a critical upstream service down) with no number
    to configure.

    Attributes:
        error_rate: "Error rate >5% for any critical endpoint for >5 minutes"
            (a fraction: 0.05 is 5%).
        p95_latency: "P95 latency >3x baseline for >5 minutes" (a multiple of
            the baseline).
        enterprise_customers_at_least: "Multiple enterprise customers report
            same issue simultaneously": how many make "multiple".
    """

    error_rate: SustainedThreshold = SustainedThreshold(above=0.05, longer_than=_minutes(5))
    p95_latency: SustainedThreshold = SustainedThreshold(above=3.0, longer_than=_minutes(5))
    enterprise_customers_at_least: int = 2

    def __attrs_post_init__(self) -> None:
        check = Checker()
        if check.instance("error_rate", self.error_rate, SustainedThreshold):
            check.fraction("error_rate.above", self.error_rate.above)
        check.instance("p95_latency", self.p95_latency, SustainedThreshold)
        check.count("enterprise_customers_at_least", self.enterprise_customers_at_least, at_least=2)
        check.done()


@attrs.frozen(kw_only=True)
class Exclusions:
    """Guide, "What Is NOT an Incident"; each exclusion can be switched off.

    Attributes:
        single_customer_configuration: "Single customer experiencing issues
            due to their configuration".
        sporadic_error_rate_below: "Sporadic 500 errors without pattern
            (<0.1% of requests)" (a fraction: 0.001 is 0.1%).
        known_issue_with_workaround: "Known issues with documented workarounds".
        planned_maintenance_within_window: "Planned maintenance (unless it
            exceeds window)".
        degradation_within_bounds: "Performance degradation within acceptable
            bounds".
    """

    single_customer_configuration: bool = True
    sporadic_error_rate_below: float = 0.001
    known_issue_with_workaround: bool = True
    planned_maintenance_within_window: bool = True
    degradation_within_bounds: bool = True

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.flag("single_customer_configuration", self.single_customer_configuration)
        check.fraction("sporadic_error_rate_below", self.sporadic_error_rate_below)
        check.flag("known_issue_with_workaround", self.known_issue_with_workaround)
        check.flag("planned_maintenance_within_window", self.planned_maintenance_within_window)
        check.flag("degradation_within_bounds", self.degradation_within_bounds)
        check.done()


@attrs.frozen(kw_only=True)
class SeverityDefinition:
    """One row of the guide's "Incident Severity Levels" table.

    Attributes:
        name: "Critical", "Major", "Minor".
        criteria: The row's criteria, quoted as the reason of a classification.
        examples: The row's examples.
    """

    name: str
    criteria: str
    examples: tuple[str, ...]

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.text("name", self.name)
        check.text("criteria", self.criteria)
        check.texts("examples", self.examples, non_empty=False)
        check.done()


@attrs.frozen(kw_only=True)
class SeverityRule:
    """When an impact is of a severity: any of the flags, or an error rate above a threshold.

    Attributes:
        severity: The severity this rule assigns.
        when_any: The impact facts any one of which is enough.
        error_rate_above: An error rate strictly above this fraction is
            enough, too; ``None`` if error rate does not decide this severity.
    """

    severity: Severity
    when_any: tuple[ImpactFlag, ...] = ()
    error_rate_above: float | None = None

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.member("severity", self.severity, Severity)
        check.members("when_any", self.when_any, ImpactFlag, non_empty=False)
        if self.error_rate_above is not None:
            check.fraction("error_rate_above", self.error_rate_above)
        elif self.when_any == ():
            check.fail("when_any", "a rule needs at least one flag or an error_rate_above")
        check.done()


# --- Roles and declaration ---------------------------------------------------


@attrs.frozen(kw_only=True)
class RoleRequirements:
    """Which roles a severity requires; "must" is a requirement, "should" a recommendation.

    Guide, "Roles During Incident": "For SEV3: IC may handle all roles. For
    SEV2: Minimum IC + Technical Lead. For SEV1: All roles should be filled."
    The Incident Commander is a "must" at every severity: the declarer
    assumes the role until it is handed off (guide, "On-Call
    Responsibilities").

    Attributes:
        must: Roles that must be filled.
        should: Roles that should be filled.
        separate_people: Whether the required roles must be held by
            different people (``False``: the IC may hold them all).
    """

    must: tuple[Role, ...]
    should: tuple[Role, ...] = ()
    separate_people: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.members("must", self.must, Role)
        check.members("should", self.should, Role, non_empty=False)
        check.flag("separate_people", self.separate_people)
        if isinstance(self.must, tuple) and Role.INCIDENT_COMMANDER not in self.must:
            check.fail("must", "every severity must require the incident_commander role")
        if isinstance(self.must, tuple) and isinstance(self.should, tuple):
            for index, role in enumerate(self.should):
                if role in self.must:
                    check.fail(f"should[{index}]", f"{role.value!r} is already a 'must'")
        check.done()


_DEFAULT_SEVERITIES = PerSeverity(
    sev1=SeverityDefinition(
        name="Critical",
        criteria="Complete outage or data breach",
        examples=("All API requests failing", "Auth system compromised"),
    ),
    sev2=SeverityDefinition(
        name="Major",
        criteria="Significant functionality impaired",
        examples=("One critical endpoint down", ">10% error rate"),
    ),
    sev3=SeverityDefinition(
        name="Minor",
        criteria="Limited impact with workaround",
        examples=("Non-critical feature degraded", "Specific edge case"),
    ),
)

_DEFAULT_CLASSIFICATION = (
    SeverityRule(
        severity=Severity.SEV1,
        when_any=(ImpactFlag.COMPLETE_OUTAGE, ImpactFlag.DATA_BREACH),
    ),
    SeverityRule(
        severity=Severity.SEV2,
        when_any=(ImpactFlag.CRITICAL_ENDPOINT_DOWN, ImpactFlag.SIGNIFICANT_FUNCTIONALITY_IMPAIRED),
        error_rate_above=0.10,
    ),
    SeverityRule(severity=Severity.SEV3, when_any=(ImpactFlag.LIMITED_IMPACT,)),
)

_ALL_ROLES_BUT_IC = (Role.TECHNICAL_LEAD, Role.COMMUNICATIONS_LEAD, Role.SCRIBE)

_DEFAULT_ROLES = PerSeverity(
    sev1=RoleRequirements(must=(Role.INCIDENT_COMMANDER,), should=_ALL_ROLES_BUT_IC, separate_people=True),
    sev2=RoleRequirements(must=(Role.INCIDENT_COMMANDER, Role.TECHNICAL_LEAD), separate_people=True),
    sev3=RoleRequirements(must=(Role.INCIDENT_COMMANDER,)),
)


@attrs.frozen(kw_only=True)
class Declaration:
    """Guide, "2. Declaration".

    Attributes:
        who_may_declare: "Any on-call engineer, any support lead, any
            engineering manager", as identifiers.
        channel_prefix: "Create incident channel:
            ``#incident-YYYY-MM-DD-brief-name``": the part before the date.
        notify_group: "Notify stakeholders via ``@incident-notify`` Slack group".
        checklist: "Declaration checklist", its six steps in order.
        enforce_checklist: Whether resolving is refused while a step
            required before it is open (``False``: the open steps are
            reported by audits; the guide says what to do, not what to refuse).
    """

    who_may_declare: tuple[str, ...] = ("on_call_engineer", "support_lead", "engineering_manager")
    channel_prefix: str = "#incident-"
    notify_group: str = "@incident-notify"
    checklist: tuple[ChecklistStep, ...] = DECLARATION_CHECKLIST
    enforce_checklist: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        for path, who in check.items("who_may_declare", self.who_may_declare):
            check.identifier(path, who)
        check.text("channel_prefix", self.channel_prefix)
        check.text("notify_group", self.notify_group)
        check.keyed("checklist", self.checklist, ChecklistStep, "id")
        check.flag("enforce_checklist", self.enforce_checklist)
        check.done()


# --- Detection ---------------------------------------------------------------


class DetectionDuty(enum.Enum):
    """What a detection source obliges responders to do (guide, "1. Detection")."""

    ACKNOWLEDGE = "acknowledge"
    CORRELATE = "correlate"
    DECLARE = "declare"


@attrs.frozen(kw_only=True)
class DetectionResponse:
    """One line of "Response time by detection source".

    Attributes:
        source: The detection source.
        duty: What must be done.
        within: How soon; zero means "immediately".
    """

    source: DetectionSource
    duty: DetectionDuty
    within: timedelta

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.member("source", self.source, DetectionSource)
        check.member("duty", self.duty, DetectionDuty)
        check.duration("within", self.within, allow_zero=True)
        check.done()


@attrs.frozen(kw_only=True)
class Detection:
    """Guide, "1. Detection".

    Attributes:
        responses: "Automated alert: Acknowledge within 5 minutes. Customer
            reports: Correlate within 15 minutes. Internal discovery: Declare
            immediately if criteria met." The guide sets no time for external
            notifications.
        customer_reports_within: "Multiple tickets with same pattern within
            30 minutes".
        customer_reports_at_least: How many tickets make "multiple".
    """

    responses: tuple[DetectionResponse, ...] = (
        DetectionResponse(
            source=DetectionSource.AUTOMATED_ALERT, duty=DetectionDuty.ACKNOWLEDGE, within=_minutes(5)
        ),
        DetectionResponse(
            source=DetectionSource.CUSTOMER_REPORTS, duty=DetectionDuty.CORRELATE, within=_minutes(15)
        ),
        DetectionResponse(
            source=DetectionSource.INTERNAL_DISCOVERY, duty=DetectionDuty.DECLARE, within=timedelta(0)
        ),
    )
    customer_reports_within: timedelta = _minutes(30)
    customer_reports_at_least: int = 2

    def __attrs_post_init__(self) -> None:
        check = Checker()
        seen: set[DetectionSource] = set()
        for path, response in check.items_of("responses", self.responses, DetectionResponse, non_empty=False):
            if response.source in seen:
                check.fail(f"{path}.source", f"{response.source.value!r} has two responses")
            seen.add(response.source)
        check.duration("customer_reports_within", self.customer_reports_within)
        check.count("customer_reports_at_least", self.customer_reports_at_least, at_least=2)
        check.done()

    def response_to(self, source: DetectionSource) -> DetectionResponse | None:
        """The response owed to *source*, or ``None`` if the policy sets none."""
        for response in self.responses:
            if response.source is source:
                return response
        return None


# --- Communication -----------------------------------------------------------


@attrs.frozen(kw_only=True)
class StatusPage:
    """Guide, "External Communication", status page updates.

    Attributes:
        first_update_within: "First update: Within 10 minutes of declaration".
        subsequent_match_internal: "Subsequent updates: Match internal frequency".
        final_update_on_resolve: "Final update: When resolved, with summary".
    """

    first_update_within: timedelta = _minutes(10)
    subsequent_match_internal: bool = True
    final_update_on_resolve: bool = True

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.duration("first_update_within", self.first_update_within)
        check.flag("subsequent_match_internal", self.subsequent_match_internal)
        check.flag("final_update_on_resolve", self.final_update_on_resolve)
        check.done()


@attrs.frozen(kw_only=True)
class CustomerCommunication:
    """Guide, "External Communication", customer communication.

    Attributes:
        enterprise_email_for: "Enterprise customers: Direct email for SEV1/2
            affecting them".
        status_page_for_all_customers: "All customers: Status page for any SEV1".
        direct_outreach_when_scope_known: "Specific customers: Direct outreach
            if we know impact scope".
    """

    enterprise_email_for: tuple[Severity, ...] = (Severity.SEV1, Severity.SEV2)
    status_page_for_all_customers: tuple[Severity, ...] = (Severity.SEV1,)
    direct_outreach_when_scope_known: bool = True

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.members("enterprise_email_for", self.enterprise_email_for, Severity, non_empty=False)
        check.members(
            "status_page_for_all_customers", self.status_page_for_all_customers, Severity, non_empty=False
        )
        check.flag("direct_outreach_when_scope_known", self.direct_outreach_when_scope_known)
        check.done()


#: The private and local address ranges: RFC 1918, loopback and link-local for
#: IPv4; loopback, unique local (RFC 4193) and link-local for IPv6.
_PRIVATE_NETWORKS = (
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "::1/128",
    "fc00::/7",
    "fe80::/10",
)


@attrs.frozen(kw_only=True)
class ExternalCommunication:
    """Guide, "External Communication": what a status page or customer message says, and must not.

    The guide's two lists, as the words and names a linter
    (:func:`~incident_process.lint_external`) looks for. Every phrase is
    matched as a whole word or words, ignoring case, Unicode look-alikes
    (fullwidth letters) and invisible characters, so each is written here as
    it is matched: in lower case with single spaces (a space also matches a
    line break, a hyphen also matches a space).

    "What NOT to communicate externally":

    Attributes:
        internal_domains: "Internal URLs or system names": the company's
            internal domains (``"corp.example.com"``); the domain itself and
            every subdomain are internal. Company-specific, so none by default.
        internal_suffixes: "Internal URLs or system names": host names ending
            in one of these labels are internal (``db1.internal``,
            ``printer.local``, ``wiki.corp``).
        private_networks: "Internal URLs or system names": addresses in these
            networks are internal (the private, loopback and link-local ranges
            of IPv4 and IPv6).
        internal_systems: "Internal URLs or system names" and "Technical
            implementation details": names of internal systems and metrics.
            By default the metrics of the guide's "Runbooks for Specific
            Systems"; an underscore also matches a hyphen, a dot or a space.
        blame_phrases: "Blame or speculation": words that blame, wherever
            they appear.
        people: Words that name a person (roles, pronouns, and any names a
            company adds), for blame that names a person as the cause.
        cause_phrases: "Blame or speculation": words that attribute a cause
            to what follows; blame when a person follows in the same clause,
            at most four words later ("caused by one of our engineers").
        blame_actions: "Blame or speculation": what a person did wrong; blame
            when a person is named just before ("an engineer accidentally").
        speculation_phrases: "Blame or speculation": words that guess.
        fix_phrases: "Specific fix timelines until confident": words about
            the fix; a specific time in the same sentence makes a fix timeline
            ("resolved by 5pm"). A time after an update phrase is the time of
            the next update, which the guide asks for.

    "What to communicate externally" ("Workarounds if available" is optional,
    so nothing is required for it):

    Attributes:
        acknowledgement_phrases: "That we are aware of the issue".
        functionality_phrases: "What functionality is affected": words that
            say something is broken or slow.
        next_update_phrases: "Expected time to next update": words that
            announce the next update; a time must be in the same sentence.
    """

    internal_domains: tuple[str, ...] = ()
    internal_suffixes: tuple[str, ...] = ("internal", "local", "corp", "localhost")
    private_networks: tuple[str, ...] = _PRIVATE_NETWORKS
    internal_systems: tuple[str, ...] = (
        "api_gateway_error_rate",
        "api_gateway_latency_p95",
        "db_connection_pool_utilization",
        "db_query_latency_p95",
        "queue_depth",
        "job_failure_rate",
    )
    blame_phrases: tuple[str, ...] = (
        "blame",
        "blamed",
        "to blame",
        "at fault",
        "fault of",
        "'s fault",
        "'s mistake",
        "mistake by",
        "mistake made by",
        "human error",
        "operator error",
        "user error",
        "negligence",
        "negligent",
        "careless",
        "carelessness",
        "incompetence",
        "incompetent",
        "dropped the ball",
    )
    people: tuple[str, ...] = (
        "engineer",
        "developer",
        "employee",
        "administrator",
        "sysadmin",
        "intern",
        "contractor",
        "colleague",
        "team member",
        "staff member",
        "member of staff",
        "technician",
        "someone",
        "somebody",
        "he",
        "she",
        "him",
        "his",
        "her",
    )
    cause_phrases: tuple[str, ...] = (
        "caused by",
        "due to",
        "because of",
        "triggered by",
        "introduced by",
        "broken by",
    )
    blame_actions: tuple[str, ...] = (
        "caused",
        "broke",
        "accidentally",
        "mistakenly",
        "inadvertently",
        "forgot",
        "failed to",
        "neglected",
        "misconfigured",
        "messed up",
        "screwed up",
    )
    speculation_phrases: tuple[str, ...] = (
        "we think",
        "we believe",
        "we suspect",
        "we assume",
        "we guess",
        "our guess",
        "our theory",
        "probably",
        "possibly",
        "presumably",
        "perhaps",
        "maybe",
        "most likely",
        "likely caused",
        "likely due to",
        "likely related",
        "might be caused",
        "might be due to",
        "might be related",
        "may be caused",
        "may be due to",
        "may be related",
        "could be caused",
        "could be due to",
        "could be related",
        "seems to be caused",
        "appears to be caused",
        "it is possible that",
        "it's possible that",
        "speculate",
        "suspected",
    )
    fix_phrases: tuple[str, ...] = (
        "fix",
        "fixed",
        "fixing",
        "resolve",
        "resolved",
        "resolving",
        "resolution",
        "restore",
        "restored",
        "restoring",
        "recover",
        "recovered",
        "recovery",
        "repair",
        "repaired",
        "patch",
        "patched",
        "mitigate",
        "mitigated",
        "back online",
        "back up",
        "back to normal",
        "working again",
        "available again",
        "operational again",
    )
    acknowledgement_phrases: tuple[str, ...] = (
        "we are aware",
        "we're aware",
        "aware of",
        "we are investigating",
        "we're investigating",
        "investigating",
        "we are looking into",
        "we're looking into",
        "we have identified",
        "we've identified",
        "we are working on",
        "we're working on",
        "we are experiencing",
        "we're experiencing",
    )
    functionality_phrases: tuple[str, ...] = (
        "unavailable",
        "degraded",
        "degradation",
        "error",
        "errors",
        "fail",
        "fails",
        "failed",
        "failing",
        "failure",
        "failures",
        "broken",
        "offline",
        "not available",
        "affected",
        "affecting",
        "impacted",
        "impacting",
        "slow",
        "slower",
        "slowness",
        "delayed",
        "delays",
        "outage",
        "down",
        "disrupted",
        "disruption",
        "interruption",
        "intermittent",
        "timeouts",
        "timing out",
        "unable to",
        "cannot",
        "can't",
        "not working",
        "not loading",
        "inaccessible",
    )
    next_update_phrases: tuple[str, ...] = (
        "next update",
        "further update",
        "another update",
        "provide an update",
        "post an update",
        "send an update",
        "update this page",
        "update you",
    )

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.host_names("internal_domains", self.internal_domains, non_empty=False)
        check.host_names("internal_suffixes", self.internal_suffixes, non_empty=False)
        check.networks("private_networks", self.private_networks, known=frozenset(_PRIVATE_NETWORKS))
        for name in (
            "internal_systems",
            "blame_phrases",
            "people",
            "cause_phrases",
            "blame_actions",
            "speculation_phrases",
            "fix_phrases",
        ):
            check.phrases(name, getattr(self, name), non_empty=False)
        for name in ("acknowledgement_phrases", "functionality_phrases", "next_update_phrases"):
            check.phrases(name, getattr(self, name))
        check.done()


@attrs.frozen(kw_only=True)
class Communication:
    """Guide, "Communication Guidelines".

    Attributes:
        update_cadence: "Frequency by severity: SEV1: Every 15 minutes
            minimum. SEV2: Every 30 minutes minimum. SEV3: Every hour or at
            significant changes." A more severe incident is never updated
            less often than a less severe one.
        stakeholders: "Stakeholders to notify" per severity.
        status_page: Status page timing.
        customers: Who is told directly.
        external: What external messages say, and must not say.
    """

    update_cadence: PerSeverity[timedelta] = PerSeverity(
        sev1=_minutes(15), sev2=_minutes(30), sev3=_minutes(60)
    )
    stakeholders: PerSeverity[tuple[str, ...]] = PerSeverity(
        sev1=("All engineering", "Support", "Leadership", "Customer success"),
        sev2=("On-call team", "Support lead", "Affected team lead"),
        sev3=("On-call team", "Relevant squad"),
    )
    status_page: StatusPage = StatusPage()
    customers: CustomerCommunication = CustomerCommunication()
    external: ExternalCommunication = ExternalCommunication()

    def __attrs_post_init__(self) -> None:
        check = Checker()
        cadence = self.update_cadence
        if check.instance("update_cadence", cadence, PerSeverity):
            valid = [
                (severity, value)
                for path, severity, value in _each("update_cadence", cadence)
                if check.duration(path, value) and isinstance(value, timedelta)
            ]
            for severity, value in valid:
                faster = [
                    f"{other.value}'s ({_show_span(other_value)})"
                    for other, other_value in valid
                    if severity > other and value > other_value
                ]
                if faster:
                    check.fail(
                        f"update_cadence.{severity.value}",
                        f"{severity.value} cadence ({_show_span(value)}) is longer than "
                        f"{' and '.join(faster)}: a more severe incident must be updated "
                        "at least as often",
                    )
        if check.instance("stakeholders", self.stakeholders, PerSeverity):
            for path, _, names in _each("stakeholders", self.stakeholders):
                check.texts(path, names)
        check.instance("status_page", self.status_page, StatusPage)
        check.instance("customers", self.customers, CustomerCommunication)
        check.instance("external", self.external, ExternalCommunication)
        check.done()


def _show_span(value: object) -> str:
    from ._durations import format_duration

    return format_duration(value) if isinstance(value, timedelta) else repr(value)


# --- Resolution and post-incident --------------------------------------------


@attrs.frozen(kw_only=True)
class Resolution:
    """Guide, "4. Resolution".

    Attributes:
        quiet_period: "No new error reports for 15 minutes (SEV1/2) or 30
            minutes (SEV3)".
        archive_channel_after: "Close incident channel (archive after 24h)".
        checklist: "Resolution checklist", its five steps in order.
        enforce_checklist: Whether closing is refused while a step required
            before it is open (``False``: reported by audits).
    """

    quiet_period: PerSeverity[timedelta] = PerSeverity(
        sev1=_minutes(15), sev2=_minutes(15), sev3=_minutes(30)
    )
    archive_channel_after: timedelta = timedelta(hours=24)
    checklist: tuple[ChecklistStep, ...] = RESOLUTION_CHECKLIST
    enforce_checklist: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        if check.instance("quiet_period", self.quiet_period, PerSeverity):
            for path, _, value in _each("quiet_period", self.quiet_period):
                check.duration(path, value)
        check.duration("archive_channel_after", self.archive_channel_after)
        check.keyed("checklist", self.checklist, ChecklistStep, "id")
        check.flag("enforce_checklist", self.enforce_checklist)
        check.done()


@attrs.frozen(kw_only=True)
class AgendaItem:
    """One item of the review meeting's agenda.

    Attributes:
        topic: What is discussed.
        duration: For how long.
    """

    topic: str
    duration: timedelta

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.text("topic", self.topic)
        check.duration("duration", self.duration)
        check.done()


@attrs.frozen(kw_only=True)
class ReviewMeeting:
    """Guide, "Post-Incident Review Process": Format and Agenda.

    Attributes:
        min_duration: "Duration: 30-60 minutes" (the low end).
        max_duration: ... (the high end); the agenda must fit in it.
        agenda: "Timeline reconstruction (10 min), Root cause analysis (15
            min), What went well (5 min), What could be improved (10 min),
            Action items (10 min)".
        required_attendees: "Attendees: IC, Technical Lead, ...".
        other_attendees: "... relevant engineers, support if involved".
        facilitator_uninvolved: "Facilitator: Rotating, not someone involved
            in incident".
    """

    min_duration: timedelta = _minutes(30)
    max_duration: timedelta = _minutes(60)
    agenda: tuple[AgendaItem, ...] = (
        AgendaItem(topic="Timeline reconstruction", duration=_minutes(10)),
        AgendaItem(topic="Root cause analysis", duration=_minutes(15)),
        AgendaItem(topic="What went well", duration=_minutes(5)),
        AgendaItem(topic="What could be improved", duration=_minutes(10)),
        AgendaItem(topic="Action items", duration=_minutes(10)),
    )
    required_attendees: tuple[Role, ...] = (Role.INCIDENT_COMMANDER, Role.TECHNICAL_LEAD)
    other_attendees: tuple[str, ...] = ("Relevant engineers", "Support, if involved")
    facilitator_uninvolved: bool = True

    def __attrs_post_init__(self) -> None:
        check = Checker()
        shortest = check.duration("min_duration", self.min_duration)
        longest = check.duration("max_duration", self.max_duration)
        if shortest and longest and self.min_duration > self.max_duration:
            check.fail("min_duration", "must not be longer than max_duration")
        before = len(check.problems)
        items = list(check.items_of("agenda", self.agenda, AgendaItem))
        total = sum((item.duration for _, item in items), timedelta(0))
        if longest and len(check.problems) == before and total > self.max_duration:
            check.fail(
                "agenda",
                f"takes {_show_span(total)}, longer than max_duration ({_show_span(self.max_duration)})",
            )
        check.members("required_attendees", self.required_attendees, Role, non_empty=False)
        check.texts("other_attendees", self.other_attendees, non_empty=False)
        check.flag("facilitator_uninvolved", self.facilitator_uninvolved)
        check.done()

    @property
    def agenda_duration(self) -> timedelta:
        """The agenda's total time."""
        return sum((item.duration for item in self.agenda), timedelta(0))


@attrs.frozen(kw_only=True)
class PostIncidentDocument:
    """Guide, "Post-Incident Document": its required shape.

    Attributes:
        sections: "Summary, Impact, Timeline, Root Cause, Resolution,
            Lessons Learned, Action Items", in this order.
        impact_fields: "Duration, Customers affected, Errors generated".
        optional_impact_fields: "Revenue impact: [if applicable]".
        lessons_learned: "What went well, What could be improved".
        action_item_columns: "Action | Owner | Due Date | Status".
    """

    sections: tuple[str, ...] = (
        "Summary",
        "Impact",
        "Timeline",
        "Root Cause",
        "Resolution",
        "Lessons Learned",
        "Action Items",
    )
    impact_fields: tuple[str, ...] = ("Duration", "Customers affected", "Errors generated")
    optional_impact_fields: tuple[str, ...] = ("Revenue impact",)
    lessons_learned: tuple[str, ...] = ("What went well", "What could be improved")
    action_item_columns: tuple[str, ...] = ("Action", "Owner", "Due Date", "Status")

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.texts("sections", self.sections)
        check.texts("impact_fields", self.impact_fields)
        check.texts("optional_impact_fields", self.optional_impact_fields, non_empty=False)
        check.texts("lessons_learned", self.lessons_learned, non_empty=False)
        check.texts("action_item_columns", self.action_item_columns)
        check.done()


@attrs.frozen(kw_only=True)
class PostIncident:
    """Guide, "5. Post-Incident".

    Attributes:
        required_for: "Required for all SEV1 and SEV2 incidents. Optional for SEV3."
        review_within: "Post-incident review: Within 3 business days".
        document_within: "Post-incident document: Within 5 business days".
        review: The review meeting.
        document: The document's required shape.
    """

    required_for: tuple[Severity, ...] = (Severity.SEV1, Severity.SEV2)
    review_within: BusinessDays = BusinessDays(3)
    document_within: BusinessDays = BusinessDays(5)
    review: ReviewMeeting = ReviewMeeting()
    document: PostIncidentDocument = PostIncidentDocument()

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.members("required_for", self.required_for, Severity, non_empty=False)
        check.business_days("review_within", self.review_within)
        check.business_days("document_within", self.document_within)
        check.instance("review", self.review, ReviewMeeting)
        check.instance("document", self.document, PostIncidentDocument)
        check.done()


# --- Escalation --------------------------------------------------------------


@attrs.frozen(kw_only=True)
class EscalationLevel:
    """One step of the escalation path.

    Attributes:
        who: Who is escalated to.
        window: How long this level has before the next is called; ``None``
            only for the last level (no further escalation).
        severities: The severities this level applies to.
    """

    who: str
    window: timedelta | None = None
    severities: tuple[Severity, ...] = (Severity.SEV1, Severity.SEV2, Severity.SEV3)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.text("who", self.who)
        if self.window is not None:
            check.duration("window", self.window)
        check.members("severities", self.severities, Severity)
        check.done()


@attrs.frozen(kw_only=True)
class Escalation:
    """Guide, "Escalation Path", one level after another.

    "On-call Engineer (5 min) → On-call Lead (15 min) → Engineering Manager
    (30 min) → VP Engineering (SEV1 only)". Each level's window starts when
    the previous level's ends.

    Attributes:
        levels: The path, first level first.
    """

    levels: tuple[EscalationLevel, ...] = (
        EscalationLevel(who="On-call Engineer", window=_minutes(5)),
        EscalationLevel(who="On-call Lead", window=_minutes(15)),
        EscalationLevel(who="Engineering Manager", window=_minutes(30)),
        EscalationLevel(who="VP Engineering", severities=(Severity.SEV1,)),
    )

    def __attrs_post_init__(self) -> None:
        check = Checker()
        levels = list(check.items_of("levels", self.levels, EscalationLevel))
        for path, level in levels[:-1]:
            if level.window is None:
                check.fail(f"{path}.window", "only the last level may have no window")
        check.done()

    def path_for(self, severity: Severity | None) -> tuple[EscalationLevel, ...]:
        """The levels an incident of *severity* escalates through.

        Before a severity is set, the levels that apply to every severity
        (not VP Engineering, which is SEV1 only).
        """
        if severity is None:
            return tuple(level for level in self.levels if set(level.severities) == set(Severity))
        return tuple(level for level in self.levels if severity in level.severities)

    def next_level(self, severity: Severity | None, escalated_to: Sequence[str]) -> EscalationLevel | None:
        """The level after the highest of *escalated_to* on the path for *severity*, past its first."""
        path = self.path_for(severity)
        reached = [index for index, level in enumerate(path) if level.who in escalated_to]
        position = max(reached, default=0) + 1
        return path[position] if position < len(path) else None


# --- Metrics and Thresholds --------------------------------------------------


class Direction(enum.Enum):
    """Which side of a threshold is bad."""

    ABOVE = "above"
    BELOW = "below"


@attrs.frozen(kw_only=True)
class AlertMetric:
    """What an alerting metric measures: fixed by the metric, not by the policy.

    Attributes:
        title: The guide's name for the metric.
        direction: Whether values above or below the thresholds alert.
        unit: ``"fraction"`` (0.05 is 5%) or ``"x baseline"``.
    """

    title: str
    direction: Direction
    unit: str


#: The guide's "Alerting Thresholds" metrics, by the name the policy uses.
ALERT_METRICS: Mapping[str, AlertMetric] = {
    "error_rate": AlertMetric(title="Error rate", direction=Direction.ABOVE, unit="fraction"),
    "p95_latency": AlertMetric(title="P95 latency", direction=Direction.ABOVE, unit="x baseline"),
    "availability": AlertMetric(title="Availability", direction=Direction.BELOW, unit="fraction"),
    "db_connections": AlertMetric(
        title="Database connections", direction=Direction.ABOVE, unit="fraction of pool"
    ),
}


@attrs.frozen(kw_only=True)
class AlertThreshold:
    """A warning and a critical (page) threshold; comparisons strict.

    Attributes:
        warning: Warn beyond this.
        critical: Page beyond this.
    """

    warning: float
    critical: float

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.number("warning", self.warning)
        check.number("critical", self.critical)
        check.done()


@attrs.frozen(kw_only=True)
class Alerting:
    """Guide, "Alerting Thresholds".

    Attributes:
        error_rate: ">1%" warning, ">5%" critical.
        p95_latency: ">2x baseline" warning, ">3x baseline" critical.
        availability: "<99.5%" warning, "<99%" critical.
        db_connections: ">70% pool" warning, ">90% pool" critical.
    """

    error_rate: AlertThreshold = AlertThreshold(warning=0.01, critical=0.05)
    p95_latency: AlertThreshold = AlertThreshold(warning=2.0, critical=3.0)
    availability: AlertThreshold = AlertThreshold(warning=0.995, critical=0.99)
    db_connections: AlertThreshold = AlertThreshold(warning=0.70, critical=0.90)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        for name, metric in ALERT_METRICS.items():
            threshold = getattr(self, name)
            if not check.instance(name, threshold, AlertThreshold):
                continue
            if metric.unit != "x baseline":
                check.fraction(f"{name}.warning", threshold.warning)
                check.fraction(f"{name}.critical", threshold.critical)
            if metric.direction is Direction.ABOVE and threshold.warning >= threshold.critical:
                check.fail(
                    f"{name}.warning",
                    f"must be below critical ({threshold.critical!r}), got {threshold.warning!r}",
                )
            if metric.direction is Direction.BELOW and threshold.warning <= threshold.critical:
                check.fail(
                    f"{name}.warning",
                    f"must be above critical ({threshold.critical!r}) for a metric that alerts "
                    f"when it falls, got {threshold.warning!r}",
                )
        check.done()

    def __getitem__(self, metric: str) -> AlertThreshold:
        if metric not in ALERT_METRICS:
            known = ", ".join(map(repr, ALERT_METRICS))
            msg = f"unknown alerting metric {metric!r}; expected one of {known}"
            raise UnknownMetricError(msg)
        threshold: AlertThreshold = getattr(self, metric)
        return threshold


class SloWindow(enum.Enum):
    """An SLO's measurement window, in the policy's time zone."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


@attrs.frozen(kw_only=True)
class SloMetric:
    """What an SLO measures: fixed by the SLO, not by the policy.

    Attributes:
        service: The guide's name for the service.
        direction: ``ABOVE``: the target is a floor ("99.9%");
            ``BELOW``: the target is a ceiling ("<500ms").
        unit: ``"fraction"`` or ``"ms"``.
    """

    service: str
    direction: Direction
    unit: str


#: The guide's SLOs, by the name the policy uses.
SLO_METRICS: Mapping[str, SloMetric] = {
    "api_availability": SloMetric(service="API Availability", direction=Direction.ABOVE, unit="fraction"),
    "api_latency_p95": SloMetric(service="API Latency P95", direction=Direction.BELOW, unit="ms"),
    "error_rate": SloMetric(service="Error Rate", direction=Direction.BELOW, unit="fraction"),
}


@attrs.frozen(kw_only=True)
class Slo:
    """A service level objective.

    Attributes:
        target: The objective (a fraction, or milliseconds for latency).
        window: Over which calendar window it is measured.
    """

    target: float
    window: SloWindow

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.number("target", self.target)
        check.member("window", self.window, SloWindow)
        check.done()


@attrs.frozen(kw_only=True)
class Slos:
    """Guide, "SLOs".

    Attributes:
        api_availability: "99.9%", monthly.
        api_latency_p95: "<500ms", weekly.
        error_rate: "<0.1%", daily.
    """

    api_availability: Slo = Slo(target=0.999, window=SloWindow.MONTHLY)
    api_latency_p95: Slo = Slo(target=500.0, window=SloWindow.WEEKLY)
    error_rate: Slo = Slo(target=0.001, window=SloWindow.DAILY)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        for name, metric in SLO_METRICS.items():
            slo = getattr(self, name)
            if check.instance(name, slo, Slo) and metric.unit == "fraction":
                check.fraction(f"{name}.target", slo.target)
        check.done()


# --- Integrations ------------------------------------------------------------

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


def _one_of(check: Checker, path: str, value: object, allowed: tuple[str, ...]) -> None:
    if check.text(path, value) and value not in allowed:
        check.fail(path, f"expected one of {', '.join(map(repr, allowed))}, got {value!r}")


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
                for path, _, value in _each(field, values):
                    _one_of(check, path, value, allowed)
        for field in ("investigating", "identified", "mitigating"):
            _one_of(check, field, getattr(self, field), STATUSPAGE_STATUSES[:-1])
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


@attrs.frozen(kw_only=True)
class QuarterlyReview:
    """Guide, "Quarterly Review": "Every quarter, review: ...".

    Attributes:
        metrics: The six metrics, in the guide's order.
    """

    metrics: tuple[QuarterlyMetric, ...] = tuple(QuarterlyMetric)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.members("metrics", self.metrics, QuarterlyMetric)
        check.done()


# --- Business days -----------------------------------------------------------


@attrs.frozen(kw_only=True)
class CalendarSettings:
    """Which days are business days, for "within N business days" (guide, "5. Post-Incident").

    The zone is the policy's ``zone``.

    Attributes:
        country: The `holidays` country code whose public holidays are closed
            (``None``: none; the guide names no country).
        subdivision: The state or region within the country, if any.
        weekdays: The working weekdays, 0 for Monday to 6 for Sunday.
        closed: Further closed dates.
    """

    country: str | None = None
    subdivision: str | None = None
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    closed: tuple[date, ...] = ()

    def __attrs_post_init__(self) -> None:
        check = Checker()
        for path, day in check.items("weekdays", self.weekdays):
            if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
                check.fail(path, f"expected a weekday number, 0 (Monday) to 6 (Sunday), got {day!r}")
        for path, day in check.items("closed", self.closed, non_empty=False):
            if isinstance(day, datetime) or not isinstance(day, date):
                check.fail(path, f"expected a date like 2026-12-24, got {day!r}")
        if self.subdivision is not None and self.country is None:
            check.fail("subdivision", "needs a country")
        elif self.country is not None and check.text("country", self.country):
            from ._calendar import BusinessCalendar
            from ._errors import CalendarError

            try:
                BusinessCalendar("UTC", country=self.country, subdivision=self.subdivision)
            except CalendarError as error:
                where, _, message = str(error).partition(": ")
                check.fail(where, message)
        check.done()


# --- The policy --------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Policy:
    """Every number and table of the incident-response guide, as one value.

    ``Policy()`` is the guide exactly (:data:`DEFAULT_POLICY`). Change a
    number with :func:`attrs.evolve` or a TOML file read by
    :func:`~incident_process.load_policy`.

    Attributes:
        zone: The IANA time zone in which local dates and business days are
            reckoned (the guide names none; the default is ``"UTC"``).
        criteria: "Incident Criteria".
        exclusions: "What Is NOT an Incident".
        severities: "Incident Severity Levels", one row per severity.
        classification: The rules that assign a severity to impact facts,
            from the severity table's criteria and examples.
        roles: "Roles During Incident": requirements per severity.
        declaration: "2. Declaration".
        detection: "1. Detection".
        communication: "Communication Guidelines".
        resolution: "4. Resolution".
        post_incident: "5. Post-Incident" and "Post-Incident Review Process".
        escalation: "Escalation Path".
        alerting: "Alerting Thresholds".
        slos: "SLOs".
        quarterly_review: "Quarterly Review".
        calendar: What counts as a business day, in ``zone``.
        integrations: How alerts, metrics and status pages of other tools map
            onto the guide's terms (the guide names no formats).
        response: "3. Response": response priorities and decision framework.
        on_call: "On-Call Responsibilities" and "Tools and Access".
    """

    zone: str = "UTC"
    criteria: IncidentCriteria = IncidentCriteria()
    exclusions: Exclusions = Exclusions()
    severities: PerSeverity[SeverityDefinition] = _DEFAULT_SEVERITIES
    classification: tuple[SeverityRule, ...] = _DEFAULT_CLASSIFICATION
    roles: PerSeverity[RoleRequirements] = _DEFAULT_ROLES
    declaration: Declaration = Declaration()
    detection: Detection = Detection()
    communication: Communication = Communication()
    resolution: Resolution = Resolution()
    post_incident: PostIncident = PostIncident()
    escalation: Escalation = Escalation()
    alerting: Alerting = Alerting()
    slos: Slos = Slos()
    quarterly_review: QuarterlyReview = QuarterlyReview()
    calendar: CalendarSettings = CalendarSettings()
    integrations: Integrations = Integrations()
    response: Response = Response()
    on_call: OnCall = OnCall()

    def __attrs_post_init__(self) -> None:
        check = Checker()
        if check.text("zone", self.zone):
            from ._calendar import zone_problem

            problem = zone_problem(self.zone)
            if problem is not None:
                check.fail("zone", problem)
        for name, kind in _GROUPS.items():
            check.instance(name, getattr(self, name), kind)
        for field, kind in (("severities", SeverityDefinition), ("roles", RoleRequirements)):
            values = getattr(self, field)
            if check.instance(field, values, PerSeverity):
                for path, _, value in _each(field, values):
                    check.instance(path, value, kind)
        for path, rule in check.items("classification", self.classification):
            check.instance(path, rule, SeverityRule)
        check.done()

    def business_calendar(self) -> BusinessCalendar:
        """The business calendar of this policy: its zone and its calendar settings."""
        return _business_calendar(self.zone, self.calendar)


#: The policy's plain groups, by field name (the per-severity tables and the
#: classification rules are checked on their own above).
_GROUPS: Mapping[str, type] = {
    field.name: field.type
    for field in attrs.fields(attrs.resolve_types(Policy))
    if isinstance(field.type, type) and attrs.has(field.type)
}


@functools.lru_cache(maxsize=64)
def _business_calendar(zone: str, settings: CalendarSettings) -> BusinessCalendar:
    from ._calendar import BusinessCalendar

    return BusinessCalendar(
        zone,
        country=settings.country,
        subdivision=settings.subdivision,
        weekdays=settings.weekdays,
        closed=settings.closed,
    )


#: The guide, exactly.
DEFAULT_POLICY = Policy()
