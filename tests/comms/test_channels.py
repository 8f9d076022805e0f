"""Channel names and stakeholders (guide, "2. Declaration" and "Stakeholders to notify")."""

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_process import (
    Incident,
    MessageError,
    Policy,
    Severity,
    channel_name,
    channel_name_for,
    stakeholders,
)
from incident_process.comms import SLACK_CHANNEL_LIMIT

CHANNEL = re.compile(r"^#incident-\d{4}-\d{2}-\d{2}-[a-z0-9]+(-[a-z0-9]+)*$")
T0 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("brief", "expected"),
    [
        ("Checkout errors", "#incident-2026-03-08-checkout-errors"),
        ("  Checkout -- 5xx!!  ", "#incident-2026-03-08-checkout-5xx"),
        ("Zürich café outage", "#incident-2026-03-08-zurich-cafe-outage"),
        ("\uff21\uff30\uff29 gateway", "#incident-2026-03-08-api-gateway"),  # fullwidth letters
        ("日本語", "#incident-2026-03-08-incident"),
        ("", "#incident-2026-03-08-incident"),
    ],
)
def test_brief_names_are_slugged(brief, expected):
    """Lower-case ASCII letters, digits and single hyphens; 'incident' if nothing is left."""
    assert channel_name_for(brief, T0) == expected


def test_names_fit_slacks_80_characters():
    """A long brief name is cut, never ending in a hyphen."""
    name = channel_name_for("word " * 40, T0)
    assert len(name) <= SLACK_CHANNEL_LIMIT
    assert CHANNEL.match(name)


def test_taken_names_get_a_stable_suffix():
    """The first free -2, -3, ..., still within 80 characters."""
    first = channel_name_for("Checkout errors", T0)
    assert channel_name_for("Checkout errors", T0, taken=[first]) == first + "-2"
    assert channel_name_for("Checkout errors", T0, taken=[first, first + "-2"]) == first + "-3"
    long = channel_name_for("x" * 100, T0)
    suffixed = channel_name_for("x" * 100, T0, taken=[long])
    assert suffixed.endswith("-2")
    assert len(suffixed) <= SLACK_CHANNEL_LIMIT


def test_the_date_is_the_local_date_of_the_declaration():
    """Declared at 02:00 UTC in a New York policy: the channel carries the New York date."""
    policy = Policy(zone="America/New_York")
    late = datetime(2026, 3, 8, 2, 0, tzinfo=UTC)
    incident = Incident.detect(id="I", title="Checkout", source="automated_alert", at=late, policy=policy)
    incident = incident.declare(at=late, by="a", declarer_role="support_lead", severity=2)
    assert channel_name(incident) == "#incident-2026-03-07-checkout"
    assert (
        channel_name(incident, taken=["#incident-2026-03-07-checkout"]) == "#incident-2026-03-07-checkout-2"
    )


def test_an_undeclared_incident_has_no_channel():
    """The channel is named at declaration."""
    incident = Incident.detect(id="I", title="t", source="automated_alert", at=T0)
    with pytest.raises(MessageError, match="not declared"):
        channel_name(incident)


def test_bad_inputs_are_named():
    """A naive time (the library's error) or a brief that is not text (a TypeError naming it)."""
    with pytest.raises(MessageError, match="declared_at"):
        channel_name_for("x", datetime(2026, 3, 8))  # noqa: DTZ001
    with pytest.raises(TypeError, match="brief"):
        channel_name_for(None, T0)


@given(
    st.text(),
    st.datetimes(
        min_value=datetime(1900, 1, 2),  # noqa: DTZ001 - the accepted years (issue 19), zones added
        max_value=datetime(2999, 12, 30),  # noqa: DTZ001
        timezones=st.timezones(),
    ),
    st.lists(st.text(), max_size=3),
)
def test_any_brief_gives_a_valid_name(brief, declared_at, taken):
    """Always the guide's pattern, always within 80 characters, never a taken name."""
    name = channel_name_for(brief, declared_at, taken=taken)
    assert CHANNEL.match(name)
    assert len(name) <= SLACK_CHANNEL_LIMIT
    assert name not in taken
    assert name[10:20] == declared_at.date().isoformat()


@pytest.mark.parametrize(
    ("severity", "notify", "status_page", "email"),
    [
        (Severity.SEV1, ("All engineering", "Support", "Leadership", "Customer success"), True, True),
        (Severity.SEV2, ("On-call team", "Support lead", "Affected team lead"), False, True),
        (Severity.SEV3, ("On-call team", "Relevant squad"), False, False),
    ],
)
def test_stakeholders_per_severity(severity, notify, status_page, email):
    """Each row of 'Stakeholders to notify', and who hears from us directly."""
    told = stakeholders(severity)
    assert told.notify == notify
    assert told.notify_group == "@incident-notify"
    assert (told.status_page_for_all_customers, told.enterprise_email) == (status_page, email)
    assert told.direct_outreach_when_scope_known is True
    assert stakeholders(severity.value.lower()) == told
