"""DEFAULT_POLICY is the guide, exactly: one test per row of each of its tables."""

from datetime import timedelta

import attrs
import pytest

from incident_process import DEFAULT_POLICY, DetectionSource, Policy, Role, Severity, UnknownMetricError
from incident_process.timing import BusinessDays
from incident_process.vocabulary import DetectionDuty, ImpactFlag, QuarterlyMetric, SloWindow

P = DEFAULT_POLICY
SEV1, SEV2, SEV3 = Severity


def minutes(n):
    return timedelta(minutes=n)


def test_default_policy_is_policy_built_from_defaults():
    """Policy() is the guide, and DEFAULT_POLICY is that value."""
    assert Policy() == DEFAULT_POLICY
    assert P.zone == "UTC"


def test_policy_is_frozen_and_hashable():
    """A caller may hold the policy: it cannot be changed under them."""
    with pytest.raises(AttributeError):
        P.zone = "Europe/Berlin"  # type: ignore[misc]
    assert hash(P) == hash(Policy())


# --- Incident Criteria -------------------------------------------------------


def test_criteria_availability_row():
    """'Error rate >5% for any critical endpoint for >5 minutes'."""
    assert P.criteria.error_rate.above == 0.05
    assert P.criteria.error_rate.longer_than == minutes(5)


def test_criteria_latency_row():
    """'P95 latency >3x baseline for >5 minutes'."""
    assert P.criteria.p95_latency.above == 3.0
    assert P.criteria.p95_latency.longer_than == minutes(5)


@pytest.mark.parametrize(
    ("flag", "severity"),
    [(ImpactFlag.DATA_BREACH, SEV1), (ImpactFlag.COMPLETE_OUTAGE, SEV1)],
)
def test_criteria_data_and_security_rows_are_the_most_severe_facts(flag, severity):
    """'Data: Any suspected data corruption or unauthorized access' is a breach fact (SEV1)."""
    rule = next(rule for rule in P.classification if flag in rule.when_any)
    assert rule.severity is severity


def test_criteria_customer_impact_row():
    """'Multiple enterprise customers report same issue simultaneously': two or more."""
    assert P.criteria.enterprise_customers_at_least == 2


# --- What Is NOT an Incident -------------------------------------------------


def test_exclusion_single_customer_configuration():
    """'Single customer experiencing issues due to their configuration'."""
    assert P.exclusions.single_customer_configuration is True


def test_exclusion_sporadic_errors():
    """'Sporadic 500 errors without pattern (<0.1% of requests)'."""
    assert P.exclusions.sporadic_error_rate_below == 0.001


def test_exclusion_known_issues():
    """'Known issues with documented workarounds'."""
    assert P.exclusions.known_issue_with_workaround is True


def test_exclusion_planned_maintenance():
    """'Planned maintenance (unless it exceeds window)'."""
    assert P.exclusions.planned_maintenance_within_window is True


def test_exclusion_degradation_within_bounds():
    """'Performance degradation within acceptable bounds'."""
    assert P.exclusions.degradation_within_bounds is True


# --- Incident Severity Levels ------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "name", "criteria", "examples"),
    [
        (
            SEV1,
            "Critical",
            "Complete outage or data breach",
            ("All API requests failing", "Auth system compromised"),
        ),
        (
            SEV2,
            "Major",
            "Significant functionality impaired",
            ("One critical endpoint down", ">10% error rate"),
        ),
        (
            SEV3,
            "Minor",
            "Limited impact with workaround",
            ("Non-critical feature degraded", "Specific edge case"),
        ),
    ],
)
def test_severity_level_rows(severity, name, criteria, examples):
    """Each row of 'Incident Severity Levels'."""
    level = P.severities[severity]
    assert (level.name, level.criteria, level.examples) == (name, criteria, examples)


def test_classification_rules_follow_the_severity_table():
    """SEV1 outage/breach; SEV2 endpoint down, impaired or >10% errors; SEV3 limited impact."""
    rules = {rule.severity: rule for rule in P.classification}
    assert set(rules[SEV1].when_any) == {ImpactFlag.COMPLETE_OUTAGE, ImpactFlag.DATA_BREACH}
    assert rules[SEV1].error_rate_above is None
    assert set(rules[SEV2].when_any) == {
        ImpactFlag.CRITICAL_ENDPOINT_DOWN,
        ImpactFlag.SIGNIFICANT_FUNCTIONALITY_IMPAIRED,
    }
    assert rules[SEV2].error_rate_above == 0.10
    assert rules[SEV3].when_any == (ImpactFlag.LIMITED_IMPACT,)
    assert len(P.classification) == 3


