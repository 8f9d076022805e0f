"""Sustained thresholds, alert levels, SLOs: guide, "Incident Criteria", "Alerting Thresholds", "SLOs"."""

import itertools
import math
import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_process import (
    DEFAULT_POLICY,
    AlertLevel,
    Breach,
    DetectionError,
    Policy,
    SampleError,
    UnknownMetricError,
    alert_level,
    sustained_breaches,
)
from incident_process.detection import SustainedThresholdDetector, latency_slo_report, slo_report, slo_window
from incident_process.policy import Alerting, AlertThreshold

NY = ZoneInfo("America/New_York")
T0 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
FIVE = timedelta(minutes=5)
RULE = DEFAULT_POLICY.criteria.error_rate  # "Error rate >5% ... for >5 minutes"


def at_minutes(*pairs):
    """(minutes after T0, value) pairs as samples."""
    return [(T0 + timedelta(minutes=m), v) for m, v in pairs]


def breaches(samples, *, max_gap=None):
    return sustained_breaches(samples, threshold=RULE.above, longer_than=RULE.longer_than, max_gap=max_gap)


# --- strategies --------------------------------------------------------------

THRESHOLD = 0.05
values = st.one_of(
    st.sampled_from([0.0, 0.01, 0.049, 0.05, math.nextafter(0.05, 1.0), 0.06, 0.5, 1.0]),
    st.floats(min_value=0.0, max_value=1.0),
)
steps = st.one_of(
    st.sampled_from([0, 1, 59, 60, 61, 119, 120, 121, 299, 300, 301]).map(lambda s: timedelta(seconds=s)),
    st.integers(min_value=0, max_value=900).map(lambda s: timedelta(seconds=s)),
    st.integers(min_value=0, max_value=2_000_000).map(lambda us: timedelta(microseconds=us)),
)
#: Instants near DST changes (New York, Lord Howe) and elsewhere.
bases = st.one_of(
    st.sampled_from(
        [
            datetime(2026, 3, 8, 6, 30, tzinfo=UTC),  # New York springs forward at 07:00 UTC
            datetime(2026, 11, 1, 5, 30, tzinfo=UTC),  # ... and falls back at 06:00 UTC
            datetime(2026, 4, 4, 14, 45, tzinfo=UTC),  # Lord Howe goes back half an hour at 15:00 UTC
        ]
    ),
    st.datetimes(
        min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - bounds of the naive range, UTC added
        max_value=datetime(2035, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
)
zones = st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30)), NY, ZoneInfo("Australia/Lord_Howe"), ZoneInfo("UTC")]
)
spans = st.sampled_from([timedelta(0), MINUTE, FIVE, timedelta(seconds=90)])
gaps = st.sampled_from([None, timedelta(seconds=60), timedelta(seconds=120), timedelta(microseconds=1)])


@st.composite
def series(draw, *, max_size=40):
    """Samples in time order: instants in UTC, steps that hit the boundaries, values around 5%."""
    moment = draw(bases)
    samples = []
    for step, value in draw(st.lists(st.tuples(steps, values), max_size=max_size)):
        moment += step
        samples.append((moment, value))
    return samples


def reference(samples, threshold, longer_than, max_gap):
    """The definitions written plainly: runs of samples above, broken by gaps, kept if longer."""
    runs, run = [], []
    for at, value in samples:
        moment = at.astimezone(UTC)
        if value > threshold:
            if run and max_gap is not None and moment - run[-1][0] > max_gap:
                runs.append(run)
                run = []
            run.append((moment, value))
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    found = []
    for run in runs:
        start, end = run[0][0], run[-1][0]
        if end - start > longer_than:
            peak = max(value for _, value in run)
            found.append(
                Breach(
                    start=start,
                    end=end,
                    confirmed_at=next(at for at, _ in run if at - start > longer_than),
                    peak=peak,
                    peak_at=next(at for at, value in run if value == peak),
                    samples=len(run),
                )
            )
    return found


def detect(samples, longer_than, max_gap):
    return sustained_breaches(samples, threshold=THRESHOLD, longer_than=longer_than, max_gap=max_gap)


def shifted(breach, by):
    return attrs.evolve(
        breach,
        start=breach.start + by,
        end=breach.end + by,
        confirmed_at=breach.confirmed_at + by,
        peak_at=breach.peak_at + by,
    )


# --- sustained thresholds: properties ----------------------------------------


@given(series(), spans, gaps, zones)
def test_breaches_follow_the_definitions_in_any_zone(samples, longer_than, max_gap, zone):
    """The detector agrees with the plain definition, whatever zone the instants are written in."""
    local = [(at.astimezone(zone), value) for at, value in samples]
    assert detect(local, longer_than, max_gap) == reference(samples, THRESHOLD, longer_than, max_gap)


