"""Guide, "What Qualifies as an Incident": the criteria, the exclusions and the severity levels.

The numbers of "Incident Criteria" (error rate and latency sustained beyond a
threshold), the switches of "What Is NOT an Incident", the rows of
"Incident Severity Levels" and the rules that assign a severity to impact
facts (read by :func:`incident_process.detection.classify_severity`).
"""

from __future__ import annotations

from datetime import timedelta

import attrs

from incident_process.vocabulary import ImpactFlag, Severity

from ._checks import Checker
from ._per_severity import PerSeverity

__all__ = [
    "Exclusions",
    "IncidentCriteria",
    "SeverityDefinition",
    "SeverityRule",
    "SustainedThreshold",
]


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

    error_rate: SustainedThreshold = SustainedThreshold(above=0.05, longer_than=timedelta(minutes=5))
    p95_latency: SustainedThreshold = SustainedThreshold(above=3.0, longer_than=timedelta(minutes=5))
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


DEFAULT_SEVERITIES = PerSeverity(
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


DEFAULT_CLASSIFICATION = (
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
