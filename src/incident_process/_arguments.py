"""Argument types at the public boundary: a wrong Python type is a ``TypeError`` naming the argument.

Issue 19, defect 10: ``lint_external(None)`` raised ``AttributeError`` from
inside. Every public function of the package checks the type of each
argument it is given (one ``isinstance`` each) and raises
:class:`TypeError` saying which argument, what was expected and what was
given; a value of the right type that is wrong is still the library's own
error (:class:`~incident_process.errors.MessageError`, ...).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

__all__ = ["check_incident", "check_texts", "check_type"]


def check_type(name: str, value: object, expected: type | tuple[type, ...], described: str) -> None:
    """Raise :class:`TypeError` unless *value* is an instance of *expected* (*described* in words).

    >>> check_type("text", b"x", str, "text (str)")
    Traceback (most recent call last):
    ...
    TypeError: text: expected text (str), got bytes
    """
    if not isinstance(value, expected):
        msg = f"{name}: expected {described}, got {type(value).__name__}"
        raise TypeError(msg)


def check_texts(name: str, values: object) -> tuple[str, ...]:
    """*values* as a tuple of texts; :class:`TypeError` for one text alone, a non-iterable or a non-text item.

    >>> check_texts("people", ["ana", "bo"])
    ('ana', 'bo')
    >>> check_texts("people", "ana")
    Traceback (most recent call last):
    ...
    TypeError: people: expected an iterable of texts (str), got one str
    """
    if isinstance(values, str | bytes):
        msg = f"{name}: expected an iterable of texts (str), got one {type(values).__name__}"
        raise TypeError(msg)
    if not isinstance(values, Iterable):
        msg = f"{name}: expected an iterable of texts (str), got {type(values).__name__}"
        raise TypeError(msg)
    texts = tuple(values)
    for index, item in enumerate(texts):
        if not isinstance(item, str):
            msg = f"{name}[{index}]: expected text (str), got {type(item).__name__}"
            raise TypeError(msg)
    return texts


def check_incident(name: str, value: object) -> None:
    """Raise :class:`TypeError` unless *value* is an :class:`~incident_process.lifecycle.Incident`.

    The lifecycle is loaded with the first incident (``import incident_process``
    does not load it): if it is not loaded yet, *value* cannot be an incident.
    """
    lifecycle = sys.modules.get("incident_process.lifecycle")
    incident = getattr(lifecycle, "Incident", None)
    if incident is None or not isinstance(value, incident):
        msg = f"{name}: expected an Incident, got {type(value).__name__}"
        raise TypeError(msg)
