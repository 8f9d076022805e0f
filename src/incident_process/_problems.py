"""Where a problem is and how it shows a value: shared by every reader of outside input.

The policy file reader, the record reader and the readers of other tools'
payloads all report :class:`~incident_process.errors.Problem` values with a
path (``escalation.levels[2].window``, ``events[3].at``,
``alerts[0].startsAt``) and show the bad value the same way. Below every
domain, so that the policy itself can use it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import attrs

from .errors import Problem

__all__ = ["index", "join", "shown", "under"]


def join(path: str, key: str) -> str:
    """The path of *key* inside the object at *path*."""
    return f"{path}.{key}" if path else key


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