# --- Detection ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "duty", "within"),
    [
        (DetectionSource.AUTOMATED_ALERT, DetectionDuty.ACKNOWLEDGE, minutes(5)),
        (DetectionSource.CUSTOMER_REPORTS, DetectionDuty.CORRELATE, minutes(15)),
        (DetectionSource.INTERNAL_DISCOVERY, DetectionDuty.DECLARE, timedelta(0)),
    ],
)
def test_response_time_by_detection_source(source, duty, within):
    """'Automated alert: Acknowledge within 5 minutes' and the other two lines."""
    response = P.detection.response_to(source)
    assert response is not None
    assert (response.duty, response.within) == (duty, within)


def test_external_notification_has_no_response_time():
    """The guide sets no time for external notifications."""
    assert P.detection.response_to(DetectionSource.EXTERNAL_NOTIFICATION) is None


def test_customer_reports_window():
    """'Customer reports: Multiple tickets with same pattern within 30 minutes'."""
    assert P.detection.customer_reports_within == minutes(30)
    assert P.detection.customer_reports_at_least == 2


# --- Declaration -------------------------------------------------------------


@pytest.mark.parametrize("who", ["on_call_engineer", "support_lead", "engineering_manager"])
def test_who_can_declare(who):
    """'Any on-call engineer, any support lead, any engineering manager'."""
    assert who in P.declaration.who_may_declare


def test_only_those_three_may_declare():
    """Nobody else is listed."""
    assert len(P.declaration.who_may_declare) == 3


def test_channel_and_notify_group():
    """'#incident-YYYY-MM-DD-brief-name' and '@incident-notify'."""
    assert P.declaration.channel_prefix == "#incident-"
    assert P.declaration.notify_group == "@incident-notify"


# --- Roles -------------------------------------------------------------------


def test_sev3_roles():
    """'For SEV3: IC may handle all roles'."""
    roles = P.roles[SEV3]
    assert roles.must == (Role.INCIDENT_COMMANDER,)
    assert roles.should == ()
    assert roles.separate_people is False


def test_sev2_roles():
    """'For SEV2: Minimum IC + Technical Lead', held by different people."""
    roles = P.roles[SEV2]
    assert roles.must == (Role.INCIDENT_COMMANDER, Role.TECHNICAL_LEAD)
    assert roles.should == ()
    assert roles.separate_people is True


def test_sev1_roles():
    """'For SEV1: All roles should be filled' (a warning, not a refusal)."""
    roles = P.roles[SEV1]
    assert roles.must == (Role.INCIDENT_COMMANDER,)
    assert set(roles.should) == {Role.TECHNICAL_LEAD, Role.COMMUNICATIONS_LEAD, Role.SCRIBE}
    assert roles.separate_people is True


# --- Communication -----------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "every"), [(SEV1, minutes(15)), (SEV2, minutes(30)), (SEV3, minutes(60))]
)
def test_internal_update_frequency(severity, every):
    """'SEV1: Every 15 minutes minimum', 'SEV2: Every 30 minutes', 'SEV3: Every hour'."""
    assert P.communication.update_cadence[severity] == every
    assert P.communication.update_cadence[severity.value.lower()] == every
    assert P.communication.update_cadence[severity.level] == every


def test_per_severity_lookup_of_a_non_severity_is_named():
    """Looking up 'SEV4' is a SeverityError naming it, not an AttributeError."""
    from incident_process import SeverityError

    with pytest.raises(SeverityError, match="'SEV4'"):
        P.communication.update_cadence["SEV4"]


@pytest.mark.parametrize(
    ("severity", "notify"),
    [
        (SEV1, ("All engineering", "Support", "Leadership", "Customer success")),
        (SEV2, ("On-call team", "Support lead", "Affected team lead")),
        (SEV3, ("On-call team", "Relevant squad")),
    ],
)
def test_stakeholders_to_notify(severity, notify):
    """Each row of 'Stakeholders to notify'."""
    assert P.communication.stakeholders[severity] == notify


def test_status_page_updates():
    """'First update: Within 10 minutes of declaration', then match internal, final when resolved."""
    page = P.communication.status_page
    assert page.first_update_within == minutes(10)
    assert page.subsequent_match_internal is True
    assert page.final_update_on_resolve is True


def test_customer_communication():
    """Enterprise email for SEV1/2; status page for all customers for any SEV1; direct outreach."""
    customers = P.communication.customers
    assert customers.enterprise_email_for == (SEV1, SEV2)
    assert customers.status_page_for_all_customers == (SEV1,)
    assert customers.direct_outreach_when_scope_known is True


