"""assess: every row of the criteria and exclusion tables, with evidence and a suggested severity."""

from datetime import UTC, datetime, timedelta

import pytest

from incident_process import CommandRefusedError, DetectionError, Incident, Severity, assess, match_scenarios
from incident_process.detection import RUNBOOKS, SCENARIOS, EndpointMetrics, Signals

T0 = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


def series(values, *, step=60):
    return tuple((T0 + timedelta(seconds=step * index), value) for index, value in enumerate(values))


def names(assessment):
    return [(c.criterion, c.excluded_by) for c in assessment.criteria]


def test_nothing_is_not_an_incident():
    """No signal: not an incident, and it says so."""
    result = assess(Signals(at=T0))
    assert (result.is_incident, result.criteria, result.severity) == (False, (), None)
    assert result.rationale == "Not an incident: no criterion of the guide is met."


def test_availability_row():
    """'Error rate >5% for any critical endpoint for >5 minutes': 12% for 7 minutes is SEV2."""
    endpoint = EndpointMetrics(endpoint="checkout", error_rate=series([0.12] * 8))
    result = assess(Signals(at=T0, endpoints=(endpoint,)))
    assert names(result) == [("availability", None)]
    assert result.severity is Severity.SEV2
    assert "checkout: error rate above 5% from 2026-03-09T09:00:00+00:00 to 2026-03-09T09:07:00+00:00" in (
        result.criteria[0].evidence
    )


def test_availability_needs_more_than_five_minutes_on_a_critical_endpoint():
    """Exactly 5 minutes, or a non-critical endpoint, is not the criterion."""
    five = EndpointMetrics(endpoint="checkout", error_rate=series([0.2] * 6))
    assert not assess(Signals(at=T0, endpoints=(five,))).is_incident
    minor = EndpointMetrics(endpoint="avatars", critical=False, error_rate=series([0.2] * 10))
    assert not assess(Signals(at=T0, endpoints=(minor,))).is_incident


def test_all_requests_failing_is_sev1():
    """'All API requests failing' is a complete outage."""
    endpoint = EndpointMetrics(endpoint="api", error_rate=series([1.0] * 8))
    assert assess(Signals(at=T0, endpoints=(endpoint,))).severity is Severity.SEV1


def test_latency_row():
    """'P95 latency >3x baseline for >5 minutes'."""
    endpoint = EndpointMetrics(endpoint="search", p95_latency=series([700.0] * 8), p95_baseline=200.0)
    result = assess(Signals(at=T0, endpoints=(endpoint,)))
    assert names(result) == [("latency", None)]
    assert "P95 above 3x baseline (600 ms)" in result.criteria[0].evidence


@pytest.mark.parametrize(
    ("signals", "criterion", "severity"),
    [
        ({"suspected_data_corruption": True}, "data", Severity.SEV1),
        ({"unauthorized_access": True}, "data", Severity.SEV1),
        ({"active_exploit": True}, "security", Severity.SEV1),
        ({"vulnerability_disclosed": True}, "security", Severity.SEV2),
        ({"critical_dependencies_down": ("auth provider",)}, "dependency", Severity.SEV2),
        ({"enterprise_customers_reporting": 2}, "customer_impact", Severity.SEV3),
    ],
)
def test_fact_rows(signals, criterion, severity):
    """Data, Security, Dependency and Customer Impact rows."""
    result = assess(Signals(at=T0, **signals))
    assert names(result) == [(criterion, None)]
    assert result.severity is severity


def test_one_enterprise_customer_is_not_multiple():
    """'Multiple enterprise customers': one is not enough."""
    assert not assess(Signals(at=T0, enterprise_customers_reporting=1)).is_incident


def test_tickets_with_the_same_pattern_within_30_minutes():
    """'Customer reports: Multiple tickets with same pattern within 30 minutes'."""
    close = (T0, T0 + timedelta(minutes=29))
    assert names(assess(Signals(at=T0, ticket_times=close))) == [("customer_reports", None)]
    apart = (T0, T0 + timedelta(minutes=31))
    assert not assess(Signals(at=T0, ticket_times=apart)).is_incident


