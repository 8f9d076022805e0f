"""The quarterly review: counts, MTTD, MTTR, repeats, completion rate and on-call burden, and its report."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_process import (
    DetectionSource,
    Incident,
    IncidentProcessError,
    MissingExtraError,
    Policy,
    ReviewError,
    Severity,
    quarterly_review,
)
from incident_process.postincident import (
    OnCallBurden,
    RepeatRootCause,
    parse_quarter,
    render_quarterly_report,
    write_quarterly_charts,
)
from incident_process.postincident._quarterly import DEFINITIONS
from incident_process.vocabulary import QuarterlyMetric

POLICY = Policy(zone="America/New_York")
MINUTE = timedelta(minutes=1)


def T(month, day, hour, minute=0):  # noqa: N802 - reads like a constant in the fixtures
    """A UTC instant in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def detect(incident_id, at):
    return Incident.detect(
        id=incident_id, title=incident_id, source=DetectionSource.AUTOMATED_ALERT, at=at, policy=POLICY
    )


def responding(incident_id, at, *, by, severity):
    """Detected at *at*, acknowledged after 2 minutes and declared after 5 by *by*."""
    incident = detect(incident_id, at).acknowledge(at=at + 2 * MINUTE, by=by)
    incident = incident.declare(
        at=at + 5 * MINUTE, by=by, declarer_role="on_call_engineer", severity=severity
    )
    return incident.start_response(at=at + 5 * MINUTE)


def incident_a():
    """SEV1 in July: impact 30 min before detection, resolved 2 h after, 2 action items (1 done)."""
    incident = detect("INC-A", T(7, 10, 12))
    incident = incident.record_milestone(
        "customer_impact_started", at=T(7, 10, 12, 1), occurred_at=T(7, 10, 11, 30)
    )
    incident = incident.acknowledge(at=T(7, 10, 12, 5), by="ana")
    incident = incident.declare(at=T(7, 10, 12, 10), by="ana", declarer_role="on_call_engineer", severity=1)
    incident = incident.start_response(at=T(7, 10, 12, 10))
    incident = incident.resolve(at=T(7, 10, 14), last_error_at=T(7, 10, 13, 30))
    incident = incident.start_post_incident(at=T(7, 10, 14, 10))
    incident = incident.identify_root_cause("db-pool", at=T(7, 10, 14, 20))
    incident = incident.add_action_item(
        "A1", "Alert on pool", owner="ana", due=date(2026, 7, 20), at=T(7, 10, 14, 30)
    )
    incident = incident.add_action_item(
        "A2", "Bigger pool", owner="bo", due=date(2026, 7, 20), at=T(7, 10, 14, 30)
    )
    return incident.complete_action_item("A1", at=T(7, 10, 15))


def incident_b():
    """SEV2 in August: impact 1 h before detection, resolved 4 h after, same root cause as A."""
    incident = detect("INC-B", T(8, 5, 9))
    incident = incident.record_milestone("customer_impact_started", at=T(8, 5, 9, 1), occurred_at=T(8, 5, 8))
    incident = incident.acknowledge(at=T(8, 5, 9, 2), by="bo")
    incident = incident.declare(at=T(8, 5, 9, 5), by="bo", declarer_role="on_call_engineer", severity=2)
    incident = incident.start_response(at=T(8, 5, 9, 5))
    incident = incident.assign_role("technical_lead", "ana", at=T(8, 5, 9, 10))
    incident = incident.resolve(at=T(8, 5, 13), last_error_at=T(8, 5, 12))
    incident = incident.start_post_incident(at=T(8, 5, 13, 10))
    incident = incident.identify_root_cause("db-pool", at=T(8, 5, 13, 20))
    return incident.add_action_item(
        "B1", "Pool metrics", owner="bo", due=date(2026, 8, 20), at=T(8, 5, 13, 30)
    )


def incident_c():
    """SEV3 detected 2026-10-01T02:00Z, which is 22:00 on 30 September in New York: Q3; unresolved."""
    incident = detect("INC-C", T(10, 1, 2)).acknowledge(at=T(10, 1, 2, 1), by="ana")
    incident = incident.declare(at=T(10, 1, 2, 5), by="ana", declarer_role="on_call_engineer", severity=3)
    return incident.start_response(at=T(10, 1, 2, 5))