@given(series(), spans, gaps, st.integers(-(10**12), 10**12).map(lambda us: timedelta(microseconds=us)))
def test_shifting_every_timestamp_shifts_the_breaches(samples, longer_than, max_gap, by):
    """Moving the whole series in time moves its breaches by the same amount and changes nothing else."""
    moved = [(at + by, value) for at, value in samples]
    expected = [shifted(breach, by) for breach in detect(samples, longer_than, max_gap)]
    assert detect(moved, longer_than, max_gap) == expected


@given(bases, st.integers(2, 30), spans, gaps)
def test_a_run_exactly_at_the_threshold_never_breaches(base, count, longer_than, max_gap):
    """Guide, ">5%": values equal to the threshold are not above it, however long they last."""
    samples = [(base + i * MINUTE, THRESHOLD) for i in range(count)]
    assert detect(samples, longer_than, max_gap) == []


@given(bases, st.integers(1, 20), spans)
def test_a_run_lasting_exactly_the_duration_is_no_breach(base, count, longer_than):
    """Guide, ">5 minutes": a run lasting exactly the duration is not longer; a microsecond more is."""
    step = longer_than / count
    exact = [(base + i * step, 0.9) for i in range(count)] + [(base + longer_than, 0.9)]
    assert detect(exact, longer_than, None) == []
    longer = [*exact, (base + longer_than + timedelta(microseconds=1), 0.9)]
    [breach] = detect(longer, longer_than, None)
    assert breach.duration == longer_than + timedelta(microseconds=1)
    assert breach.confirmed_at == breach.end


@given(series(), spans, gaps, st.lists(st.integers(0, 40)), st.sampled_from(["feed", "push", "iterator"]))
def test_feeding_in_pieces_is_one_pass(samples, longer_than, max_gap, cuts, way):
    """Cutting the series into chunks (or single samples, or iterators) gives the one-pass result."""
    detector = SustainedThresholdDetector(threshold=THRESHOLD, longer_than=longer_than, max_gap=max_gap)
    found = []
    bounds = [0, *sorted(cut for cut in cuts if cut <= len(samples)), len(samples)]
    for low, high in itertools.pairwise(bounds):
        chunk = samples[low:high]
        if way == "feed":
            found += detector.feed(chunk)
        elif way == "iterator":
            found += detector.feed(iter(chunk))
        else:
            found += [b for at, value in chunk if (b := detector.push(at, value)) is not None]
    assert detector.samples_seen == len(samples)
    if (last := detector.finish()) is not None:
        found.append(last)
    assert found == detect(samples, longer_than, max_gap)


@st.composite
def with_quiet_samples(draw):
    """A series, and the same series with samples at or below the threshold slipped in, in order."""
    samples = draw(series())
    extra = draw(st.lists(st.tuples(st.integers(0, len(samples)), st.floats(0, 1), st.floats(0, THRESHOLD))))
    merged = list(samples)
    for position, where, value in sorted(extra, reverse=True):
        before = merged[position - 1][0] if position > 0 else merged[0][0] - MINUTE if merged else T0
        after = merged[position][0] if position < len(merged) else before + MINUTE
        merged.insert(position, (before + (after - before) * where, value))
    return samples, merged


@given(with_quiet_samples(), spans, gaps)
def test_quiet_samples_never_create_a_breach(pair, longer_than, max_gap):
    """Adding samples at or below the threshold can shorten or split a breach, never make one."""
    samples, merged = pair
    original = detect(samples, longer_than, max_gap)
    for breach in detect(merged, longer_than, max_gap):
        assert any(b.start <= breach.start and breach.end <= b.end for b in original)


# --- sustained thresholds: examples ------------------------------------------


def test_the_guides_error_rate_criterion():
    """Guide, "Error rate >5% ... for >5 minutes", with the policy's own rule."""
    six_minutes = at_minutes((0, 0.04), (1, 0.06), (2, 0.08), (4, 0.07), (7, 0.051), (8, 0.05))
    [breach] = breaches(six_minutes)
    assert breach == Breach(
        start=T0 + MINUTE,
        end=T0 + 7 * MINUTE,
        confirmed_at=T0 + 7 * MINUTE,
        peak=0.08,
        peak_at=T0 + 2 * MINUTE,
        samples=4,
    )
    assert breach.duration == 6 * MINUTE


def test_the_run_ends_at_its_last_sample_above():
    """The samples show the condition until the last sample above, not until the next one below."""
    late_recovery = at_minutes((0, 0.06), (4, 0.06), (30, 0.01))
    assert breaches(late_recovery) == []


