"""Detection: sustained thresholds, alert levels and SLOs, read from the policy.

Guide, "Incident Criteria": "An incident is declared when ANY of the
following occur: ... Error rate >5% for any critical endpoint for >5 minutes
... P95 latency >3x baseline for >5 minutes". :func:`sustained_breaches` and
:class:`SustainedThresholdDetector` find such runs in a time series.

Guide, "Alerting Thresholds" (warning / critical): "Error rate >1% / >5%;
P95 latency >2x baseline / >3x baseline; Availability <99.5% / <99%;
Database connections >70% pool / >90% pool". :func:`alert_level` reads the
policy's table.

Guide, "SLOs": "API Availability 99.9% Monthly; API Latency P95 <500ms
Weekly; Error Rate <0.1% Daily". :func:`slo_report` and
:func:`latency_slo_report` measure one window; :func:`slo_window` gives it.

Every comparison is strict where the guide writes ``>`` or ``<``: a value
exactly at a threshold does not alert and does not breach, and a run that
lasts exactly five minutes has not lasted *more* than five minutes. Rates,
availability and pool use are fractions (``0.05`` is 5%), latencies are
milliseconds. The guide's "What Is NOT an Incident" keeps "Sporadic 500
errors without pattern (<0.1% of requests)" out: such a rate raises no alert
and breaches no criterion here either.

The definitions used throughout:

Sustained run
    A maximal sequence of consecutive samples each strictly above the
    threshold. It starts at its first sample and ends at its *last sample
    above the threshold*: the samples show the condition held from the one to
    the other, and nothing more (the first sample at or below the threshold
    may have come long after the value fell). Its duration is
    ``end - start``, so a single sample above the threshold lasts zero.

Breach
    A run whose duration is strictly longer than ``longer_than``.
    ``confirmed_at`` is the first sample at which the run had lasted longer
    than ``longer_than``: the moment the criterion was met as far as the
    samples show.

Gap
    With ``max_gap``, two consecutive samples further apart than ``max_gap``
    do not show that the condition held between them: a run is broken there
    and a new one starts at the later sample. Without ``max_gap``, samples
    are trusted however far apart they are.

Values
    A value is a finite real number: a float, an int, a
    :class:`~fractions.Fraction`, a :class:`~decimal.Decimal`, a numpy
    number (a bool counts as 0 or 1, as in Python). It is compared with the
    threshold as Python compares it; a breach's peak is a float.

Order and time
    Samples come in time order (equal times are allowed) with
    timezone-aware datetimes; elapsed time and order are taken in UTC, and a
    :class:`Breach` reports its moments in UTC.

SLO window
    The calendar day, week (Monday to Monday) or month of the policy's zone,
    from local midnight to local midnight (the first instant of the local
    day where DST skips midnight), half open: ``start <= t < end``. A window
    lasts what the clocks say: the New York day of 2026-03-08 lasts 23 hours.

Error budget and burn rate
    An SLO allows a share of events to be bad: ``1 - 0.999`` of requests may
    fail for availability, ``0.001`` for the error rate, and ``5%`` may take
    500 ms or longer for the P95 latency. The burn rate is the observed bad
    share divided by that allowance (Google SRE Workbook, "Alerting on
    SLOs"): at 1.0 the budget lasts exactly the window, at 2.0 half of it.
    The budget remaining is ``1 - burn_rate * elapsed``, where ``elapsed`` is
    the share of the window gone by: the share of the whole window's budget
    not yet spent, if the traffic seen so far continues at its pace.
"""

from __future__ import annotations

import enum
import math
import numbers
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from itertools import islice
from typing import Final, cast

import attrs

from ._calendar import resolve_zone
from ._errors import DetectionError, SampleError, UnknownMetricError
from ._events import utc
from ._policy import (
    ALERT_METRICS,
    DEFAULT_POLICY,
    SLO_METRICS,
    Direction,
    Policy,
    Slo,
    SloMetric,
    SloWindow,
    SustainedThreshold,
)

__all__ = [
    "AlertLevel",
    "Breach",
    "SloReport",
    "SustainedThresholdDetector",
    "alert_level",
    "latency_slo_report",
    "slo_report",
    "slo_window",
    "sustained_breaches",
]

_INF: Final = math.inf
_NEG_INF: Final = -math.inf
_ZERO: Final = timedelta(0)
_DAY: Final = timedelta(days=1)
_BLOCK: Final = 4096  # samples taken at a time from an iterator that is not a list or tuple

#: The share of requests a P95 latency objective speaks for: "P95 <500ms" holds
#: exactly when at least 95% of requests took less than 500 ms.
_LATENCY_SHARE: Final = 0.95
_LATENCY_SLO: Final = "api_latency_p95"


