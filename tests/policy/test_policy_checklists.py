"""A checklist step of the policy is checked against the event classes and the vocabulary themselves."""

import enum
import re
import subprocess
import sys
import typing
from pathlib import Path

import attrs
import pytest

from incident_process import PolicyError, loads_policy
from incident_process.events import EVENT_TYPES, Event
from incident_process.events._events import field_choices
from incident_process.policy import ChecklistStep, _playbook
from incident_process.policy._playbook import DECLARATION_CHECKLIST, RESOLUTION_CHECKLIST
from incident_process.vocabulary import ObligationKind


def test_a_steps_event_fields_are_read_from_the_event_classes():
    """A checklist step names an event's own fields, as the class declares them, in its order."""
    common = len(attrs.fields(Event))
    for kind, event in EVENT_TYPES.items():
        own = tuple(field.name for field in attrs.fields(event)[common:])
        assert tuple(field_choices(kind)) == own, kind


def test_a_conditions_values_are_read_from_the_enumerations():
    """An enumerated field takes its enumeration's values; any other field takes any value (None)."""
    for kind, event in EVENT_TYPES.items():
        hints = typing.get_type_hints(event)
        for name, values in field_choices(kind).items():
            declared = hints[name]
            if isinstance(declared, type) and issubclass(declared, enum.Enum):
                assert values == tuple(member.value for member in declared), (kind, name)
            else:
                assert values is None, (kind, name)


def test_a_steps_deadline_is_an_obligation_kind():
    """Every ObligationKind is a deadline a step may take, and nothing else is."""
    for kind in ObligationKind:
        assert ChecklistStep(id="s", text="a step", deadline=kind.value).deadline == kind.value
    with pytest.raises(PolicyError, match="deadline: expected one of 'acknowledge', "):
        ChecklistStep(id="s", text="a step", deadline="soon")


@pytest.mark.parametrize("step", DECLARATION_CHECKLIST + RESOLUTION_CHECKLIST, ids=lambda step: step.id)
def test_the_guides_own_steps_pass_the_check_against_the_events(step, monkeypatch):
    """The guide's steps, trusted when built (no event class loads), pass the full check of the events."""
    monkeypatch.setattr(_playbook, "_guide_steps", ())  # trust nobody: check every step in full
    assert attrs.evolve(step) == step


def test_reading_a_policy_with_the_guides_checklists_loads_no_event_class():
    """A policy file that keeps the guide's checklists is read without loading the event classes."""
    code = (
        "import sys, incident_process as ip; ip.load_policy('examples/policy.toml');"
        "assert 'incident_process.events._events' not in sys.modules, 'the events loaded'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])  # noqa: S603 - our interpreter


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ('done_by = "teleported"', "done_by: unknown event 'teleported'; expected one of detected, "),
        ('done_by = "update_posted"\nwhere = ["colour=red"]', "update_posted has no field 'colour'"),
        (
            'done_by = "update_posted"\nwhere = ["audience=customers"]',
            "update_posted.audience is one of 'internal', 'status_page', got 'customers'",
        ),
    ],
)
def test_a_policy_files_own_step_is_checked_against_the_events(step, message):
    """A step read from a policy file names a real event, field and value, or the file is refused."""
    text = f'[[declaration.checklist]]\nid = "ours"\ntext = "Our step"\n{step}\n'
    with pytest.raises(PolicyError, match=re.escape(message)):
        loads_policy(text)
