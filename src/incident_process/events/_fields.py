"""What every event's fields are checked with: one collector of problems, and labels as sorted pairs.

An event checks its own fields when it is built and raises one
:class:`~incident_process.errors.InvalidEventError` naming every bad field
(``Declared.by: expected non-empty text, got ''``).

The limits of issue 19 are checked here too, where every event's fields are,
so that a record and a command refuse alike: a time (or a date) outside the
accepted years (``EARLIEST_YEAR`` to ``LATEST_YEAR``), whose deadlines would
fall off the calendar, and text with a lone surrogate, which no encoder writes.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from incident_process._limits import SURROGATE_PROBLEM, has_surrogate, time_problem
from incident_process.errors import InvalidEventError
from incident_process.timing._moments import aware_problem

__all__ = ["Fields", "Pairs", "pairs"]


#: Names and values, sorted by name, each name once: a detection's labels and references.
Pairs = tuple[tuple[str, str], ...]


def pairs(value: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> Pairs:
    """*value* (a mapping, or ``(name, value)`` pairs) as sorted pairs; anything else unchanged.

    An event checks the result (:meth:`Event._check`), so a value that is not
    names and texts is reported by the event, not raised from here.

    >>> pairs({"service": "checkout", "endpoint": "/pay"})
    (('endpoint', '/pay'), ('service', 'checkout'))
    """
    if value is None:
        return ()
    items: object = value.items() if isinstance(value, Mapping) else value
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        return value  # type: ignore[return-value] # reported by the event's check
    found = list(items)
    if not all(isinstance(item, tuple) and len(item) == 2 for item in found):
        return value  # type: ignore[return-value] # reported by the event's check
    try:
        return tuple(sorted(found))
    except TypeError:  # names of mixed types: reported by the event's check
        return tuple(found)


class Fields:
    """Collects an event's field problems and raises them as one error."""

    __slots__ = ("kind", "problems")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.problems: list[str] = []

    def fail(self, name: str, message: str) -> None:
        self.problems.append(f"{self.kind}.{name}: {message}")

    def moment(self, name: str, value: object) -> None:
        """A timezone-aware datetime within the accepted years."""
        problem = aware_problem(value)  # in the accepted years too
        if problem is not None:
            self.fail(name, problem)

    def day(self, name: str, value: object) -> None:
        """A date (not a datetime) within the accepted years."""
        if isinstance(value, datetime) or not isinstance(value, date):
            self.fail(name, f"expected a date, got {value!r}")
        elif (problem := time_problem(value)) is not None:
            self.fail(name, problem)

    def text(self, name: str, value: object) -> None:
        """Non-empty text, valid Unicode."""
        if not isinstance(value, str) or not value.strip():
            self.fail(name, f"expected non-empty text, got {value!r}")
        elif has_surrogate(value):
            self.fail(name, SURROGATE_PROBLEM)

    def any_text(self, name: str, value: object) -> None:
        """Text that may be empty (a note, a summary), valid Unicode."""
        if not isinstance(value, str):
            self.fail(name, f"expected text, got {value!r}")
        elif has_surrogate(value):
            self.fail(name, SURROGATE_PROBLEM)

    def optional_text(self, name: str, value: object) -> None:
        if value is not None:
            self.text(name, value)

    def pairs(self, name: str, value: object) -> None:
        if not isinstance(value, tuple):
            self.fail(name, f"expected names and texts (a mapping), got {value!r}")
            return
        seen: set[object] = set()
        for item in value:
            key, text = item
            if not isinstance(key, str) or not key.strip():
                self.fail(name, f"expected non-empty text as a name, got {key!r}")
            elif has_surrogate(key):
                self.fail(name, f"the name {key!r} is {SURROGATE_PROBLEM}")
            elif key in seen:
                self.fail(name, f"the name {key!r} is given twice")
            elif not isinstance(text, str):
                self.fail(f"{name}.{key}", f"expected text, got {text!r}")
            elif has_surrogate(text):
                self.fail(f"{name}.{key}", SURROGATE_PROBLEM)
            seen.add(key)

    def member(self, name: str, value: object, kind: type[enum.Enum]) -> None:
        if not isinstance(value, kind):
            choices = ", ".join(f"{kind.__name__}.{m.name}" for m in kind)
            self.fail(name, f"expected one of {choices}, got {value!r} ({type(value).__name__})")

    def done(self) -> None:
        if self.problems:
            raise InvalidEventError("; ".join(self.problems))