class _SlowZone:
    """Marks a last sample whose zone is not a fixed offset: the next sample is checked in full."""

    __slots__ = ()


_SLOW: Final = _SlowZone()
#: Before the first sample of a series: any aware time is later.
_EARLIEST: Final = datetime.min.replace(tzinfo=UTC)


def _show(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else repr(value)


def _real(path: str, value: object) -> float:
    """*value* as a finite float, or a :class:`DetectionError` naming *path*."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        msg = f"{path}: expected a real number (an int or a float), got {value!r}"
        raise DetectionError(msg)
    number = float(value)
    if not math.isfinite(number):
        msg = f"{path}: expected a finite number, got {value!r}"
        raise DetectionError(msg)
    return number


def _aware(path: str, value: object) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        msg = f"{path}: expected a timezone-aware datetime, got {_show(value)}"
        raise DetectionError(msg)
    return value


def _span(path: str, value: object, *, allow_zero: bool) -> timedelta:
    if not isinstance(value, timedelta):
        msg = f"{path}: expected a timedelta, got {value!r}"
        raise DetectionError(msg)
    if value < _ZERO or (value == _ZERO and not allow_zero):
        bound = "must not be negative" if allow_zero else "must be longer than zero"
        msg = f"{path}: {bound}, got {value}"
        raise DetectionError(msg)
    return value


# --- Samples -----------------------------------------------------------------


class _InvalidSampleError(Exception):
    """A sample is wrong; the caller knows its index and raises :class:`SampleError`."""


def _pair(sample: object) -> tuple[object, object]:
    """*sample*'s time and value, or why it is not a pair."""
    try:
        at, value = cast("Iterable[object]", sample)
    except (TypeError, ValueError):
        msg = f"expected an (aware datetime, number) pair, got {sample!r}"
        raise _InvalidSampleError(msg) from None
    return at, value


def _checked(at: object, value: object, last: datetime) -> tuple[datetime, float, tzinfo | _SlowZone]:
    """The full check of one sample after one at *last*: its time, its value and its fast zone.

    The time comes back as given when its zone is a fixed offset
    (:class:`datetime.timezone`, such as UTC), where Python's arithmetic and
    order are exact, and converted to UTC otherwise. The zone returned lets
    the detector's loop take the next samples of the same fixed zone
    without this check.
    """
    moment, zone = _checked_time(at, last)
    if type(value) is float and _NEG_INF < value < _INF:
        return moment, value, zone
    return moment, _checked_value(value), zone


def _checked_time(at: object, last: datetime) -> tuple[datetime, tzinfo | _SlowZone]:
    if not isinstance(at, datetime):
        msg = f"expected a timezone-aware datetime, got {at!r}"
        raise _InvalidSampleError(msg)
    zone: tzinfo | _SlowZone = at.tzinfo or _SLOW
    if type(zone) is not timezone:
        if at.utcoffset() is None:
            msg = f"naive datetime {at.isoformat()}; expected a timezone-aware datetime"
            raise _InvalidSampleError(msg)
        zone = _SLOW
        try:
            at = at.astimezone(UTC)
        except (OverflowError, ValueError):
            msg = f"{at.isoformat()} cannot be taken to UTC"
            raise _InvalidSampleError(msg) from None
    if at < last:
        msg = (
            f"out of order: {utc(at).isoformat()} is earlier than the sample before ({utc(last).isoformat()})"
        )
        raise _InvalidSampleError(msg)
    return at, zone


def _checked_value(value: object) -> float:
    """*value* as a float, if it compares with floats as a finite number (the loop's own test)."""
    try:
        finite = _NEG_INF < value < _INF  # type: ignore[operator]
    except TypeError:
        finite = None
    except ArithmeticError:  # decimal.Decimal("NaN") refuses to be compared
        finite = False
    if finite is None or isinstance(value, str | bytes):
        msg = f"value {value!r} is not a number"
        raise _InvalidSampleError(msg)
    if not finite:
        msg = f"value {value!r} is not a finite number"
        raise _InvalidSampleError(msg)
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        msg = f"value {value!r} is not a number"
        raise _InvalidSampleError(msg) from None


def _first_invalid(block: Iterable[object], last: datetime) -> tuple[int, str] | None:
    """The position in *block* of its first invalid sample and why, checking each in full."""
    for position, sample in enumerate(block):
        try:
            last = _checked(*_pair(sample), last)[0]
        except _InvalidSampleError as error:
            return position, str(error)
    return None


def _blocks(samples: Iterable[tuple[datetime, float]]) -> Iterator[list[tuple[datetime, float]]]:
    iterator = iter(samples)
    while block := list(islice(iterator, _BLOCK)):
        yield block


# --- Sustained thresholds ----------------------------------------------------


@attrs.frozen(kw_only=True)
class Breach:
    """A run of samples strictly above a threshold for strictly longer than a duration.

    Guide, "Incident Criteria": "Error rate >5% for any critical endpoint for
    >5 minutes", "P95 latency >3x baseline for >5 minutes".

    Attributes:
        start: The first sample of the run (UTC).
        end: The last sample of the run above the threshold (UTC); the
            samples show the condition held from ``start`` to ``end``.
        confirmed_at: The first sample at which the run had lasted strictly
            longer than the duration (UTC): when the criterion was met.
        peak: The highest value of the run.
        peak_at: The first sample with that value (UTC).
        samples: How many samples the run has.
    """

    start: datetime
    end: datetime
    confirmed_at: datetime
    peak: float
    peak_at: datetime
    samples: int

    @property
    def duration(self) -> timedelta:
        """How long the samples show the condition held, ``end - start``; zero for a run of one sample."""
        return self.end - self.start


def _breach(  # noqa: PLR0913, PLR0917 - a run's state, as the loop keeps it
    start: datetime, end: datetime, confirmed: datetime, peak: float, peak_at: datetime, n: int
) -> Breach:
    return Breach(
        start=utc(start),
        end=utc(end),
        confirmed_at=utc(confirmed),
        peak=peak,
        peak_at=utc(peak_at),
        samples=n,
    )


class SustainedThresholdDetector:
    """Finds runs above a threshold for longer than a duration: one pass, constant memory.

    Feed it one series in time order, in as many pieces as you like
    (:meth:`feed`, :meth:`push`), then call :meth:`finish`. Each piece
    returns the breaches that ended in it; a breach still going on is
    :attr:`current` and comes out of :meth:`finish`. The result does not
    depend on how the series is cut into pieces. See the module's
    definitions of a run, a breach and a gap.

    Samples in a fixed-offset zone (:data:`datetime.UTC` or any
    :class:`datetime.timezone`) take a fast path; samples in a zone with DST
    are converted to UTC one by one, which is correct but slower.

    >>> from datetime import UTC, datetime, timedelta
    >>> detector = SustainedThresholdDetector(threshold=0.05, longer_than=timedelta(minutes=5))
    >>> t0 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)
    >>> detector.feed((t0 + timedelta(minutes=m), 0.07) for m in range(7))
    []
    >>> detector.current.duration
    datetime.timedelta(seconds=360)
    >>> detector.push(t0 + timedelta(minutes=7), 0.01).confirmed_at
    datetime.datetime(2026, 3, 8, 9, 6, tzinfo=datetime.timezone.utc)
    >>> detector.finish() is None
    True
    """

    __slots__ = (
        "_confirmed",
        "_count",
        "_due",
        "_last",
        "_longer_than",
        "_max_gap",
        "_n",
        "_peak",
        "_peak_at",
        "_start",
        "_threshold",
        "_zone",
    )

    _threshold: float
    _longer_than: timedelta
    _max_gap: timedelta | None
    _count: int  # samples of the series taken
    _last: datetime  # the last sample's time (UTC unless its zone is a fixed offset)
    _zone: tzinfo | _SlowZone  # the last sample's zone, if a fixed offset
    _start: datetime | None  # the first sample of the run going on, if one is
    _due: datetime  # the run breaches at a sample later than this
    _confirmed: datetime | None  # the first sample later than _due
    _peak: float
    _peak_at: datetime
    _n: int  # samples in the run

    def __init__(self, *, threshold: float, longer_than: timedelta, max_gap: timedelta | None = None) -> None:
        self._threshold = _real("threshold", threshold)
        self._longer_than = _span("longer_than", longer_than, allow_zero=True)
        self._max_gap = None if max_gap is None else _span("max_gap", max_gap, allow_zero=False)
        self._reset()

    @classmethod
    def from_rule(
        cls, rule: SustainedThreshold, *, baseline: float | None = None, max_gap: timedelta | None = None
    ) -> SustainedThresholdDetector:
        """A detector for one of the policy's incident criteria.

        Args:
            rule: ``policy.criteria.error_rate`` or ``policy.criteria.p95_latency``.
            baseline: For a rule written as a multiple of a baseline ("P95
                latency >3x baseline"), the baseline in the samples' unit;
                the threshold is then ``rule.above * baseline``.
            max_gap: As for the constructor.
        """
        if not isinstance(rule, SustainedThreshold):
            msg = f"rule: expected a SustainedThreshold, got {rule!r}"
            raise DetectionError(msg)
        scale = 1.0 if baseline is None else _positive_baseline(baseline)
        return cls(threshold=rule.above * scale, longer_than=rule.longer_than, max_gap=max_gap)

    def _reset(self) -> None:
        self._count = 0
        self._last = _EARLIEST
        self._zone = _SLOW
        self._start = None
        self._due = _EARLIEST
        self._confirmed = None
        self._peak = 0.0
        self._peak_at = _EARLIEST
        self._n = 0

    def __repr__(self) -> str:
        gap = "" if self._max_gap is None else f", max_gap={self._max_gap!r}"
        return (
            f"SustainedThresholdDetector(threshold={self._threshold!r}, "
            f"longer_than={self._longer_than!r}{gap})"
        )

    @property
    def threshold(self) -> float:
        """A sample is above when its value is strictly above this."""
        return self._threshold

    @property
    def longer_than(self) -> timedelta:
        """A run breaches when it lasts strictly longer than this."""
        return self._longer_than

    @property
    def max_gap(self) -> timedelta | None:
        """Consecutive samples further apart than this break a run; ``None`` means no limit."""
        return self._max_gap

    @property
    def samples_seen(self) -> int:
        """How many samples of the current series have been accepted."""
        return self._count

    @property
    def current(self) -> Breach | None:
        """The run going on, if it already breaches (its ``end`` is the latest sample); else ``None``."""
        if self._start is None or self._confirmed is None:
            return None
        return _breach(self._start, self._last, self._confirmed, self._peak, self._peak_at, self._n)

    def push(self, at: datetime, value: float) -> Breach | None:
        """Take one sample; the breach it ended, if any.

        A sample ends a breach when it is at or below the threshold, or when
        it comes more than ``max_gap`` after the sample before.
        """
        found = self.feed(((at, value),))
        return found[0] if found else None

    def feed(self, samples: Iterable[tuple[datetime, float]]) -> list[Breach]:
        """Take the next samples of the series; the breaches that ended among them, in order.

        Raises:
            SampleError: A sample is not an (aware datetime, finite number)
                pair or comes before the sample before it; ``.index`` counts
                from the series' first sample. A call that raises changes
                nothing: the detector is as it was before the call.
        """
        found: list[Breach] = []
        if isinstance(samples, list | tuple):  # one block: _take changes nothing if it raises
            self._take(samples, found)
            return found
        state = self._state()
        try:
            for block in _blocks(samples):
                self._take(block, found)
        except BaseException:
            self._restore(state)
            raise
        return found

    def _state(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in _STATE)

    def _restore(self, state: tuple[object, ...]) -> None:
        for name, value in zip(_STATE, state, strict=True):
            setattr(self, name, value)

    def finish(self) -> Breach | None:
        """End the series: the breach still going on, if any. The detector is then ready for a new series."""
        breach = self.current
        self._reset()
        return breach

    def _take(  # noqa: C901, PLR0912, PLR0915 - the one hot loop, its state in locals
        self, block: list[tuple[datetime, float]] | tuple[tuple[datetime, float], ...], found: list[Breach]
    ) -> None:
        """The detector's one loop: state in locals, a fast path for valid samples of a fixed zone.

        The fast path takes a sample whose time is in the same fixed-offset
        zone as the sample before and not earlier than it, and whose value
        compares with floats as a finite number; any other time goes through
        :func:`_checked`, and a value that fails a comparison raises. If the
        block fails, it is checked again sample by sample to name the first
        bad sample, and the detector's state is left as it was.
        """
        threshold = self._threshold
        longer_than = self._longer_than
        max_gap = self._max_gap
        last = self._last
        zone = self._zone
        start = self._start
        due = self._due
        confirmed = self._confirmed
        peak = self._peak
        peak_at = self._peak_at
        n = self._n
        taken = len(block)
        before = last
        inf, neg_inf, real = _INF, _NEG_INF, float  # locals are faster than globals
        samples = iter(block)
        try:
            while True:
                if start is None:  # outside a run: until a sample above the threshold
                    for at, value in samples:
                        if at.tzinfo is not zone or at < last:
                            at, value, zone = _checked(at, value, last)  # noqa: PLW2901 - checked, normalized
                        if value > threshold:
                            if value == inf:
                                _checked(at, value, last)  # raises: not finite
                            start = peak_at = last = at
                            due = at + longer_than
                            confirmed = None
                            peak = real(value)
                            n = 1
                            break
                        if not value > neg_inf:
                            _checked(at, value, last)  # raises: not a finite number
                        last = at
                    else:
                        break
                for at, value in samples:  # inside a run: until a sample at or below the threshold
                    if at.tzinfo is not zone or at < last:
                        at, value, zone = _checked(at, value, last)  # noqa: PLW2901 - checked, normalized
                    if value > threshold:
                        if value == inf:
                            _checked(at, value, last)  # raises: not finite
                        if max_gap is not None and at - last > max_gap:  # a gap: a new run
                            if confirmed is not None:
                                found.append(_breach(start, last, confirmed, peak, peak_at, n))
                            start = peak_at = at
                            due = at + longer_than
                            confirmed = None
                            peak = real(value)
                            n = 1
                        else:
                            n += 1
                            if value > peak:
                                peak = real(value)
                                peak_at = at
                            if confirmed is None and at > due:
                                confirmed = at
                        last = at
                        continue
                    if not value > neg_inf:
                        _checked(at, value, last)  # raises: not a finite number
                    if confirmed is not None:
                        found.append(_breach(start, last, confirmed, peak, peak_at, n))
                    start = None
                    last = at
                    break
                else:
                    break
        except Exception:
            # Checked again one by one: the first bad sample, or the error was not about one.
            invalid = _first_invalid(block, before)
            if invalid is None:
                raise
            position, reason = invalid
            raise SampleError(self._count + position, reason) from None
        self._count += taken
        self._last = last
        self._zone = zone
        self._start = start
        self._due = due
        self._confirmed = confirmed
        self._peak = peak
        self._peak_at = peak_at
        self._n = n


#: The detector's state: what a call that raises puts back.
_STATE: Final = tuple(
    name
    for name in SustainedThresholdDetector.__slots__
    if name not in {"_threshold", "_longer_than", "_max_gap"}
)


def sustained_breaches(
    samples: Iterable[tuple[datetime, float]],
    *,
    threshold: float,
    longer_than: timedelta,
    max_gap: timedelta | None = None,
) -> list[Breach]:
    """Every run of *samples* strictly above *threshold* for strictly longer than *longer_than*.

    Guide, "Incident Criteria": "Error rate >5% for any critical endpoint for
    >5 minutes". Both comparisons are strict: values exactly at the threshold
    are not above it, and a run lasting exactly *longer_than* is no breach. A
    run lasts from its first to its last sample above the threshold; with
    *max_gap*, samples further apart than that break a run (see the module's
    definitions).

    Args:
        samples: ``(aware datetime, number)`` pairs in time order.
        threshold: ``policy.criteria.error_rate.above``, for example.
        longer_than: ``policy.criteria.error_rate.longer_than``, for example.
        max_gap: The longest silence between two samples that still shows
            the condition held; ``None`` trusts any gap.

    Raises:
        SampleError: A sample is naive, out of order or not a finite number;
            the message names its index (``samples[3]: naive datetime ...``).
        DetectionError: *threshold*, *longer_than* or *max_gap* is invalid.

    >>> from datetime import UTC, datetime, timedelta
    >>> from incident_process import DEFAULT_POLICY
    >>> rule = DEFAULT_POLICY.criteria.error_rate
    >>> t0 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)
    >>> minute = timedelta(minutes=1)
    >>> five = [(t0 + m * minute, 0.08) for m in range(6)]  # 09:00 to 09:05: exactly 5 minutes
    >>> sustained_breaches(five, threshold=rule.above, longer_than=rule.longer_than)
    []
    >>> six = [*five, (t0 + 6 * minute, 0.06)]
    >>> [b.duration for b in sustained_breaches(six, threshold=rule.above, longer_than=rule.longer_than)]
    [datetime.timedelta(seconds=360)]
    """
    detector = SustainedThresholdDetector(threshold=threshold, longer_than=longer_than, max_gap=max_gap)
    found = detector.feed(samples)
    if (last := detector.finish()) is not None:
        found.append(last)
    return found


# --- Alerting thresholds -----------------------------------------------------


class AlertLevel(enum.Enum):
    """Guide, "Alerting Thresholds": no alert, a warning, or a critical alert that pages."""

    NONE = "none"
    WARNING = "warning"
    CRITICAL = "critical"


#: Whether a value is beyond a threshold, for each direction; strict both ways.
_BEYOND: Mapping[Direction, Callable[[float, float], bool]] = {
    Direction.ABOVE: operator.gt,
    Direction.BELOW: operator.lt,
}

_BASELINE_UNIT: Final = "x baseline"


def _positive_baseline(baseline: object) -> float:
    number = _real("baseline", baseline)
    if number <= 0:
        msg = f"baseline: must be greater than zero, got {baseline!r}"
        raise DetectionError(msg)
    return number


def alert_level(
    metric: str, value: float, *, baseline: float | None = None, policy: Policy = DEFAULT_POLICY
) -> AlertLevel:
    """The alert level of one reading of *metric*, from the policy's "Alerting Thresholds".

    Guide: "Error rate >1% (warning) >5% (critical); P95 latency >2x baseline
    / >3x baseline; Availability <99.5% / <99%; Database connections >70%
    pool / >90% pool". Every comparison is strict: a value exactly at a
    threshold is not beyond it. Whether a metric alerts above or below its
    thresholds is its direction in ``ALERT_METRICS``.

    Args:
        metric: ``"error_rate"``, ``"p95_latency"``, ``"availability"`` or
            ``"db_connections"``.
        value: A fraction from 0 to 1 (``0.05`` is 5%) for the rates,
            availability and pool use; milliseconds for ``p95_latency``.
        baseline: The baseline P95 latency in milliseconds: required for
            ``p95_latency``, refused for the others.
        policy: Whose thresholds.

    Raises:
        UnknownMetricError: *metric* is not in the alerting table.
        DetectionError: *value* or *baseline* is invalid or missing.

    >>> alert_level("error_rate", 0.05)
    <AlertLevel.WARNING: 'warning'>
    >>> alert_level("availability", 0.989)
    <AlertLevel.CRITICAL: 'critical'>
    >>> alert_level("p95_latency", 650.0, baseline=200.0)
    <AlertLevel.CRITICAL: 'critical'>
    """
    threshold = policy.alerting[metric]
    kind = ALERT_METRICS[metric]
    measured = _real("value", value)
    if kind.unit == _BASELINE_UNIT:
        if baseline is None:
            msg = f"baseline: required for {metric!r}, whose thresholds are multiples of a baseline"
            raise DetectionError(msg)
        scale = _positive_baseline(baseline)
        if measured < 0:
            msg = f"value: a latency must not be negative, got {value!r}"
            raise DetectionError(msg)
    else:
        if baseline is not None:
            msg = f"baseline: only a metric measured against a baseline takes one, not {metric!r}"
            raise DetectionError(msg)
        scale = 1.0
        if not 0.0 <= measured <= 1.0:
            msg = f"value: expected a fraction from 0 to 1 (0.05 is 5%) for {metric!r}, got {value!r}"
            raise DetectionError(msg)
    beyond = _BEYOND[kind.direction]
    for level, limit in ((AlertLevel.CRITICAL, threshold.critical), (AlertLevel.WARNING, threshold.warning)):
        if beyond(measured, limit * scale):
            return level
    return AlertLevel.NONE


# --- SLOs --------------------------------------------------------------------


def _slo(name: str, policy: Policy) -> tuple[Slo, SloMetric]:
    if name not in SLO_METRICS:
        known = ", ".join(map(repr, SLO_METRICS))
        msg = f"unknown SLO {name!r}; expected one of {known}"
        raise UnknownMetricError(msg)
    slo: Slo = getattr(policy.slos, name)
    return slo, SLO_METRICS[name]


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


#: The first local day of the window containing a day, and the first of the next window.
_WINDOW_DAYS: Mapping[SloWindow, Callable[[date], tuple[date, date]]] = {
    SloWindow.DAILY: lambda day: (day, day + _DAY),
    SloWindow.WEEKLY: lambda day: (day - day.weekday() * _DAY, day + (7 - day.weekday()) * _DAY),
    SloWindow.MONTHLY: lambda day: (day.replace(day=1), _next_month(day)),
}


def _first_instant(day: date, zone: tzinfo) -> datetime:
    """The first instant of the local *day*: midnight, or the end of a DST gap that skips it."""
    midnight = datetime.combine(day, time(), tzinfo=zone)
    return midnight.astimezone(UTC).astimezone(zone)


def slo_window(name: str, moment: datetime, *, policy: Policy = DEFAULT_POLICY) -> tuple[datetime, datetime]:
    """The measurement window of the SLO *name* that contains *moment*: ``(start, end)``, half open.

    Guide, "SLOs": "API Availability ... Monthly; API Latency P95 ...
    Weekly; Error Rate ... Daily". Windows are calendar days, weeks starting
    on Monday and months of the policy's zone, from the first instant of
    their first local day to the first instant of the next window's. Local
    dates are taken first and turned into instants after, so DST changes the
    window's length, never its days.

    >>> from datetime import UTC, datetime
    >>> import attrs
    >>> from incident_process import DEFAULT_POLICY
    >>> new_york = attrs.evolve(DEFAULT_POLICY, zone="America/New_York")
    >>> start, end = slo_window("api_latency_p95", datetime(2026, 3, 8, 12, tzinfo=UTC), policy=new_york)
    >>> start.isoformat(), end.isoformat()
    ('2026-03-02T00:00:00-05:00', '2026-03-09T00:00:00-04:00')
    """
    slo, _ = _slo(name, policy)
    zone = resolve_zone(policy.zone)
    day = _aware("moment", moment).astimezone(zone).date()
    first, after = _WINDOW_DAYS[slo.window](day)
    return _first_instant(first, zone), _first_instant(after, zone)


@attrs.frozen(kw_only=True)
class SloReport:
    """How one SLO stands in one window: met or not, its budget and its burn rate.

    See the module's definitions of the window, the error budget and the
    burn rate.

    Attributes:
        name: The SLO (``"api_availability"``, ``"api_latency_p95"``,
            ``"error_rate"``).
        target: The policy's target (``0.999``, ``500.0`` ms, ``0.001``).
        start: The window's start, in the policy's zone.
        end: The window's end (excluded), in the policy's zone.
        now: When the report was made, in the policy's zone.
        good: Good events counted so far: successful requests, or latencies
            strictly below the target.
        total: All events counted so far.
        met: Whether the events so far meet the objective: "99.9%" means
            ``good / total >= 0.999``; "<0.1%" means ``bad / total < 0.001``;
            "P95 <500ms" means at least 95% of latencies below 500 ms. A
            window without events meets it.
        budget: The share of events allowed to be bad: ``0.001`` (1 - 99.9%),
            ``0.05`` (the 5% above the P95), ``0.001``.
        burn_rate: ``bad / total`` divided by ``budget``: 1.0 spends the
            budget exactly over the window.
        elapsed: The share of the window gone by at ``now``, 0 to 1.
        budget_remaining: ``1 - burn_rate * elapsed``: the share of the
            window's budget left; negative when overspent (``-inf`` when the
            budget is zero and something was spent).
        exhausted_at: When the budget runs (or ran) out at this burn rate,
            in the policy's zone; ``None`` when nothing is spent.
    """

    name: str
    target: float
    start: datetime
    end: datetime
    now: datetime
    good: int
    total: int
    met: bool
    budget: float
    burn_rate: float
    elapsed: float
    budget_remaining: float
    exhausted_at: datetime | None

    @property
    def bad(self) -> int:
        """Bad events counted so far."""
        return self.total - self.good

    @property
    def good_fraction(self) -> float:
        """``good / total``; 1.0 without events."""
        return self.good / self.total if self.total else 1.0

    @property
    def bad_fraction(self) -> float:
        """``bad / total``; 0.0 without events."""
        return self.bad / self.total if self.total else 0.0


#: For an objective on the share of good events (``ABOVE``) or of bad events
#: (``BELOW``): whether the observed shares meet it, and the budget it leaves.
_MEETS: Mapping[Direction, Callable[[float, float, float], bool]] = {
    Direction.ABOVE: lambda good, _bad, share: good >= share,
    Direction.BELOW: lambda _good, bad, share: bad < share,
}


def _complement(share: float) -> float:
    """``1 - share`` in decimal, as the guide writes it: 1 - 0.999 is 0.001, not 0.0010000000000000009."""
    from decimal import Decimal

    return float(1 - Decimal(repr(share)))


_BUDGET: Mapping[Direction, Callable[[float], float]] = {
    Direction.ABOVE: _complement,
    Direction.BELOW: float,
}


def _objective(slo: Slo, metric: SloMetric) -> tuple[Direction, float]:
    """The objective as a share of events: a floor on good ones, or a ceiling on bad ones."""
    if metric.unit == "ms":
        return Direction.ABOVE, _LATENCY_SHARE
    return metric.direction, slo.target


def _count(path: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = f"{path}: expected a count (a whole number, 0 or more), got {value!r}"
        raise DetectionError(msg)
    return value


def _window(
    name: str, now: datetime, window: tuple[datetime, datetime] | None, policy: Policy
) -> tuple[datetime, datetime]:
    if window is None:
        return slo_window(name, now, policy=policy)
    if not isinstance(window, tuple) or len(window) != 2:
        msg = f"window: expected a (start, end) pair of aware datetimes, got {window!r}"
        raise DetectionError(msg)
    start, end = _aware("window[0]", window[0]), _aware("window[1]", window[1])
    if utc(end) <= utc(start):
        msg = f"window: the end {end.isoformat()} must come after the start {start.isoformat()}"
        raise DetectionError(msg)
    return start, end


def _report(  # noqa: PLR0913 - the counts, the moments and the policy
    name: str, *, good: int, total: int, now: datetime, start: datetime, end: datetime, policy: Policy
) -> SloReport:
    slo, metric = _slo(name, policy)
    direction, share = _objective(slo, metric)
    bad = total - good
    good_fraction = good / total if total else 1.0
    bad_fraction = bad / total if total else 0.0
    budget = _BUDGET[direction](share)
    if bad == 0:
        burn_rate = 0.0
    elif budget <= 0:
        burn_rate = _INF
    else:
        burn_rate = bad_fraction / budget
    first, until, moment = utc(start), utc(end), utc(now)
    span = until - first
    elapsed = min(1.0, (moment - first) / span)
    exhausted: datetime | None = None
    if burn_rate == _INF:
        exhausted = first
    elif burn_rate > 0:
        try:
            exhausted = first + span / burn_rate
        except OverflowError:
            exhausted = None
    zone = resolve_zone(policy.zone)
    return SloReport(
        name=name,
        target=slo.target,
        start=first.astimezone(zone),
        end=until.astimezone(zone),
        now=moment.astimezone(zone),
        good=good,
        total=total,
        met=_MEETS[direction](good_fraction, bad_fraction, share),
        budget=budget,
        burn_rate=burn_rate,
        elapsed=elapsed,
        budget_remaining=-_INF if burn_rate == _INF else 1.0 - burn_rate * elapsed,
        exhausted_at=None if exhausted is None else exhausted.astimezone(zone),
    )


def _start_and_end(
    name: str, now: object, window: tuple[datetime, datetime] | None, policy: Policy
) -> tuple[datetime, datetime, datetime]:
    moment = _aware("now", now)
    start, end = _window(name, moment, window, policy)
    if utc(moment) < utc(start):
        msg = f"now: {moment.isoformat()} is before the window's start {start.isoformat()}"
        raise DetectionError(msg)
    return moment, start, end


def slo_report(  # noqa: PLR0913 - keyword-only: counts, moments and policy
    name: str,
    *,
    total: int,
    good: int | None = None,
    bad: int | None = None,
    now: datetime,
    window: tuple[datetime, datetime] | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> SloReport:
    """How the SLO *name* stands, from counts of good (or bad) events and all events.

    Guide, "SLOs": "API Availability 99.9% Monthly" (good: successful
    requests, met when ``good / total >= 0.999``); "Error Rate <0.1% Daily"
    (bad: failed requests, met when ``bad / total < 0.001``); "API Latency
    P95 <500ms Weekly" (good: requests faster than 500 ms, met when at least
    95% are). :func:`latency_slo_report` counts latencies for you.

    Args:
        name: The SLO.
        total: Events in the window up to *now*.
        good: Good events among them; give this or *bad*.
        bad: Bad events among them; give this or *good*.
        now: When the counts were taken.
        window: ``(start, end)``; by default the calendar window of the SLO
            containing *now* (:func:`slo_window`).
        policy: Whose SLOs, and whose zone.

    Raises:
        UnknownMetricError: *name* is not one of the guide's SLOs.
        DetectionError: A count, *now* or *window* is invalid.

    >>> from datetime import UTC, datetime
    >>> now = datetime(2026, 3, 16, 0, tzinfo=UTC)  # half of March gone
    >>> report = slo_report("api_availability", good=999_000, total=1_000_000, now=now)
    >>> report.met, report.burn_rate, round(report.budget_remaining, 2)
    (True, 1.0, 0.52)
    """
    total = _count("total", total)
    if (good is None) == (bad is None):
        msg = "good, bad: give exactly one of the good and the bad events"
        raise DetectionError(msg)
    good = total - _count("bad", bad) if good is None else _count("good", good)
    if good < 0 or good > total:
        path, count = ("good", good) if bad is None else ("bad", bad)
        msg = f"{path}: must be at most total ({total}), got {count}"
        raise DetectionError(msg)
    moment, start, end = _start_and_end(name, now, window, policy)
    return _report(name, good=good, total=total, now=moment, start=start, end=end, policy=policy)


def latency_slo_report(
    samples: Iterable[tuple[datetime, float]],
    *,
    now: datetime,
    window: tuple[datetime, datetime] | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> SloReport:
    """How the latency SLO stands, from timed latencies in milliseconds.

    Guide, "SLOs": "API Latency P95 <500ms Weekly". "P95 <500ms" holds
    exactly when at least 95% of the latencies are strictly below 500 ms, so
    each sample in the window is an event, good when strictly below the
    target. With request latencies that is the window's P95; with the P95 of
    each interval (a per-minute series) it is the share of intervals whose
    P95 met the target, a time-based reading of the same objective.

    Args:
        samples: ``(aware datetime, milliseconds)`` pairs in time order;
            those outside the window are not counted.
        now: When the report is made; no sample may come after it.
        window: ``(start, end)``; by default the week containing *now*.
        policy: Whose target, and whose zone.

    Raises:
        SampleError: A sample is naive, out of order, not a finite number,
            negative or later than *now*; the message names its index.
        DetectionError: *now* or *window* is invalid.
    """
    moment, start, end = _start_and_end(_LATENCY_SLO, now, window, policy)
    slo, _ = _slo(_LATENCY_SLO, policy)
    target = slo.target
    first, until, latest = utc(start), utc(end), utc(moment)
    good = total = 0
    last = _EARLIEST
    for index, sample in enumerate(samples):
        try:
            last, value, _ = _checked(*_pair(sample), last)
        except _InvalidSampleError as error:
            raise SampleError(index, str(error)) from None
        if value < 0:
            raise SampleError(index, f"a latency must not be negative, got {value!r}")
        if last > latest:
            raise SampleError(index, f"{utc(last).isoformat()} is after now ({latest.isoformat()})")
        if first <= last < until:
            total += 1
            good += value < target
    return _report(_LATENCY_SLO, good=good, total=total, now=moment, start=start, end=end, policy=policy)
