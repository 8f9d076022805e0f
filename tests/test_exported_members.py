"""Each namespace exports exactly what its ``__all__`` lists (httpx's test_exported_members)."""

import ast
import importlib
import inspect
import json
import re
import subprocess
import sys
from importlib.metadata import version

import attrs
import pytest

import incident_process

#: Every public namespace, and the top level.
NAMESPACES = (
    "incident_process",
    "incident_process.cli",
    "incident_process.comms",
    "incident_process.detection",
    "incident_process.errors",
    "incident_process.events",
    "incident_process.integrations",
    "incident_process.lifecycle",
    "incident_process.policy",
    "incident_process.postincident",
    "incident_process.response",
    "incident_process.store",
    "incident_process.timing",
    "incident_process.vocabulary",
)

#: The names other tools call, importable from ``incident_process`` exactly as the
#: issue that added them pinned them ("keep them exactly"), with the namespace that holds each.
CONTRACT = {
    # issue 2, "Foundation"
    "Policy": "policy",
    "DEFAULT_POLICY": "policy",
    "load_policy": "policy",
    "dump_policy": "policy",
    "PolicyError": "errors",
    "IncidentProcessError": "errors",
    "Severity": "vocabulary",
    "Role": "vocabulary",
    "DetectionSource": "vocabulary",
    # issue 3, "Lifecycle"
    "Phase": "vocabulary",
    "Incident": "lifecycle",
    # issue 4, "Time"
    "BusinessCalendar": "timing",
    "Obligation": "lifecycle",
    # issue 5, "Communication"
    "render_declaration": "comms",
    "render_update": "comms",
    "render_resolution": "comms",
    "slack_escape": "comms",
    "channel_name": "comms",
    "channel_name_for": "comms",
    "stakeholders": "comms",
    "lint_external": "comms",
    "Finding": "comms",
    # issue 6, "Detection"
    "sustained_breaches": "detection",
    "Breach": "detection",
    "assess": "detection",
    "alert_level": "detection",
    "AlertLevel": "detection",
    "match_scenarios": "detection",
    # issue 7, "Post-incident"
    "render_postmortem": "postincident",
    "validate_postmortem": "postincident",
    "parse_action_items": "postincident",
    "quarterly_review": "postincident",
    # issue 15, "History that holds"
    "encode_event": "lifecycle",
    "decode_event": "lifecycle",
    # issue 17, "What a bot needs next"
    "upcoming": "lifecycle",
}

#: Added to the top level after the namespaces were cut (issue 14), when it had 64 names: names
#: pinned since, the errors and namespaces added since.
ADDED_SINCE_NAMESPACES = {
    "encode_event",
    "decode_event",
    "ConflictError",
    "StoreError",
    "UnknownIncidentError",
    "store",
    "upcoming",
    "SignatureError",
}

#: Names of namespaces that issues pinned there ("keep them exactly"), by namespace.
PINNED_IN_NAMESPACES = {
    # issue 16, "A real incident store"
    "incident_process.store": ("SQLiteStore", "PostgresStore", "ConflictError"),
}

#: Members of classes that issues pinned ("keep them exactly"): class, then its members.
PINNED_MEMBERS = {
    # issue 17, "What a bot needs next"
    ("incident_process", "Incident"): ("next_change", "reminders", "may_resolve_at"),
    ("incident_process", "Obligation"): ("id",),
}

#: What the top level holds beside the contract: the core a newcomer needs and the namespaces.
CORE = {"loads_policy", "dump_record", "load_record", "loads_record"}


def _isort_key(name):
    """Ruff's isort-style order for __all__: CONSTANTS, Classes, functions."""
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return (kind, name)


def _public_names(module):
    """The names *module* defines (or re-exports, if a package), read from its source."""
    tree = ast.parse(inspect.getsource(module))
    package = module.__name__ == module.__package__
    names = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom) and package and node.level:
            names |= {alias.asname or alias.name for alias in node.names}
    return {name for name in names if not name.startswith("_")}


