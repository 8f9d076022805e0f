"""Benchmark the incident lifecycle: commands and replay, next to two references.

Run from the repository root with the package installed::

    python benchmarks/bench_lifecycle.py            # print the report
    python benchmarks/bench_lifecycle.py --write    # also update docs/performance.md

What is measured (best of several repeats, so a busy machine inflates nothing):

* a full lifecycle of 10 commands (detect, acknowledge, declare, start the
  response, assign a role, two updates, resolve, start post-incident, close),
  next to the same 9 transitions sent to a bare python-statemachine machine of
  the same shape without guards (built once per lifecycle, as ours is: a
  machine that reaches a final state stops) and to a hand-written dict table;
* the replay of incidents of 1,000, 10,000 and 100,000 events with
  ``Incident.from_events``, next to a loop over the same events through a dict
  table and through a bare machine.

Targets (issue "Lifecycle"): one command costs at most 1.5x one bare
transition; replaying 10,000 events costs at most 20x the dict-table loop;
replay is linear in the number of events.
"""

from __future__ import annotations

import datetime as dt
import platform
import sys

from statemachine import State, StateMachine

from _report import best, run
from incident_process import DetectionSource, Incident, Role, Severity
from incident_process.events import Event, UpdatePosted
from incident_process.lifecycle._machine import TRANSITIONS
from incident_process.vocabulary import Audience, UpdateStatus

T0 = dt.datetime(2026, 3, 8, 9, 0, tzinfo=dt.UTC)


def at(minutes: int) -> dt.datetime:
    """A moment *minutes* after T0."""
    return T0 + dt.timedelta(minutes=minutes)


def lifecycle() -> Incident:
    """Ten commands, from detection to closing."""
    incident = Incident.detect(
        id="INC-1", title="Checkout errors", source=DetectionSource.AUTOMATED_ALERT, at=T0
    )
    incident = incident.acknowledge(at=at(1), by="ana")
    incident = incident.declare(at=at(2), by="ana", declarer_role="on_call_engineer", severity=Severity.SEV2)
    incident = incident.start_response(at=at(3))
    incident = incident.assign_role(Role.TECHNICAL_LEAD, "bo", at=at(4))
    incident = incident.post_update(at=at(5), status=UpdateStatus.INVESTIGATING)
    incident = incident.post_update(
        at=at(6), status=UpdateStatus.INVESTIGATING, audience=Audience.STATUS_PAGE
    )
    incident = incident.resolve(at=at(40), last_error_at=at(20))
    incident = incident.start_post_incident(at=at(41))
    return incident.close(at=at(42))


COMMANDS = [event.command for event in lifecycle().events[1:]]


class Bare(StateMachine):  # type: ignore[misc] # python-statemachine's declarations are untyped
    """The lifecycle's shape with no guards: the bare python-statemachine reference."""

    validate_final_reachability = False  # as in Lifecycle: closed takes follow-ups

    detected = State(initial=True, value="detected")
    declared = State(value="declared")
    responding = State(value="responding")
    resolved = State(value="resolved")
    post_incident = State(value="post_incident")
    closed = State(value="closed")
    dismissed = State(final=True, value="dismissed")

    declare = detected.to(declared)
    dismiss = detected.to(dismissed)
    start_response = declared.to(responding)
    resolve = responding.to(resolved)
    reopen = resolved.to(responding)
    start_post_incident = resolved.to(post_incident)
    close = resolved.to(closed) | post_incident.to(closed)
    acknowledge = (
        detected.to.itself(internal=True)
        | declared.to.itself(internal=True)
        | responding.to.itself(internal=True)
    )
    assign_role = (
        declared.to.itself(internal=True)
        | responding.to.itself(internal=True)
        | resolved.to.itself(internal=True)
    )
    post_update = (
        declared.to.itself(internal=True)
        | responding.to.itself(internal=True)
        | resolved.to.itself(internal=True)
    )
    archive_channel = closed.to.itself(internal=True)


BARE = Bare()


