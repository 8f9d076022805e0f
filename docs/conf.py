"""Sphinx configuration for the incident-process documentation.

Build (warnings are errors, every cross reference must resolve)::

    sphinx-build -W -n --keep-going -b html docs docs/_build/html
"""

from __future__ import annotations

import ast
import enum
import importlib
import inspect
import re
import sys
import textwrap
import typing
from importlib.metadata import version as _version
from pathlib import Path

import attrs
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.domains.python import PythonDomain
from sphinx.environment import BuildEnvironment
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinx.util.inspect import signature as sphinx_signature
from sphinx.util.inspect import stringify_signature
from statemachine.contrib.diagram import DotGraphMachine
from statemachine.contrib.diagram.graphviz import GraphvizNotFoundError, run_graphviz

import incident_process
from incident_process.lifecycle import _incident, _machine, _rules

project = "incident-process"
author = "incident-process developers"
copyright = "incident-process developers"
release = _version("incident-process")
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]

source_suffix = {".md": "markdown"}
# _generated holds what the build writes from the code (see "Generated from the
# code" below): included into pages, never pages themselves.
exclude_patterns = ["_build", "_generated"]

html_theme = "furo"
html_title = f"{project} {release}"

myst_heading_anchors = 3

# Show ``Policy`` rather than ``incident_process.Policy`` in signatures and types.
python_use_unqualified_type_names = True

# --- autodoc and napoleon ------------------------------------------------------

autodoc_member_order = "bysource"
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# --- annotations that name what is imported only for type checking --------------
#
# Some modules import names under ``if TYPE_CHECKING:`` only (to keep an
# import lazy or to avoid a cycle), and typing.get_type_hints cannot evaluate
# an annotation that uses one: autodoc and napoleon then fall back to the raw
# strings, whose bare names ("datetime", "date") resolve to nothing. Running
# those imports in each module, once the package is imported, makes every
# annotation evaluate as the type checker sees it.


_TYPE_CHECKING = frozenset({"TYPE_CHECKING", "typing.TYPE_CHECKING"})


def _import_type_checking_names() -> None:
    for name, module in list(sys.modules.items()):
        if name != "incident_process" and not name.startswith("incident_process."):
            continue
        tree = ast.parse(inspect.getsource(module))
        for node in tree.body:
            if isinstance(node, ast.If) and ast.unparse(node.test) in _TYPE_CHECKING:
                code = compile(ast.Module(body=node.body, type_ignores=[]), inspect.getfile(module), "exec")
                exec(code, vars(module))  # noqa: S102 - the module's own import statements


#: The public namespaces: every public object is documented once, under its namespace.
NAMESPACES = {
    name: importlib.import_module(f"incident_process.{name}")
    for name in incident_process.__all__
    if inspect.ismodule(getattr(incident_process, name))
}
#: The namespace that documents each public name.
HOME = {name: namespace for namespace, module in NAMESPACES.items() for name in module.__all__}
_import_type_checking_names()


# --- nitpicky: only targets outside this project may stay unresolved -----------
#
# There is no intersphinx (the build runs without network), so references to
# the standard library and to attrs cannot resolve; they are listed here
# (built-ins such as ValueError need no entry). Every reference to this
# project's own objects must resolve (see _public_reference).

nitpick_ignore = [
    ("py:class", "datetime.timedelta"),  # durations in annotations
    ("py:class", "datetime.tzinfo"),  # BusinessCalendar.tz
    ("py:class", "pathlib.Path"),  # write_quarterly_charts returns paths
    ("py:class", "os.PathLike"),  # load_policy's path
    ("py:func", "attrs.evolve"),  # how to change a policy (Policy docstring, policy.md, errors.md)
    ("py:class", "datetime.datetime"),  # event times in annotations
    ("py:class", "datetime.date"),  # action items' due dates
    ("py:class", "datetime.timezone"),  # fixed-offset zones (SustainedThresholdDetector)
    ("py:data", "datetime.UTC"),  # the UTC zone (SustainedThresholdDetector)
    ("py:class", "statemachine.statemachine.StateMachine"),  # Lifecycle's base class
    ("py:class", "statemachine.statemachine.TModel"),  # Lifecycle's signature (its model's type variable)
]
nitpick_ignore_regex = [
    # Mapping, Iterator, Iterable in annotations.
    ("py:class", r"collections\.abc\.(Iterable|Iterator|Mapping|Sequence|Callable)"),
    # The store's Protocol is typed with typing.Protocol's own names.
    ("py:class", r"typing\.(Protocol|Self)"),
    # PerSeverity's type variable: a type parameter, not an object with an entry.
    ("py:class", r"incident_process\.policy\._per_severity\.T"),
]