# --- Resolution and post-incident --------------------------------------------


@pytest.mark.parametrize(
    ("severity", "quiet"), [(SEV1, minutes(15)), (SEV2, minutes(15)), (SEV3, minutes(30))]
)
def test_resolution_quiet_period(severity, quiet):
    """'No new error reports for 15 minutes (SEV1/2) or 30 minutes (SEV3)'."""
    assert P.resolution.quiet_period[severity] == quiet


def test_channel_archived_after_24_hours():
    """'Close incident channel (archive after 24h)'."""
    assert P.resolution.archive_channel_after == timedelta(hours=24)


@pytest.mark.parametrize(("severity", "required"), [(SEV1, True), (SEV2, True), (SEV3, False)])
def test_post_incident_requirement(severity, required):
    """'Required for all SEV1 and SEV2 incidents. Optional for SEV3.'."""
    assert (severity in P.post_incident.required_for) is required


def test_post_incident_deadlines():
    """'Post-incident review: Within 3 business days'; 'document: Within 5 business days'."""
    assert P.post_incident.review_within == BusinessDays(3)
    assert P.post_incident.document_within == BusinessDays(5)
    assert str(P.post_incident.review_within) == "3 business days"


def test_review_meeting_format():
    """'Duration: 30-60 minutes'; 'Attendees: IC, Technical Lead, ...'; uninvolved facilitator."""
    review = P.post_incident.review
    assert (review.min_duration, review.max_duration) == (minutes(30), minutes(60))
    assert review.required_attendees == (Role.INCIDENT_COMMANDER, Role.TECHNICAL_LEAD)
    assert review.other_attendees == ("Relevant engineers", "Support, if involved")
    assert review.facilitator_uninvolved is True


@pytest.mark.parametrize(
    ("position", "topic", "length"),
    [
        (0, "Timeline reconstruction", 10),
        (1, "Root cause analysis", 15),
        (2, "What went well", 5),
        (3, "What could be improved", 10),
        (4, "Action items", 10),
    ],
)
def test_review_agenda_rows(position, topic, length):
    """Each item of the review 'Agenda', in order."""
    item = P.post_incident.review.agenda[position]
    assert (item.topic, item.duration) == (topic, minutes(length))


def test_review_agenda_fits_the_meeting():
    """The five items take 50 minutes, within 30-60."""
    assert len(P.post_incident.review.agenda) == 5
    assert P.post_incident.review.agenda_duration == minutes(50)


def test_post_incident_document_shape():
    """'Required sections', the Impact fields, Lessons Learned and the Action Items columns."""
    document = P.post_incident.document
    assert document.sections == (
        "Summary",
        "Impact",
        "Timeline",
        "Root Cause",
        "Resolution",
        "Lessons Learned",
        "Action Items",
    )
    assert document.impact_fields == ("Duration", "Customers affected", "Errors generated")
    assert document.optional_impact_fields == ("Revenue impact",)
    assert document.lessons_learned == ("What went well", "What could be improved")
    assert document.action_item_columns == ("Action", "Owner", "Due Date", "Status")


# --- Escalation path ---------------------------------------------------------


@pytest.mark.parametrize(
    ("position", "who", "window", "severities"),
    [
        (0, "On-call Engineer", minutes(5), (SEV1, SEV2, SEV3)),
        (1, "On-call Lead", minutes(15), (SEV1, SEV2, SEV3)),
        (2, "Engineering Manager", minutes(30), (SEV1, SEV2, SEV3)),
        (3, "VP Engineering", None, (SEV1,)),
    ],
)
def test_escalation_path_levels(position, who, window, severities):
    """Each step of the 'Escalation Path'; VP Engineering for SEV1 only."""
    level = P.escalation.levels[position]
    assert (level.who, level.window, level.severities) == (who, window, severities)


def test_escalation_path_has_four_levels():
    """Nothing beyond VP Engineering."""
    assert len(P.escalation.levels) == 4


# --- Metrics and thresholds --------------------------------------------------


@pytest.mark.parametrize(
    ("metric", "warning", "critical"),
    [
        ("error_rate", 0.01, 0.05),
        ("p95_latency", 2.0, 3.0),
        ("availability", 0.995, 0.99),
        ("db_connections", 0.70, 0.90),
    ],
)
def test_alerting_threshold_rows(metric, warning, critical):
    """Each row of 'Alerting Thresholds' (fractions; latency in multiples of baseline)."""
    threshold = P.alerting[metric]
    assert (threshold.warning, threshold.critical) == (warning, critical)


