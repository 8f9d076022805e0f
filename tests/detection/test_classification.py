"""From impact facts to a severity, with the guide's criterion as the reason."""

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_process import DEFAULT_POLICY, Severity, SeverityError
from incident_process.detection import Impact, classify_severity
from incident_process.policy import SeverityRule
from incident_process.vocabulary import ImpactFlag


@pytest.mark.parametrize(
    ("impact", "severity", "reason"),
    [
        (
            Impact(flags={ImpactFlag.COMPLETE_OUTAGE}),
            Severity.SEV1,
            "SEV1 Critical: Complete outage or data breach (complete_outage)",
        ),
        (
            Impact(flags={ImpactFlag.DATA_BREACH}),
            Severity.SEV1,
            "SEV1 Critical: Complete outage or data breach (data_breach)",
        ),
        (
            Impact(flags={ImpactFlag.CRITICAL_ENDPOINT_DOWN}),
            Severity.SEV2,
            "SEV2 Major: Significant functionality impaired (critical_endpoint_down)",
        ),
        (
            Impact(error_rate=0.12),
            Severity.SEV2,
            "SEV2 Major: Significant functionality impaired (error rate 12% > 10%)",
        ),
        (
            Impact(flags={ImpactFlag.LIMITED_IMPACT}),
            Severity.SEV3,
            "SEV3 Minor: Limited impact with workaround (limited_impact)",
        ),
    ],
)
def test_each_row_of_the_severity_table(impact, severity, reason):
    """Outage or breach -> SEV1; endpoint down or >10% errors -> SEV2; limited -> SEV3."""
    result = classify_severity(impact)
    assert result.severity is severity
    assert result.reason == reason


def test_error_rate_at_exactly_ten_percent_is_not_sev2():
    """'>10% error rate' is strict: exactly 10% with limited impact stays SEV3."""
    result = classify_severity(Impact(flags={ImpactFlag.LIMITED_IMPACT}, error_rate=0.10))
    assert result.severity is Severity.SEV3


def test_the_most_severe_matching_rule_wins():
    """A breach with limited apparent impact is still SEV1."""
    result = classify_severity(
        Impact(flags={ImpactFlag.LIMITED_IMPACT, ImpactFlag.DATA_BREACH}, error_rate=0.5)
    )
    assert result.severity is Severity.SEV1
    assert result.matched == ("data_breach",)


def test_no_matching_criterion_is_an_error_not_a_guess():
    """No facts, or facts below every threshold, are refused with what was given."""
    with pytest.raises(SeverityError, match=r"no severity criterion matches the impact \(no facts\)"):
        classify_severity(Impact())
    with pytest.raises(SeverityError, match=r"error rate 5%"):
        classify_severity(Impact(error_rate=0.05))


def test_rules_come_from_the_policy():
    """A company may decide that 20% errors is SEV1."""
    rules = (*DEFAULT_POLICY.classification, SeverityRule(severity=Severity.SEV1, error_rate_above=0.2))
    policy = attrs.evolve(DEFAULT_POLICY, classification=rules)
    assert classify_severity(Impact(error_rate=0.25), policy).severity is Severity.SEV1
    assert classify_severity(Impact(error_rate=0.15), policy).severity is Severity.SEV2


@pytest.mark.parametrize("rate", [-0.1, 1.5, float("nan"), True, "12%"])
def test_bad_error_rate_is_refused(rate):
    """The error rate is a fraction from 0 to 1."""
    with pytest.raises(SeverityError, match=r"Impact.error_rate"):
        Impact(error_rate=rate)


@pytest.mark.parametrize("flags", ["complete_outage", [1], {"data_breach"}])
def test_bad_flags_are_refused(flags):
    """Flags are ImpactFlag members."""
    with pytest.raises(SeverityError, match=r"Impact.flags"):
        Impact(flags=flags)


@given(
    st.frozensets(st.sampled_from(list(ImpactFlag)), min_size=1),
    st.frozensets(st.sampled_from(list(ImpactFlag))),
    st.none() | st.floats(0, 1),
)
def test_more_facts_never_lower_the_severity(flags, more, rate):
    """Adding facts can only keep or raise the severity."""
    before = classify_severity(Impact(flags=flags, error_rate=rate)).severity
    after = classify_severity(Impact(flags=flags | more, error_rate=rate)).severity
    assert after >= before