def incident_d():
    """Dismissed in July after cy acknowledged the page."""
    incident = detect("INC-D", T(7, 20, 10)).acknowledge(at=T(7, 20, 10, 3), by="cy")
    return incident.dismiss(at=T(7, 20, 10, 10), reason="false_alarm")


def incident_e():
    """Never declared, August, impact 10 min before detection."""
    incident = detect("INC-E", T(8, 15, 10))
    return incident.record_milestone(
        "customer_impact_started", at=T(8, 15, 10, 1), occurred_at=T(8, 15, 9, 50)
    )


def outside():
    """Two incidents just outside Q3 in New York: 30 June 23:00 and 1 October 01:00 local."""
    before = responding("INC-F", T(7, 1, 3), by="zed", severity=2)
    before = before.resolve(at=T(7, 1, 5), last_error_at=T(7, 1, 4))
    before = before.start_post_incident(at=T(7, 1, 5, 1)).identify_root_cause("db-pool", at=T(7, 1, 5, 2))
    after = responding("INC-G", T(10, 1, 5), by="zed", severity=1)
    return [before, after]


QUARTER = [incident_a(), incident_b(), incident_c(), incident_d(), incident_e()]


def review(incidents, **options):
    return quarterly_review(incidents, quarter="2026Q3", policy=POLICY, **options)


def test_metrics_match_hand_computed_values():
    """Every metric of the fixed set, computed by hand."""
    report = review(iter([*QUARTER, *outside()]))
    assert (report.quarter, report.zone, report.total) == ("2026Q3", "America/New_York", 5)
    assert (report.start.isoformat(), report.end.isoformat()) == (
        "2026-07-01T00:00:00-04:00",
        "2026-10-01T00:00:00-04:00",
    )
    assert dict(report.by_severity) == {Severity.SEV1: 1, Severity.SEV2: 1, Severity.SEV3: 1}
    assert (report.undeclared, report.dismissed) == (1, 1)
    # MTTD: A 30 min, B 60 min, E 10 min (D is dismissed, C has no impact start).
    assert (report.mttd, report.mttd_count) == (timedelta(minutes=100) / 3, 3)
    # MTTR: A 2 h, B 4 h (C unresolved).
    assert (report.mttr, report.mttr_count) == (timedelta(hours=3), 2)
    assert report.repeats == (RepeatRootCause(key="db-pool", count=2, incident_ids=("INC-A", "INC-B")),)
    assert (report.action_items, report.action_items_completed) == (3, 1)
    assert report.action_item_completion_rate == pytest.approx(1 / 3)
    # ana: IC of A 12:10-14:00 (open, to resolution), TL of B 09:10-13:00, IC of C 02:05 to the
    # quarter's end 04:00Z; bo: IC of B 09:05-13:00; cy acknowledged D only.
    assert report.burden == (
        OnCallBurden(person="ana", pages_acknowledged=2, incident_time=timedelta(hours=7, minutes=35)),
        OnCallBurden(person="bo", pages_acknowledged=1, incident_time=timedelta(hours=3, minutes=55)),
        OnCallBurden(person="cy", pages_acknowledged=1, incident_time=timedelta(0)),
    )
    july, august, september = report.months
    assert [m.month for m in report.months] == ["2026-07", "2026-08", "2026-09"]
    assert (july.by_severity[Severity.SEV1], july.dismissed, july.mttr) == (1, 1, timedelta(hours=2))
    assert (august.by_severity[Severity.SEV2], august.undeclared, august.mttr) == (1, 1, timedelta(hours=4))
    assert (september.by_severity[Severity.SEV3], september.resolved, september.mttr) == (1, 0, None)


def test_now_reviews_as_of_that_moment():
    """With now, later resolutions, items, pages, root causes and tenure hours are left out."""
    report = review(QUARTER, now=T(8, 5, 12))
    assert (report.mttr, report.mttr_count) == (timedelta(hours=2), 1)
    assert (report.action_items, report.action_items_completed) == (2, 1)
    assert report.repeats == ()
    burden = {b.person: b for b in report.burden}
    assert burden["ana"] == OnCallBurden(
        person="ana",
        pages_acknowledged=1,
        incident_time=timedelta(hours=1, minutes=50) + timedelta(hours=2, minutes=50),
    )
    assert burden["bo"].incident_time == timedelta(hours=2, minutes=55)