def test_max_gap_breaks_a_run():
    """Two samples further apart than max_gap do not show the condition held between them."""
    sparse = at_minutes((0, 0.06), (2, 0.06), (5, 0.06), (7, 0.06))
    assert [b.duration for b in breaches(sparse)] == [7 * MINUTE]
    assert [b.duration for b in breaches(sparse, max_gap=3 * MINUTE)] == [7 * MINUTE]
    assert breaches(sparse, max_gap=2 * MINUTE) == []
    two_runs = at_minutes(*((m, 0.06) for m in range(7)), *((m, 0.06) for m in range(20, 27)))
    assert len(breaches(two_runs, max_gap=2 * MINUTE)) == 2
    assert len(breaches(two_runs)) == 1


def test_the_latency_criterion_against_a_baseline():
    """Guide, "P95 latency >3x baseline for >5 minutes": the rule's multiple times the baseline."""
    detector = SustainedThresholdDetector.from_rule(DEFAULT_POLICY.criteria.p95_latency, baseline=200.0)
    assert detector.threshold == 600.0
    assert detector.longer_than == FIVE
    assert detector.feed(at_minutes(*((m, 600.0) for m in range(10)))) == []
    assert detector.finish() is None
    assert detector.feed(at_minutes(*((m, 601.0) for m in range(10)))) == []
    assert detector.finish().samples == 10


def test_push_current_and_finish():
    """A push returns the breach its sample ends; current is the one going on; finish starts afresh."""
    detector = SustainedThresholdDetector(threshold=0.05, longer_than=FIVE)
    for m in range(6):
        assert detector.push(T0 + m * MINUTE, 0.07) is None
    assert detector.current is None  # exactly five minutes so far
    assert detector.push(T0 + 6 * MINUTE, 0.07) is None
    assert detector.current.confirmed_at == T0 + 6 * MINUTE
    ended = detector.push(T0 + 7 * MINUTE, 0.01)
    assert ended.end == T0 + 6 * MINUTE
    assert detector.current is None
    assert detector.finish() is None
    assert detector.samples_seen == 0
    assert detector.push(T0, 0.07) is None  # a new series may start earlier


def test_a_detector_describes_itself():
    """Its settings are readable, and its repr shows them."""
    detector = SustainedThresholdDetector(threshold=0.05, longer_than=FIVE, max_gap=MINUTE)
    assert (detector.threshold, detector.longer_than, detector.max_gap) == (0.05, FIVE, MINUTE)
    assert repr(detector) == (
        "SustainedThresholdDetector(threshold=0.05, longer_than=datetime.timedelta(seconds=300), "
        "max_gap=datetime.timedelta(seconds=60))"
    )
    assert "max_gap" not in repr(SustainedThresholdDetector(threshold=0.05, longer_than=FIVE))


def test_breaches_are_reported_in_utc():
    """Samples written in New York time across the DST change: moments in UTC, durations exact."""
    start = datetime(2026, 11, 1, 1, 57, tzinfo=NY)  # EDT; clocks go back at 02:00
    samples = [((start.astimezone(UTC) + m * MINUTE).astimezone(NY), 0.2) for m in range(7)]
    [breach] = breaches(samples)
    assert breach.start.tzinfo is UTC
    assert breach.duration == 6 * MINUTE  # 01:57 EDT to 01:03 EST


@pytest.mark.parametrize("first", [0.06, 1, Fraction(1, 2), Decimal("0.07"), True])
@pytest.mark.parametrize("then", [0.06, 1, Fraction(1, 2), Decimal("0.07"), True])
def test_any_real_number_is_a_value(first, then):
    """Integers, fractions, decimals (and bools, as 0 and 1) are values as Python compares them."""
    samples = at_minutes((0, first), (3, then), (6, first), (7, False), (8, Decimal("0.01")), (9, 0))
    [breach] = breaches(samples)
    assert breach.peak == float(max(first, then))
    assert type(breach.peak) is float


def test_numpy_numbers_are_values():
    """Numpy's numbers, as iterating an array gives them, take the fast path like floats."""
    import numpy as np  # in the dev extra

    values = np.array([0.06, 0.07, 0.08, 0.01])
    samples = list(zip([T0 + m * MINUTE for m in (0, 3, 6, 7)], values, strict=True))
    [breach] = breaches(samples)
    assert breach.peak == 0.08
    assert type(breach.peak) is float


