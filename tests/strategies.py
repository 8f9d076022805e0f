"""Hypothesis strategies for valid policies and their parts."""

import ipaddress
import re
from datetime import timedelta

import attrs
from hypothesis import strategies as st

from incident_process import DEFAULT_POLICY, DetectionSource, Policy, Role, Severity
from incident_process._folding import fold_phrase
from incident_process.policy import (
    ALERT_METRICS,
    DECISION_FACTORS,
    DEPENDENCY_METRIC,
    STATUSPAGE_COMPONENT_STATUSES,
    STATUSPAGE_IMPACTS,
    STATUSPAGE_STATUSES,
    AgendaItem,
    Alerting,
    AlertMapping,
    AlertThreshold,
    Communication,
    ComponentMapping,
    CustomerCommunication,
    Declaration,
    Detection,
    DetectionResponse,
    Escalation,
    EscalationLevel,
    Exclusions,
    ExternalCommunication,
    IncidentCriteria,
    Integrations,
    OnCall,
    PerSeverity,
    PostIncident,
    PostIncidentDocument,
    QuarterlyReview,
    Resolution,
    Response,
    ReviewMeeting,
    RoleRequirements,
    SeverityDefinition,
    SeverityRule,
    Slo,
    Slos,
    StatusPage,
    StatuspageMapping,
    SustainedThreshold,
)
from incident_process.timing import BusinessDays
from incident_process.vocabulary import DetectionDuty, ImpactFlag, QuarterlyMetric, SloWindow

ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham")

durations = st.integers(min_value=1, max_value=72 * 3600).map(lambda s: timedelta(seconds=s))
texts = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20).filter(str.strip)
identifiers = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
fractions = st.floats(min_value=1e-9, max_value=1.0, allow_nan=False, allow_infinity=False)
positives = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False, allow_infinity=False)
severities = st.sampled_from(list(Severity))
bools = st.booleans()


def unique(strategy, *, min_size=0, max_size=5):
    """Tuples of distinct values."""
    return st.lists(strategy, min_size=min_size, max_size=max_size, unique=True).map(tuple)


def per_severity(strategy):
    """One value of *strategy* per severity."""
    return st.builds(PerSeverity, sev1=strategy, sev2=strategy, sev3=strategy)


def ordered_pair(strategy, *, ascending=True):
    """Two distinct values, in order."""
    pair = st.lists(strategy, min_size=2, max_size=2, unique=True).map(sorted)
    return pair if ascending else pair.map(lambda values: values[::-1])


@st.composite
def role_requirements(draw):
    """IC is always a must; the rest split between must, should and neither."""
    others = [Role.TECHNICAL_LEAD, Role.COMMUNICATIONS_LEAD, Role.SCRIBE]
    placement = draw(st.lists(st.sampled_from(["must", "should", "none"]), min_size=3, max_size=3))
    must = (Role.INCIDENT_COMMANDER, *(r for r, p in zip(others, placement, strict=True) if p == "must"))
    should = tuple(r for r, p in zip(others, placement, strict=True) if p == "should")
    return RoleRequirements(must=must, should=should, separate_people=draw(bools))


def alert_threshold(*, fraction, ascending):
    """Warning before critical, in the metric's direction."""
    values = ordered_pair(fractions if fraction else positives, ascending=ascending)
    return values.map(lambda pair: AlertThreshold(warning=pair[0], critical=pair[1]))