# --- the public names -----------------------------------------------------------
#
# Every public object is documented once, under its namespace
# (``incident_process.lifecycle.Incident``). Annotations name classes by their
# defining private module (``incident_process.lifecycle._incident.Incident``),
# docstrings by the top level's re-export (``incident_process.Incident``) or by
# a short name (``Event``): each is resolved to the namespace's entry.

_PRIVATE_PATH = re.compile(r"incident_process(?:\.[a-z]+)?\._[a-z_]+\.(?P<rest>.+)")
_TOP_LEVEL = re.compile(r"incident_process\.(?P<rest>[A-Za-z_].*)")


def _namespaced(target: str) -> str | None:
    """*target* as its namespace documents it, if it names a public object some other way."""
    for pattern in (_PRIVATE_PATH, _TOP_LEVEL):
        match = pattern.fullmatch(target)
        if match is not None:
            target = match["rest"]
            break
    first = target.split(".", 1)[0]
    namespace = HOME.get(first)
    return None if namespace is None else f"incident_process.{namespace}.{target}"


def _public_reference(
    app: Sphinx, env: BuildEnvironment, node: nodes.Element, contnode: nodes.Element
) -> nodes.Element | None:
    if node.get("refdomain") != "py":
        return None
    target = _namespaced(node.get("reftarget", ""))
    if target is None or target == node.get("reftarget"):
        return None
    return env.get_domain("py").resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], target, node, contnode
    )


# --- signatures ----------------------------------------------------------------
#
# attrs writes the policy classes' ``__init__``; their defaults are whole policy
# groups whose reprs run to pages, and functions default to DEFAULT_POLICY.
# Signatures show short defaults (numbers, strings, severities), name
# DEFAULT_POLICY, and show ``...`` for the rest: the attribute descriptions quote
# the guide's values. Enumerations are not constructed by callers: no signature.


class _Shown:
    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


_ELIDED = _Shown("...")


def _shown(value: object) -> object:
    if value is incident_process.DEFAULT_POLICY:
        return _Shown("DEFAULT_POLICY")
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return _Shown(f"{type(value).__name__}.{value.name}")
    if isinstance(value, tuple):
        items = [_shown(item) for item in value]
        if _ELIDED not in items:
            text = "(" + ", ".join(map(repr, items)) + ("," if len(items) == 1 else "") + ")"
            if len(text) <= 60:
                return _Shown(text)
    return _ELIDED


def _attrs_parameters(cls: type) -> list[inspect.Parameter]:
    hints = typing.get_type_hints(cls)
    parameters = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        kind = inspect.Parameter.KEYWORD_ONLY if field.kw_only else inspect.Parameter.POSITIONAL_OR_KEYWORD
        default = inspect.Parameter.empty if field.default is attrs.NOTHING else _shown(field.default)
        annotation = hints.get(field.name, field.type)
        parameters.append(inspect.Parameter(field.alias, kind, default=default, annotation=annotation))
    return parameters


def _attrs_init(cls: type) -> bool:
    """Whether attrs wrote *cls*'s ``__init__`` (its fields are its parameters)."""
    code = getattr(cls.__init__, "__code__", None)
    return code is not None and code.co_filename.startswith("<attrs generated")


def _callable_signature(obj: typing.Callable[..., object], *, method: bool) -> str | None:
    """*obj*'s parameters with short defaults; for a method, None if autodoc's are short already."""
    found = sphinx_signature(obj, bound_method=method)
    parameters = [
        parameter.replace(default=_shown(parameter.default))
        if parameter.default is not inspect.Parameter.empty
        else parameter
        for parameter in found.parameters.values()
    ]
    unchanged = all(
        new.default is old.default for new, old in zip(parameters, found.parameters.values(), strict=True)
    )
    if method and unchanged:
        return None
    return stringify_signature(
        found.replace(parameters=parameters), show_return_annotation=False, unqualified_typehints=True
    )


def _signature(  # noqa: PLR0913, PLR0917 - the signature of Sphinx's event
    app: Sphinx,
    what: str,
    name: str,
    obj: object,
    options: object,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str, str | None] | None:
    del app, name, options, signature
    if what == "class" and isinstance(obj, type) and issubclass(obj, enum.Enum):
        return "", None
    text = None
    if (
        what == "class"
        and isinstance(obj, type)
        and not attrs.has(obj)
        and not issubclass(obj, BaseException)
        and "__init__" in vars(obj)
    ):
        # Its own __init__, not attrs' (the stores): short defaults (DEFAULT_POLICY, not its repr).
        text = _callable_signature(obj.__init__, method=True)
        return None if text is None else (text, return_annotation)
    if what in {"class", "exception"} and isinstance(obj, type) and attrs.has(obj):
        if obj.__init__ is object.__init__:
            return "", None  # built by its classmethods (Incident), not called
        if not _attrs_init(obj):
            # Its own __init__ (BusinessCalendar): autodoc's signature, defaults shortened.
            text = _callable_signature(obj.__init__, method=True)
        else:
            text = stringify_signature(
                inspect.Signature(_attrs_parameters(obj)),
                show_return_annotation=False,
                unqualified_typehints=True,
            )
    elif what in {"function", "method"} and callable(obj):
        # Methods too: Incident.detect and from_events default to DEFAULT_POLICY.
        text = _callable_signature(obj, method=what == "method")
    return None if text is None else (text, return_annotation)