@pytest.mark.parametrize(
    ("sample", "message"),
    [
        (
            (datetime(2026, 3, 8, 9, 3), 0.01),  # noqa: DTZ001
            "samples[3]: expected a timezone-aware datetime, got naive 2026-03-08T09:03:00",
        ),
        ((T0, 0.01), "samples[3]: out of order: 2026-03-08T09:00:00+00:00 is earlier than"),
        ((T0 + 9 * MINUTE, math.nan), "samples[3]: value nan is not a finite number"),
        ((T0 + 9 * MINUTE, math.inf), "samples[3]: value inf is not a finite number"),
        ((T0 + 9 * MINUTE, -math.inf), "samples[3]: value -inf is not a finite number"),
        ((T0 + 9 * MINUTE, Decimal("NaN")), "samples[3]: value Decimal('NaN') is not a finite number"),
        ((T0 + 9 * MINUTE, Decimal("Infinity")), "samples[3]: value Decimal('Infinity') is not a finite"),
        ((T0 + 9 * MINUTE, "0.01"), "samples[3]: value '0.01' is not a number"),
        ((T0 + 9 * MINUTE, b"0.01"), "samples[3]: value b'0.01' is not a number"),
        ((T0 + 9 * MINUTE, None), "samples[3]: value None is not a number"),
        ((T0 + 9 * MINUTE, 1j), "samples[3]: value 1j is not a number"),
        (("2026-03-08T09:09:00Z", 0.01), "samples[3]: expected a timezone-aware datetime, got '2026"),
        ((date(2026, 3, 9), 0.01), "samples[3]: expected a timezone-aware datetime, got datetime.date"),
        ((time(9, tzinfo=UTC), 0.01), "samples[3]: expected a timezone-aware datetime, got datetime.time"),
        ((T0 + 9 * MINUTE,), "samples[3]: expected an (aware datetime, number) pair"),
        (0.01, "samples[3]: expected an (aware datetime, number) pair, got 0.01"),
    ],
)
@pytest.mark.parametrize("way", [list, iter])
def test_bad_samples_are_named_by_index(sample, message, way):
    """A bad sample is refused with its index; the detector is as it was before the call."""
    good = at_minutes((1, 0.06), (2, 0.06), (8, 0.06))
    detector = SustainedThresholdDetector(threshold=0.05, longer_than=FIVE)
    with pytest.raises(SampleError, match="^" + re.escape(message)) as caught:
        detector.feed(way([*good, sample]))
    assert caught.value.index == 3
    assert isinstance(caught.value, ValueError)
    assert detector.samples_seen == 0
    assert detector.feed(good) == []
    assert detector.finish().samples == 3


class Comparable:
    """Compares like a number, but is not one."""

    def __gt__(self, other):
        return True

    def __lt__(self, other):
        return True


@pytest.mark.parametrize("where", ["outside a run", "inside a run"])
@pytest.mark.parametrize(
    ("value", "message"),
    [(math.inf, "value inf is not a finite number"), (Comparable(), "value <test_detection.Comparable")],
)
def test_bad_values_inside_and_outside_a_run(where, value, message):
    """A bad value is found wherever it comes: after a quiet sample or in the middle of a run."""
    before = 0.01 if where == "outside a run" else 0.5
    with pytest.raises(SampleError, match=r"^samples\[1\]: " + re.escape(message)):
        breaches(at_minutes((0, before), (1, value)))


def test_the_index_counts_across_chunks():
    """The index is the sample's place in the whole series, not in the chunk."""
    detector = SustainedThresholdDetector(threshold=0.05, longer_than=FIVE)
    detector.feed(at_minutes((0, 0.01), (1, 0.01)))
    with pytest.raises(SampleError, match=r"^samples\[3\]: value nan") as caught:
        detector.feed(at_minutes((2, 0.01), (3, math.nan)))
    assert caught.value.index == 3
    assert detector.samples_seen == 2


def test_order_is_taken_in_utc():
    """01:10 EST comes after 01:50 EDT though its wall clock is earlier; the reverse is out of order."""
    edt, est = datetime(2026, 11, 1, 1, 50, tzinfo=NY), datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=NY)
    assert breaches([(edt, 0.01), (est, 0.01)]) == []
    with pytest.raises(SampleError, match=r"samples\[1\]: out of order"):
        breaches([(est, 0.01), (edt, 0.01)])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"threshold": math.nan, "longer_than": FIVE}, "threshold: expected a finite number"),
        ({"threshold": "5%", "longer_than": FIVE}, "threshold: expected a real number"),
        ({"threshold": 0.05, "longer_than": 300}, "longer_than: expected a timedelta"),
        ({"threshold": 0.05, "longer_than": -FIVE}, "longer_than: must not be negative"),
        (
            {"threshold": 0.05, "longer_than": FIVE, "max_gap": timedelta(0)},
            "max_gap: must be longer than zero",
        ),
    ],
)
def test_bad_arguments(arguments, message):
    """The detector's own arguments are checked when it is built."""
    with pytest.raises(DetectionError, match=message):
        SustainedThresholdDetector(**arguments)