@st.composite
def review_meetings(draw):
    """An agenda that fits within max_duration, and min_duration <= max_duration."""
    agenda = draw(
        st.lists(
            st.builds(
                AgendaItem, topic=texts, duration=st.integers(1, 30).map(lambda m: timedelta(minutes=m))
            ),
            min_size=1,
            max_size=6,
            unique_by=lambda item: item.topic,
        )
    )
    total = sum((item.duration for item in agenda), timedelta(0))
    longest = total + draw(st.integers(0, 60).map(lambda m: timedelta(minutes=m)))
    shortest = draw(st.integers(1, int(longest.total_seconds() // 60)).map(lambda m: timedelta(minutes=m)))
    return ReviewMeeting(
        min_duration=shortest,
        max_duration=longest,
        agenda=tuple(agenda),
        required_attendees=draw(unique(st.sampled_from(list(Role)))),
        other_attendees=draw(unique(texts)),
        facilitator_uninvolved=draw(bools),
    )


@st.composite
def escalations(draw):
    """Levels with windows; only the last may have none."""
    names = draw(unique(texts, min_size=1, max_size=5))
    levels = [
        EscalationLevel(who=who, window=draw(durations), severities=draw(unique(severities, min_size=1)))
        for who in names
    ]
    if draw(bools):
        levels[-1] = EscalationLevel(who=levels[-1].who, window=None, severities=levels[-1].severities)
    return Escalation(levels=tuple(levels))


severity_rules = st.builds(
    SeverityRule,
    severity=severities,
    when_any=unique(st.sampled_from(list(ImpactFlag)), min_size=1),
    error_rate_above=st.none() | fractions,
)

detections = st.builds(
    Detection,
    responses=st.lists(
        st.builds(
            DetectionResponse,
            source=st.sampled_from(list(DetectionSource)),
            duty=st.sampled_from(list(DetectionDuty)),
            within=durations | st.just(timedelta(0)),
        ),
        max_size=4,
        unique_by=lambda response: response.source,
    ).map(tuple),
    customer_reports_within=durations,
    customer_reports_at_least=st.integers(2, 50),
)

_phrase_words = st.from_regex(r"[a-z0-9][a-z0-9'_-]{0,6}", fullmatch=True) | st.text(
    st.characters(categories=("Ll", "Lu", "Lo", "Nd")), min_size=1, max_size=6
)
#: Phrases as a policy lists them: folded (lower case, NFKC), single spaces, with a letter or digit.
phrases = (
    st.lists(_phrase_words, min_size=1, max_size=3)
    .map(" ".join)
    .map(fold_phrase)
    .filter(lambda phrase: re.search(r"\w", phrase) is not None and fold_phrase(phrase) == phrase)
)
_label = r"[a-z0-9](?:[a-z0-9-]{0,6}[a-z0-9])?"
host_names = st.from_regex(rf"{_label}(?:\.{_label}){{0,2}}", fullmatch=True)
networks = st.one_of(
    st.tuples(st.ip_addresses(v=4), st.integers(0, 32)),
    st.tuples(st.ip_addresses(v=6), st.integers(0, 128)),
).map(lambda pair: str(ipaddress.ip_network(f"{pair[0]}/{pair[1]}", strict=False)))

externals = st.builds(
    ExternalCommunication,
    internal_domains=unique(host_names),
    internal_suffixes=unique(host_names),
    private_networks=unique(networks),
    internal_systems=unique(phrases),
    blame_phrases=unique(phrases),
    people=unique(phrases),
    cause_phrases=unique(phrases),
    blame_actions=unique(phrases),
    speculation_phrases=unique(phrases),
    fix_phrases=unique(phrases),
    acknowledgement_phrases=unique(phrases, min_size=1),
    functionality_phrases=unique(phrases, min_size=1),
    next_update_phrases=unique(phrases, min_size=1),
)

communications = st.builds(
    Communication,
    update_cadence=st.lists(durations, min_size=3, max_size=3)
    .map(sorted)
    .map(lambda c: PerSeverity(sev1=c[0], sev2=c[1], sev3=c[2])),
    stakeholders=per_severity(unique(texts, min_size=1)),
    status_page=st.builds(
        StatusPage,
        first_update_within=durations,
        subsequent_match_internal=bools,
        final_update_on_resolve=bools,
    ),
    customers=st.builds(
        CustomerCommunication,
        enterprise_email_for=unique(severities),
        status_page_for_all_customers=unique(severities),
        direct_outreach_when_scope_known=bools,
    ),
    external=externals,
)


def some_of(items):
    """Some of *items*, in any order."""
    return st.lists(st.sampled_from(items), unique=True).map(tuple)


def checklists(defaults):
    """Some of the guide's steps, in any order, each for some severities."""
    step = st.sampled_from(defaults).flatmap(
        lambda default: unique(severities, min_size=1).map(
            lambda chosen: attrs.evolve(default, severities=chosen)
        )
    )
    return st.lists(step, max_size=len(defaults), unique_by=lambda item: item.id).map(tuple)


@st.composite
def integrations(draw):
    alerts = draw(unique(texts, max_size=4))
    endpoints = draw(unique(texts, max_size=4))
    return Integrations(
        endpoint_labels=draw(unique(texts, min_size=1)),
        alerts=tuple(
            AlertMapping(alert=alert, metric=draw(st.sampled_from([*ALERT_METRICS, DEPENDENCY_METRIC])))
            for alert in alerts
        ),
        dependency_label=draw(texts),
        critical_endpoints=draw(unique(texts)),
        statuspage=StatuspageMapping(
            impact=draw(per_severity(st.sampled_from(STATUSPAGE_IMPACTS))),
            component_status=draw(per_severity(st.sampled_from(STATUSPAGE_COMPONENT_STATUSES))),
            investigating=draw(st.sampled_from(STATUSPAGE_STATUSES[:-1])),
            identified=draw(st.sampled_from(STATUSPAGE_STATUSES[:-1])),
            mitigating=draw(st.sampled_from(STATUSPAGE_STATUSES[:-1])),
            components=tuple(
                ComponentMapping(endpoint=endpoint, component_id=draw(texts)) for endpoint in endpoints
            ),
        ),
    )


policies = st.builds(
    Policy,
    zone=st.sampled_from(ZONES),
    criteria=st.builds(
        IncidentCriteria,
        error_rate=st.builds(SustainedThreshold, above=fractions, longer_than=durations),
        p95_latency=st.builds(SustainedThreshold, above=positives, longer_than=durations),
        enterprise_customers_at_least=st.integers(2, 100),
    ),
    exclusions=st.builds(
        Exclusions,
        single_customer_configuration=bools,
        sporadic_error_rate_below=fractions,
        known_issue_with_workaround=bools,
        planned_maintenance_within_window=bools,
        degradation_within_bounds=bools,
    ),
    severities=per_severity(
        st.builds(SeverityDefinition, name=texts, criteria=texts, examples=unique(texts))
    ),
    classification=unique(severity_rules, min_size=1),
    roles=per_severity(role_requirements()),
    declaration=st.builds(
        Declaration,
        who_may_declare=unique(identifiers, min_size=1),
        channel_prefix=texts,
        notify_group=texts,
        checklist=checklists(DEFAULT_POLICY.declaration.checklist),
        enforce_checklist=bools,
    ),
    detection=detections,
    communication=communications,
    resolution=st.builds(
        Resolution,
        quiet_period=per_severity(durations),
        archive_channel_after=durations,
        checklist=checklists(DEFAULT_POLICY.resolution.checklist),
        enforce_checklist=bools,
    ),
    post_incident=st.builds(
        PostIncident,
        required_for=unique(severities),
        review_within=st.integers(1, 30).map(BusinessDays),
        document_within=st.integers(1, 30).map(BusinessDays),
        review=review_meetings(),
        document=st.builds(
            PostIncidentDocument,
            sections=unique(texts, min_size=1),
            impact_fields=unique(texts, min_size=1),
            optional_impact_fields=unique(texts),
            lessons_learned=unique(texts),
            action_item_columns=unique(texts, min_size=1),
        ),
    ),
    escalation=escalations(),
    alerting=st.builds(
        Alerting,
        error_rate=alert_threshold(fraction=True, ascending=True),
        p95_latency=alert_threshold(fraction=False, ascending=True),
        availability=alert_threshold(fraction=True, ascending=False),
        db_connections=alert_threshold(fraction=True, ascending=True),
    ),
    slos=st.builds(
        Slos,
        api_availability=st.builds(Slo, target=fractions, window=st.sampled_from(list(SloWindow))),
        api_latency_p95=st.builds(Slo, target=positives, window=st.sampled_from(list(SloWindow))),
        error_rate=st.builds(Slo, target=fractions, window=st.sampled_from(list(SloWindow))),
    ),
    quarterly_review=st.builds(
        QuarterlyReview, metrics=unique(st.sampled_from(list(QuarterlyMetric)), min_size=1)
    ),
    integrations=integrations(),
    response=st.builds(
        Response,
        priorities=st.permutations(DEFAULT_POLICY.response.priorities).map(tuple),
        decision_factors=st.permutations(DECISION_FACTORS).map(tuple),
    ),
    on_call=st.builds(
        OnCall,
        before_incident=st.lists(st.sampled_from(DEFAULT_POLICY.on_call.before_incident), unique=True).map(
            tuple
        ),
        required_access=st.lists(st.sampled_from(DEFAULT_POLICY.on_call.required_access), unique=True).map(
            tuple
        ),
        handoff_channel=texts,
    ),
)
