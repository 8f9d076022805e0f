"""Guide, "Escalation Path": who is called next, and when.

"On-call Engineer (5 min) → On-call Lead (15 min) → Engineering Manager
(30 min) → VP Engineering (SEV1 only)".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import attrs

from incident_process._limits import MAX_DURATION
from incident_process.timing import format_duration
from incident_process.vocabulary import Severity

from ._checks import Checker, show_span

__all__ = [
    "Escalation",
    "EscalationLevel",
]


@attrs.frozen(kw_only=True)
class EscalationLevel:
    """One step of the escalation path.

    Attributes:
        who: Who is escalated to.
        window: How long this level has before the next is called; ``None``
            only for the last level (no further escalation).
        severities: The severities this level applies to.
    """

    who: str
    window: timedelta | None = None
    severities: tuple[Severity, ...] = (Severity.SEV1, Severity.SEV2, Severity.SEV3)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.text("who", self.who)
        if self.window is not None:
            check.duration("window", self.window)
        check.members("severities", self.severities, Severity)
        check.done()


@attrs.frozen(kw_only=True)
class Escalation:
    """Guide, "Escalation Path", one level after another.

    "On-call Engineer (5 min) → On-call Lead (15 min) → Engineering Manager
    (30 min) → VP Engineering (SEV1 only)". Each level's window starts when
    the previous level's ends.

    Attributes:
        levels: The path, first level first.
    """

    levels: tuple[EscalationLevel, ...] = (
        EscalationLevel(who="On-call Engineer", window=timedelta(minutes=5)),
        EscalationLevel(who="On-call Lead", window=timedelta(minutes=15)),
        EscalationLevel(who="Engineering Manager", window=timedelta(minutes=30)),
        EscalationLevel(who="VP Engineering", severities=(Severity.SEV1,)),
    )

    def __attrs_post_init__(self) -> None:
        check = Checker()
        levels = list(check.items_of("levels", self.levels, EscalationLevel))
        for path, level in levels[:-1]:
            if level.window is None:
                check.fail(f"{path}.window", "only the last level may have no window")
        # Each window starts when the one before ends: the whole path, not only each window,
        # must stay within MAX_DURATION, or a deadline falls off the calendar (issue 19).
        total = sum((level.window or timedelta(0) for _, level in levels), timedelta(0))
        if total > MAX_DURATION:
            limit = f"{format_duration(MAX_DURATION)} ({MAX_DURATION.days} days)"
            check.fail("levels", f"the windows add up to {show_span(total)}, more than the limit of {limit}")
        check.done()

    def path_for(self, severity: Severity | None) -> tuple[EscalationLevel, ...]:
        """The levels an incident of *severity* escalates through.

        Before a severity is set, the levels that apply to every severity
        (not VP Engineering, which is SEV1 only).
        """
        if severity is None:
            return tuple(level for level in self.levels if set(level.severities) == set(Severity))
        return tuple(level for level in self.levels if severity in level.severities)

    def next_level(self, severity: Severity | None, escalated_to: Sequence[str]) -> EscalationLevel | None:
        """The level after the highest of *escalated_to* on the path for *severity*, past its first."""
        path = self.path_for(severity)
        reached = [index for index, level in enumerate(path) if level.who in escalated_to]
        position = max(reached, default=0) + 1
        return path[position] if position < len(path) else None