def test_bad_rule_and_baseline():
    """from_rule takes a SustainedThreshold and a positive baseline."""
    with pytest.raises(DetectionError, match="rule: expected a SustainedThreshold"):
        SustainedThresholdDetector.from_rule(0.05)
    with pytest.raises(DetectionError, match="baseline: must be greater than zero"):
        SustainedThresholdDetector.from_rule(DEFAULT_POLICY.criteria.p95_latency, baseline=0)


# --- alerting thresholds -----------------------------------------------------

#: Guide, "Alerting Thresholds": metric, warning, critical, whether it alerts when it falls.
ALERTING_TABLE = [
    ("error_rate", 0.01, 0.05, False),  # >1% / >5%
    ("p95_latency", 2.0, 3.0, False),  # >2x / >3x baseline
    ("availability", 0.995, 0.99, True),  # <99.5% / <99%
    ("db_connections", 0.70, 0.90, False),  # >70% / >90% pool
]
BASELINE = 200.0


def alert_cases():
    """Each threshold of the table, at it, and one float short of and beyond it."""
    return list(_alert_cases())


def _alert_cases():
    none, warning, critical = AlertLevel.NONE, AlertLevel.WARNING, AlertLevel.CRITICAL
    for metric, warn, crit, falls in ALERTING_TABLE:
        scale = BASELINE if metric == "p95_latency" else 1.0
        worse, better = (-math.inf, math.inf) if falls else (math.inf, -math.inf)
        for value, expected in [
            (math.nextafter(warn * scale, better), none),
            (warn * scale, none),
            (math.nextafter(warn * scale, worse), warning),
            (math.nextafter(crit * scale, better), warning),
            (crit * scale, warning),
            (math.nextafter(crit * scale, worse), critical),
        ]:
            yield pytest.param(metric, value, expected, id=f"{metric}-{value!r}")


@pytest.mark.parametrize(("metric", "value", "expected"), alert_cases())
def test_every_row_of_the_alerting_table(metric, value, expected):
    """At, just short of and just beyond each threshold: comparisons are strict."""
    baseline = BASELINE if metric == "p95_latency" else None
    assert alert_level(metric, value, baseline=baseline) is expected


def test_sporadic_errors_raise_no_alert():
    """Guide, "Sporadic 500 errors without pattern (<0.1% of requests)": no incident, no alert."""
    assert alert_level("error_rate", DEFAULT_POLICY.exclusions.sporadic_error_rate_below) is AlertLevel.NONE


def test_alert_levels_read_the_policy():
    """The thresholds are the policy's data: a company's stricter table applies."""
    strict = attrs.evolve(
        DEFAULT_POLICY,
        alerting=Alerting(error_rate=AlertThreshold(warning=0.001, critical=0.002)),
    )
    assert alert_level("error_rate", 0.0015) is AlertLevel.NONE
    assert alert_level("error_rate", 0.0015, policy=strict) is AlertLevel.WARNING
    assert alert_level("error_rate", 0.0025, policy=strict) is AlertLevel.CRITICAL


@given(st.sampled_from(ALERTING_TABLE), st.floats(0, 1), st.floats(0, 1))
def test_alert_levels_are_monotone(row, a, b):
    """A worse reading never alerts less."""
    metric, _, _, falls = row
    low, high = sorted((a, b))
    order = list(AlertLevel)
    baseline = 0.25 if metric == "p95_latency" else None  # thresholds at 0.5 and 0.75
    worse, better = (low, high) if falls else (high, low)
    level = order.index(alert_level(metric, worse, baseline=baseline))
    assert level >= order.index(alert_level(metric, better, baseline=baseline))


@pytest.mark.parametrize(
    ("metric", "value", "baseline", "message"),
    [
        ("p95_latency", 700.0, None, "baseline: required for 'p95_latency'"),
        ("p95_latency", 700.0, 0.0, "baseline: must be greater than zero"),
        ("p95_latency", 700.0, math.inf, "baseline: expected a finite number"),
        ("p95_latency", -1.0, 200.0, "value: a latency must not be negative"),
        ("error_rate", 0.02, 200.0, "baseline: only a metric measured against a baseline"),
        ("error_rate", 5.0, None, r"value: expected a fraction from 0 to 1 \(0.05 is 5%\)"),
        ("availability", math.nan, None, "value: expected a finite number"),
        ("db_connections", "80%", None, "value: expected a real number"),
    ],
)
def test_bad_alert_readings(metric, value, baseline, message):
    """A missing baseline or a percentage given as 5 instead of 0.05 is refused, not misread."""
    with pytest.raises(DetectionError, match=message):
        alert_level(metric, value, baseline=baseline)


