"""Guide, "Communication Guidelines": update cadences, stakeholders, the status page, customers.

"Internal Communication" (the cadence per severity and who to notify),
"External Communication" (status page timing, who is told directly) and
"What to communicate externally" / "What NOT to communicate externally" as
the words and names :func:`incident_process.comms.lint_external` looks for.
"""

from __future__ import annotations

from datetime import timedelta

import attrs

from incident_process.vocabulary import Severity

from ._checks import Checker, show_span
from ._per_severity import PerSeverity, each

__all__ = [
    "Communication",
    "CustomerCommunication",
    "ExternalCommunication",
    "StatusPage",
]


@attrs.frozen(kw_only=True)
class StatusPage:
    """Guide, "External Communication", status page updates.

    Attributes:
        first_update_within: "First update: Within 10 minutes of declaration".
        subsequent_match_internal: "Subsequent updates: Match internal frequency".
        final_update_on_resolve: "Final update: When resolved, with summary".
    """

    first_update_within: timedelta = timedelta(minutes=10)
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
        "laziness",
        "sloppy",
        "sloppiness",
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
        "forget",
        "forgets",
        "misjudged",
        "misjudge",
        "overlooked",
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
        "suspecting",
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
        "stabilize",
        "stabilise",
        "steady state",
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
        "investigation",
        "monitoring",
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
        "unreachable",
        "not be able to",
        "not able to",
        "lost access",
        "issues with",
        "problems with",
        "disruptions",
        "downtime",
        "delay",
        "queued",
        "stuck",
        "stopped",
        "disabled",
        "refused",
        "overload",
        "overloaded",
        "latency",
        "latencies",
        "response time",
        "response times",
        "error rate",
        "error rates",
        "back online",
        "back to normal",
        "performing as expected",
        "again",
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
        sev1=timedelta(minutes=15), sev2=timedelta(minutes=30), sev3=timedelta(minutes=60)
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
                for path, severity, value in each("update_cadence", cadence)
                if check.duration(path, value) and isinstance(value, timedelta)
            ]
            for severity, value in valid:
                faster = [
                    f"{other.value}'s ({show_span(other_value)})"
                    for other, other_value in valid
                    if severity > other and value > other_value
                ]
                if faster:
                    check.fail(
                        f"update_cadence.{severity.value}",
                        f"{severity.value} cadence ({show_span(value)}) is longer than "
                        f"{' and '.join(faster)}: a more severe incident must be updated "
                        "at least as often",
                    )
        if check.instance("stakeholders", self.stakeholders, PerSeverity):
            for path, _, names in each("stakeholders", self.stakeholders):
                check.texts(path, names)
        check.instance("status_page", self.status_page, StatusPage)
        check.instance("customers", self.customers, CustomerCommunication)
        check.instance("external", self.external, ExternalCommunication)
        check.done()
