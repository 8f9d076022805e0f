"""Benchmark scheduling: next_change against obligations, and upcoming over a store's open incidents.

Run from the repository root with the package installed::

    python benchmarks/bench_schedule.py            # print the results
    python benchmarks/bench_schedule.py --write    # also update docs/performance.md

What is measured, in one run:

* ``next_change(now)`` of an incident of 1,000 events (a SEV2 incident in
  response with 996 updates, internal and status-page in turn), at three
  moments (mid-history, just after the last event, and an hour later), next
  to ``obligations(now)`` of the same incident at the same moment: the
  reference, since ``next_change`` is the obligations plus what changes
  next;
* ``upcoming(store.incidents(phases=OPEN_PHASES), now, until=now + 1 h)``
  over SQLite stores of 1,000, 2,500, 5,000 and 10,000 open incidents (each
  of 4 to 6 events, their detections spread over two hours), and
  ``upcoming`` over the same incidents already in memory: the cost per
  incident, which stays flat if it is linear.

Targets (issue "What a bot needs next"): ``next_change`` within 2x
``obligations()``; ``upcoming`` linear in the number of incidents.
"""

from __future__ import annotations

import datetime as dt
import platform
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from _report import best, run
from incident_process import Incident, upcoming
from incident_process.events import UpdatePosted
from incident_process.store import OPEN_PHASES, open_store
from incident_process.vocabulary import Audience, UpdateStatus

T0 = dt.datetime(2026, 3, 10, 14, 0, tzinfo=dt.UTC)
SIZES = (1_000, 2_500, 5_000, 10_000)


def at(minutes: float) -> dt.datetime:
    """A moment *minutes* after T0."""
    return T0 + dt.timedelta(minutes=minutes)


def long_incident(updates: int = 996) -> Incident:
    """A SEV2 incident in response, then *updates* updates ten minutes apart (internal, status page)."""
    incident = Incident.detect(id="INC-1", title="Checkout errors", source="automated_alert", at=at(0))
    incident = incident.acknowledge(at=at(1), by="ana")
    incident = incident.declare(at=at(2), by="ana", declarer_role="on_call_engineer", severity="SEV2")
    events = list(incident.start_response(at=at(3)).events)
    for n in range(updates):
        events.append(
            UpdatePosted(
                id=f"INC-1:{len(events) + 1}",
                at=at(4 + 10 * n),
                status=UpdateStatus.INVESTIGATING,
                audience=Audience.STATUS_PAGE if n % 2 else Audience.INTERNAL,
            )
        )
    return Incident.from_events(events)


def open_incident(number: int) -> Incident:
    """One of the store's open incidents: detected, some acknowledged, declared and in response."""
    start = at(number % 120)
    incident = Incident.detect(id=f"INC-{number:06d}", title="Errors", source="automated_alert", at=start)
    if number % 3:
        incident = incident.acknowledge(at=start + dt.timedelta(minutes=2), by="ana")
    if number % 3 == 2:
        incident = incident.declare(
            at=start + dt.timedelta(minutes=4), by="ana", declarer_role="on_call_engineer", severity="SEV2"
        )
        incident = incident.start_response(at=start + dt.timedelta(minutes=5))
    return incident


def next_change_rows() -> list[str]:
    """``next_change`` against ``obligations`` at three moments of a 1,000-event incident."""
    incident = long_incident()
    rows = []
    middle = incident.events[len(incident.events) // 2].at + dt.timedelta(minutes=1)
    last = incident.events[-1].at
    for label, now in (
        ("mid-history", middle),
        ("just after the last event", last + dt.timedelta(minutes=1)),
        ("an hour after it", last + dt.timedelta(hours=1)),
    ):
        obligations = best(lambda now=now: incident.obligations(now), number=3)
        following = best(lambda now=now: incident.next_change(now), number=3)
        rows.append(
            f"| {label} | {incident.version:,} | {obligations * 1e3:.2f} | {following * 1e3:.2f} "
            f"| {following / obligations:.2f}x |"
        )
    return rows


def upcoming_rows(directory: Path) -> list[str]:
    """``upcoming`` over stores of each size, and over the same incidents in memory."""
    rows = []
    now, until = at(130), at(190)
    for size in SIZES:
        path = directory / f"schedule-{size}.sqlite"
        incidents = [open_incident(number) for number in range(size)]
        with open_store(f"sqlite:///{path}") as store:
            for incident in incidents:
                store.add(incident)
        with open_store(f"sqlite:///{path}") as store:
            started = time.perf_counter()
            changes = sum(1 for _ in upcoming(store.incidents(phases=OPEN_PHASES), now, until=until))
            from_store = time.perf_counter() - started
        in_memory = best(lambda incidents=incidents: list(upcoming(incidents, now, until=until)), repeat=3)
        rows.append(
            f"| {size:,} | {changes:,} | {from_store * 1e3:,.0f} | {from_store / size * 1e6:.0f} "
            f"| {in_memory * 1e3:,.0f} | {in_memory / size * 1e6:.0f} |"
        )
    return rows


def report() -> str:
    """The Markdown section for docs/performance.md."""
    with tempfile.TemporaryDirectory() as directory:
        stores = upcoming_rows(Path(directory))
    measured = (
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d} on {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.system()} {platform.machine()}; "
        f"SQLite {sqlite3.sqlite_version}."
    )
    header = (
        "| open incidents | changes in the hour | `upcoming` from a new SQLite store (ms) "
        "| per incident (us) | `upcoming` in memory (ms) | per incident (us) |"
    )
    lines = [
        measured,
        "",
        "| `now` | events | `obligations(now)` (ms) | `next_change(now)` (ms) | ratio |",
        "| --- | ---: | ---: | ---: | ---: |",
        *next_change_rows(),
        "",
        header,
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
        *stores,
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the report; with --write, also update docs/performance.md."""
    return run(__doc__.splitlines()[0], "bench_schedule", "Scheduling", report, argv)


if __name__ == "__main__":
    sys.exit(main())
