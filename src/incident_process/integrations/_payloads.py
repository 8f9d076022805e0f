"""Reading other tools' JSON payloads: every problem with its JSON path, nothing coerced.

Payloads come from webhooks and APIs the library does not control, so the
reader is strict about what it uses and silent about what it does not: keys
the library does not read are ignored (vendors add fields), while a missing
or mistyped field that it does read is a problem at its JSON path
(``alerts[1].startsAt``). All problems are gathered and raised together as
one :class:`~incident_process.errors.PayloadError`.

Limits (issue 19): a payload text of at most ``MAX_PAYLOAD_BYTES``, nested at
most ``MAX_DEPTH`` deep; a time read outside the accepted years (an alert
that starts in 9999) is a problem at its path, as a malformed one is.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from incident_process._limits import MAX_PAYLOAD_BYTES, SURROGATE_PROBLEM, has_surrogate, time_problem
from incident_process._problems import join, shown, size_problem, value_problems
from incident_process.errors import PayloadError, Problem

__all__ = ["Reader", "decoded", "parse_time"]

#: Go's zero time, which Go programs write for a time that is not set.
_GO_ZERO = datetime(1, 1, 1, tzinfo=UTC)

# RFC 3339 (Go writes up to nine digits of fraction; Python keeps six).
_RFC3339 = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ](?P<time>[0-9]{2}:[0-9]{2}:[0-9]{2})"
    r"(?:\.(?P<fraction>[0-9]+))?(?P<offset>[Zz]|(?P<sign>[+-])(?P<hours>[0-9]{2}):(?P<minutes>[0-9]{2}))"
)


def _refuse_constant(name: str) -> object:
    msg = f"{name} is not valid JSON"
    raise ValueError(msg)


def decoded(payload: object, what: str) -> object:
    """*payload* as JSON values: text and bytes are parsed, anything else is taken as parsed.

    Text is parsed only up to ``MAX_PAYLOAD_BYTES``, and its values nested at
    most ``MAX_DEPTH`` deep (issue 19); vendors' fields the readers do not use
    are not otherwise checked (their integers may be 64-bit identifiers).

    Raises:
        PayloadError: for text that is not JSON (with its line and column),
            or beyond those limits.
    """
    if not isinstance(payload, str | bytes | bytearray):
        return payload
    if isinstance(payload, str):
        too_large = size_problem(payload, MAX_PAYLOAD_BYTES)
    elif len(payload) > MAX_PAYLOAD_BYTES:
        too_large = Problem(
            path="", message=f"{len(payload):,} bytes, over the limit of {MAX_PAYLOAD_BYTES:,}"
        )
    else:
        too_large = None
    if too_large is not None:
        raise PayloadError([too_large], source=what)
    try:
        data = json.loads(payload, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        problem = Problem(
            path="", message=f"not valid JSON: {error.msg} (column {error.colno})", line=error.lineno
        )
        raise PayloadError([problem], source=what) from None
    except (ValueError, RecursionError) as error:
        message = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        if "digits" in message:  # Python's own limit on an integer's digits (4,300)
            message = "an integer of more than 4,300 digits"
        raise PayloadError([Problem(path="", message=f"not valid JSON: {message}")], source=what) from None
    problems = value_problems(data, integers=False, text=False)
    if problems:
        raise PayloadError(problems, source=what)
    return data


def parse_time(text: str) -> datetime | None:
    """An RFC 3339 time as an aware UTC datetime (fractions cut to microseconds), or ``None``."""
    local = _local_time(text)
    if local is None:
        return None
    try:
        return local.astimezone(UTC)
    except OverflowError:  # the year 1 with a positive offset falls before datetime.min
        return None


def _local_time(text: str) -> datetime | None:
    """An RFC 3339 time at its own offset (fractions cut to microseconds), or ``None``."""
    match = _RFC3339.fullmatch(text)
    if match is None:
        return None
    fraction = (match["fraction"] or "")[:6].ljust(6, "0")
    offset: timezone = UTC
    if match["sign"] is not None:
        hours, minutes = int(match["hours"]), int(match["minutes"])
        if hours > 23 or minutes > 59:
            return None
        delta = timedelta(hours=hours, minutes=minutes)
        offset = timezone(-delta if match["sign"] == "-" else delta)
    try:
        local = datetime.fromisoformat(f"{match['date']}T{match['time']}.{fraction}")
    except ValueError:
        return None
    return local.replace(tzinfo=offset)


class Reader:
    """Reads fields of a decoded payload, collecting a :class:`Problem` for each bad one.

    Each method returns the field's value when it is good and ``None`` when
    it is missing or bad (a problem is then recorded, unless the field is
    optional and absent). :meth:`done` raises every problem at once.
    """

    __slots__ = ("problems", "what")

    def __init__(self, what: str) -> None:
        self.what = what
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        """Record that the value at *path* is wrong, and why."""
        self.problems.append(Problem(path=path, message=message))

    def done(self) -> None:
        """Raise every recorded problem as one :class:`PayloadError`."""
        if self.problems:
            raise PayloadError(self.problems, source=self.what)

    def _get(self, data: Mapping[str, Any], path: str, key: str, *, required: bool) -> tuple[bool, Any]:
        if key not in data:
            if required:
                self.fail(join(path, key), "missing")
            return False, None
        return True, data[key]

    def mapping(self, value: object, path: str) -> Mapping[str, Any] | None:
        """*value* itself, which must be a JSON object."""
        if isinstance(value, Mapping):
            return value
        self.fail(path, f"expected an object, got {shown(value)}")
        return None

    def field_object(
        self, data: Mapping[str, Any], path: str, key: str, *, required: bool = True, nullable: bool = False
    ) -> Mapping[str, Any] | None:
        """The object at *key* (``null`` allowed if *nullable*)."""
        present, value = self._get(data, path, key, required=required)
        if not present or (value is None and nullable):
            return None
        return self.mapping(value, join(path, key))

    def array(self, data: Mapping[str, Any], path: str, key: str) -> list[Any] | None:
        """The array at *key*."""
        present, value = self._get(data, path, key, required=True)
        if not present:
            return None
        if isinstance(value, list):
            return value
        self.fail(join(path, key), f"expected an array, got {shown(value)}")
        return None

    def text(  # noqa: PLR0913 - keyword-only options of one field
        self,
        data: Mapping[str, Any],
        path: str,
        key: str,
        *,
        required: bool = True,
        nullable: bool = False,
        choices: tuple[str, ...] = (),
    ) -> str | None:
        """The non-empty string at *key*, one of *choices* if given."""
        present, value = self._get(data, path, key, required=required)
        if not present or (value is None and nullable):
            return None
        where = join(path, key)
        if not isinstance(value, str):
            self.fail(where, f"expected a string, got {shown(value)}")
            return None
        if choices and value not in choices:
            self.fail(where, f"expected one of {', '.join(map(repr, choices))}, got {shown(value)}")
            return None
        if not value.strip():
            self.fail(where, "must not be empty")
            return None
        return self._unicode(value, where)

    def _unicode(self, value: str, path: str) -> str | None:
        """*value* if it is valid Unicode (JSON escapes can make a lone surrogate)."""
        if not has_surrogate(value):
            return value
        self.fail(path, f"{SURROGATE_PROBLEM}: {shown(value)}")
        return None

    def time(self, data: Mapping[str, Any], path: str, key: str, *, required: bool = True) -> datetime | None:
        """The RFC 3339 time at *key*, as an aware UTC datetime, within the accepted years.

        Go's zero time (``0001-01-01T00:00:00Z``, Alertmanager's ``endsAt`` of a
        firing alert) is "not set": absent where the field is optional.
        """
        present, value = self._get(data, path, key, required=required)
        if not present:
            return None
        where = join(path, key)
        moment = _local_time(value) if isinstance(value, str) else None
        if moment is None:
            self.fail(where, f"expected an RFC 3339 time like '2026-08-18T12:35:00Z', got {shown(value)}")
            return None
        if moment == _GO_ZERO and not required:
            return None
        problem = time_problem(moment)  # in its own offset's years, before it is moved to UTC
        if problem is not None:
            self.fail(where, problem)
            return None
        return moment.astimezone(UTC)

    def labels(
        self, data: Mapping[str, Any], path: str, key: str, *, required: bool = True
    ) -> tuple[tuple[str, str], ...]:
        """The object of strings at *key* (labels, annotations), as sorted pairs."""
        present, value = self._get(data, path, key, required=required)
        if not present:
            return ()
        where = join(path, key)
        if not isinstance(value, Mapping):
            self.fail(where, f"expected an object of strings, got {shown(value)}")
            return ()
        pairs = []
        for name, item in value.items():
            if not isinstance(item, str):
                self.fail(join(where, name), f"expected a string, got {shown(item)}")
            elif (
                self._unicode(name, where) is not None and self._unicode(item, join(where, name)) is not None
            ):
                pairs.append((name, item))
        return tuple(sorted(pairs))

    def number(self, value: object, path: str) -> float | None:
        """*value* itself, which must be a finite JSON number."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                number = float(value)
            except OverflowError:
                number = math.inf
            if math.isfinite(number):
                return number
            self.fail(path, f"out of range: {shown(value) if isinstance(value, float) else 'a huge integer'}")
            return None
        self.fail(path, f"expected a number, got {shown(value)}")
        return None