def test_single_customer_configuration_sets_customer_reports_aside():
    """'Single customer experiencing issues due to their configuration'."""
    result = assess(Signals(at=T0, ticket_times=(T0, T0), single_customer_configuration=True))
    assert names(result) == [("customer_reports", "single_customer_configuration")]
    assert not result.is_incident
    assert "Set aside by single_customer_configuration" in result.rationale


def test_sporadic_errors_are_not_an_incident():
    """'Sporadic 500 errors without pattern (<0.1% of requests)'."""
    endpoint = EndpointMetrics(endpoint="checkout", error_rate=series([0.0005, 0.0009, 0.0002]))
    result = assess(Signals(at=T0, endpoints=(endpoint,)))
    assert (result.is_incident, result.exclusions) == (False, ("sporadic_errors",))


def test_known_issue_with_a_workaround_sets_metrics_aside_but_never_a_breach():
    """'Known issues with documented workarounds' — but data and security criteria stand."""
    endpoint = EndpointMetrics(endpoint="checkout", error_rate=series([0.12] * 8))
    known = assess(Signals(at=T0, endpoints=(endpoint,), known_issue_with_workaround=True))
    assert names(known) == [("availability", "known_issue_with_workaround")]
    assert not known.is_incident
    breach = assess(Signals(at=T0, unauthorized_access=True, known_issue_with_workaround=True))
    assert breach.is_incident


def test_planned_maintenance_unless_it_exceeds_its_window():
    """'Planned maintenance (unless it exceeds window)'."""
    endpoint = EndpointMetrics(endpoint="checkout", error_rate=series([0.12] * 8))
    within = assess(Signals(at=T0, endpoints=(endpoint,), maintenance_until=T0 + timedelta(hours=1)))
    assert not within.is_incident
    assert within.exclusions == ("planned_maintenance_within_window",)
    beyond = assess(
        Signals(at=T0 + timedelta(hours=2), endpoints=(endpoint,), maintenance_until=T0 + timedelta(hours=1))
    )
    assert beyond.is_incident


def test_degradation_within_bounds():
    """'Performance degradation within acceptable bounds': slower, but under 3x for the duration."""
    endpoint = EndpointMetrics(endpoint="search", p95_latency=series([450.0] * 10), p95_baseline=200.0)
    result = assess(Signals(at=T0, endpoints=(endpoint,)))
    assert (result.is_incident, result.exclusions) == (False, ("degradation_within_bounds",))


def test_the_most_severe_evidence_sets_the_severity():
    """A breach with a slow endpoint is SEV1."""
    endpoint = EndpointMetrics(endpoint="search", p95_latency=series([700.0] * 8), p95_baseline=200.0)
    result = assess(Signals(at=T0, endpoints=(endpoint,), suspected_data_corruption=True))
    assert result.severity is Severity.SEV1
    assert result.rationale.startswith("An incident: search: P95 above 3x baseline")


# --- scenarios and runbooks ---------------------------------------------------------------


def test_scenarios_are_the_guides_four():
    """'Common Incident Scenarios', each with four immediate actions and four causes."""
    assert [s.title for s in SCENARIOS] == [
        "Error Rate Spike",
        "Authentication Failures",
        "Performance Degradation",
        "Dependency Failure",
    ]
    for scenario in SCENARIOS:
        assert len(scenario.immediate_actions) == 4
        assert len(scenario.common_causes) == 4
    assert SCENARIOS[0].immediate_actions[0] == "Check recent deployments (last 2 hours)"


