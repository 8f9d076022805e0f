"""Benchmark business-day deadlines and obligations, next to their references.

Run from the repository root with the package installed::

    python benchmarks/bench_time.py            # print the report
    python benchmarks/bench_time.py --write    # also update docs/performance.md

What is measured (best of several repeats):

* ``BusinessCalendar.deadline`` for 100,000 start moments (US calendar, New
  York time, 3 business days), next to a plain-Python loop over
  ``datetime.date`` with a frozenset of holidays (the target's reference), a
  naive day-by-day loop that asks the `holidays` package about every day, and
  ``numpy.busday_offset`` on the same dates as the compiled reference (numpy
  is used here only; the script says so and skips it if numpy is missing);
* ``Incident.obligations()`` for incidents with 100, 1,000 and 10,000 updates.

Targets (issue "Time"): a deadline costs at most 3x the plain-Python loop;
``obligations()`` is linear in the number of events.
"""

from __future__ import annotations

import datetime as dt
import platform
import random
import sys
from zoneinfo import ZoneInfo

import holidays

from _report import best, run
from incident_process import DetectionSource, Incident, Policy, Severity
from incident_process.policy import CalendarSettings
from incident_process.vocabulary import UpdateStatus

ZONE = ZoneInfo("America/New_York")
DAY = dt.timedelta(days=1)
POLICY = Policy(zone="America/New_York", calendar=CalendarSettings(country="US"))
CALENDAR = POLICY.business_calendar()


def moments(count: int) -> list[dt.datetime]:
    """Random start moments over 2026-2027, in New York time."""
    generator = random.Random(2026)  # noqa: S311 - reproducible test data, not secrets
    start = dt.datetime(2026, 1, 1, tzinfo=ZONE)
    return [start + dt.timedelta(minutes=generator.randrange(0, 2 * 365 * 24 * 60)) for _ in range(count)]


US_HOLIDAYS = holidays.country_holidays("US", years=(2026, 2027, 2028))
CLOSED = frozenset(US_HOLIDAYS)


def plain_deadline(day: dt.date, n: int) -> dt.date:
    """The reference: the deadline rule on plain dates with a frozenset of holidays."""
    while n:
        day += DAY
        if day.weekday() < 5 and day not in CLOSED:
            n -= 1
    return day


def naive_deadline(day: dt.date, n: int) -> dt.date:
    """Day by day, asking the holidays package about each day."""
    while n:
        day += DAY
        if day.weekday() < 5 and day not in US_HOLIDAYS:
            n -= 1
    return day


def incident_with_updates(updates: int) -> Incident:
    """A SEV2 incident with *updates* internal updates, five minutes apart."""
    start = dt.datetime(2026, 3, 9, 9, 0, tzinfo=ZONE)
    incident = Incident.detect(
        id="INC-3", title="Long", source=DetectionSource.AUTOMATED_ALERT, at=start, policy=POLICY
    )
    incident = incident.acknowledge(at=start, by="ana")
    incident = incident.declare(at=start, by="ana", declarer_role="on_call_engineer", severity=Severity.SEV2)
    incident = incident.start_response(at=start)
    for number in range(updates):
        incident = incident.post_update(
            at=start + dt.timedelta(minutes=5 * number), status=UpdateStatus.MITIGATING
        )
    return incident


def report() -> str:
    """Measure everything and return the Markdown section."""
    starts = moments(100_000)
    local_dates = [moment.astimezone(ZONE).date() for moment in starts]
    ours = best(lambda: [CALENDAR.deadline(moment, 3) for moment in starts], repeat=3) / len(starts)
    plain = best(lambda: [plain_deadline(day, 3) for day in local_dates], repeat=3) / len(starts)
    naive = best(lambda: [naive_deadline(day, 3) for day in local_dates], repeat=1) / len(starts)
    memo = CALENDAR._deadlines  # noqa: SLF001 - clearing the memo measures a first count
    cold = best(lambda: [(memo.clear(), CALENDAR.deadline(moment, 3)) for moment in starts], repeat=3)
    cold /= len(starts)
    ours_dates = [CALENDAR.deadline(moment, 3).date() for moment in starts[:2000]]
    if ours_dates != [plain_deadline(day, 3) for day in local_dates[:2000]]:
        msg = "the calendar and the reference loop disagree"
        raise SystemExit(msg)
    rows = [
        ("`BusinessCalendar.deadline` (aware moment in, aware deadline out)", ours),
        ("`BusinessCalendar.deadline`, every local date counted afresh (memo cleared)", cold),
        ("plain-Python loop over `datetime.date`, holidays in a frozenset", plain),
        ("naive loop asking the `holidays` package about each day", naive),
    ]
    try:
        import numpy as np
    except ImportError:
        numpy_note = "numpy is not installed: `pip install numpy` to compare with `numpy.busday_offset`."
    else:
        dates = np.array(local_dates, dtype="datetime64[D]")
        closed = np.array(sorted(CLOSED), dtype="datetime64[D]")

        def busday() -> object:
            # The N-th business day strictly after a date: from the business day on or before it.
            return np.busday_offset(dates, 3, roll="backward", holidays=closed)

        rows.append(("`numpy.busday_offset` (compiled, whole array at once)", best(busday) / len(starts)))
        numpy_note = ""
    machine = f"CPython {platform.python_version()}, {platform.system()} {platform.machine()}"
    lines = [
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d} on {machine}.",
        "",
        "| 100,000 deadlines, 3 business days, US calendar | per deadline (us) | vs plain loop |",
        "| --- | ---: | ---: |",
        *(f"| {name} | {cost * 1e6:.2f} | {cost / plain:.2f}x |" for name, cost in rows),
        "",
        f"A deadline costs **{ours / plain:.2f}x** the plain-Python loop (target: at most 3x).",
    ]
    if numpy_note:
        lines += ["", numpy_note]
    lines += [
        "",
        "| `obligations()` | events | time (ms) | per event (us) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for updates in (100, 1_000, 10_000):
        incident = incident_with_updates(updates)
        now = incident.events[-1].at + dt.timedelta(minutes=1)
        cost = best(lambda incident=incident, now=now: incident.obligations(now), repeat=3)
        per_event = cost / incident.version * 1e6
        lines.append(f"| {updates:,} updates | {incident.version:,} | {cost * 1e3:.2f} | {per_event:.2f} |")
    lines += ["", "The cost per event stays flat as the incident grows: `obligations()` is linear."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the report; with --write, also update docs/performance.md."""
    return run(__doc__.splitlines()[0], "bench_time", "Business days and obligations", report, argv)


if __name__ == "__main__":
    sys.exit(main())
