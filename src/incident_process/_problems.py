"""Where a problem is and how it shows a value: shared by every reader of outside input.

The policy file reader, the record reader and the readers of other tools'
payloads all report :class:`~incident_process.errors.Problem` values with a
path (``escalation.levels[2].window``, ``events[3].at``,
``alerts[0].startsAt``) and show the bad value the same way. Below every
domain, so that the policy itself can use it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping

import attrs

from .errors import Problem

__all__ = ["index", "join", "shown", "under"]

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