def test_match_scenarios_ranks_by_the_symptoms_seen():
    """The best match first, with the symptoms that matched; none without a shared symptom."""
    matches = match_scenarios(["401/403 spike", "502_503_errors", "customer reports of login failures"])
    assert [(m.scenario.id, m.matched) for m in matches] == [
        ("authentication_failures", ("401/403 spike", "Customer reports of login failures")),
        ("dependency_failure", ("502/503 errors",)),
    ]
    assert [m.scenario.id for m in match_scenarios(["PagerDuty alert fires"])] == ["error_rate_spike"]
    assert match_scenarios(["cosmic rays"]) == []


def test_runbooks_are_the_guides_three():
    """'Runbooks for Specific Systems'."""
    assert [r.title for r in RUNBOOKS] == ["API Gateway", "Database", "Background Workers"]


def test_database_failover_needs_the_incident_commanders_approval():
    """'Emergency: Failover to read replica (requires IC approval)', enforced on the incident."""
    incident = Incident.detect(id="I", title="DB", source="automated_alert", at=T0)
    incident = incident.declare(at=T0, by="ana", declarer_role="on_call_engineer", severity=1).start_response(
        at=T0
    )
    with pytest.raises(CommandRefusedError) as caught:
        incident.record_action("database.failover_to_read_replica", at=T0, by="bo")
    assert caught.value.rule == "runbook.approval"
    with pytest.raises(CommandRefusedError, match="approval by bo"):
        incident.record_action("database.failover_to_read_replica", at=T0, by="bo", approved_by="bo")
    approved = incident.record_action("database.failover_to_read_replica", at=T0, by="bo", approved_by="ana")
    assert approved.events[-1].kind == "action_taken"
    assert incident.record_action("api_gateway.rollback", at=T0, by="bo").version == approved.version
    assert Incident.from_events(approved.events) == approved
    for disguised in (
        "Database.Failover_To_Read_Replica ",
        "Failover to read replica (requires IC approval)",
    ):
        with pytest.raises(CommandRefusedError, match=r"runbook\.approval"):
            incident.record_action(disguised, at=T0, by="bo")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: EndpointMetrics(endpoint="x", error_rate=series([0.1, 12.0])),
            r"error_rate\[1\]: expected a fraction",
        ),
        (
            lambda: EndpointMetrics(endpoint="x", p95_latency=series([100.0])),
            "p95_baseline: latency samples need",
        ),
        (
            lambda: EndpointMetrics(endpoint="x", p95_latency=series([1.0]), p95_baseline=-200.0),
            "p95_baseline",
        ),
        (lambda: Signals(at=datetime(2026, 3, 9)), "Signals.at: expected a timezone-aware"),  # noqa: DTZ001
        (lambda: Signals(at=T0, ticket_times=(datetime(2026, 3, 9),)), r"ticket_times\[0\]"),  # noqa: DTZ001
        (lambda: Signals(at=T0, enterprise_customers_reporting=-1), "enterprise_customers_reporting"),
    ],
)
def test_bad_signals_are_named(build, message):
    """Rates are fractions, latencies need a positive baseline, times are aware, counts are counts."""
    with pytest.raises(DetectionError, match=message):
        build()


def test_a_criterion_without_a_severity_rule_gets_the_least_severe_level_and_says_so():
    """6% errors meet the incident criterion but no severity rule: SEV3, without inventing a fact."""
    endpoint = EndpointMetrics(endpoint="checkout", error_rate=series([0.06] * 8))
    result = assess(Signals(at=T0, endpoints=(endpoint,)))
    assert result.severity is Severity.SEV3
    assert "no severity rule matches these facts" in result.rationale
    assert "limited_impact" not in result.rationale


def test_the_evidence_shows_the_worst_breach():
    """Two runs: the evidence shows the one with the highest peak, and counts the other."""
    values = [0.07] * 7 + [0.01] * 3 + [0.5] * 7
    result = assess(Signals(at=T0, endpoints=(EndpointMetrics(endpoint="api", error_rate=series(values)),)))
    evidence = result.criteria[0].evidence
    assert (
        "from 2026-03-09T09:10:00+00:00 to 2026-03-09T09:16:00+00:00 (peak 50%); 1 more such run" in evidence
    )
