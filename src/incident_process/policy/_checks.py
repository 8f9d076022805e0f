"""Collect every problem with a value's fields at once, each with its key path.

Each policy class checks its own fields in ``__attrs_post_init__`` with a
:class:`Checker` and raises one :class:`PolicyError` naming all of them. The
checks test the type as well as the value, so a wrong type passed from Python
gets the same clear error as one read from a file.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import TypeVar

from incident_process._folding import fold_phrase
from incident_process._limits import MAX_BUSINESS_DAYS, MAX_DURATION
from incident_process.errors import PolicyError, Problem
from incident_process.timing._durations import (
    BUSINESS_DAYS_FORM,
    DURATION_FORM,
    BusinessDays,
    business_days_limit,
    duration_limit,
    format_duration,
)

__all__ = ["Checker", "show_span"]

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")

_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
_WORD = re.compile(r"\w")
_HOST_NAME = re.compile(r"[\w-]+(?:\.[\w-]+)*")


def show_span(value: object) -> str:
    """A span as a policy file writes it (``"1h30m"``), for a message about a value of the file.

    A span the file form cannot write (negative, a fraction of a second) as
    Python writes it; anything else by its ``repr``.
    """
    if not isinstance(value, timedelta):
        return repr(value)
    try:
        return format_duration(value)
    except ValueError:
        return str(value)


class Checker:
    """Collects :class:`Problem` values; :meth:`done` raises them together."""

    __slots__ = ("problems",)

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        """Record that the value at *path* is wrong, and why."""
        self.problems.append(Problem(path=path, message=message))

    def done(self) -> None:
        """Raise every recorded problem as one :class:`PolicyError`."""
        if self.problems:
            raise PolicyError(self.problems)

    def instance(self, path: str, value: object, kind: type) -> bool:
        """A value of the class *kind* (the policy's nested groups)."""
        if isinstance(value, kind):
            return True
        self.fail(path, f"expected {kind.__name__}, got {type(value).__name__}")
        return False

    def flag(self, path: str, value: object) -> bool:
        """``true`` or ``false``."""
        if isinstance(value, bool):
            return True
        self.fail(path, f"expected true or false, got {value!r}")
        return False

    def text(self, path: str, value: object) -> bool:
        """A string with something in it."""
        if not isinstance(value, str):
            self.fail(path, f"expected a string, got {value!r}")
            return False
        if not value.strip():
            self.fail(path, "must not be empty")
            return False
        return True

    def identifier(self, path: str, value: object) -> bool:
        """A lower-case identifier such as ``on_call_engineer``."""
        if not self.text(path, value) or not isinstance(value, str):
            return False
        if _IDENTIFIER.fullmatch(value) is None:
            self.fail(path, f"expected a lower-case identifier like 'on_call_engineer', got {value!r}")
            return False
        return True

    def items(self, path: str, value: object, *, non_empty: bool = True) -> Iterator[tuple[str, object]]:
        """Yield ``(path[i], item)`` for a tuple, after checking it is one without repeats."""
        if not isinstance(value, tuple):
            self.fail(path, f"expected a list, got {value!r}")
            return
        if non_empty and not value:
            self.fail(path, "must not be empty")
        seen: dict[object, int] = {}  # the first index of each item: linear in the list (issue 19)
        unhashable: list[tuple[object, int]] = []  # wrong values (lists), reported by the items' own checks
        for index, item in enumerate(value):
            try:
                first_index = seen.setdefault(item, index)
            except TypeError:
                first_index = next((at for other, at in unhashable if other == item), index)
                unhashable.append((item, index))
            if first_index != index:
                shown = "" if hasattr(type(item), "__attrs_attrs__") else f" ({_plain(item)!r})"
                self.fail(f"{path}[{index}]", f"repeats {path}[{first_index}]{shown}")
            yield f"{path}[{index}]", item

    def items_of(
        self, path: str, value: object, kind: type[T], *, non_empty: bool = True
    ) -> Iterator[tuple[str, T]]:
        """Like :meth:`items`, yielding only the items of class *kind* and failing the rest."""
        for item_path, item in self.items(path, value, non_empty=non_empty):
            if isinstance(item, kind):
                yield item_path, item
            else:
                self.fail(item_path, f"expected {kind.__name__}, got {type(item).__name__}")

    def keyed(self, path: str, value: object, kind: type, key: str, *, non_empty: bool = False) -> None:
        """A list of *kind* items whose *key* field differs from item to item (``alerts[1].alert``)."""
        seen: dict[object, str] = {}
        item: object
        for item_path, item in self.items_of(path, value, kind, non_empty=non_empty):
            field = getattr(item, key)
            if field in seen:
                self.fail(f"{item_path}.{key}", f"repeats {seen[field]}.{key} ({field!r})")
            seen.setdefault(field, item_path)

    def texts(self, path: str, value: object, *, non_empty: bool = True) -> None:
        """A list of distinct, non-empty strings."""
        for item_path, item in self.items(path, value, non_empty=non_empty):
            self.text(item_path, item)

    def phrases(self, path: str, value: object, *, non_empty: bool = True) -> None:
        """A list of distinct phrases, each written as it is matched (folded: lower case, single spaces)."""
        for item_path, item in self.items(path, value, non_empty=non_empty):
            if not self.text(item_path, item) or not isinstance(item, str):
                continue
            folded = fold_phrase(item)
            if _WORD.search(folded) is None:
                self.fail(item_path, f"must contain a letter or a digit, got {item!r}")
            elif folded != item:
                self.fail(item_path, f"must be written as it is matched, {folded!r}, got {item!r}")

    def host_names(self, path: str, value: object, *, non_empty: bool = True) -> None:
        """A list of distinct host names or name suffixes, like ``corp.example.com``, in lower case."""
        for item_path, item in self.items(path, value, non_empty=non_empty):
            if not self.text(item_path, item) or not isinstance(item, str):
                continue
            folded = fold_phrase(item)
            if _HOST_NAME.fullmatch(folded) is None:
                self.fail(
                    item_path,
                    f"expected a host name like 'corp.example.com', without a leading dot, got {item!r}",
                )
            elif folded != item:
                self.fail(item_path, f"must be written as it is matched, {folded!r}, got {item!r}")

    def networks(self, path: str, value: object, *, known: frozenset[str] = frozenset()) -> None:
        """A list of distinct IP networks in their canonical form, like ``10.0.0.0/8`` or ``fc00::/7``.

        Values in *known* are accepted as they are (they are known canonical), so
        that the guide's defaults are checked without importing :mod:`ipaddress`.
        """
        for item_path, item in self.items(path, value, non_empty=False):
            if isinstance(item, str) and item in known:
                continue
            if not self.text(item_path, item) or not isinstance(item, str):
                continue
            import ipaddress

            try:
                network = ipaddress.ip_network(item, strict=False)
            except ValueError:
                self.fail(item_path, f"expected a network like '10.0.0.0/8' or 'fc00::/7', got {item!r}")
                continue
            if str(network) != item:
                self.fail(item_path, f"must be written in its canonical form, {str(network)!r}, got {item!r}")

    def member(self, path: str, value: object, kind: type[E]) -> bool:
        """A member of the enumeration *kind*."""
        if isinstance(value, kind):
            return True
        choices = ", ".join(repr(m.value) for m in kind)
        self.fail(path, f"expected one of {choices}, got {value!r}")
        return False

    def one_of(self, path: str, value: object, allowed: tuple[str, ...]) -> bool:
        """One of the strings *allowed* (a vendor's fixed values, a command's name)."""
        if not self.text(path, value):
            return False
        if value not in allowed:
            self.fail(path, f"expected one of {', '.join(map(repr, allowed))}, got {value!r}")
            return False
        return True

    def members(self, path: str, value: object, kind: type[E], *, non_empty: bool = True) -> None:
        """A list of distinct members of *kind*."""
        for item_path, item in self.items(path, value, non_empty=non_empty):
            self.member(item_path, item, kind)

    def duration(self, path: str, value: object, *, allow_zero: bool = False) -> bool:
        """An exact, whole-second span; positive unless *allow_zero*; at most ``MAX_DURATION`` (issue 19)."""
        if not isinstance(value, timedelta):
            self.fail(path, f"expected {DURATION_FORM}, got {value!r}")
            return False
        if value < timedelta(0) or (value == timedelta(0) and not allow_zero):
            bound = "must not be negative" if allow_zero else "must be longer than zero"
            self.fail(path, f"{bound}, got {show_span(value)}")
            return False
        if value.microseconds:
            self.fail(path, f"must be a whole number of seconds, got {value}")
            return False
        if value > MAX_DURATION:
            self.fail(path, duration_limit(show_span(value)))
            return False
        return True

    def business_days(self, path: str, value: object) -> bool:
        """At least one business day, at most ``MAX_BUSINESS_DAYS`` (issue 19)."""
        if (
            not isinstance(value, BusinessDays)
            or isinstance(value.days, bool)
            or not isinstance(value.days, int)
        ):
            self.fail(path, f"expected {BUSINESS_DAYS_FORM}, got {value!r}")
            return False
        if value.days < 1:
            self.fail(path, f"must be at least 1 business day, got {value.days}")
            return False
        if value.days > MAX_BUSINESS_DAYS:
            self.fail(path, business_days_limit(str(value.days)))
            return False
        return True

    def count(self, path: str, value: object, *, at_least: int = 1) -> bool:
        """A whole number, at least *at_least*."""
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"expected a whole number, got {value!r}")
            return False
        if value < at_least:
            self.fail(path, f"must be at least {at_least}, got {value}")
            return False
        return True

    def number(self, path: str, value: object, *, at_most: float | None = None) -> bool:
        """A finite number above zero (and at most *at_most*)."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, f"expected a number, got {value!r}")
            return False
        if not math.isfinite(value):
            self.fail(path, f"must be a finite number, got {value!r}")
            return False
        if value <= 0:
            self.fail(path, f"must be greater than zero, got {value!r}")
            return False
        if at_most is not None and value > at_most:
            self.fail(path, f"must be at most {at_most!r}, got {value!r}")
            return False
        return True

    def fraction(self, path: str, value: object) -> bool:
        """A fraction of a whole, above 0 and at most 1 (0.05 is 5%)."""
        return self.number(path, value, at_most=1.0)


def _plain(item: object) -> object:
    return item.value if isinstance(item, enum.Enum) else item
