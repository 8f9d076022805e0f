"""Where a problem is and how it shows a value: shared by every reader of outside input.

The policy file reader, the record reader and the readers of other tools'
payloads all report :class:`~incident_process.errors.Problem` values with a
path (``escalation.levels[2].window``, ``events[3].at``,
``alerts[0].startsAt``) and show the bad value the same way; they check
parsed input against the limits of issue 19 (:func:`value_problems`,
:func:`size_problem`) the same way too. Below every domain, so that the
policy itself can use it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date

import attrs

from ._limits import MAX_DEPTH, MAX_INTEGER_DIGITS, SURROGATE_PROBLEM, has_surrogate, time_problem
from .errors import Problem

__all__ = ["TOO_LONG", "index", "join", "shown", "size_problem", "under", "value_problems"]

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-]*+")


def join(path: str, key: str) -> str:
    """The path of *key* inside the object at *path*.

    A key that is not a plain name (letters, digits, ``_`` and ``-``) is
    written quoted, as JSON writes it, so a key from a hostile file cannot
    bring control characters, line breaks or a ``::`` command into a message
    (issue 19): ``join("events[0]", "::error x")`` is ``events[0]["::error x"]``.
    """
    if _PLAIN_KEY.fullmatch(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(key)}]"


def index(path: str, position: int) -> str:
    """The path of item *position* of the array at *path*."""
    return f"{path}[{position}]"


def under(path: str, problems: Iterable[Problem]) -> list[Problem]:
    """*problems* found inside the value at *path*, with their paths made whole.

    ``under("events[1]", [Problem("by", ...)])`` is at ``events[1].by``; an
    index joins without a dot (``under("events", [Problem("[1]", ...)])``).
    """
    joined = []
    for problem in problems:
        child = problem.path
        if not child:
            whole = path
        elif not path or child.startswith("["):
            whole = path + child
        else:
            whole = f"{path}.{child}"
        joined.append(attrs.evolve(problem, path=whole))
    return joined


def shown(value: object) -> str:
    """A JSON value as a message shows it: strings quoted, JSON's own spelling for the rest."""
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if value is None or isinstance(value, bool | int | float):
        return json.dumps(value)
    return repr(value)


# --- the limits of parsed input (issue 19; docs/limits.md) --------------------------


def size_problem(text: str, limit: int) -> Problem | None:
    """A problem if *text* takes more than *limit* bytes in UTF-8 (counted without encoding it if it can)."""
    if len(text) <= limit // 4:  # four bytes a character at most
        return None
    size = len(text) if len(text) > limit else len(text.encode("utf-8", "surrogatepass"))
    if size <= limit:
        return None
    return Problem(path="", message=f"at least {size:,} bytes, over the limit of {limit:,}")


def value_problems(
    value: object,
    *,
    key: Callable[[str], str] = str,
    integers: bool = True,
    text: bool = True,
    source: str | None = None,
) -> list[Problem]:
    """The problems of parsed data (TOML or JSON) beyond the readers' limits, each with its path.

    Nesting deeper than ``MAX_DEPTH`` (a value more than ``MAX_DEPTH`` keys
    and indices inside the document: ``a.b.c = 1`` is 3 deep), lone
    surrogates in text and in keys (if *text*), integers of more than
    ``MAX_INTEGER_DIGITS`` digits (if *integers*), and dates and times outside
    the accepted years. *key* writes a key in a path (quoted for TOML). Only
    for data parsed from text, the *source*: a caller's own data may share a
    value in many places. Text is not looked at if the *source* holds no
    surrogate and no JSON escape of one.
    """
    if source is not None:  # a raw lone surrogate is not ASCII; an escaped one is a JSON escape
        raw = not source.isascii() and has_surrogate(source)
        text = text and (raw or _ESCAPED_SURROGATE.search(source) is not None)
    walk = _Walk(key, 10**MAX_INTEGER_DIGITS if integers else None, text=text)
    walk.value(value, "", 0)
    return walk.problems


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


class _Walk:
    """One walk over parsed data, collecting the problems of :func:`value_problems`."""

    __slots__ = ("bound", "key", "problems", "text")

    def __init__(self, key: Callable[[str], str], bound: int | None, *, text: bool) -> None:
        self.key = key
        self.bound = bound
        self.text = text
        self.problems: list[Problem] = []

    def value(self, value: object, path: str, level: int) -> None:
        """Check *value*, at *path*, *level* keys and indices deep."""
        if isinstance(value, dict | list):
            self.container(value, path, level)
        elif isinstance(value, str):
            if self.text and has_surrogate(value):
                self.problems.append(Problem(path=path, message=SURROGATE_PROBLEM))
        elif isinstance(value, int) and not isinstance(value, bool):
            if self.bound is not None and not -self.bound < value < self.bound:
                self.problems.append(Problem(path=path, message=TOO_LONG))
        elif isinstance(value, date):  # TOML dates and date-times
            problem = time_problem(value)
            if problem is not None:
                self.problems.append(Problem(path=path, message=problem))

    def container(self, value: dict[str, object] | list[object], path: str, level: int) -> None:
        """Check a table or array's items; text and numbers without building their paths."""
        if level >= MAX_DEPTH and value:  # its items are deeper than the limit
            self.problems.append(Problem(path=path, message=f"nested more than {MAX_DEPTH} levels deep"))
            return
        items = enumerate(value) if isinstance(value, list) else value.items()
        text, bound = self.text, self.bound
        for name, item in items:
            if isinstance(name, str) and text and has_surrogate(name):
                self.problems.append(Problem(path=path, message=f"a key is {SURROGATE_PROBLEM}: {name!r}"))
            elif isinstance(item, str):
                if text and has_surrogate(item):
                    self.value(item, self.child(path, name), level + 1)
            elif isinstance(item, int) and not isinstance(item, bool):
                if bound is not None and not -bound < item < bound:
                    self.value(item, self.child(path, name), level + 1)
            elif not isinstance(item, float) and item is not None:
                self.value(item, self.child(path, name), level + 1)

    def child(self, path: str, name: str | int) -> str:
        """The path of item *name* (a key or an index) of the value at *path*."""
        return f"{path}[{name}]" if isinstance(name, int) else join(path, self.key(name))


#: The refusal of an integer with too many digits.
TOO_LONG = f"an integer of more than {MAX_INTEGER_DIGITS} digits, over the limit"
