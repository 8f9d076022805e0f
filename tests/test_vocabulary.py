"""Severity parsing and ordering; roles and detection sources."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_process import DetectionSource, Role, Severity, SeverityError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("SEV1", Severity.SEV1),
        ("sev1", Severity.SEV1),
        ("Sev2", Severity.SEV2),
        ("SEV3", Severity.SEV3),
        (1, Severity.SEV1),
        (2, Severity.SEV2),
        (3, Severity.SEV3),
        (Severity.SEV2, Severity.SEV2),
    ],
)
def test_parse_accepts_the_documented_forms(value, expected):
    """'SEV1', 'sev1', 1 and a Severity all parse."""
    assert Severity.parse(value) is expected


@pytest.mark.parametrize(
    "value", ["SEV4", "SEV0", "sev 1", " SEV1", "1", "", 0, 4, -1, True, False, 1.0, None, []]
)
def test_parse_refuses_anything_else_clearly(value):
    """Anything else is a SeverityError naming the value and the accepted forms."""
    with pytest.raises(SeverityError) as caught:
        Severity.parse(value)
    message = str(caught.value)
    assert repr(value) in message
    assert '"SEV1"' in message
    assert "1, 2, 3" in message


def test_sev1_is_the_most_severe():
    """Severities compare by severity: SEV1 > SEV2 > SEV3."""
    assert Severity.SEV1 > Severity.SEV2 > Severity.SEV3
    assert Severity.SEV3 < Severity.SEV1
    assert Severity.SEV1 >= Severity.SEV1
    assert Severity.SEV3 <= Severity.SEV2
    assert max(Severity) is Severity.SEV1
    assert sorted(Severity) == [Severity.SEV3, Severity.SEV2, Severity.SEV1]
    assert [s.level for s in Severity] == [1, 2, 3]


@given(st.sampled_from(list(Severity)), st.sampled_from(list(Severity)))
def test_order_agrees_with_level(a, b):
    """A is more severe than b exactly when its level number is smaller."""
    assert (a > b) == (a.level < b.level)
    assert (a <= b) == (not a > b)


def test_severity_does_not_compare_with_other_types():
    """Ordering against a non-severity is a TypeError, not a silent answer."""
    with pytest.raises(TypeError):
        _ = Severity.SEV1 < 2  # type: ignore[operator]
    assert Severity.SEV1 != "SEV1"


def test_roles_and_sources_have_the_guides_members():
    """Guide, "Roles During Incident" and "1. Detection"."""
    assert {role.value for role in Role} == {
        "incident_commander",
        "technical_lead",
        "communications_lead",
        "scribe",
    }
    assert {source.value for source in DetectionSource} == {
        "automated_alert",
        "customer_reports",
        "internal_discovery",
        "external_notification",
    }
