"""A policy built in Python is checked as strictly as one read from a file."""

from datetime import timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_process import DEFAULT_POLICY, DetectionSource, Policy, PolicyError, Role
from incident_process.policy import (
    AgendaItem,
    AlertThreshold,
    Declaration,
    Detection,
    DetectionResponse,
    Escalation,
    EscalationLevel,
    PerSeverity,
    ReviewMeeting,
    RoleRequirements,
    SeverityRule,
    SustainedThreshold,
)
from incident_process.timing import BusinessDays
from incident_process.vocabulary import DetectionDuty

P = DEFAULT_POLICY


def paths(error):
    return [problem.path for problem in error.value.problems]


def test_every_problem_of_a_group_is_reported_at_once():
    """Three bad fields give three problems, not one per attempt."""
    with pytest.raises(PolicyError) as caught:
        attrs.evolve(
            P.communication.status_page,
            first_update_within=timedelta(0),
            subsequent_match_internal="yes",
            final_update_on_resolve=None,
        )
    assert paths(caught) == ["first_update_within", "subsequent_match_internal", "final_update_on_resolve"]
    assert "3 problems" in str(caught.value)


def test_sev1_cadence_longer_than_sev3_is_refused():
    """A more severe incident must be updated at least as often."""
    cadence = PerSeverity(sev1=timedelta(hours=2), sev2=timedelta(minutes=30), sev3=timedelta(hours=1))
    with pytest.raises(PolicyError) as caught:
        attrs.evolve(P.communication, update_cadence=cadence)
    assert "update_cadence.SEV1" in paths(caught)
    assert "SEV1 cadence (2h) is longer than SEV2's (30m) and SEV3's (1h)" in str(caught.value)


@pytest.mark.parametrize("span", [timedelta(0), timedelta(minutes=-5), timedelta(seconds=1.5)])
def test_durations_must_be_positive_whole_seconds(span):
    """Zero, negative and sub-second durations are refused with the field's path."""
    with pytest.raises(PolicyError) as caught:
        SustainedThreshold(above=0.05, longer_than=span)
    assert paths(caught) == ["longer_than"]


def test_a_detection_response_may_be_immediate_but_not_negative():
    """'Declare immediately' is zero; a negative time is refused."""
    immediate = DetectionResponse(
        source=DetectionSource.INTERNAL_DISCOVERY, duty=DetectionDuty.DECLARE, within=timedelta(0)
    )
    assert immediate.within == timedelta(0)
    with pytest.raises(PolicyError, match="within: must not be negative"):
        attrs.evolve(immediate, within=timedelta(minutes=-1))


@pytest.mark.parametrize("value", [0, -0.01, float("nan"), float("inf"), True, "0.05"])
def test_thresholds_must_be_finite_positive_numbers(value):
    """Zero, negative, NaN, infinite, boolean and text thresholds are refused."""
    with pytest.raises(PolicyError) as caught:
        SustainedThreshold(above=value, longer_than=timedelta(minutes=5))
    assert paths(caught) == ["above"]


def test_fractions_cannot_exceed_one():
    """An error rate of 1.5 (150%) is not a fraction."""
    with pytest.raises(PolicyError) as caught:
        attrs.evolve(P.criteria, error_rate=SustainedThreshold(above=1.5, longer_than=timedelta(minutes=5)))
    assert paths(caught) == ["error_rate.above"]


@pytest.mark.parametrize(
    ("metric", "warning", "critical"),
    [
        ("error_rate", 0.06, 0.05),
        ("error_rate", 0.05, 0.05),
        ("p95_latency", 4.0, 3.0),
        ("db_connections", 0.95, 0.9),
    ],
)
def test_warning_above_critical_is_refused(metric, warning, critical):
    """For metrics that alert when they rise, warning must be below critical."""
    with pytest.raises(PolicyError) as caught:
        attrs.evolve(P.alerting, **{metric: AlertThreshold(warning=warning, critical=critical)})
    assert paths(caught) == [f"{metric}.warning"]


def test_availability_warning_below_critical_is_refused():
    """Availability alerts when it falls: warning (99.5%) must be above critical (99%)."""
    with pytest.raises(PolicyError) as caught:
        attrs.evolve(P.alerting, availability=AlertThreshold(warning=0.98, critical=0.99))
    assert paths(caught) == ["availability.warning"]
    assert "alerts when it falls" in str(caught.value)