# --- every public name is documented --------------------------------------------


def _check_api_documented(app: Sphinx, env: BuildEnvironment) -> None:
    del app
    documented = typing.cast("PythonDomain", env.get_domain("py")).objects
    missing = [
        f"{namespace}.{name}"
        for namespace, module in NAMESPACES.items()
        for name in module.__all__
        if f"incident_process.{namespace}.{name}" not in documented
    ]
    if missing:
        logging.getLogger(__name__).warning(
            "public names missing from api.md: %s", ", ".join(missing), type="incident_process", subtype="api"
        )


# --- generated from the code -----------------------------------------------------
#
# lifecycle.md shows the lifecycle as the code defines it, so the page cannot
# drift from the machine: before anything is read, the build writes into
# docs/_generated/ (not in version control)
#
# - lifecycle.svg: the diagram python-statemachine draws of Lifecycle, with
#   Graphviz (required: the build stops if `dot` is missing);
# - commands.md: the commands table, read from TRANSITIONS and EVENT_TYPES;
# - arrivals.md: the arrival rule of every event, read from ARRIVALS.
#
# Files are rewritten only when their content changes, so an unchanged
# lifecycle does not make Sphinx read lifecycle.md again.

GENERATED = Path(__file__).parent / "_generated"

_RULE = re.compile(r"[a-z_]+\.[a-z_]+")
# The calls that name a rule: a guard's verdict and the incident's refusals.
_RULE_CALLS = frozenset({"RuleBroken", "Refusal", "_refused", "refuse", "guard"})


class GraphvizMissingError(SphinxError):
    """The Graphviz ``dot`` program is needed to draw the lifecycle."""

    category = "Graphviz not found"


def _write(path: Path, content: bytes) -> None:
    if not path.exists() or path.read_bytes() != content:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def _lifecycle_svg() -> bytes:
    source = DotGraphMachine(_machine.Lifecycle)().to_string()  # type: ignore[no-untyped-call]
    # Some node and cluster names end in an object id (__initial_140420623500304):
    # drop it, so that an unchanged lifecycle draws the same file.
    source = re.sub(r"_\d{8,}\b", "", source)
    try:
        return run_graphviz(source, "svg")
    except GraphvizNotFoundError:
        msg = (
            "the lifecycle diagram on lifecycle.md is drawn from the code at build time with "
            "Graphviz's `dot` program, which is not on PATH. Install Graphviz "
            "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz) and build again."
        )
        raise GraphvizMissingError(msg) from None