def test_naive_now_is_refused():
    """A naive now is a ReviewError."""
    with pytest.raises(ReviewError, match="now: expected a timezone-aware"):
        review(QUARTER, now=datetime(2026, 9, 1))  # noqa: DTZ001 - the point of the test


def test_an_empty_quarter_has_no_means():
    """No incidents: zero counts, no means, no rate."""
    report = review([])
    assert (report.total, report.mttd, report.mttr, report.action_item_completion_rate) == (
        0,
        None,
        None,
        None,
    )
    assert "None." in render_quarterly_report(report)


def test_the_boundary_is_the_local_date_in_the_policy_zone():
    """2026-10-01T02:00Z is Q3 in New York but Q4 in UTC."""
    c = incident_c()
    assert review([c]).total == 1
    assert quarterly_review([c], quarter="2026Q4", policy=POLICY).total == 0
    assert quarterly_review([c], quarter="2026Q4", policy=Policy()).total == 1
    assert quarterly_review([c], quarter="2026Q3", policy=Policy()).total == 0


@pytest.mark.parametrize(
    ("quarter", "expected"), [("2026Q1", (2026, 1)), ("2026Q4", (2026, 4)), ("1999Q2", (1999, 2))]
)
def test_quarters_parse(quarter, expected):
    """YYYYQn with n from 1 to 4."""
    assert parse_quarter(quarter) == expected


@pytest.mark.parametrize(
    "quarter",
    ["2026Q0", "2026Q5", "2026q3", "2026-Q3", " 2026Q3", "2026Q3\n", "26Q3", "Q3", "", "0000Q1", 2026],
)
def test_bad_quarters_are_review_errors(quarter):
    """Anything else is a ReviewError (a ValueError and an IncidentProcessError) quoting it."""
    with pytest.raises(ReviewError, match="quarter: expected 'YYYYQn'") as caught:
        quarterly_review([], quarter=quarter)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, IncidentProcessError)


#: When the generated incidents are detected: 270 days from April 2026, and the quarter reviewed (2026Q3).
SPAN = (T(4, 1, 0), T(4, 1, 0) + timedelta(days=270) + MINUTE)
IN_Q3 = (T(7, 1, 4), T(10, 1, 4))