def test_unknown_alerting_metric_is_named():
    """Asking for a metric the guide does not have names it and the known ones."""
    with pytest.raises(
        UnknownMetricError, match=r"^unknown alerting metric 'cpu'; expected one of 'error_rate'"
    ):
        P.alerting["cpu"]


@pytest.mark.parametrize(
    ("name", "target", "window"),
    [
        ("api_availability", 0.999, SloWindow.MONTHLY),
        ("api_latency_p95", 500.0, SloWindow.WEEKLY),
        ("error_rate", 0.001, SloWindow.DAILY),
    ],
)
def test_slo_rows(name, target, window):
    """Each row of 'SLOs': 99.9% monthly, <500ms weekly, <0.1% daily."""
    slo = getattr(P.slos, name)
    assert (slo.target, slo.window) == (target, window)


@pytest.mark.parametrize(
    ("position", "metric", "title"),
    [
        (0, QuarterlyMetric.INCIDENT_COUNT_BY_SEVERITY, "Incident count by severity"),
        (1, QuarterlyMetric.MEAN_TIME_TO_DETECT, "Mean time to detect (MTTD)"),
        (2, QuarterlyMetric.MEAN_TIME_TO_RESOLVE, "Mean time to resolve (MTTR)"),
        (3, QuarterlyMetric.REPEAT_INCIDENTS, "Repeat incidents (same root cause)"),
        (4, QuarterlyMetric.ACTION_ITEM_COMPLETION_RATE, "Action item completion rate"),
        (5, QuarterlyMetric.ON_CALL_BURDEN, "On-call burden distribution"),
    ],
)
def test_quarterly_review_metrics(position, metric, title):
    """Each item of 'Quarterly Review', in order."""
    assert P.quarterly_review.metrics[position] is metric
    assert metric.title == title


# --- External Communication --------------------------------------------------

EXTERNAL = P.communication.external


def test_internal_domains_are_company_specific():
    """'Internal URLs or system names': no company's domains by default."""
    assert EXTERNAL.internal_domains == ()


def test_internal_suffixes():
    """'Internal URLs or system names': *.internal, *.local, *.corp (and localhost)."""
    assert EXTERNAL.internal_suffixes == ("internal", "local", "corp", "localhost")


def test_private_networks():
    """'Internal URLs or system names': the private, loopback and link-local ranges."""
    assert EXTERNAL.private_networks == (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "::1/128",
        "fc00::/7",
        "fe80::/10",
    )


@pytest.mark.parametrize(
    "metric",
    [
        "api_gateway_error_rate",
        "api_gateway_latency_p95",
        "db_connection_pool_utilization",
        "db_query_latency_p95",
        "queue_depth",
        "job_failure_rate",
    ],
)
def test_internal_systems_are_the_runbook_metrics(metric):
    """'Internal URLs or system names': each metric of 'Runbooks for Specific Systems'."""
    assert metric in EXTERNAL.internal_systems


def test_internal_systems_are_only_the_runbook_metrics():
    """Nothing else is a system name by default."""
    assert len(EXTERNAL.internal_systems) == 6


@pytest.mark.parametrize(
    ("field", "phrase"),
    [
        ("blame_phrases", "human error"),
        ("blame_phrases", "'s fault"),
        ("people", "engineer"),
        ("cause_phrases", "caused by"),
        ("blame_actions", "accidentally"),
        ("speculation_phrases", "we think"),
        ("speculation_phrases", "probably"),
        ("fix_phrases", "fixed"),
        ("fix_phrases", "resolved"),
    ],
)
def test_what_not_to_communicate_phrases(field, phrase):
    """'Blame or speculation' and 'Specific fix timelines until confident', as words to look for."""
    assert phrase in getattr(EXTERNAL, field)


@pytest.mark.parametrize(
    ("field", "phrases"),
    [
        ("acknowledgement_phrases", ("we are aware", "we're aware", "we are investigating")),
        ("functionality_phrases", ("unavailable", "degraded", "errors", "failing", "affected", "slow")),
        ("next_update_phrases", ("next update",)),
    ],
)
def test_what_to_communicate_phrases(field, phrases):
    """'That we are aware of the issue', 'What functionality is affected', 'Expected time to next update'."""
    assert set(phrases) <= set(getattr(EXTERNAL, field))


def test_every_external_phrase_is_written_as_it_is_matched():
    """Each default phrase is folded (lower case, single spaces): the form the policy check demands."""
    from incident_process._folding import fold_phrase

    for field in attrs.fields(type(EXTERNAL)):
        for phrase in getattr(EXTERNAL, field.name):
            assert fold_phrase(phrase) == phrase, (field.name, phrase)
