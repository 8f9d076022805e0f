"""Guide, "SLOs": one SLO's standing in one window, its error budget and burn rate.

"API Availability 99.9% Monthly; API Latency P95 <500ms Weekly; Error Rate
<0.1% Daily". :func:`slo_report` and :func:`latency_slo_report` measure one
window; :func:`slo_window` gives it. The definitions used:

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

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Final

import attrs

from incident_process._arguments import check_type
from incident_process.errors import DetectionError, SampleError, UnknownMetricError
from incident_process.policy import DEFAULT_POLICY, SLO_METRICS, Policy, Slo, SloMetric
from incident_process.timing._calendar import resolve_zone
from incident_process.timing._moments import aware, utc
from incident_process.vocabulary import Direction, SloWindow

from ._arguments import checked_count
from ._samples import EARLIEST, INF, InvalidSampleError, checked, pair

__all__ = [
    "SloReport",
    "latency_slo_report",
    "slo_report",
    "slo_window",
]

_DAY: Final = timedelta(days=1)


#: The share of requests a P95 latency objective speaks for: "P95 <500ms" holds
#: exactly when at least 95% of requests took less than 500 ms.
_LATENCY_SHARE: Final = 0.95


_LATENCY_SLO: Final = "api_latency_p95"


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
    check_type("name", name, str, "an SLO's name (str)")  # issue 19, defect 10: a wrong type is a TypeError
    check_type("policy", policy, Policy, "a Policy")
    slo, _ = _slo(name, policy)
    zone = resolve_zone(policy.zone)
    day = aware(moment, "moment", DetectionError).astimezone(zone).date()
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


def _window(
    name: str, now: datetime, window: tuple[datetime, datetime] | None, policy: Policy
) -> tuple[datetime, datetime]:
    if window is None:
        return slo_window(name, now, policy=policy)
    if not isinstance(window, tuple) or len(window) != 2:
        msg = f"window: expected a (start, end) pair of aware datetimes, got {window!r}"
        raise DetectionError(msg)
    start, end = aware(window[0], "window[0]", DetectionError), aware(window[1], "window[1]", DetectionError)
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
        burn_rate = INF
    else:
        burn_rate = bad_fraction / budget
    first, until, moment = utc(start), utc(end), utc(now)
    span = until - first
    elapsed = min(1.0, (moment - first) / span)
    exhausted: datetime | None = None
    if burn_rate == INF:
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
        budget_remaining=-INF if burn_rate == INF else 1.0 - burn_rate * elapsed,
        exhausted_at=None if exhausted is None else exhausted.astimezone(zone),
    )


def _start_and_end(
    name: str, now: object, window: tuple[datetime, datetime] | None, policy: Policy
) -> tuple[datetime, datetime, datetime]:
    moment = aware(now, "now", DetectionError)
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
        TypeError: for an argument of the wrong type, naming it.

    >>> from datetime import UTC, datetime
    >>> now = datetime(2026, 3, 16, 0, tzinfo=UTC)  # half of March gone
    >>> report = slo_report("api_availability", good=999_000, total=1_000_000, now=now)
    >>> report.met, report.burn_rate, round(report.budget_remaining, 2)
    (True, 1.0, 0.52)
    """
    check_type("name", name, str, "an SLO's name (str)")  # issue 19, defect 10: a wrong type is a TypeError
    check_type("policy", policy, Policy, "a Policy")
    total = checked_count("total", total)
    if (good is None) == (bad is None):
        msg = "good, bad: give exactly one of the good and the bad events"
        raise DetectionError(msg)
    good = total - checked_count("bad", bad) if good is None else checked_count("good", good)
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
        TypeError: for an argument of the wrong type, naming it.
    """
    # issue 19, defect 10: a wrong type is a TypeError
    check_type("samples", samples, Iterable, "an iterable of (time, milliseconds) pairs")
    check_type("policy", policy, Policy, "a Policy")
    moment, start, end = _start_and_end(_LATENCY_SLO, now, window, policy)
    slo, _ = _slo(_LATENCY_SLO, policy)
    target = slo.target
    first, until, latest = utc(start), utc(end), utc(moment)
    good = total = 0
    last = EARLIEST
    for index, sample in enumerate(samples):
        try:
            last, value, _ = checked(*pair(sample), last)
        except InvalidSampleError as error:
            raise SampleError(index, str(error)) from None
        if value < 0:
            raise SampleError(index, f"a latency must not be negative, got {value!r}")
        if last > latest:
            raise SampleError(index, f"{utc(last).isoformat()} is after now ({latest.isoformat()})")
        if first <= last < until:
            total += 1
            good += value < target
    return _report(_LATENCY_SLO, good=good, total=total, now=moment, start=start, end=end, policy=policy)