@st.composite
def incidents(draw, within=SPAN):
    """An incident detected in ``[within[0], within[1])``, in some phase, with optional extras."""
    first, end = within
    start = first + timedelta(minutes=draw(st.integers(0, (end - first) // MINUTE - 1)))
    number = draw(st.integers(0, 10**6))
    incident = detect(f"INC-{number}", start)
    if draw(st.booleans()):
        impact = start - timedelta(minutes=draw(st.integers(0, 600)))
        incident = incident.record_milestone("customer_impact_started", at=start, occurred_at=impact)
    person = draw(st.sampled_from(["ana", "bo", "cy"]))
    incident = incident.acknowledge(at=start + MINUTE, by=person)
    stage = draw(st.sampled_from(["detected", "dismissed", "responding", "resolved", "reviewed"]))
    if stage == "detected":
        return incident
    if stage == "dismissed":
        return incident.dismiss(at=start + 2 * MINUTE, reason="false_alarm")
    incident = incident.declare(
        at=start + 2 * MINUTE,
        by=person,
        declarer_role="on_call_engineer",
        severity=draw(st.sampled_from(list(Severity))),
    ).start_response(at=start + 2 * MINUTE)
    if stage == "responding":
        return incident
    end = start + timedelta(minutes=draw(st.integers(40, 5000)))
    incident = incident.resolve(at=end, last_error_at=end - timedelta(minutes=30))
    if stage == "resolved":
        return incident
    incident = incident.start_post_incident(at=end).identify_root_cause(draw(st.sampled_from("xyz")), at=end)
    incident = incident.add_action_item("I1", "Fix", owner=person, due=date(2027, 1, 1), at=end)
    if draw(st.booleans()):
        incident = incident.complete_action_item("I1", at=end + MINUTE)
    return incident


# Drawn in their windows rather than filtered (a filter keeping a third of the draws fails Hypothesis's
# health check now and then).
in_q3 = incidents(within=IN_Q3)
not_in_q3 = st.one_of(incidents(within=(SPAN[0], IN_Q3[0])), incidents(within=(IN_Q3[1], SPAN[1])))


@given(st.lists(incidents(), max_size=8))
def test_invariants(sample):
    """MTTR and MTTD counts are bounded, MTTR >= 0, counts sum to the total, rates are fractions."""
    report = review(sample)
    assert sum(report.by_severity.values()) + report.undeclared + report.dismissed == report.total
    assert report.total == sum(T(7, 1, 4) <= i.detected_at < T(10, 1, 4) for i in sample)
    assert report.mttr is None or report.mttr >= timedelta(0)
    assert report.mttr_count <= report.total
    assert report.mttd_count <= report.total
    assert sum(m.resolved for m in report.months) == report.mttr_count
    assert all(r.count == len(r.incident_ids) >= 2 for r in report.repeats)
    assert 0 <= report.action_items_completed <= report.action_items
    assert all(b.incident_time >= timedelta(0) for b in report.burden)


@given(st.lists(in_q3, max_size=5), st.lists(not_in_q3, min_size=1, max_size=5))
def test_incidents_outside_the_quarter_change_nothing(inside, outside_incidents):
    """Adding incidents detected outside the quarter leaves the report equal."""
    assert review(inside) == review([*outside_incidents, *inside, *outside_incidents])


@given(st.lists(incidents(), max_size=6), st.randoms(use_true_random=False))
def test_order_does_not_matter_except_for_id_order(sample, random):
    """Shuffling the incidents changes at most the order of the ids of a repeated root cause."""
    shuffled = list(sample)
    random.shuffle(shuffled)
    first, second = review(sample), review(shuffled)
    assert first.by_severity == second.by_severity
    assert (first.mttr_count, first.mttd_count) == (second.mttr_count, second.mttd_count)
    assert [(r.key, r.count, sorted(r.incident_ids)) for r in first.repeats] == [
        (r.key, r.count, sorted(r.incident_ids)) for r in second.repeats
    ]
    assert first.burden == second.burden


def test_markdown_states_every_metric_and_definition():
    """The report names the guide's six metrics, their values and their definitions."""
    text = review(QUARTER).to_markdown()
    assert text == render_quarterly_report(review(QUARTER))
    for metric in QuarterlyMetric:
        assert f"## {metric.title}" in text
        assert DEFINITIONS[metric] in text
    assert "**3 hours** over 2 incidents." in text
    assert "**33 minutes 20 seconds** over 3 incidents." in text
    assert "| `db-pool` | 2 | INC-A, INC-B |" in text
    assert "**33%**: 1 of 3 action items completed." in text
    assert "| ana | 2 | 7.6 |" in text
    assert "| **total** | 2 | 2 | 1 | 5 |" in text


@pytest.mark.parametrize("format", ["svg", "png"])
def test_charts_are_written(tmp_path, format):
    """Three chart files, non-empty, in the format asked for."""
    pytest.importorskip("matplotlib")
    paths = write_quarterly_charts(review(QUARTER), tmp_path / "charts", format=format)
    assert [p.name for p in paths] == [
        f"2026Q3-incidents-by-severity.{format}",
        f"2026Q3-mttr.{format}",
        f"2026Q3-on-call-burden.{format}",
    ]
    assert all(p.stat().st_size > 0 for p in paths)


def test_charts_of_an_empty_quarter_are_written(tmp_path):
    """No incidents still gives three charts."""
    pytest.importorskip("matplotlib")
    assert len(write_quarterly_charts(review([]), tmp_path)) == 3


def test_an_unknown_chart_format_is_a_review_error(tmp_path):
    """A format matplotlib cannot write is named."""
    pytest.importorskip("matplotlib")
    with pytest.raises(ReviewError, match=r"format: expected one of .*got 'bmp'"):
        write_quarterly_charts(review([]), tmp_path, format="bmp")


def test_charts_without_matplotlib_name_the_extra(tmp_path, monkeypatch):
    """Without matplotlib the error says to install the charts extra."""
    monkeypatch.setitem(__import__("sys").modules, "matplotlib", None)
    with pytest.raises(MissingExtraError, match=r"incident-process\[charts\]") as caught:
        write_quarterly_charts(review([]), tmp_path)
    assert isinstance(caught.value, ImportError)


@pytest.mark.parametrize("quarter", ["9999Q4", "1899Q4", "3000Q1"])
def test_a_quarter_outside_the_accepted_years_is_refused(quarter):
    """Issue 19: a quarter's end must be a real date, so years outside 1900 to 2999 are refused by name."""
    with pytest.raises(ReviewError, match="outside the accepted years 1900 to 2999"):
        parse_quarter(quarter)
