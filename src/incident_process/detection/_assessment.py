"""Is this an incident, and how bad? Criteria, exclusions and a suggested severity, with evidence.

Guide, "Incident Criteria": an incident is declared when ANY of these occur
(error rate, latency, data, security, dependency, customer impact); "What Is
NOT an Incident" lists the exclusions. :func:`assess` reads the policy's
numbers and returns every criterion met with its evidence, every exclusion
that applied, and a severity suggested by :func:`classify_severity`.

How exclusions combine with criteria (the guide lists both, and says nothing
of how they meet): the data and security criteria are never excluded; the
metric criteria (error rate, latency, dependency) are excluded by a known
issue with a documented workaround, or by planned maintenance still within
its window; the customer-report criteria are excluded by a known issue, or
when the reports come from a single customer's configuration. The sporadic
errors and degradation-within-bounds exclusions are reported when the
metrics show them (errors below 0.1%, latency above normal but within the
incident threshold), since then no metric criterion is met anyway.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import attrs

from incident_process._arguments import check_type
from incident_process.errors import DetectionError, SeverityError
from incident_process.policy import DEFAULT_POLICY, Policy
from incident_process.timing._moments import aware, utc
from incident_process.vocabulary import ImpactFlag, Severity

from ._classification import Impact, classify_severity
from ._thresholds import sustained_breaches

__all__ = ["Assessment", "CriterionMet", "EndpointMetrics", "Signals", "assess"]

Samples = tuple[tuple[datetime, float], ...]


def _samples(value: Iterable[tuple[datetime, float]] | None) -> Samples:
    return tuple(value) if value is not None else ()


@attrs.frozen(kw_only=True)
class EndpointMetrics:
    """What monitoring shows for one endpoint.

    Attributes:
        endpoint: Its name.
        critical: Whether it is a critical endpoint (the error-rate criterion
            is about critical endpoints).
        error_rate: ``(time, fraction)`` samples in time order (0.05 is 5%).
        p95_latency: ``(time, milliseconds)`` samples in time order.
        p95_baseline: The normal P95 latency in milliseconds.
    """

    endpoint: str
    critical: bool = True
    error_rate: Samples = attrs.field(default=(), converter=_samples)
    p95_latency: Samples = attrs.field(default=(), converter=_samples)
    p95_baseline: float | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.endpoint, str) or not self.endpoint:  # issue 19, defect 10
            msg = f"EndpointMetrics.endpoint: expected non-empty text, got {self.endpoint!r}"
            raise DetectionError(msg)
        where = f"EndpointMetrics({self.endpoint})"
        for index, (_, value) in enumerate(self.error_rate):
            if not _real(value) or not 0.0 <= value <= 1.0:
                msg = (
                    f"{where}.error_rate[{index}]: expected a fraction from 0 to 1 (0.05 is 5%), got {value}"
                )
                raise DetectionError(msg)
        for index, (_, value) in enumerate(self.p95_latency):
            if not _real(value) or value < 0:
                msg = f"{where}.p95_latency[{index}]: expected milliseconds, at least 0, got {value!r}"
                raise DetectionError(msg)
        if self.p95_latency and (not _real(self.p95_baseline) or self.p95_baseline <= 0):  # type: ignore[operator]
            msg = (
                f"{where}.p95_baseline: latency samples need a baseline above 0 ms, got {self.p95_baseline!r}"
            )
            raise DetectionError(msg)


@attrs.frozen(kw_only=True)
class Signals:
    """Everything known when deciding whether something is an incident.

    Attributes:
        at: When the assessment is made.
        endpoints: Endpoint metrics.
        max_gap: A gap between samples longer than this breaks a run.
        suspected_data_corruption: "Any suspected data corruption".
        unauthorized_access: "... or unauthorized access".
        active_exploit: "Active exploit ...".
        vulnerability_disclosed: "... or vulnerability disclosure affecting us".
        critical_dependencies_down: "Critical upstream service (database,
            auth provider) down": the names of those down.
        enterprise_customers_reporting: How many enterprise customers report
            the same issue at the same time.
        ticket_times: When tickets with the same pattern arrived.
        single_customer_configuration: The issue is one customer's configuration.
        known_issue_with_workaround: It is a known issue with a documented workaround.
        maintenance_until: The end of planned maintenance under way, if any.
    """

    at: datetime
    endpoints: tuple[EndpointMetrics, ...] = ()
    max_gap: timedelta | None = None
    suspected_data_corruption: bool = False
    unauthorized_access: bool = False
    active_exploit: bool = False
    vulnerability_disclosed: bool = False
    critical_dependencies_down: tuple[str, ...] = ()
    enterprise_customers_reporting: int = 0
    ticket_times: tuple[datetime, ...] = ()
    single_customer_configuration: bool = False
    known_issue_with_workaround: bool = False
    maintenance_until: datetime | None = None

    def __attrs_post_init__(self) -> None:
        if isinstance(self.endpoints, str) or not isinstance(self.endpoints, Iterable):  # issue 19, defect 10
            msg = f"Signals.endpoints: expected EndpointMetrics values, got {type(self.endpoints).__name__}"
            raise DetectionError(msg)
        for index, endpoint in enumerate(self.endpoints):  # assess reads each one
            if not isinstance(endpoint, EndpointMetrics):
                msg = f"Signals.endpoints[{index}]: expected EndpointMetrics, got {type(endpoint).__name__}"
                raise DetectionError(msg)
        moments = [("at", self.at)] + [(f"ticket_times[{i}]", t) for i, t in enumerate(self.ticket_times)]
        if self.maintenance_until is not None:
            moments.append(("maintenance_until", self.maintenance_until))
        for name, moment in moments:
            aware(moment, f"Signals.{name}", DetectionError)
        reporting = self.enterprise_customers_reporting
        if isinstance(reporting, bool) or not isinstance(reporting, int) or reporting < 0:
            msg = f"Signals.enterprise_customers_reporting: expected a count, got {reporting!r}"
            raise DetectionError(msg)


@attrs.frozen(kw_only=True)
class CriterionMet:
    """A criterion of the guide that the signals meet.

    Attributes:
        criterion: ``"availability"``, ``"latency"``, ``"data"``,
            ``"security"``, ``"dependency"``, ``"customer_impact"`` or
            ``"customer_reports"``.
        evidence: What shows it.
        excluded_by: The exclusion that set it aside, if any.
    """

    criterion: str
    evidence: str
    excluded_by: str | None = None


@attrs.frozen(kw_only=True)
class Assessment:
    """The answer to "is this an incident, and how bad?".

    Attributes:
        is_incident: Whether any criterion is met and not set aside.
        criteria: Every criterion met, with its evidence.
        exclusions: Every exclusion that applied.
        severity: The suggested severity, if it is an incident.
        rationale: The reasoning, in words.
    """

    is_incident: bool
    criteria: tuple[CriterionMet, ...]
    exclusions: tuple[str, ...]
    severity: Severity | None
    rationale: str


_METRIC = frozenset({"availability", "latency", "dependency"})
_CUSTOMER = frozenset({"customer_impact", "customer_reports"})


def _real(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _percent(fraction: float) -> str:
    return f"{fraction * 100:g}%"


def _tickets_clustered(
    times: Sequence[datetime], within: timedelta, at_least: int
) -> tuple[datetime, int] | None:
    """The first window of *within* holding at least *at_least* tickets."""
    ordered = sorted(utc(moment) for moment in times)
    start = 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] > within:
            start += 1
        if end - start + 1 >= at_least:
            return ordered[start], end - start + 1
    return None


class _Findings:
    """What an assessment has found so far."""

    __slots__ = ("exclusions", "flags", "met", "worst_rate")

    def __init__(self) -> None:
        self.met: list[tuple[str, str]] = []
        self.exclusions: list[str] = []
        self.flags: set[ImpactFlag] = set()
        self.worst_rate: float | None = None

    def exclude(self, name: str) -> None:
        if name not in self.exclusions:
            self.exclusions.append(name)


def _availability(endpoint: EndpointMetrics, signals: Signals, policy: Policy, found: _Findings) -> None:
    """'Error rate >5% for any critical endpoint for >5 minutes', or sporadic errors (<0.1%)."""
    rule = policy.criteria.error_rate
    breaches = sustained_breaches(
        endpoint.error_rate, threshold=rule.above, longer_than=rule.longer_than, max_gap=signals.max_gap
    )
    if endpoint.critical and breaches:
        worst = max(breaches, key=lambda breach: breach.peak)
        peak = worst.peak
        found.worst_rate = max(peak, found.worst_rate or 0.0)
        others = (
            f"; {len(breaches) - 1} more such run{'s' if len(breaches) > 2 else ''}"
            if len(breaches) > 1
            else ""
        )
        evidence = (
            f"{endpoint.endpoint}: error rate above {_percent(rule.above)} from {worst.start.isoformat()} "
            f"to {worst.end.isoformat()} (peak {_percent(peak)}){others}"
        )
        found.met.append(("availability", evidence))
        if peak >= 1.0:
            found.flags.add(ImpactFlag.COMPLETE_OUTAGE)
        return
    sporadic_below = policy.exclusions.sporadic_error_rate_below
    if endpoint.error_rate and max(value for _, value in endpoint.error_rate) < sporadic_below:
        found.exclude("sporadic_errors")


def _latency(endpoint: EndpointMetrics, signals: Signals, policy: Policy, found: _Findings) -> None:
    """'P95 latency >3x baseline for >5 minutes', or degradation within acceptable bounds."""
    if not endpoint.p95_latency or not endpoint.p95_baseline:
        return
    rule = policy.criteria.p95_latency
    limit = rule.above * endpoint.p95_baseline
    slow = sustained_breaches(
        endpoint.p95_latency, threshold=limit, longer_than=rule.longer_than, max_gap=signals.max_gap
    )
    if slow:
        evidence = (
            f"{endpoint.endpoint}: P95 above {rule.above:g}x baseline ({limit:g} ms) from "
            f"{slow[0].start.isoformat()} (peak {slow[0].peak:g} ms)"
        )
        found.met.append(("latency", evidence))
        found.flags.add(ImpactFlag.SIGNIFICANT_FUNCTIONALITY_IMPAIRED)
    elif (
        policy.exclusions.degradation_within_bounds
        and max(v for _, v in endpoint.p95_latency) > endpoint.p95_baseline
    ):
        found.exclude("degradation_within_bounds")


def _facts(signals: Signals, policy: Policy, found: _Findings) -> None:
    """The Data, Security, Dependency and Customer Impact rows, and clustered customer tickets."""
    if signals.suspected_data_corruption or signals.unauthorized_access:
        what = "suspected data corruption" if signals.suspected_data_corruption else "unauthorized access"
        found.met.append(("data", what))
        found.flags.add(ImpactFlag.DATA_BREACH)
    if signals.active_exploit or signals.vulnerability_disclosed:
        what = "an active exploit" if signals.active_exploit else "a vulnerability disclosure affecting us"
        found.met.append(("security", what))
        exploit = (
            ImpactFlag.DATA_BREACH
            if signals.active_exploit
            else ImpactFlag.SIGNIFICANT_FUNCTIONALITY_IMPAIRED
        )
        found.flags.add(exploit)
    if signals.critical_dependencies_down:
        found.met.append(
            ("dependency", f"critical upstream down: {', '.join(signals.critical_dependencies_down)}")
        )
        found.flags.add(ImpactFlag.SIGNIFICANT_FUNCTIONALITY_IMPAIRED)
    reporting = signals.enterprise_customers_reporting
    if reporting >= policy.criteria.enterprise_customers_at_least:
        found.met.append(("customer_impact", f"{reporting} enterprise customers report the same issue"))
        found.flags.add(ImpactFlag.LIMITED_IMPACT)
    detection = policy.detection
    within, at_least = detection.customer_reports_within, detection.customer_reports_at_least
    cluster = _tickets_clustered(signals.ticket_times, within, at_least)
    if cluster is not None:
        start, count = cluster
        evidence = f"{count} tickets with the same pattern within {within} from {start.isoformat()}"
        found.met.append(("customer_reports", evidence))
        found.flags.add(ImpactFlag.LIMITED_IMPACT)


def _set_aside(signals: Signals, policy: Policy, found: _Findings) -> dict[str, str]:
    """Which criteria the exclusions set aside, each with the exclusion."""
    exclusions = policy.exclusions
    set_aside: dict[str, str] = {}
    if exclusions.known_issue_with_workaround and signals.known_issue_with_workaround:
        found.exclude("known_issue_with_workaround")
        set_aside |= dict.fromkeys(_METRIC | _CUSTOMER, "known_issue_with_workaround")
    within_window = signals.maintenance_until is not None and utc(signals.at) <= utc(
        signals.maintenance_until
    )
    if exclusions.planned_maintenance_within_window and within_window:
        found.exclude("planned_maintenance_within_window")
        set_aside |= dict.fromkeys(_METRIC, "planned_maintenance_within_window")
    if exclusions.single_customer_configuration and signals.single_customer_configuration:
        found.exclude("single_customer_configuration")
        set_aside |= dict.fromkeys(_CUSTOMER, "single_customer_configuration")
    return set_aside


def assess(signals: Signals, policy: Policy = DEFAULT_POLICY) -> Assessment:
    """Every criterion met and exclusion applied, and a suggested severity (see the module docstring).

    Raises:
        TypeError: for an argument of the wrong type, naming it.
    """
    check_type("signals", signals, Signals, "Signals")  # issue 19, defect 10: a wrong type is a TypeError
    check_type("policy", policy, Policy, "a Policy")
    found = _Findings()
    for endpoint in signals.endpoints:
        _availability(endpoint, signals, policy, found)
        _latency(endpoint, signals, policy, found)
    _facts(signals, policy, found)
    set_aside = _set_aside(signals, policy, found)
    criteria = tuple(
        CriterionMet(criterion=name, evidence=evidence, excluded_by=set_aside.get(name))
        for name, evidence in found.met
    )
    standing = [criterion for criterion in criteria if criterion.excluded_by is None]
    severity = None
    if standing:
        names = {criterion.criterion for criterion in standing}
        kept = frozenset(flag for flag in found.flags if _FLAG_SOURCES.get(flag, set()) & names)
        rate = found.worst_rate if "availability" in names else None
        try:
            classification = classify_severity(Impact(flags=kept, error_rate=rate), policy)
        except SeverityError:
            # The criteria are met, but no severity rule matches the facts: the least severe level.
            severity = min(Severity)
            level = policy.severities[severity]
            reason = (
                f"{severity.value} {level.name}: no severity rule matches these facts; the least severe level"
            )
        else:
            severity, reason = classification.severity, classification.reason
        lines = [f"An incident: {'; '.join(c.evidence for c in standing)}.", f"Suggested {reason}."]
    else:
        unless = " that an exclusion does not set aside" if criteria else ""
        lines = [f"Not an incident: no criterion of the guide is met{unless}."]
    lines += [f"Set aside by {c.excluded_by}: {c.evidence}." for c in criteria if c.excluded_by is not None]
    return Assessment(
        is_incident=bool(standing),
        criteria=criteria,
        exclusions=tuple(found.exclusions),
        severity=severity,
        rationale=" ".join(lines),
    )


_FLAG_SOURCES = {
    ImpactFlag.COMPLETE_OUTAGE: {"availability"},
    ImpactFlag.DATA_BREACH: {"data", "security"},
    ImpactFlag.SIGNIFICANT_FUNCTIONALITY_IMPAIRED: {"latency", "dependency", "security"},
    ImpactFlag.LIMITED_IMPACT: {"customer_impact", "customer_reports"},
}
