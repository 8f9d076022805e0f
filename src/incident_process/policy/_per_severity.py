"""One value per severity: the shape of every per-severity table of the guide.

Guide, "Incident Severity Levels", "Roles During Incident" ("For SEV3 ...
For SEV2 ... For SEV1 ..."), "Internal Communication" ("Frequency by
severity") and "4. Resolution" ("15 minutes (SEV1/2) or 30 minutes (SEV3)").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

import attrs

from incident_process.vocabulary import Severity

__all__ = [
    "PerSeverity",
    "each",
]


T = TypeVar("T")


@attrs.frozen(kw_only=True)
class PerSeverity(Generic[T]):
    """One value for each severity; written ``{SEV1 = ..., SEV2 = ..., SEV3 = ...}`` in files.

    Look a value up by :class:`Severity`, or by anything
    :meth:`Severity.parse` reads:

    >>> cadence = PerSeverity(sev1=15, sev2=30, sev3=60)
    >>> cadence[Severity.SEV2]
    30
    >>> cadence["sev3"]
    60
    """

    sev1: T
    sev2: T
    sev3: T

    def __getitem__(self, severity: Severity | str | int) -> T:
        value: T = getattr(self, Severity.parse(severity).name.lower())
        return value

    def items(self) -> Iterator[tuple[Severity, T]]:
        """Each severity with its value, most severe first."""
        for severity in Severity:
            yield severity, self[severity]


def each(path: str, values: object) -> Iterator[tuple[str, Severity, object]]:
    """Yield ``(path.SEVn, severity, value)`` for a :class:`PerSeverity` field."""
    if isinstance(values, PerSeverity):
        for severity, value in values.items():
            yield f"{path}.{severity.value}", severity, value
