"""render_policy: the effective policy as the guide's tables."""

from datetime import timedelta

import attrs
import pytest

from incident_process import DEFAULT_POLICY, loads_policy
from incident_process.policy import AgendaItem, render_policy

RENDERED = render_policy(DEFAULT_POLICY)


@pytest.mark.parametrize(
    "row",
    [
        "| Availability | Error rate >5% for any critical endpoint for >5 minutes |",
        "| Latency | P95 latency >3x baseline for >5 minutes |",
        "| Sporadic 500 errors without pattern (<0.1%) | yes |",
        "| SEV2 | Major | Significant functionality impaired | One critical endpoint down, >10% error rate |",
        "| automated_alert | acknowledge | 5 minutes |",
        "| internal_discovery | declare | immediately |",
        (
            "| SEV3 | Incident Commander | - | no | 1 hour | On-call team, Relevant squad "
            "| 30 minutes | optional |"
        ),
        "| Root cause analysis | 15 |",
        "| 3 | Engineering Manager | 30 minutes | SEV1, SEV2, SEV3 |",
        "| Availability | <99.5% | <99% |",
        "| Database connections | >70% pool | >90% pool |",
        "| API Latency P95 | <500ms | Weekly |",
        "2. Mean time to detect (MTTD)",
    ],
)
def test_the_guides_rows_appear(row):
    """The default policy renders the guide's own rows."""
    assert row in RENDERED.splitlines()


def test_changes_show_in_the_tables():
    """A changed number is what the tables show."""
    policy = loads_policy('communication.update_cadence.SEV3 = "1h30m"\nalerting.error_rate.critical = 0.075')
    rendered = render_policy(policy)
    assert "| 1 hour 30 minutes |" in rendered
    assert "| Error rate | >1% | >7.5% |" in rendered


def test_pipes_in_text_do_not_break_a_table():
    """A '|' typed into a name is escaped in its cell."""
    review = attrs.evolve(
        DEFAULT_POLICY.post_incident.review,
        agenda=(AgendaItem(topic="A | B", duration=timedelta(minutes=5)),),
    )
    policy = attrs.evolve(
        DEFAULT_POLICY, post_incident=attrs.evolve(DEFAULT_POLICY.post_incident, review=review)
    )
    assert "| A \\| B | 5 |" in render_policy(policy)