@pytest.mark.parametrize("name", NAMESPACES[1:])
def test_a_namespace_lists_exactly_its_public_names(name):
    """A namespace's __all__ is every public name it defines or re-exports, and nothing else."""
    module = importlib.import_module(name)
    assert set(module.__all__) == _public_names(module)
    for exported in module.__all__:
        assert getattr(module, exported) is not None


@pytest.mark.parametrize("name", NAMESPACES)
def test_all_is_sorted(name):
    """Every __all__ is sorted (constants, then classes, then functions) and lists each name once."""
    names = list(importlib.import_module(name).__all__)
    assert names == sorted(set(names), key=_isort_key)


def test_the_top_level_lists_exactly_its_public_names():
    """The top level's __all__: what it imports now, and what it loads on first use."""
    helpers = {"TYPE_CHECKING", "Final", "import_module"}
    eager = {name for name in vars(incident_process) if not name.startswith("_")} - helpers
    lazy = {name for names in incident_process._LAZY.values() for name in names}  # noqa: SLF001
    assert set(incident_process.__all__) == eager | lazy | set(incident_process._LAZY)  # noqa: SLF001
    for name in incident_process.__all__:
        assert getattr(incident_process, name) is not None
    assert set(dir(incident_process)) >= set(incident_process.__all__)