def test_unknown_metric():
    """A metric outside the table is an UnknownMetricError listing the known ones."""
    with pytest.raises(UnknownMetricError, match="unknown alerting metric 'latency'; expected one of"):
        alert_level("latency", 1.0)


# --- SLO windows -------------------------------------------------------------

NEW_YORK = attrs.evolve(DEFAULT_POLICY, zone="America/New_York")


def local(year, month, day, hour=0, zone=NY):
    return datetime(year, month, day, hour, tzinfo=zone)


@pytest.mark.parametrize(
    ("name", "moment", "start", "end", "hours"),
    [
        # The week containing Sunday 2026-03-08, when New York springs forward: Monday to Monday.
        ("api_latency_p95", local(2026, 3, 8, 12), local(2026, 3, 2), local(2026, 3, 9), 167),
        ("api_latency_p95", local(2026, 3, 9), local(2026, 3, 9), local(2026, 3, 16), 168),
        ("error_rate", local(2026, 3, 8, 23), local(2026, 3, 8), local(2026, 3, 9), 23),
        ("error_rate", local(2026, 11, 1, 1), local(2026, 11, 1), local(2026, 11, 2), 25),
        ("api_availability", local(2026, 3, 31, 23), local(2026, 3, 1), local(2026, 4, 1), 743),
        ("api_availability", local(2026, 12, 31, 23), local(2026, 12, 1), local(2027, 1, 1), 744),
    ],
)
def test_windows_across_dst(name, moment, start, end, hours):
    """Windows run from local midnight to local midnight; DST changes their length, not their days."""
    window = slo_window(name, moment, policy=NEW_YORK)
    assert window == (start, end)
    assert (window[1].astimezone(UTC) - window[0].astimezone(UTC)) == timedelta(hours=hours)


def test_a_window_is_taken_in_the_policys_zone():
    """Sunday 23:00 in New York is Monday 04:00 UTC: each policy sees its own week."""
    moment = local(2026, 3, 15, 23)
    assert slo_window("api_latency_p95", moment, policy=NEW_YORK)[0] == local(2026, 3, 9)
    assert slo_window("api_latency_p95", moment)[0] == datetime(2026, 3, 16, tzinfo=UTC)


def test_a_window_where_dst_skips_midnight():
    """Santiago springs forward at midnight: the day starts at 01:00."""
    santiago = attrs.evolve(DEFAULT_POLICY, zone="America/Santiago")
    zone = ZoneInfo("America/Santiago")
    start, end = slo_window("error_rate", datetime(2026, 9, 6, 12, tzinfo=zone), policy=santiago)
    assert start.replace(tzinfo=None) == datetime(2026, 9, 6, 1)  # noqa: DTZ001 - the local wall clock
    assert end.replace(tzinfo=None) == datetime(2026, 9, 7)  # noqa: DTZ001
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)


