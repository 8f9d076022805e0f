"""Sphinx configuration for the incident-process documentation.

Build (warnings are errors, every cross reference must resolve)::

    sphinx-build -W -n --keep-going -b html docs docs/_build/html
"""

from __future__ import annotations

import enum
import inspect
import re
import typing
from importlib.metadata import version as _version

import attrs
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.domains.python import PythonDomain
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.inspect import signature as sphinx_signature
from sphinx.util.inspect import stringify_signature

import incident_process

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
exclude_patterns = ["_build"]

html_theme = "furo"
html_title = f"{project} {release}"

myst_heading_anchors = 3

# Show ``Policy`` rather than ``incident_process.Policy`` in signatures and types.
python_use_unqualified_type_names = True

# --- autodoc and napoleon ------------------------------------------------------

autodoc_member_order = "bysource"
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# --- nitpicky: only targets outside this project may stay unresolved -----------
#
# There is no intersphinx (the build runs without network), so references to
# the standard library and to attrs cannot resolve; they are listed here
# (built-ins such as ValueError need no entry). Every reference to this
# project's own objects must resolve (see _public_reference).

nitpick_ignore = [
    ("py:class", "datetime.timedelta"),  # durations in annotations
    ("py:class", "os.PathLike"),  # load_policy's path
    ("py:func", "attrs.evolve"),  # how to change a policy (Policy docstring, policy.md, errors.md)
]
nitpick_ignore_regex = [
    # Mapping, Iterator, Iterable in annotations.
    ("py:class", r"collections\.abc\.(Iterable|Iterator|Mapping)"),
    # PerSeverity's type variable: a type parameter, not an object with an entry.
    ("py:class", r"incident_process\._policy\.T"),
]


# --- the public names -----------------------------------------------------------
#
# The modules behind ``incident_process`` are private (``incident_process._policy``
# and so on), and annotations name the classes by their defining module. Every
# public object is documented under ``incident_process.<name>``, so a reference
# to ``incident_process._<module>.<name>`` is resolved to that entry.

_PRIVATE_PATH = re.compile(r"incident_process\._[a-z_]+\.(?P<rest>.+)")


def _public_reference(
    app: Sphinx, env: BuildEnvironment, node: nodes.Element, contnode: nodes.Element
) -> nodes.Element | None:
    if node.get("refdomain") != "py":
        return None
    match = _PRIVATE_PATH.fullmatch(node.get("reftarget", ""))
    if match is None:
        return None
    target = f"incident_process.{match['rest']}"
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
    if what in {"class", "exception"} and isinstance(obj, type) and attrs.has(obj):
        text = stringify_signature(
            inspect.Signature(_attrs_parameters(obj)),
            show_return_annotation=False,
            unqualified_typehints=True,
        )
        return text, return_annotation
    if what == "function" and callable(obj):
        found = sphinx_signature(obj)
        parameters = [
            parameter.replace(default=_shown(parameter.default))
            if parameter.default is not inspect.Parameter.empty
            else parameter
            for parameter in found.parameters.values()
        ]
        text = stringify_signature(
            found.replace(parameters=parameters), show_return_annotation=False, unqualified_typehints=True
        )
        return text, return_annotation
    return None


# --- every public name is documented --------------------------------------------


def _check_api_documented(app: Sphinx, env: BuildEnvironment) -> None:
    del app
    documented = typing.cast("PythonDomain", env.get_domain("py")).objects
    missing = [name for name in incident_process.__all__ if f"incident_process.{name}" not in documented]
    if missing:
        logging.getLogger(__name__).warning(
            "public names missing from api.md: %s", ", ".join(missing), type="incident_process", subtype="api"
        )


def setup(app: Sphinx) -> None:
    """Connect the handlers above."""
    app.connect("missing-reference", _public_reference)
    app.connect("autodoc-process-signature", _signature)
    app.connect("env-check-consistency", _check_api_documented)