def bare_lifecycle() -> None:
    """The same 9 transitions on a bare machine, re-pointed at the start as ours is."""
    BARE.current_state_value = "detected"
    for command in COMMANDS:
        BARE.send(command)


TABLE = {(phase.value, command): target.value for (phase, command), (target, _) in TRANSITIONS.items()}


def table_lifecycle() -> str:
    """The same 9 transitions through a dict table."""
    phase = "detected"
    for command in COMMANDS:
        phase = TABLE[phase, command]
    return phase


def long_incident(size: int) -> tuple[Event, ...]:
    """An incident of *size* events: detection, declaration, response, then updates."""
    incident = Incident.detect(id="INC-2", title="Long", source=DetectionSource.AUTOMATED_ALERT, at=T0)
    incident = incident.declare(at=at(1), by="ana", declarer_role="support_lead", severity=Severity.SEV1)
    events = list(incident.start_response(at=at(2)).events)
    events += [
        UpdatePosted(id=f"INC-2:{n}", at=at(n), status=UpdateStatus.INVESTIGATING) for n in range(4, size + 1)
    ]
    return tuple(events)


def table_replay(events: tuple[Event, ...]) -> str:
    """The reference replay: phase lookups in a dict table, nothing else."""
    phase = "detected"
    for event in events[1:]:
        phase = TABLE[phase, event.command]
    return phase


def bare_replay(events: tuple[Event, ...]) -> None:
    """Replay by sending every event to one bare machine."""
    machine = Bare()
    for event in events[1:]:
        machine.send(event.command)


def report() -> str:
    """Measure everything and return the Markdown section."""
    ours = best(lifecycle, number=200)
    bare = best(bare_lifecycle, number=200)
    table = best(table_lifecycle, number=20000)
    per_command, per_transition = ours / 10, bare / len(COMMANDS)
    machine = f"CPython {platform.python_version()}, {platform.system()} {platform.machine()}"
    lines = [
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d} on {machine}.",
        "",
        "| Full lifecycle | Time (us) | Per command or transition (us) |",
        "| --- | ---: | ---: |",
        f"| `Incident`: 10 commands | {ours * 1e6:.0f} | {per_command * 1e6:.1f} |",
        f"| bare python-statemachine: 9 transitions | {bare * 1e6:.0f} | {per_transition * 1e6:.1f} |",
        f"| dict table: 9 transitions | {table * 1e6:.1f} | {table / len(COMMANDS) * 1e6:.2f} |",
        "",
        f"One command costs **{per_command / per_transition:.2f}x** one bare transition (target: 1.5x).",
        "",
        "| Replay | `from_events` (ms) | per event (us) | dict table (ms) | bare machine (ms) | ratio |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    ratios = {}
    for size in (1_000, 10_000, 100_000):
        events = long_incident(size)
        repeat = 3 if size == 100_000 else 5
        replay = best(lambda events=events: Incident.from_events(events), number=1, repeat=repeat)
        reference = best(lambda events=events: table_replay(events), number=5, repeat=repeat)
        machine = (
            best(lambda events=events: bare_replay(events), number=1, repeat=1) if size <= 10_000 else None
        )
        ratios[size] = replay / reference
        shown_machine = f"{machine * 1e3:.0f}" if machine is not None else "-"
        lines.append(
            f"| {size:,} | {replay * 1e3:.1f} | {replay / size * 1e6:.2f} | {reference * 1e3:.2f} "
            f"| {shown_machine} | {ratios[size]:.1f}x |"
        )
    lines += [
        "",
        (
            f"Replaying 10,000 events costs **{ratios[10_000]:.1f}x** the dict-table loop (target: at most "
            "20x); the cost per event stays flat from 1,000 to 100,000 events, so replay is linear."
        ),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the report; with --write, also update docs/performance.md."""
    return run(__doc__.splitlines()[0], "bench_lifecycle", "Lifecycle", report, argv)


if __name__ == "__main__":
    sys.exit(main())