def test_type_checkers_see_what_loads_on_first_use():
    """The top level's TYPE_CHECKING imports are exactly the names and namespaces it loads on first use."""
    tree = ast.parse(inspect.getsource(incident_process))
    [block] = [
        node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    seen = {alias.asname or alias.name for node in block.body for alias in node.names}
    lazy = incident_process._LAZY  # noqa: SLF001
    assert seen == {name for names in lazy.values() for name in names} | set(lazy)


def test_the_top_level_is_the_contract_the_core_and_the_namespaces():
    """About 60 names: the pinned contract, every error, the core, the namespaces; nothing more."""
    from incident_process import errors

    namespaces = {name.rpartition(".")[2] for name in NAMESPACES[1:]}
    assert set(incident_process.__all__) == set(CONTRACT) | set(errors.__all__) | CORE | namespaces
    assert len(incident_process.__all__) <= 64 + len(ADDED_SINCE_NAMESPACES)


@pytest.mark.parametrize(
    ("namespace", "name"), [(n, name) for n, names in PINNED_IN_NAMESPACES.items() for name in names]
)
def test_every_name_pinned_in_a_namespace_is_there(namespace, name):
    """A name an issue pinned in a namespace is importable from it."""
    module = importlib.import_module(namespace)
    assert name in module.__all__
    assert getattr(module, name) is not None


@pytest.mark.parametrize(
    ("owner", "member"), [(owner, member) for owner, members in PINNED_MEMBERS.items() for member in members]
)
def test_every_pinned_member_is_there(owner, member):
    """A member an issue pinned (``Incident.next_change``, ``Obligation.id``) exists under its name."""
    module, name = owner
    cls = getattr(importlib.import_module(module), name)
    assert hasattr(cls, member) or member in attrs.fields_dict(cls)


def test_the_stores_conflict_error_is_the_libraries_error():
    """incident_process.store.ConflictError is an IncidentProcessError (the one tree)."""
    from incident_process.store import ConflictError

    assert issubclass(ConflictError, incident_process.IncidentProcessError)
    assert ConflictError is incident_process.errors.ConflictError


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_every_pinned_name_is_importable_from_the_top_level(name):
    """A name an earlier issue pinned is importable from incident_process, as its namespace's object."""
    namespace = importlib.import_module(f"incident_process.{CONTRACT[name]}")
    assert name in incident_process.__all__
    assert getattr(incident_process, name) is getattr(namespace, name)
    assert name in namespace.__all__


def test_every_re_export_is_the_namespaces_own_object():
    """A name of the top level is the very object its namespace exports (one name, one object)."""
    for namespace, names in incident_process._LAZY.items():  # noqa: SLF001
        module = importlib.import_module(f"incident_process.{namespace}")
        for name in names:
            assert getattr(incident_process, name) is getattr(module, name)


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


def _loaded_after(code):
    """The namespaces and heavy dependencies loaded after *code*, in a fresh interpreter."""
    probe = (
        f"{code}\nimport json, sys\n"
        "names = ['statemachine', 'jinja2', 'pendulum', 'holidays', 'markdown_it']\n"
        "names += [f'incident_process.{n}' for n in ('lifecycle', 'comms', 'detection', 'response', "
        "'postincident', 'integrations', 'cli')]\n"
        "print(json.dumps(sorted(name for name in names if name in sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)  # noqa: S603 - our own interpreter
    return set(json.loads(result.stdout))


def test_reading_policies_loads_only_the_policy():
    """Importing the package and reading a policy load no other namespace, nor the heavy dependencies."""
    loaded = _loaded_after("import incident_process as ip; ip.loads_policy('zone = \"UTC\"')")
    assert loaded == set()


def test_a_namespace_loads_on_first_use():
    """The first look-up of a name loads its namespace (and what it needs), not the others."""
    loaded = _loaded_after("import incident_process as ip; ip.lint_external")
    assert "incident_process.comms" in loaded
    assert {"incident_process.lifecycle", "statemachine", "jinja2", "incident_process.response"}.isdisjoint(
        loaded
    )
    loaded = _loaded_after("import incident_process as ip; ip.validate_postmortem")
    assert {"incident_process.lifecycle", "statemachine", "markdown_it"}.isdisjoint(loaded)
    loaded = _loaded_after("import incident_process as ip; ip.lifecycle.Lifecycle")
    assert "statemachine" in loaded
    assert "incident_process.detection" not in loaded


def test_unknown_attribute_is_an_attribute_error():
    """The module __getattr__ serves the namespaces, their re-exported names and __version__ only."""
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = incident_process.no_such_name


@pytest.mark.parametrize("name", NAMESPACES)
def test_every_error_derives_from_the_root(name):
    """Every exception a namespace exports derives from IncidentProcessError."""
    module = importlib.import_module(name)
    exported = [getattr(module, exported) for exported in module.__all__]
    for error in [
        value for value in exported if isinstance(value, type) and issubclass(value, BaseException)
    ]:
        assert issubclass(error, incident_process.IncidentProcessError), error
    assert issubclass(incident_process.PolicyError, ValueError)
    assert issubclass(incident_process.SeverityError, ValueError)


def test_package_ships_py_typed():
    """The package is marked typed (PEP 561)."""
    from importlib.resources import files

    assert files("incident_process").joinpath("py.typed").is_file()


def test_lifecycle_contract_signatures():
    """The lifecycle's public calls take the keyword arguments other tools use."""
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
    assert positional(Incident.obligations) == ["self", "now"]
    assert keyword_only(Incident.obligations) == {"calendar"}
    for name in ("phase", "severity", "events", "version"):
        assert hasattr(Incident, name)
    assert callable(Incident.role_holders)


def test_time_contract_signatures():
    """BusinessCalendar's constructor and rules take the arguments issue 4 pinned."""
    from incident_process import BusinessCalendar

    parameters = inspect.signature(BusinessCalendar.__init__).parameters
    assert list(parameters)[:2] == ["self", "zone"]
    assert {
        name: p.default for name, p in parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY
    } == {
        "country": None,
        "subdivision": None,
        "weekdays": (0, 1, 2, 3, 4),
        "closed": (),
    }
    for rule in ("is_business_day", "add_business_days", "deadline", "business_days_between"):
        assert callable(getattr(BusinessCalendar, rule))
    for field in ("kind", "rule", "due_at", "status"):
        assert field in incident_process.Obligation.__annotations__
