"""History that holds: facts recorded late keep their time; decisions never move behind what is recorded.

An event has two orders: when it happened (its ``at``) and when it was
recorded (its place in the incident's events, and ``recorded_at`` where the
caller gives one). Webhooks arrive late and out of order, and several
processes write one incident, so an event may be recorded after events that
happened later than it. The rules, per event (:data:`ARRIVALS`):

* A **decision** moves the incident to another phase (declare, start the
  response, resolve, reopen, start the post-incident process, close,
  dismiss). Everything recorded happened in the phase it was recorded in,
  so a decision is never dated before a recorded event: it is refused by
  ``time.order``, naming the event it would contradict.
* A **fact** leaves the phase as it is (an acknowledgement, an update, a
  milestone, a role hand-off, errors that stopped, an action, ...). Recorded
  late, it keeps its real time and goes into the incident's *timeline*
  where it happened: it is judged as of that moment (the phase then, the
  rules then), and every event that happened after it is judged again with
  it in place. If one of them no longer holds (a second acknowledgement
  before the recorded one, a facilitator who turns out to have been
  involved), the fact is refused by ``time.late_fact``, naming that event.
* Nothing happens before the detection (``time.order``).

The incident's state (its acknowledgement, milestones, roles, cadences ...)
is built from the timeline, so obligations, metrics and the report use the
times things happened. Replaying recorded events applies the same rules in
the order of record, so replay equals the commands, and a replay with late
facts costs what their lateness costs: the builder takes back only the
events after the late fact (:meth:`Builder.pop`).
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Mapping, Sequence
from datetime import datetime

from incident_process.errors import CommandRefusedError, ReplayError
from incident_process.events import EVENT_TYPES, Detected, Event
from incident_process.policy import Policy
from incident_process.timing._moments import utc
from incident_process.vocabulary import Phase

from ._machine import changes_phase, replay_transition
from ._rules import RuleBroken
from ._state import Builder

__all__ = ["ARRIVALS", "Arrival", "Refusal", "record", "replay"]


class Arrival(enum.Enum):
    """How an event may arrive: a fact may be recorded late; a decision may not."""

    #: Leaves the phase as it is; recorded late, it keeps its time.
    FACT = "fact"
    #: Moves the incident to another phase; never dated before a recorded event.
    DECISION = "decision"


#: Every event type's arrival rule, read from the lifecycle: a command that
#: changes the phase in any phase is a decision, the rest are facts. The
#: detection is the first event, a decision.
ARRIVALS: Mapping[type[Event], Arrival] = {
    kind: Arrival.DECISION if kind is Detected or changes_phase(kind.command) else Arrival.FACT
    for kind in EVENT_TYPES.values()
}


class Refusal(Exception):  # noqa: N818 - a verdict, turned into CommandRefusedError or ReplayError
    """Why an event cannot be recorded where it is: the rule, the reason, the event it contradicts."""

    def __init__(self, rule: str, reason: str, *, contradicts: Event | None = None) -> None:
        super().__init__(reason)
        self.rule = rule
        self.reason = reason
        self.contradicts = contradicts


def _when(event: Event) -> str:
    return f"{event.id} ({event.kind} at {event.at.isoformat()})"


def record(  # noqa: PLR0913 - the event, its place, the policy, and how to judge and journal it
    builder: Builder,
    event: Event,
    index: int,
    policy: Policy,
    *,
    judge: bool,
    earliest_to_come: datetime | None = None,
) -> None:
    """Record *event* as the *index*-th event: in the timeline where it happened, by the rules above.

    *earliest_to_come* is the earliest time of the events a replay will
    record after this one (``None``: not known, or none): an event that
    happened at or before it is never taken back, so it needs no journal.

    Raises:
        Refusal: naming the rule, and the event contradicted if there is one.
    """
    at = utc(event.at)
    if at < builder.detected_at:
        first = builder.timeline[0]
        reason = f"at={event.at.isoformat()} is before the detection, {_when(first)}"
        raise Refusal("time.order", reason, contradicts=first)
    if at >= builder.last_at:
        try:
            phase = replay_transition(builder.phase, event, builder, policy, judge=judge)
        except RuleBroken as broken:
            raise Refusal(broken.rule, broken.reason) from None
        builder.push(event, phase, kept=_kept(at, earliest_to_come))
        builder.keep_key(event, index)
        return
    position = bisect.bisect_right(builder.times, at)
    later = builder.timeline[position]
    if ARRIVALS[type(event)] is Arrival.DECISION:
        reason = (
            f"at={event.at.isoformat()} is earlier than {_when(later)}, recorded before it; "
            f"{event.command} changes the phase, so it cannot be dated before what is recorded"
        )
        raise Refusal("time.order", reason, contradicts=later)
    _insert(builder, event, position, policy, judge=judge, earliest_to_come=earliest_to_come)
    builder.keep_key(event, index)


def _kept(at: datetime, earliest_to_come: datetime | None) -> bool:
    """Whether an event that happened at *at* may be taken back by one of the events to come."""
    return earliest_to_come is None or at > earliest_to_come


def _insert(  # noqa: PLR0913 - the late fact, its place, the policy, and how to judge and journal
    builder: Builder,
    event: Event,
    position: int,
    policy: Policy,
    *,
    judge: bool,
    earliest_to_come: datetime | None,
) -> None:
    """Put the late fact *event* at *position* of the timeline and judge every event after it again."""
    taken = [builder.pop() for _ in range(len(builder.timeline) - position)]
    taken.reverse()
    try:
        phase = replay_transition(builder.phase, event, builder, policy, judge=judge)
    except RuleBroken as broken:
        reason = f"{broken.reason} (as of {event.at.isoformat()}, when it happened)"
        raise Refusal(broken.rule, reason) from None
    builder.push(event, phase, kept=_kept(utc(event.at), earliest_to_come))
    for later in taken:
        judged = _number(later) - 1 >= builder.judged_from
        try:
            phase = replay_transition(builder.phase, later, builder, policy, judge=judged)
        except RuleBroken as broken:
            reason = (
                f"at={event.at.isoformat()} is before {_when(later)}, recorded earlier, "
                f"which would then be refused by {broken.rule}: {broken.reason}"
            )
            raise Refusal("time.late_fact", reason, contradicts=later) from None
        builder.push(later, phase, kept=_kept(utc(later.at), earliest_to_come))


def _number(event: Event) -> int:
    """The place of *event* in the order of record, from its id (``"INC-7:4"`` is 4)."""
    return int(event.id.rpartition(":")[2])


def replay(  # noqa: PLR0913 - the events, the policy, and how to read them
    events: Sequence[object],
    policy: Policy,
    *,
    judged_from: int,
    check_ids: bool = True,
    journal: bool = False,
    then: datetime | None = None,
) -> Builder:
    """Rebuild the state the recorded *events* make, by the rules of the module docstring.

    Events from the *judged_from*-th on are judged by the policy's rules as
    well as by the rules of history. *check_ids*: each event's id must be its
    place in *events* (off for a selection of an incident's events).
    *journal*: keep the journal afterwards, to record a late fact next;
    *then*: the time of that fact, when known.

    Raises:
        ReplayError: naming the first event that could not have been recorded.
    """
    if not events or not isinstance(events[0], Detected):
        found = type(events[0]).__name__ if events else "nothing"
        raise ReplayError(0, f"the first event must be Detected, got {found}")
    first = events[0]
    if check_ids and first.id != f"{first.incident_id}:1":
        raise ReplayError(0, f"id {first.id!r} should be {first.incident_id}:1")
    to_come = _earliest_to_come(events, then if journal else None)
    builder = Builder.start(first, policy, journal=journal or to_come is not None)
    builder.judged_from = judged_from
    for index in range(1, len(events)):
        event = events[index]
        if not isinstance(event, Event) or isinstance(event, Detected):
            raise ReplayError(index, f"expected an event after detection, got {type(event).__name__}")
        if check_ids and event.id != f"{builder.incident_id}:{index + 1}":
            raise ReplayError(index, f"id {event.id!r} should be {builder.incident_id}:{index + 1}")
        key = event.idempotency_key
        if key is not None and key in builder.keys:
            raise ReplayError(
                index, f"idempotency key {key!r} was already used by events[{builder.keys[key]}]"
            )
        try:
            earliest = None if to_come is None else to_come[index]
            record(builder, event, index, policy, judge=index >= judged_from, earliest_to_come=earliest)
        except Refusal as refusal:
            raise replay_error(index, event, builder.phase, refusal) from None
    if not journal:
        builder.journal = None
    return builder


def replay_error(index: int, event: Event, phase: Phase, refusal: Refusal) -> ReplayError:
    """The :class:`ReplayError` for a recorded *event* refused at *index*."""
    contradicts = None if refusal.contradicts is None else refusal.contradicts.id
    command_refusal = CommandRefusedError(
        command=event.command,
        phase=phase.value,
        rule=refusal.rule,
        reason=refusal.reason,
        contradicts=contradicts,
    )
    return ReplayError(index, str(command_refusal), refusal=command_refusal)


def _earliest_to_come(events: Sequence[object], then: datetime | None) -> list[datetime | None] | None:
    """Per event, the earliest time of the events recorded after it (and *then*); ``None`` if none is late.

    An event that happened at or before that time is never taken back, so a
    replay keeps no journal for it; a replay in which no event is late (and
    no late fact is to follow) keeps none at all.
    """
    times = [utc(event.at) if isinstance(event, Event) else None for event in events]
    if None in times:
        return None  # refused on the way
    earliest: list[datetime | None] = [None] * len(times)
    running = then
    late = False
    for index in range(len(times) - 1, -1, -1):
        earliest[index] = running
        moment = times[index]
        assert moment is not None  # noqa: S101 - checked above
        if running is not None and running < moment:
            late = True
        running = moment if running is None else min(running, moment)
    return earliest if late else None