def test_a_severity_without_an_incident_commander_requirement_is_refused():
    """Every severity requires the IC: the declarer assumes it until handed off."""
    with pytest.raises(PolicyError) as caught:
        RoleRequirements(must=(Role.TECHNICAL_LEAD,))
    assert paths(caught) == ["must"]
    assert "incident_commander" in str(caught.value)


def test_a_role_cannot_be_both_must_and_should():
    """'must' and 'should' are kept apart."""
    with pytest.raises(PolicyError) as caught:
        RoleRequirements(must=(Role.INCIDENT_COMMANDER, Role.SCRIBE), should=(Role.SCRIBE,))
    assert paths(caught) == ["should[0]"]


def test_repeated_items_are_refused():
    """A list naming the same role twice is a mistake, reported at the repeat."""
    with pytest.raises(PolicyError) as caught:
        RoleRequirements(must=(Role.INCIDENT_COMMANDER, Role.INCIDENT_COMMANDER))
    assert paths(caught) == ["must[1]"]
    assert "repeats must[0] ('incident_commander')" in str(caught.value)


def test_only_the_last_escalation_level_may_have_no_window():
    """Each level's window starts when the previous one ends, so only the last may be open."""
    with pytest.raises(PolicyError) as caught:
        Escalation(levels=(EscalationLevel(who="A"), EscalationLevel(who="B", window=timedelta(minutes=5))))
    assert paths(caught) == ["levels[0].window"]


def test_escalation_needs_a_level():
    """An empty escalation path is refused."""
    with pytest.raises(PolicyError) as caught:
        Escalation(levels=())
    assert paths(caught) == ["levels"]


def test_two_responses_for_one_source_are_refused():
    """One response time per detection source."""
    response = DetectionResponse(
        source=DetectionSource.AUTOMATED_ALERT, duty=DetectionDuty.ACKNOWLEDGE, within=timedelta(minutes=5)
    )
    with pytest.raises(PolicyError) as caught:
        Detection(responses=(response, attrs.evolve(response, within=timedelta(minutes=9))))
    assert paths(caught) == ["responses[1].source"]


def test_agenda_must_fit_the_meeting():
    """An agenda longer than max_duration is refused, and min <= max."""
    agenda = (AgendaItem(topic="Everything", duration=timedelta(minutes=90)),)
    with pytest.raises(PolicyError) as caught:
        ReviewMeeting(agenda=agenda)
    assert paths(caught) == ["agenda"]
    with pytest.raises(PolicyError) as caught:
        ReviewMeeting(min_duration=timedelta(hours=2))
    assert "min_duration" in paths(caught)


def test_business_days_must_be_at_least_one():
    """'Within 0 business days' has no meaning under the deadline rule."""
    with pytest.raises(PolicyError) as caught:
        attrs.evolve(P.post_incident, review_within=BusinessDays(0), document_within=5)
    assert paths(caught) == ["review_within", "document_within"]


def test_declarers_are_identifiers():
    """Who may declare is a list of identifiers such as on_call_engineer."""
    with pytest.raises(PolicyError) as caught:
        Declaration(who_may_declare=("On-call engineer", ""))
    assert paths(caught) == ["who_may_declare[0]", "who_may_declare[1]"]


def test_a_rule_needs_a_flag_or_an_error_rate():
    """A classification rule that can never match is refused."""
    from incident_process import Severity

    with pytest.raises(PolicyError) as caught:
        SeverityRule(severity=Severity.SEV3)
    assert paths(caught) == ["when_any"]


def test_unknown_zone_is_refused():
    """The zone must be an IANA time zone."""
    with pytest.raises(PolicyError) as caught:
        Policy(zone="Mars/Olympus_Mons")
    assert paths(caught) == ["zone"]
    with pytest.raises(PolicyError) as caught:
        Policy(zone="../../etc/passwd")
    assert paths(caught) == ["zone"]
    with pytest.raises(PolicyError, match="'localtime' is not a place's time zone"):
        Policy(zone="localtime")


def test_wrong_group_type_is_refused():
    """A group of the wrong class is named, not used."""
    with pytest.raises(PolicyError) as caught:
        Policy(criteria="strict", roles=None)  # type: ignore[arg-type]
    assert paths(caught) == ["criteria", "roles"]


def test_problem_text_names_path_and_line():
    """A problem prints as 'path (line N): message'."""
    from incident_process import Problem

    assert str(Problem(path="a.b", message="bad")) == "a.b: bad"
    assert str(Problem(path="a.b", message="bad", line=3)) == "a.b (line 3): bad"
    assert str(Problem(path="", message="bad", line=3)) == "line 3: bad"
    assert str(Problem(path="", message="bad")) == "bad"


