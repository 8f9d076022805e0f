"""Policy files: TOML whose keys override a base policy (the guide, by default).

Rules of the format:

* Tables merge key by key: a file sets only what it changes, and an empty
  file is the base policy. Arrays (escalation levels, detection responses,
  classification rules, lists of names) replace the base's array whole.
* Elapsed durations are written ``"15m"``, ``"1h"``, ``"1h30m"``, ``"90s"``;
  business days ``"3 business days"``; fractions as numbers (``0.05`` is 5%);
  per-severity tables with the keys ``SEV1``, ``SEV2``, ``SEV3``.
* Every problem is reported at once, each with its key path; broken TOML with
  its line.
* Limits (issue 19; :mod:`incident_process._limits`): a file of at most
  ``MAX_POLICY_BYTES``, read only if it is a regular file; at most
  ``MAX_KEYS`` keys, no key or table header of more than ``MAX_DEPTH`` parts
  (checked before the TOML is parsed, so their cost stays linear); no value
  nested more than ``MAX_DEPTH`` deep, no integer of more than
  ``MAX_INTEGER_DIGITS`` digits, no lone surrogate, no date outside the
  accepted years; durations of at most ``MAX_DURATION`` and at most
  ``MAX_BUSINESS_DAYS`` business days.

Reading uses :mod:`tomllib`; writing uses ``tomli-w``; the mapping between
TOML values and the policy's types is a :mod:`cattrs` converter whose hooks
never coerce: a wrong type is reported, not converted.
"""

from __future__ import annotations

import enum
import json
import os
import re
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast, get_args, get_origin

import attrs

from incident_process._arguments import check_type
from incident_process._limits import (
    MAX_DEPTH,
    MAX_KEYS,
    MAX_POLICY_BYTES,
    MAX_RECORD_BYTES,
    Refused,
    read_regular_file,
)
from incident_process._problems import TOO_LONG, size_problem, under, value_problems
from incident_process.errors import PolicyError, Problem, RecordError
from incident_process.timing import BusinessDays, format_duration, parse_business_days, parse_duration
from incident_process.vocabulary import Severity

from ._per_severity import PerSeverity
from ._policy import DEFAULT_POLICY, Policy

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "dump_policy",
    "load_policy",
    "loads_policy",
    "parse_toml",
    "policy_from_dict",
    "policy_to_dict",
    "read_text",
]

C = TypeVar("C")

_SEVERITY_KEYS = tuple(severity.value for severity in Severity)
_TOML_POSITION = re.compile(r"\s*\(at line (?P<line>[0-9]+), column (?P<column>[0-9]+)\)$")


def load_policy(path: str | os.PathLike[str], *, base: Policy = DEFAULT_POLICY) -> Policy:
    """Read a policy TOML file whose keys override *base* (the guide by default).

    Raises:
        PolicyError: listing every problem (unreadable file, broken TOML with
            its line, unknown keys, wrong types, invalid values), each with
            its key path.
    """
    check_type("path", path, (str, os.PathLike), "a file's path (str or os.PathLike)")  # issue 19, defect 10
    check_type("base", base, Policy, "a Policy")
    source = os.fspath(path)
    return policy_from_dict(parse_toml(read_text(source), source=source), base=base, source=source)


def loads_policy(text: str, *, base: Policy = DEFAULT_POLICY, source: str | None = None) -> Policy:
    """Read policy TOML from a string, with the limits of a file; see :func:`load_policy`.

    >>> policy = loads_policy('communication.update_cadence.SEV1 = "10m"')
    >>> policy.communication.update_cadence[Severity.SEV1]
    datetime.timedelta(seconds=600)
    """
    check_type("text", text, str, "TOML text (str)")  # issue 19, defect 10
    check_type("base", base, Policy, "a Policy")
    check_type("source", source, (str, type(None)), "a file name (str) or None")
    return policy_from_dict(parse_toml(text, source=source), base=base, source=source)