def _rules_named(function: typing.Callable[..., object]) -> list[str]:
    """The rule ids a function's source passes to RuleBroken, _refused or refuse."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    return _rule_ids(tree)


def _rule_ids(tree: ast.AST) -> list[str]:
    """The rule ids passed to RuleBroken, _refused or refuse in *tree*, in order."""
    found: list[str] = []
    for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
        function = call.func
        name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", None)
        if name not in _RULE_CALLS:
            continue
        for argument in call.args:
            rule = argument.value if isinstance(argument, ast.Constant) else None
            if isinstance(rule, str) and _RULE.fullmatch(rule) and rule not in found:
                found.append(rule)
    return found


def _allowed_cell(command: str) -> str:
    """Where *command* is allowed: the phases it leaves, then those it keeps."""
    moves, stays = [], []
    for phase in incident_process.Phase:
        found = _machine.TRANSITIONS.get((phase, command))
        if found is not None and found[0] is phase:
            stays.append(f"`{phase.value}`")
        elif found is not None:
            moves.append(f"`{phase.value}` → `{found[0].value}`")
    if stays:
        moves.append(", ".join(stays) + " (phase unchanged)")
    return "; ".join(moves)


def _guard_cell(command: str) -> str:
    """Each guard of *command*, the rules it names, and where it applies if not everywhere."""
    phases = [phase for phase in incident_process.Phase if (phase, command) in _machine.TRANSITIONS]
    guarded: dict[_machine.Guard, list[str]] = {}
    for phase in phases:
        for guard in _machine.TRANSITIONS[phase, command][1]:
            guarded.setdefault(guard, []).append(f"`{phase.value}`")
    cells = []
    for guard, where in guarded.items():
        rules = _rules_named(guard)
        if not rules:
            msg = f'the guard {guard.__name__} names no rule (RuleBroken("area.rule", ...))'
            raise SphinxError(msg)
        only = "" if len(where) == len(phases) else f" (from {', '.join(where)})"
        cells.append(f"`{guard.__name__}`: " + ", ".join(f"`{rule}`" for rule in rules) + only)
    return "; ".join(cells) or "—"


def _commands_table() -> str:
    """The commands table: command, event, where allowed (and where it leads), guard and rule."""
    by_command = {kind.command: kind for kind in incident_process.events.EVENT_TYPES.values()}
    machine_commands = {command for (_, command) in _machine.TRANSITIONS}
    unknown = machine_commands - by_command.keys()
    if unknown:
        msg = f"commands of Lifecycle without an event type in EVENT_TYPES: {', '.join(sorted(unknown))}"
        raise SphinxError(msg)
    rows = [
        "| Command | Event | Allowed in → next phase | Guard: rule |",
        "|---|---|---|---|",
    ]
    for command, kind in by_command.items():
        if not callable(getattr(incident_process.Incident, command, None)):
            msg = f"the command {command!r} of {kind.__name__} is not a method of Incident"
            raise SphinxError(msg)
        method = f"{{py:meth}}`~incident_process.lifecycle.Incident.{command}`"
        event = f"{{py:class}}`~incident_process.events.{kind.__name__}`"
        if command in machine_commands:
            rows.append(f"| {method} | {event} | {_allowed_cell(command)} | {_guard_cell(command)} |")
        else:  # detect: the first event, not a transition
            rows.append(f"| {method} | {event} | starts the incident in `detected` | — |")
    return "\n".join(rows) + "\n"


_ARRIVAL_WORDS = {
    "fact": "fact: recorded late, it keeps its time and is judged where it happened (`time.late_fact`)",
    "decision": "decision: never dated before a recorded event (`time.order`)",
}


def _arrivals_table() -> str:
    """The arrival rules: each event, its command, whether it may be recorded late, the phases it keeps."""
    from incident_process.lifecycle import ARRIVALS

    rows = ["| Event | Command | Arrival | Happens in |", "|---|---|---|---|"]
    for kind, arrival in ARRIVALS.items():
        phases = [phase for phase in incident_process.Phase if (phase, kind.command) in _machine.TRANSITIONS]
        where = ", ".join(f"`{phase.value}`" for phase in phases) or "starts the incident"
        event = f"{{py:class}}`~incident_process.events.{kind.__name__}`"
        rows.append(f"| {event} | `{kind.command}` | {_ARRIVAL_WORDS[arrival.value]} | {where} |")
    return "\n".join(rows) + "\n"


def _generate(app: Sphinx) -> None:
    del app
    _write(GENERATED / "lifecycle.svg", _lifecycle_svg())
    _write(GENERATED / "commands.md", _commands_table().encode())
    _write(GENERATED / "arrivals.md", _arrivals_table().encode())


def _check_lifecycle_documented(app: Sphinx, env: BuildEnvironment) -> None:
    """Every phase, and every rule id the code can refuse with, is explained on lifecycle.md."""
    del env
    page = Path(app.srcdir, "lifecycle.md").read_text(encoding="utf-8")
    rules = _rule_ids(ast.parse(inspect.getsource(_machine)))
    for module in (_incident, _rules):  # _rules: the guards, each named by @guard("area.rule")
        rules += [rule for rule in _rule_ids(ast.parse(inspect.getsource(module))) if rule not in rules]
    names = [phase.value for phase in incident_process.Phase] + rules
    missing = [name for name in names if f"`{name}`" not in page]
    if missing:
        logging.getLogger(__name__).warning(
            "phases or rules missing from lifecycle.md: %s",
            ", ".join(missing),
            type="incident_process",
            subtype="lifecycle",
        )


def _public_bases(app: Sphinx, name: str, obj: object, options: object, bases: list[type]) -> None:
    """Show a private base class (``_ProblemsError``) as the public classes it derives from."""
    del app, name, obj, options
    bases[:] = [
        shown for base in bases for shown in (base.__bases__ if base.__name__.startswith("_") else (base,))
    ]


def setup(app: Sphinx) -> None:
    """Connect the handlers above."""
    app.connect("builder-inited", _generate)
    app.connect("env-check-consistency", _check_lifecycle_documented)
    app.connect("missing-reference", _public_reference)
    app.connect("autodoc-process-signature", _signature)
    app.connect("autodoc-process-bases", _public_bases)
    app.connect("env-check-consistency", _check_api_documented)
