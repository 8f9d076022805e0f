"""The policy's integrations group: alert, endpoint and Statuspage mappings, read from TOML and checked."""

import pytest

from incident_process import PolicyError, Severity, dump_policy, loads_policy
from policy_examples import MAPPED_POLICY


def test_integrations_round_trip_through_a_policy_file():
    """An integrations group round-trips through a policy file unchanged."""
    assert loads_policy(dump_policy(MAPPED_POLICY)) == MAPPED_POLICY


def test_integrations_are_set_from_toml():
    """Labels, critical endpoints, alert mappings and impacts are read from TOML, merged with the defaults."""
    policy = loads_policy(
        """
        [integrations]
        endpoint_labels = ["path"]
        critical_endpoints = ["/checkout"]
        [[integrations.alerts]]
        alert = "HighErrorRate"
        metric = "error_rate"
        [integrations.statuspage.impact]
        SEV3 = "none"
        """
    )
    assert policy.integrations.endpoint_of([("path", "/checkout")]) == "/checkout"
    assert policy.integrations.metric_of("HighErrorRate") == "error_rate"
    assert policy.integrations.statuspage.impact[Severity.SEV3] == "none"
    assert policy.integrations.statuspage.impact[Severity.SEV1] == "critical"  # tables merge


@pytest.mark.parametrize(
    ("toml", "path", "message"),
    [
        (
            '[[integrations.alerts]]\nalert = "A"\nmetric = "errors"',
            "integrations.alerts[0].metric",
            "expected one of 'error_rate'",
        ),
        (
            (
                '[[integrations.alerts]]\nalert = "A"\nmetric = "error_rate"\n'
                '[[integrations.alerts]]\nalert = "A"\nmetric = "dependency"'
            ),
            "integrations.alerts[1].alert",
            "repeats alerts[0].alert ('A')",
        ),
        ("[integrations]\nendpoint_labels = []", "integrations.endpoint_labels", "must not be empty"),
        (
            '[integrations.statuspage.impact]\nSEV1 = "severe"',
            "integrations.statuspage.impact.SEV1",
            "expected one of 'none'",
        ),
        (
            '[integrations.statuspage.component_status]\nSEV2 = "down"',
            "integrations.statuspage.component_status.SEV2",
            "expected one of 'operational'",
        ),
        (
            '[integrations.statuspage]\nmitigating = "resolved"',
            "integrations.statuspage.mitigating",
            "expected one of 'investigating', 'identified', 'monitoring'",
        ),
        (
            (
                '[[integrations.statuspage.components]]\nendpoint = "a"\ncomponent_id = "1"\n'
                '[[integrations.statuspage.components]]\nendpoint = "a"\ncomponent_id = "2"'
            ),
            "integrations.statuspage.components[1].endpoint",
            "repeats components[0].endpoint ('a')",
        ),
    ],
)
def test_a_bad_integrations_group_names_the_key(toml, path, message):
    """An unknown metric, a repeated alert or endpoint, no labels or a bad Statuspage value names its key."""
    with pytest.raises(PolicyError) as error:
        loads_policy(toml)
    [problem] = error.value.problems
    assert problem.path == path
    assert problem.message.startswith(message)
