"""A policy's identity: its name, and a fingerprint of what it says.

Records and audits say which policy they were written or judged under. A
name is what a company calls its policy (``name = "acme-2026-11"`` at the top
of the file); the fingerprint is the SHA-256 of the policy's effective
content, so equal policies have equal fingerprints whatever file or defaults
they came from, a dumped policy read back keeps it, and it is the same in
every process and Python version: the content is written as canonical JSON
(sorted keys, no spaces, ASCII; durations in microseconds, dates as
``YYYY-MM-DD``, enumerations by value, floats by their shortest repr) with
no hashing of Python objects. The name is not part of the content.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import json
from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from ._policy import Policy

__all__ = ["canonical_content", "fingerprint_of"]


def _plain(value: object) -> object:  # noqa: PLR0911 - one return per kind of value
    """*value* as JSON data, the same for equal values."""
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, timedelta):
        return {"microseconds": (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds}
    if isinstance(value, date):  # and datetime, which policies do not hold
        return value.isoformat()
    if attrs.has(type(value)):
        return {field.name: _plain(getattr(value, field.name)) for field in attrs.fields(type(value))}  # type: ignore[arg-type] # attrs.has says so
    if isinstance(value, Mapping):
        return {str(_plain(key)): _plain(item) for key, item in value.items()}
    if isinstance(value, tuple | list | frozenset | set):
        items = [_plain(item) for item in value]
        return items if isinstance(value, tuple | list) else sorted(items, key=json.dumps)
    msg = f"cannot fingerprint a {type(value).__name__}"  # a policy holds none: a programming error
    raise TypeError(msg)


def canonical_content(policy: Policy) -> str:
    """What *policy* says, as canonical JSON text (without its name)."""
    content = _plain(policy)
    assert isinstance(content, dict)  # noqa: S101 - a policy is an attrs class
    del content["name"]
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


@functools.lru_cache(maxsize=64)
def fingerprint_of(policy: Policy) -> str:
    """The SHA-256 of :func:`canonical_content`, as 64 hexadecimal digits."""
    return hashlib.sha256(canonical_content(policy).encode("ascii")).hexdigest()
