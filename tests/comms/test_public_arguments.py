"""A wrong Python type given to a public function of comms is a TypeError naming the argument (issue 19).

Defect 10: ``lint_external(None)`` raised ``AttributeError`` from inside the
linter. Every public function of :mod:`incident_process.comms` now checks
its arguments' types at the boundary and names the argument, the expected
type and the type given.
"""

import inspect
from datetime import UTC, datetime, timedelta

import pytest

from incident_process import DEFAULT_POLICY, Incident, comms
from incident_process.comms import (
    MessageTemplates,
    channel_name,
    channel_name_for,
    lint_external,
    markdown_escape,
    render_declaration,
    render_resolution,
    render_update,
    slack_escape,
    stakeholders,
)

T0 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)


def declared():
    incident = Incident.detect(id="INC-1", title="Checkout errors", source="automated_alert", at=T0)
    return incident.declare(
        at=T0 + timedelta(minutes=4), by="ana", declarer_role="on_call_engineer", severity="SEV2"
    )


#: (function, how it is called wrongly, the argument the TypeError must name).
WRONG = [
    (lint_external, lambda: lint_external(None), "text"),
    (lint_external, lambda: lint_external(b"We are aware"), "text"),
    (lint_external, lambda: lint_external("We are aware", "strict"), "policy"),
    (lint_external, lambda: lint_external("We are aware", people="Max"), "people"),
    (lint_external, lambda: lint_external("We are aware", people=["Max", 7]), "people[1]"),
    (lint_external, lambda: lint_external("We are aware", people=3), "people"),
    (render_declaration, lambda: render_declaration(None), "incident"),
    (render_declaration, lambda: render_declaration("INC-1"), "incident"),
    (render_declaration, lambda: render_declaration(declared(), format=1), "format"),
    (render_declaration, lambda: render_declaration(declared(), templates="templates/"), "templates"),
    (render_update, lambda: render_update({"id": "INC-1"}), "incident"),
    (render_update, lambda: render_update(declared(), format=None), "format"),
    (render_resolution, lambda: render_resolution(42), "incident"),
    (render_resolution, lambda: render_resolution(declared(), templates=object()), "templates"),
    (slack_escape, lambda: slack_escape(None), "text"),
    (slack_escape, lambda: slack_escape(b"<!here>"), "text"),
    (markdown_escape, lambda: markdown_escape(3), "text"),
    (MessageTemplates, lambda: MessageTemplates(7), "directory"),
    (MessageTemplates, lambda: MessageTemplates().render(None, "text", {}), "kind"),
    (MessageTemplates, lambda: MessageTemplates().render("declaration", 1, {}), "format"),
    (MessageTemplates, lambda: MessageTemplates().render("declaration", "text", [("a", 1)]), "values"),
    (MessageTemplates, lambda: MessageTemplates().fields(b"declaration"), "kind"),
    (channel_name, lambda: channel_name(None), "incident"),
    (channel_name, lambda: channel_name(declared(), taken="#incident-2026-03-08-x"), "taken"),
    (channel_name_for, lambda: channel_name_for(None, T0), "brief"),
    (channel_name_for, lambda: channel_name_for("Checkout", "2026-03-08T09:00:00Z"), "declared_at"),
    (channel_name_for, lambda: channel_name_for("Checkout", T0, taken=[None]), "taken[0]"),
    (channel_name_for, lambda: channel_name_for("Checkout", T0, prefix=None), "prefix"),
    (stakeholders, lambda: stakeholders(None), "severity"),
    (stakeholders, lambda: stakeholders(2.0), "severity"),
    (stakeholders, lambda: stakeholders("SEV1", {"communication": {}}), "policy"),
]


@pytest.mark.parametrize(
    ("function", "call", "argument"), WRONG, ids=[f"{w[0].__name__}-{w[2]}-{i}" for i, w in enumerate(WRONG)]
)
def test_a_wrong_type_is_a_type_error_naming_the_argument(function, call, argument):  # noqa: ARG001 - in the ids
    """Issue 19, defect 10: TypeError, '<argument>: expected <type>, got <type>', never an AttributeError."""
    with pytest.raises(TypeError) as raised:
        call()
    assert str(raised.value).startswith(f"{argument}: expected ")
    assert " got " in str(raised.value)


def test_every_public_function_of_comms_is_checked():
    """Each function and class of comms.__all__ that takes arguments has a wrong-type case above.

    ``Finding`` and ``Stakeholders`` are values the library makes, not entry points.
    """
    callables = {
        name
        for name in comms.__all__
        if callable(getattr(comms, name))
        and (inspect.isfunction(getattr(comms, name)) or name == "MessageTemplates")
    }
    checked = {function.__name__ for function, _, _ in WRONG}
    assert callables <= checked, callables - checked


def test_the_right_types_still_work():
    """The checks refuse nothing that was right: a path-like directory, a Severity, a tuple of people."""
    incident = declared()
    assert (
        lint_external(
            "We are aware that logins fail. Next update in 30 minutes.", DEFAULT_POLICY, people=("ana",)
        )
        == []
    )
    assert channel_name(incident, taken=()) == "#incident-2026-03-08-checkout-errors"
    assert stakeholders(incident.severity).notify
    assert "SEV2" in render_declaration(
        incident, impact="EU checkouts fail", templates=MessageTemplates(None)
    )
    assert slack_escape("<x>") == "&lt;x&gt;"