@given(
    st.sampled_from(["api_availability", "api_latency_p95", "error_rate"]),
    st.datetimes(
        min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - bounds of the naive range, zones added
        max_value=datetime(2035, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    st.sampled_from(["UTC", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham"]),
)
def test_windows_contain_their_moment_and_start_on_their_first_day(name, moment, zone):
    """A window holds its moment and starts at the first instant of a local day, a Monday, a 1st."""
    policy = attrs.evolve(DEFAULT_POLICY, zone=zone)
    start, end = slo_window(name, moment, policy=policy)
    assert start <= moment < end
    first = start.astimezone(ZoneInfo(zone))
    assert first.time() == time(0)
    kind = getattr(policy.slos, name).window.value
    assert {"daily": True, "weekly": first.weekday() == 0, "monthly": first.day == 1}[kind]
    assert slo_window(name, end, policy=policy)[0] == end  # the next window starts where this one ends


# --- SLO reports -------------------------------------------------------------

MARCH = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))
MID_MARCH = datetime(2026, 3, 16, 12, tzinfo=UTC)  # half of March gone


@pytest.mark.parametrize(
    ("name", "counts", "met"),
    [
        # "API Availability 99.9% Monthly": met at exactly 99.9%.
        ("api_availability", {"good": 999, "total": 1000}, True),
        ("api_availability", {"good": 998, "total": 1000}, False),
        ("api_availability", {"good": 0, "total": 0}, True),
        # "Error Rate <0.1% Daily": exactly 0.1% is not below 0.1%.
        ("error_rate", {"bad": 1, "total": 1000}, False),
        ("error_rate", {"bad": 1, "total": 1001}, True),
        ("error_rate", {"good": 1000, "total": 1000}, True),
        # "API Latency P95 <500ms Weekly": at least 95% of requests faster than 500 ms.
        ("api_latency_p95", {"good": 95, "total": 100}, True),
        ("api_latency_p95", {"good": 94, "total": 100}, False),
    ],
)
def test_each_slo_met_and_missed(name, counts, met):
    """Each row of the guide's SLO table, on both sides of its target."""
    report = slo_report(name, now=MID_MARCH, **counts)
    assert report.met is met


def test_burn_rate_and_budget():
    """Twice the allowed failures, half the month gone: burn rate 2, the budget just spent."""
    report = slo_report("api_availability", good=998_000, total=1_000_000, now=MID_MARCH)
    assert (report.start, report.end) == MARCH
    assert report.budget == 0.001
    assert report.burn_rate == 2.0
    assert report.elapsed == 0.5
    assert report.budget_remaining == 0.0
    assert report.exhausted_at == MID_MARCH
    assert report.bad == 2000
    assert report.bad_fraction == 0.002
    on_budget = slo_report("api_availability", good=999_000, total=1_000_000, now=MID_MARCH)
    assert on_budget.burn_rate == 1.0
    assert on_budget.budget_remaining == 0.5
    assert on_budget.exhausted_at == MARCH[1]  # burn rate 1: the budget lasts exactly the window


def test_error_rate_budget():
    """Guide, "Error Rate <0.1% Daily": the budget is 0.1% of requests; none failed, none spent."""
    report = slo_report("error_rate", bad=0, total=5000, now=MID_MARCH)
    assert (report.budget, report.burn_rate, report.budget_remaining, report.exhausted_at) == (
        0.001,
        0,
        1,
        None,
    )
    assert report.start == datetime(2026, 3, 16, tzinfo=UTC)
    burning = slo_report("error_rate", bad=5, total=1000, now=MID_MARCH)
    assert burning.burn_rate == 5.0
    assert burning.budget_remaining == pytest.approx(1 - 5.0 * 0.5)


def test_a_zero_budget():
    """A 100% objective leaves no budget: any failure burns it at an infinite rate."""
    from incident_process.policy import Slo, Slos
    from incident_process.vocabulary import SloWindow

    perfect = attrs.evolve(
        DEFAULT_POLICY, slos=Slos(api_availability=Slo(target=1.0, window=SloWindow.MONTHLY))
    )
    spent = slo_report("api_availability", good=9, total=10, now=MARCH[0], policy=perfect)
    assert (spent.met, spent.burn_rate, spent.budget_remaining, spent.exhausted_at) == (
        False,
        math.inf,
        -math.inf,
        MARCH[0],
    )
    clean = slo_report("api_availability", good=10, total=10, now=MID_MARCH, policy=perfect)
    assert (clean.met, clean.burn_rate, clean.budget_remaining, clean.exhausted_at) == (True, 0.0, 1.0, None)


def test_a_budget_spent_too_slowly_to_run_out():
    """One failure in a trillion requests: the budget would last beyond any date."""
    report = slo_report("api_availability", bad=1, total=10**12, now=MID_MARCH)
    assert report.burn_rate == pytest.approx(1e-9)
    assert report.exhausted_at is None
    assert report.good_fraction == 1 - 1e-12


def test_a_finished_window():
    """After the window's end the whole window has elapsed."""
    report = slo_report(
        "api_availability", good=9990, total=10_000, now=datetime(2026, 5, 1, tzinfo=UTC), window=MARCH
    )
    assert report.elapsed == 1.0
    assert report.budget_remaining == 0.0
    assert report.met


def test_reports_are_in_the_policys_zone():
    """The window and the moments come back in the policy's zone."""
    report = slo_report("error_rate", bad=0, total=10, now=local(2026, 3, 8, 12), policy=NEW_YORK)
    assert report.start == local(2026, 3, 8)
    assert report.start.utcoffset() == timedelta(hours=-5)
    assert report.end.utcoffset() == timedelta(hours=-4)


def per_minute(values, start=datetime(2026, 3, 9, 0, 0, tzinfo=UTC)):
    return [(start + i * MINUTE, value) for i, value in enumerate(values)]


def test_latency_slo_from_samples():
    """Guide, "<500ms": a latency of exactly 500 ms is not below it; 95% below meets the P95."""
    now = datetime(2026, 3, 12, tzinfo=UTC)
    met = latency_slo_report(per_minute([499.9] * 95 + [500.0] * 5), now=now)
    assert (met.good, met.total, met.met) == (95, 100, True)
    assert met.burn_rate == pytest.approx(1.0)
    assert met.start == datetime(2026, 3, 9, tzinfo=UTC)
    missed = latency_slo_report(per_minute([499.9] * 94 + [500.0] * 6), now=now)
    assert (missed.good, missed.met) == (94, False)


def test_latency_samples_outside_the_window_are_not_counted():
    """A longer series can be given: only the window's samples count."""
    samples = per_minute([900.0] * 10, start=datetime(2026, 3, 8, 23, 55, tzinfo=UTC)) + per_minute(
        [100.0] * 5, start=datetime(2026, 3, 9, 0, 5, tzinfo=UTC)
    )
    report = latency_slo_report(samples, now=datetime(2026, 3, 10, tzinfo=UTC))
    assert (report.good, report.total) == (5, 10)


def test_latency_slo_reads_the_policy():
    """The target is the policy's."""
    from incident_process.policy import Slo, Slos
    from incident_process.vocabulary import SloWindow

    lenient = attrs.evolve(
        DEFAULT_POLICY,
        slos=Slos(api_latency_p95=Slo(target=1000.0, window=SloWindow.DAILY)),
    )
    report = latency_slo_report(
        per_minute([900.0] * 10), now=datetime(2026, 3, 9, 1, tzinfo=UTC), policy=lenient
    )
    assert report.met
    assert report.target == 1000.0
    assert report.end == datetime(2026, 3, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("samples", "message"),
    [
        (per_minute([100.0, -1.0]), r"samples\[1\]: a latency must not be negative"),
        (per_minute([100.0, 100.0, 100.0]), r"samples\[2\]: 2026-03-09T00:02:00\+00:00 is after now"),
        (
            [*per_minute([100.0]), (datetime(2026, 3, 9, 0, 1), 1.0)],  # noqa: DTZ001
            r"samples\[1\]: expected a timezone-aware datetime, got naive ",
        ),
    ],
)
def test_bad_latency_samples(samples, message):
    """Latency samples are checked like any series, and may not lie in the future."""
    with pytest.raises(SampleError, match=message):
        latency_slo_report(samples, now=datetime(2026, 3, 9, 0, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"name": "latency", "good": 1, "total": 1}, UnknownMetricError, "unknown SLO 'latency'"),
        ({"good": 1, "bad": 0, "total": 1}, DetectionError, "give exactly one of the good and the bad"),
        ({"total": 1}, DetectionError, "give exactly one"),
        ({"good": 2, "total": 1}, DetectionError, r"good: must be at most total \(1\), got 2"),
        ({"bad": 2, "total": 1}, DetectionError, r"bad: must be at most total \(1\), got 2"),
        ({"good": -1, "total": 1}, DetectionError, "good: expected a count"),
        ({"good": 1.0, "total": 1}, DetectionError, "good: expected a count"),
        ({"good": True, "total": 1}, DetectionError, "good: expected a count"),
        (
            {"good": 1, "total": 1, "now": datetime(2026, 3, 9)},  # noqa: DTZ001 - naive on purpose
            DetectionError,
            "now: expected a timezone-aware",
        ),
        (
            {"good": 1, "total": 1, "window": (MARCH[1], MARCH[0])},
            DetectionError,
            "must come after the start",
        ),
        ({"good": 1, "total": 1, "window": MARCH[0]}, DetectionError, "window: expected a"),
        (
            {"good": 1, "total": 1, "now": datetime(2026, 2, 1, tzinfo=UTC), "window": MARCH},
            DetectionError,
            "is before the window's start",
        ),
    ],
)
def test_bad_slo_arguments(arguments, error, message):
    """Counts, moments and windows are checked; an unknown SLO is named."""
    arguments = {"name": "api_availability", "now": MID_MARCH, **arguments}
    with pytest.raises(error, match=message):
        slo_report(arguments.pop("name"), **arguments)


@given(
    st.integers(0, 10**9).flatmap(lambda total: st.tuples(st.integers(0, total), st.just(total))),
    st.sampled_from(["api_availability", "api_latency_p95", "error_rate"]),
    st.datetimes(min_value=datetime(2026, 3, 1), max_value=datetime(2026, 3, 31, 23), timezones=st.just(UTC)),  # noqa: DTZ001
)
def test_burn_rate_and_met_agree(counts, name, now):
    """Below burn rate 1 the objective is met; above it, missed (away from the exact boundary)."""
    good, total = counts
    report = slo_report(name, good=good, total=total, now=now, window=MARCH)
    assert 0 <= report.elapsed <= 1
    assert report.budget_remaining == pytest.approx(1 - report.burn_rate * report.elapsed)
    if report.burn_rate < 0.999_999:
        assert report.met
    if report.burn_rate > 1.000_001:
        assert not report.met


def test_policy_argument_is_keyword_only():
    """The policy is always passed by name."""
    with pytest.raises(TypeError):
        slo_window("error_rate", T0, Policy())
