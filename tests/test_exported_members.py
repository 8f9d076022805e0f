"""The public API is exactly what ``__all__`` lists (httpx's test_exported_members)."""

import re
from importlib.metadata import version

import pytest

import incident_process

CONTRACT = {
    # Names other tools call (issue "Foundation"): kept exactly.
    "Policy",
    "DEFAULT_POLICY",
    "load_policy",
    "dump_policy",
    "PolicyError",
    "IncidentProcessError",
    "Severity",
    "Role",
    "DetectionSource",
    # Names other tools call (issue "Lifecycle").
    "Phase",
    "Incident",
    # (issue "Time")
    "BusinessCalendar",
    "Obligation",
    # (issue "Communication")
    "render_declaration",
    "render_update",
    "render_resolution",
    "slack_escape",
    "channel_name",
    "channel_name_for",
    "stakeholders",
    "lint_external",
    "Finding",
    # (issue "Detection")
    "assess",
    "match_scenarios",
    "sustained_breaches",
    "alert_level",
    "AlertLevel",
    "Breach",
    # (issue "Post-incident")
    "render_postmortem",
    "validate_postmortem",
    "parse_action_items",
    "quarterly_review",
}


def _isort_key(name):
    """Ruff's isort-style order for __all__: CONSTANTS, Classes, functions."""
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return (kind, name)


def test_all_lists_exactly_the_public_names():
    """Everything in __all__ exists, and nothing public is missing from it."""
    helpers = {"TYPE_CHECKING", "import_module"}
    eager = {name for name in vars(incident_process) if not name.startswith("_")} - helpers
    assert eager <= set(incident_process.__all__)
    assert set(incident_process.__all__) == eager | set(incident_process._LAZY)  # noqa: SLF001 - the lazy names
    for name in incident_process.__all__:
        assert getattr(incident_process, name) is not None
    assert set(dir(incident_process)) >= set(incident_process.__all__)


def test_all_is_sorted():
    """__all__ is sorted (constants, then classes, then functions)."""
    assert list(incident_process.__all__) == sorted(incident_process.__all__, key=_isort_key)


def test_contract_names_are_exported():
    """The names other tools call are all exported."""
    assert set(incident_process.__all__) >= CONTRACT


def test_contract_members():
    """Severity, Role and DetectionSource have the members other tools call."""
    assert [m.name for m in incident_process.Severity] == ["SEV1", "SEV2", "SEV3"]
    assert [m.name for m in incident_process.Role] == [
        "INCIDENT_COMMANDER",
        "TECHNICAL_LEAD",
        "COMMUNICATIONS_LEAD",
        "SCRIBE",
    ]
    assert [m.name for m in incident_process.DetectionSource] == [
        "AUTOMATED_ALERT",
        "CUSTOMER_REPORTS",
        "INTERNAL_DISCOVERY",
        "EXTERNAL_NOTIFICATION",
    ]


def test_version_comes_from_the_package_metadata():
    """__version__ is read from the installed metadata, the one version source."""
    assert incident_process.__version__ == version("incident-process")
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", incident_process.__version__)


def test_reading_policies_does_not_load_the_state_machine():
    """python-statemachine loads with the first command, not with the package; nor does Jinja2 or pendulum."""
    import subprocess
    import sys

    code = (
        "import sys, incident_process as ip; ip.loads_policy('zone = \"UTC\"');"
        "assert not {'statemachine', 'jinja2', 'pendulum', 'holidays'} & set(sys.modules);"
        "ip.Lifecycle; assert 'statemachine' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603 - our own interpreter


def test_unknown_attribute_is_an_attribute_error():
    """The module __getattr__ serves __version__ only."""
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = incident_process.no_such_name


def test_every_error_derives_from_the_root():
    """Every exception the package exports derives from IncidentProcessError."""
    exported = [getattr(incident_process, name) for name in incident_process.__all__]
    errors = [value for value in exported if isinstance(value, type) and issubclass(value, BaseException)]
    assert errors
    for error in errors:
        assert issubclass(error, incident_process.IncidentProcessError)
    assert issubclass(incident_process.PolicyError, ValueError)
    assert issubclass(incident_process.SeverityError, ValueError)


def test_package_ships_py_typed():
    """The package is marked typed (PEP 561)."""
    from importlib.resources import files

    assert files("incident_process").joinpath("py.typed").is_file()


def test_lifecycle_contract_signatures():
    """The lifecycle's public calls take the keyword arguments other tools use."""
    import inspect

    from incident_process import Incident

    def keyword_only(function):
        parameters = inspect.signature(function).parameters.values()
        return {p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY}

    def positional(function):
        parameters = inspect.signature(function).parameters.values()
        return [p.name for p in parameters if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]

    assert keyword_only(Incident.detect) >= {"id", "title", "source", "at"}
    assert keyword_only(Incident.declare) >= {"at", "by", "declarer_role", "severity"}
    assert keyword_only(Incident.start_response) >= {"at"}
    assert positional(Incident.assign_role) == ["self", "role", "person"]
    assert keyword_only(Incident.assign_role) >= {"at"}
    assert keyword_only(Incident.post_update) >= {"at", "status", "audience"}
    assert inspect.signature(Incident.post_update).parameters["audience"].default == "internal"
    assert positional(Incident.change_severity) == ["self", "severity"]
    assert keyword_only(Incident.change_severity) >= {"at", "reason"}
    assert keyword_only(Incident.resolve) >= {"at", "last_error_at"}
    assert keyword_only(Incident.start_post_incident) >= {"at"}
    assert keyword_only(Incident.close) >= {"at"}
    assert keyword_only(Incident.dismiss) >= {"at", "reason"}
    for name in ("phase", "severity", "events", "version"):
        assert hasattr(Incident, name)
    assert callable(Incident.role_holders)