@given(st.lists(st.integers(1, 10_000), min_size=3, max_size=3))
def test_cadence_is_accepted_exactly_when_more_severe_is_not_slower(seconds):
    """SEV1 <= SEV2 <= SEV3 is valid; any inversion is refused at the slower, more severe key."""
    sev1, sev2, sev3 = (timedelta(seconds=s) for s in seconds)
    cadence = PerSeverity(sev1=sev1, sev2=sev2, sev3=sev3)
    if sev1 <= sev2 <= sev3:
        assert attrs.evolve(P.communication, update_cadence=cadence).update_cadence == cadence
        return
    with pytest.raises(PolicyError) as caught:
        attrs.evolve(P.communication, update_cadence=cadence)
    expected = {
        f"update_cadence.{name}"
        for name, a, b in (("SEV1", sev1, min(sev2, sev3)), ("SEV2", sev2, sev3))
        if a > b
    }
    assert set(paths(caught)) == expected


# --- communication.external ------------------------------------------------------


def external_problems(**changes):
    """The problems of communication.external with *changes*, as {path: message}."""
    with pytest.raises(PolicyError) as caught:
        attrs.evolve(P.communication.external, **changes)
    return {problem.path: problem.message for problem in caught.value.problems}


def test_phrases_must_be_written_as_they_are_matched():
    """Phrases are matched folded, so a phrase in another form would never match: refused, with its form."""
    found = external_problems(blame_phrases=("Human Error", "human  error", "\uff42lame", "..."))
    assert found == {
        "blame_phrases[0]": "must be written as it is matched, 'human error', got 'Human Error'",
        "blame_phrases[1]": "must be written as it is matched, 'human error', got 'human  error'",
        "blame_phrases[2]": "must be written as it is matched, 'blame', got '\uff42lame'",
        "blame_phrases[3]": "must contain a letter or a digit, got '...'",
    }


def test_what_to_communicate_needs_phrases():
    """An empty acknowledgement list would report every message: refused; empty 'NOT' lists are fine."""
    found = external_problems(acknowledgement_phrases=(), speculation_phrases=(), internal_systems=())
    assert found == {"acknowledgement_phrases": "must not be empty"}


def test_internal_host_names_are_plain_lower_case_names():
    """'*.corp', '.corp' and 'Corp.Example.com' are refused, the last with its form."""
    found = external_problems(
        internal_suffixes=("*.corp", ".corp"), internal_domains=("Corp.Example.com", "a b")
    )
    assert set(found) == {
        "internal_suffixes[0]",
        "internal_suffixes[1]",
        "internal_domains[0]",
        "internal_domains[1]",
    }
    assert "without a leading dot" in found["internal_suffixes[1]"]
    assert found["internal_domains[0]"] == (
        "must be written as it is matched, 'corp.example.com', got 'Corp.Example.com'"
    )


def test_private_networks_are_canonical_networks():
    """A network with host bits set is refused with its canonical form; nonsense is refused."""
    found = external_problems(private_networks=("10.0.0.1/8", "FC00::/7", "intranet", "10.0.0.0/8", 7))
    assert found == {
        "private_networks[0]": "must be written in its canonical form, '10.0.0.0/8', got '10.0.0.1/8'",
        "private_networks[1]": "must be written in its canonical form, 'fc00::/7', got 'FC00::/7'",
        "private_networks[2]": "expected a network like '10.0.0.0/8' or 'fc00::/7', got 'intranet'",
        "private_networks[4]": "expected a string, got 7",
    }


def test_external_group_problems_carry_the_policy_key_path():
    """From a file, the full path: communication.external.<field>[i]."""
    from incident_process import loads_policy

    with pytest.raises(PolicyError) as caught:
        loads_policy('communication.external.internal_systems = ["Queue_Depth", 3]')
    assert [problem.path for problem in caught.value.problems] == [
        "communication.external.internal_systems[0]",
        "communication.external.internal_systems[1]",
    ]


def test_external_lists_in_a_file_replace_the_defaults():
    """Arrays replace: a file listing internal domains sets exactly those; the rest stays the guide's."""
    from incident_process import loads_policy

    policy = loads_policy(
        '[communication.external]\ninternal_domains = ["corp.example.com"]\ninternal_systems = ["kafka"]\n'
    )
    assert policy.communication.external.internal_domains == ("corp.example.com",)
    assert policy.communication.external.internal_systems == ("kafka",)
    assert policy.communication.external.people == P.communication.external.people
