"""One finding type for every linter and validator of the library."""

from __future__ import annotations

import attrs

__all__ = ["Finding", "line_of"]


@attrs.frozen(kw_only=True)
class Finding:
    """Something a linter or validator found, and exactly where.

    Attributes:
        rule: The rule's id (``"external.internal_host"``).
        message: What is wrong, in words a person can act on.
        start: Offset of the first character concerned in the original text.
        end: Offset just past the last character concerned (``start`` for a
            finding about something missing).
        line: The 1-based line of ``start``.
    """

    rule: str
    message: str
    start: int
    end: int
    line: int

    def __str__(self) -> str:
        return f"line {self.line}: {self.message} [{self.rule}]"


def line_of(text: str, offset: int) -> int:
    """The 1-based line number of *offset* in *text*."""
    return text.count("\n", 0, offset) + 1
