"""Guide, "Incident Criteria": runs of a time series above a threshold for longer than a duration.

"An incident is declared when ANY of the following occur: ... Error rate >5%
for any critical endpoint for >5 minutes ... P95 latency >3x baseline for >5
minutes". :func:`sustained_breaches` and :class:`SustainedThresholdDetector`
find such runs.

Every comparison is strict where the guide writes ``>``: a value exactly at
the threshold does not breach, and a run that lasts exactly five minutes has
not lasted *more* than five minutes. The guide's "What Is NOT an Incident"
keeps "Sporadic 500 errors without pattern (<0.1% of requests)" out: such a
rate breaches no criterion here either.

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
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo
from typing import Final

import attrs

from incident_process._arguments import check_type
from incident_process.errors import DetectionError, SampleError
from incident_process.policy import SustainedThreshold
from incident_process.timing._moments import utc

from ._arguments import positive_baseline, real, span
from ._samples import (
    EARLIEST,
    INF,
    NEG_INF,
    SLOW,
    SlowZone,
    blocks,
    checked,
    first_invalid,
)

__all__ = [
    "Breach",
    "SustainedThresholdDetector",
    "sustained_breaches",
]


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
    count: int  # samples of the series taken
    _last: datetime  # the last sample's time (UTC unless its zone is a fixed offset)
    _zone: tzinfo | SlowZone  # the last sample's zone, if a fixed offset
    _start: datetime | None  # the first sample of the run going on, if one is
    _due: datetime  # the run breaches at a sample later than this
    _confirmed: datetime | None  # the first sample later than _due
    _peak: float
    _peak_at: datetime
    _n: int  # samples in the run

    def __init__(self, *, threshold: float, longer_than: timedelta, max_gap: timedelta | None = None) -> None:
        self._threshold = real("threshold", threshold)
        self._longer_than = span("longer_than", longer_than, allow_zero=True)
        self._max_gap = None if max_gap is None else span("max_gap", max_gap, allow_zero=False)
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
        scale = 1.0 if baseline is None else positive_baseline(baseline)
        return cls(threshold=rule.above * scale, longer_than=rule.longer_than, max_gap=max_gap)

    def _reset(self) -> None:
        self._count = 0
        self._last = EARLIEST
        self._zone = SLOW
        self._start = None
        self._due = EARLIEST
        self._confirmed = None
        self._peak = 0.0
        self._peak_at = EARLIEST
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
            TypeError: if *samples* is not iterable (issue 19, defect 10).
        """
        found: list[Breach] = []
        if isinstance(samples, list | tuple):  # one block: _take changes nothing if it raises
            self._take(samples, found)
            return found
        check_type("samples", samples, Iterable, "an iterable of (time, value) pairs")
        state = self._state()
        try:
            for block in blocks(samples):
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
        :func:`checked`, and a value that fails a comparison raises. If the
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
        inf, neg_inf, real = INF, NEG_INF, float  # locals are faster than globals
        samples = iter(block)
        try:
            while True:
                if start is None:  # outside a run: until a sample above the threshold
                    for at, value in samples:
                        if at.tzinfo is not zone or at < last:
                            at, value, zone = checked(at, value, last)  # noqa: PLW2901 - checked, normalized
                        if value > threshold:
                            if value == inf:
                                checked(at, value, last)  # raises: not finite
                            start = peak_at = last = at
                            due = at + longer_than
                            confirmed = None
                            peak = real(value)
                            n = 1
                            break
                        if not value > neg_inf:
                            checked(at, value, last)  # raises: not a finite number
                        last = at
                    else:
                        break
                for at, value in samples:  # inside a run: until a sample at or below the threshold
                    if at.tzinfo is not zone or at < last:
                        at, value, zone = checked(at, value, last)  # noqa: PLW2901 - checked, normalized
                    if value > threshold:
                        if value == inf:
                            checked(at, value, last)  # raises: not finite
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
                        checked(at, value, last)  # raises: not a finite number
                    if confirmed is not None:
                        found.append(_breach(start, last, confirmed, peak, peak_at, n))
                    start = None
                    last = at
                    break
                else:
                    break
        except Exception:
            # Checked again one by one: the first bad sample, or the error was not about one.
            invalid = first_invalid(block, before)
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


# --- SLOs --------------------------------------------------------------------
