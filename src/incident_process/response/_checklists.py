"""Guide, "Declaration checklist" and "Resolution checklist": each step of a checklist, done or open.

A step is done by the event the policy names (the declaration assigns the
severity; a status-page update posts the initial status) or by
:meth:`Incident.complete_step <incident_process.lifecycle.Incident.complete_step>`;
:func:`checklist` shows when, by whom and by which event.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from incident_process._arguments import check_type
from incident_process.errors import PlaybookError
from incident_process.lifecycle import Incident
from incident_process.policy import CHECKLISTS, ChecklistStep

__all__ = [
    "Checklist",
    "ChecklistItem",
    "checklist",
]


@attrs.frozen(kw_only=True)
class ChecklistItem:
    """One step of a checklist, done or open.

    Attributes:
        step: The step, as the policy has it.
        applies: Whether it applies to the incident's severity.
        done_at: When it was done (UTC), if it was.
        done_by: Who did it, when the event says.
        event_id: The event that did it.
    """

    step: ChecklistStep
    applies: bool
    done_at: datetime | None = None
    done_by: str | None = None
    event_id: str | None = None

    @property
    def done(self) -> bool:
        """Whether the step was done."""
        return self.done_at is not None

    @property
    def open(self) -> bool:
        """Whether the step applies and is not done."""
        return self.applies and self.done_at is None


@attrs.frozen(kw_only=True)
class Checklist:
    """A checklist of the guide for one incident.

    Attributes:
        name: ``"declaration"`` or ``"resolution"``.
        items: Its steps in the policy's order.
    """

    name: str
    items: tuple[ChecklistItem, ...]

    @property
    def open(self) -> tuple[ChecklistItem, ...]:
        """The steps that apply and are not done."""
        return tuple(item for item in self.items if item.open)

    @property
    def complete(self) -> bool:
        """Whether every step that applies is done."""
        return not self.open


def _steps(incident: Incident, name: str) -> tuple[ChecklistStep, ...]:
    if name not in CHECKLISTS:
        msg = f"checklist: expected one of {', '.join(map(repr, CHECKLISTS))}, got {name!r}"
        raise PlaybookError(msg)
    policy = incident.policy
    steps: tuple[ChecklistStep, ...] = getattr(policy, name).checklist  # each checklist names its group
    return steps


def checklist(incident: Incident, name: str) -> Checklist:
    """The checklist *name* of *incident*: every step, done or open (see the module docstring).

    Raises:
        TypeError: for an argument of the wrong type, naming it (issue 19, defect 10).
    """
    check_type("incident", incident, Incident, "an Incident")
    check_type("name", name, str, "a checklist's name (str)")
    done = incident._state.steps  # noqa: SLF001 - the incident's own derived state
    items = []
    for step in _steps(incident, name):
        record = done.get((name, step.id))
        items.append(
            ChecklistItem(
                step=step,
                applies=step.applies_to(incident.severity),
                done_at=None if record is None else record.at,
                done_by=None if record is None else record.by,
                event_id=None if record is None else record.event_id,
            )
        )
    return Checklist(name=name, items=tuple(items))
