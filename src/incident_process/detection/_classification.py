"""From impact facts to a severity, with the guide's criterion as the reason.

Guide, "Incident Severity Levels":

=====  ========  ================================  ======================================
Level  Name      Criteria                          Example
=====  ========  ================================  ======================================
SEV1   Critical  Complete outage or data breach    All API requests failing, auth system
                                                   compromised
SEV2   Major     Significant functionality         One critical endpoint down, >10% error
               impaired                          rate
SEV3   Minor     Limited impact with workaround    Non-critical feature degraded, specific
                                                   edge case
=====  ========  ================================  ======================================

The rules are the policy's ``classification`` data; the most severe matching
rule wins.
"""

from __future__ import annotations

import math

import attrs

from incident_process._arguments import check_type
from incident_process.errors import SeverityError
from incident_process.policy import DEFAULT_POLICY, Policy, SeverityRule
from incident_process.vocabulary import ImpactFlag, Severity

__all__ = ["Classification", "Impact", "classify_severity"]


def _flags(value: object) -> frozenset[ImpactFlag]:
    if isinstance(value, ImpactFlag):
        return frozenset((value,))
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        msg = f"Impact.flags: expected ImpactFlag values, got {value!r}"
        raise SeverityError(msg)
    flags = frozenset(value)
    for flag in flags:
        if not isinstance(flag, ImpactFlag):
            msg = f"Impact.flags: expected ImpactFlag values, got {flag!r}"
            raise SeverityError(msg)
    return flags


def _error_rate(_: object, __: object, value: float | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        msg = f"Impact.error_rate: expected a fraction from 0 to 1 (0.12 is 12%), got {value!r}"
        raise SeverityError(msg)


@attrs.frozen(kw_only=True)
class Impact:
    """What is known about an incident's impact.

    Attributes:
        flags: The facts that hold.
        error_rate: The observed error rate as a fraction (0.12 is 12%), if known.
    """

    flags: frozenset[ImpactFlag] = attrs.field(default=frozenset(), converter=_flags)
    error_rate: float | None = attrs.field(default=None, validator=_error_rate)


@attrs.frozen(kw_only=True)
class Classification:
    """A severity and why.

    Attributes:
        severity: The severity assigned.
        reason: The guide's criterion for it, with the facts that matched.
        matched: The facts that matched, e.g. ``("critical_endpoint_down",
            "error rate 12% > 10%")``.
    """

    severity: Severity
    reason: str
    matched: tuple[str, ...]


def _matches(rule: SeverityRule, impact: Impact) -> tuple[str, ...]:
    found = [flag.value for flag in rule.when_any if flag in impact.flags]
    rate, above = impact.error_rate, rule.error_rate_above
    if rate is not None and above is not None and rate > above:
        found.append(f"error rate {_percent(rate)} > {_percent(above)}")
    return tuple(found)


def _percent(fraction: float) -> str:
    return f"{fraction * 100:g}%" if math.isfinite(fraction) else str(fraction)


def classify_severity(impact: Impact, policy: Policy = DEFAULT_POLICY) -> Classification:
    """The most severe severity whose rule the impact meets.

    >>> classify_severity(Impact(error_rate=0.12)).reason
    'SEV2 Major: Significant functionality impaired (error rate 12% > 10%)'

    Raises:
        SeverityError: if no rule matches, naming the facts given.
        TypeError: for an argument of the wrong type, naming it.
    """
    check_type("impact", impact, Impact, "an Impact")  # issue 19, defect 10: a wrong type is a TypeError
    check_type("policy", policy, Policy, "a Policy")
    by_severity = sorted(policy.classification, key=lambda rule: rule.severity, reverse=True)
    for rule in by_severity:
        matched = _matches(rule, impact)
        if matched:
            definition = policy.severities[rule.severity]
            reason = f"{rule.severity.value} {definition.name}: {definition.criteria} ({', '.join(matched)})"
            return Classification(severity=rule.severity, reason=reason, matched=matched)
    facts = sorted(flag.value for flag in impact.flags)
    if impact.error_rate is not None:
        facts.append(f"error rate {_percent(impact.error_rate)}")
    given = ", ".join(facts) or "no facts"
    msg = f"no severity criterion matches the impact ({given}); give at least one impact flag"
    raise SeverityError(msg)