def read_text(
    source: str, *, error: type[PolicyError | RecordError] = PolicyError, limit: int | None = None
) -> str:
    """The UTF-8 text of a regular file, or an *error* (a :class:`PolicyError`) saying why it cannot be read.

    At most *limit* bytes: by default ``MAX_POLICY_BYTES`` for a policy and
    ``MAX_RECORD_BYTES`` for a record (*error* :class:`RecordError`). A FIFO,
    a device (``/dev/zero``) or a directory is refused without reading from
    it, so it can neither block nor fill memory (issue 19).
    """
    if limit is None:
        limit = MAX_RECORD_BYTES if issubclass(error, RecordError) else MAX_POLICY_BYTES
    try:
        return read_regular_file(source, limit).decode("utf-8")
    except Refused as refusal:  # a directory keeps the words of the error it gave before
        message = f"cannot read the file: {'Is a directory' if Path(source).is_dir() else refusal}"
    except OSError as problem:
        message = f"cannot read the file: {problem.strerror or problem}"
    except UnicodeDecodeError as problem:
        message = f"not UTF-8 text (byte {problem.start}): {problem.reason}"
    raise error([Problem(path="", message=message)], source=source) from None


def parse_toml(text: str, *, source: str | None = None) -> dict[str, Any]:
    """Parse TOML, or raise a :class:`PolicyError` with the line of the first syntax error.

    The limits of a policy file are checked first, in time linear in the
    text's length (its size, its number of keys, the parts of each key), and
    the parsed values then (their nesting, integers, text and dates): every
    problem with its key path or line.
    """
    import tomllib  # only policy files need it: kept off the import path

    problems = _toml_limits(text)
    if problems:
        raise PolicyError(problems, source=source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        line = None
        if position is not None:
            line = int(position["line"])
            message = f"{message[: position.start()]} (column {position['column']})"
        problem = Problem(path="", message=f"not valid TOML: {message}", line=line)
        raise PolicyError([problem], source=source) from None
    except RecursionError:
        problem = Problem(path="", message=f"not valid TOML: nested more than {MAX_DEPTH} levels deep")
        raise PolicyError([problem], source=source) from None
    except ValueError as error:  # Python's own limit on an integer's digits (4,300)
        message = TOO_LONG if "digits" in str(error) else str(error)
        raise PolicyError([Problem(path="", message=f"not valid TOML: {message}")], source=source) from None
    problems = value_problems(data, key=_key, source=text)
    if problems:
        raise PolicyError(problems, source=source)
    return data


# --- limits checked before parsing, in linear time -------------------------------
#
# tomllib spends time quadratic in the parts of a dotted key (`a.a.a... = 1`):
# the text is scanned first, with its strings and comments blanked out by one
# regular expression, and a key or table header of more than MAX_DEPTH parts,
# or more than MAX_KEYS keys (each part of a dotted key counted, so that the
# sum of the squares stays small), is refused before tomllib sees the text.

_STRINGS_AND_COMMENTS = re.compile(
    r'"""(?:[^"\\]++|\\.|"(?!""))*+"{3,5}'  # multi-line basic string
    r"|'''(?:[^']++|'(?!''))*+'{3,5}"  # multi-line literal string
    r'|"(?:[^"\\\n]++|\\.)*+"'  # basic string
    r"|'[^'\n]*+'"  # literal string
    r"|#[^\n]*+",  # comment
    re.DOTALL,
)
_PART = r"[A-Za-z0-9_-]++"
#: A key (or header) of more than MAX_DEPTH parts, strings blanked to one bare part; tried
#: only at the first part of a key (not after a dot), so each part is read about once.
_LONG_KEY = re.compile(rf"(?<![A-Za-z0-9_.-]){_PART}(?:[ \t]*+\.[ \t]*+{_PART}){{{MAX_DEPTH}}}")
_HEADER = re.compile(r"^[ \t]*+\[", re.MULTILINE)


def _toml_limits(text: str) -> list[Problem]:
    """The problems of *text* with the limits checked before parsing (each with its line)."""
    too_large = size_problem(text, MAX_POLICY_BYTES)
    if too_large is not None:
        return [too_large]
    blanked = _STRINGS_AND_COMMENTS.sub("_", text)
    long_key = _LONG_KEY.search(blanked)
    if long_key is None:
        # Each part of a dotted key is a key of its table: `a.b.c = 1` is three keys. A dot
        # outside strings is counted as a key wherever it is (a float's too): conservative.
        keys = blanked.count("=") + len(_HEADER.findall(blanked)) + blanked.count(".")
        if keys > MAX_KEYS:
            message = (
                f"more than {MAX_KEYS:,} keys ({keys:,}, each part of a dotted key counted), over the limit"
            )
            return [Problem(path="", message=message)]
        return []
    # The line, counted in the text with its strings' line breaks kept (only on this path).
    kept = _STRINGS_AND_COMMENTS.sub(lambda match: "_" + "\n" * match[0].count("\n"), text)
    found = _LONG_KEY.search(kept)
    line = kept.count("\n", 0, found.start()) + 1 if found is not None else 1
    start = text.split("\n", line)[line - 1].strip()[:40]
    message = f"a key or table header of more than {MAX_DEPTH} parts, over the limit: {start!r}..."
    return [Problem(path="", message=message, line=line)]


def policy_from_dict(
    overrides: Mapping[str, Any], *, base: Policy = DEFAULT_POLICY, source: str | None = None
) -> Policy:
    """Build a policy from plain data (parsed TOML or JSON) overriding *base*.

    Raises:
        PolicyError: listing every problem, each with its key path.
    """
    merged = _merge(policy_to_dict(base), overrides)
    try:
        policy: Policy = _converter().structure(merged, Policy)
    except PolicyError as error:
        raise PolicyError(error.problems, source=source) from None
    return policy


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    """The policy as plain data, in the shape of a policy file."""
    data: dict[str, Any] = _converter().unstructure(policy)
    return data


def dump_policy(policy: Policy) -> str:
    """Write *policy* as a complete TOML policy file that loads back equal.

    >>> loads_policy(dump_policy(DEFAULT_POLICY)) == DEFAULT_POLICY
    True
    """
    check_type("policy", policy, Policy, "a Policy")  # issue 19, defect 10
    import tomli_w

    return tomli_w.dumps(policy_to_dict(policy))


def _merge(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; anything else in *overrides* replaces the base's value."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _key(key: str) -> str:
    """A key as it is written in a TOML key path: bare if it can be, else quoted."""
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)


def _under_any(path: str, fields: list[str]) -> bool:
    return any(path == name or path.startswith((f"{name}.", f"{name}[")) for name in fields)


def _fail(message: str) -> PolicyError:
    return PolicyError([Problem(path="", message=message)])


# --- structuring: shape errors raise, leaf errors pass the raw value on ---------
#
# A leaf that does not parse (a duration, an enum value, a number of the wrong
# type) is passed on unchanged, and the class that receives it reports it with
# its other problems. A table or list of the wrong shape cannot be built: it
# raises, and its parent checks the rest with that field's default in its place.


def _passthrough(value: object, _: type) -> object:
    return value


def _structure_float(value: object, _: type) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _parsed_from_text(parse: Callable[[str], object]) -> Callable[[object, type], object]:
    """A hook that parses text with *parse*, passing anything it cannot parse on unchanged.

    A value beyond a limit (:class:`Refused`: a duration over ``MAX_DURATION``)
    is a problem at its key path, with the limit in its message.
    """

    def structure(value: object, _: type) -> object:
        if isinstance(value, str):
            try:
                return parse(value)
            except Refused as refusal:
                raise _fail(str(refusal)) from None
            except ValueError:
                return value
        return value

    return structure


def _structure_enum(value: object, kind: type[enum.Enum]) -> object:
    try:
        return Severity.parse(value) if kind is Severity else kind(value)
    except ValueError:  # SeverityError is a ValueError too
        return value


def _structure_tuple(converter: cattrs.Converter, kind: Any) -> Callable[[object, Any], object]:
    (item_type, _) = get_args(kind)

    def structure(value: object, _: Any) -> object:
        if not isinstance(value, list):
            return value
        problems: list[Problem] = []
        items = []
        for index, item in enumerate(value):
            try:
                items.append(converter.structure(item, item_type))
            except PolicyError as error:
                problems.extend(under(f"[{index}]", error.problems))
        if problems:
            raise PolicyError(problems)
        return tuple(items)

    return structure


def _structure_per_severity(converter: cattrs.Converter, kind: Any) -> Callable[[object, Any], object]:
    args = get_args(kind)
    value_type = args[0] if args else Any

    def structure(value: object, _: Any) -> object:
        if not isinstance(value, Mapping):
            message = f"expected a table with the keys {', '.join(_SEVERITY_KEYS)}, got {value!r}"
            raise _fail(message)
        problems = [
            Problem(path=_key(key), message=f"unknown key; expected {', '.join(_SEVERITY_KEYS)}")
            for key in value
            if key not in _SEVERITY_KEYS
        ]
        values = {}
        for severity in Severity:
            if severity.value not in value:
                problems.append(Problem(path=severity.value, message="missing"))
                continue
            try:
                values[severity.name.lower()] = converter.structure(value[severity.value], value_type)
            except PolicyError as error:
                problems.extend(under(severity.value, error.problems))
        if problems:
            raise PolicyError(problems)
        return PerSeverity(**values)

    return structure


def _structure_attrs(converter: cattrs.Converter, kind: type[C]) -> Callable[[object, Any], C]:
    fields = attrs.fields(attrs.resolve_types(cast("type[attrs.AttrsInstance]", kind)))
    names = {field.name for field in fields}

    def structure(value: object, _: Any) -> C:
        if not isinstance(value, Mapping):
            message = f"expected a table, got {value!r}"
            raise _fail(message)
        problems = [Problem(path=_key(key), message="unknown key") for key in value if key not in names]
        arguments: dict[str, Any] = {}
        replaced: list[str] = []
        for field in fields:
            if field.name not in value:
                if field.default is attrs.NOTHING:
                    problems.append(Problem(path=field.name, message="missing"))
                continue
            try:
                arguments[field.name] = converter.structure(value[field.name], field.type)
            except PolicyError as error:
                problems.extend(under(field.name, error.problems))
                replaced.append(field.name)
        if any(field.default is attrs.NOTHING and field.name not in arguments for field in fields):
            raise PolicyError(problems)
        try:
            result = kind(**arguments)
        except PolicyError as error:
            # A problem about a field replaced by its default is about the
            # default, not about the input: that field's own problems are listed.
            problems.extend(p for p in error.problems if not _under_any(p.path, replaced))
            raise PolicyError(problems) from None
        if problems:
            raise PolicyError(problems)
        return result

    return structure


# --- unstructuring: plain data for TOML -----------------------------------------


def _unstructure_attrs(converter: cattrs.Converter, kind: type) -> Callable[[Any], dict[str, Any]]:
    fields = attrs.fields(kind)

    def unstructure(value: Any) -> dict[str, Any]:
        data = {}
        for field in fields:
            item = getattr(value, field.name)
            if item is not None:  # TOML has no null: an omitted optional key is None
                data[field.name] = converter.unstructure(item)
        return data

    return unstructure


def _unstructure_per_severity(converter: cattrs.Converter) -> Callable[[PerSeverity[Any]], dict[str, Any]]:
    def unstructure(value: PerSeverity[Any]) -> dict[str, Any]:
        return {severity.value: converter.unstructure(item) for severity, item in value.items()}

    return unstructure


def _is_per_severity(kind: Any) -> bool:
    return kind is PerSeverity or get_origin(kind) is PerSeverity


def _is_tuple(kind: Any) -> bool:
    return get_origin(kind) is tuple


def _is_enum(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, enum.Enum)


@cache
def _converter() -> cattrs.Converter:
    import cattrs  # only policy files need it: kept off the import path

    converter = cattrs.Converter()
    for scalar in (str, int, bool, date):
        converter.register_structure_hook(scalar, _passthrough)
    # An enumeration of texts (Role) is an enumeration first: more specific than str for dispatch.
    converter.register_structure_hook(enum.StrEnum, _structure_enum)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(timedelta, _parsed_from_text(parse_duration))
    converter.register_structure_hook(BusinessDays, _parsed_from_text(parse_business_days))
    converter.register_structure_hook_func(_is_enum, _structure_enum)
    converter.register_structure_hook_factory(attrs.has, lambda kind: _structure_attrs(converter, kind))
    converter.register_structure_hook_factory(_is_tuple, lambda kind: _structure_tuple(converter, kind))
    converter.register_structure_hook_factory(
        _is_per_severity, lambda kind: _structure_per_severity(converter, kind)
    )

    converter.register_unstructure_hook(timedelta, format_duration)
    converter.register_unstructure_hook(BusinessDays, str)
    converter.register_unstructure_hook_func(_is_enum, lambda member: member.value)
    converter.register_unstructure_hook_func(
        lambda kind: isinstance(kind, type) and issubclass(kind, tuple),
        lambda items: [converter.unstructure(item) for item in items],
    )
    converter.register_unstructure_hook_factory(attrs.has, lambda kind: _unstructure_attrs(converter, kind))
    converter.register_unstructure_hook_factory(
        _is_per_severity, lambda _: _unstructure_per_severity(converter)
    )
    return converter
