"""Incident records: an incident's events as JSON text that reads back equal.

Rules of the format (``incident-process/record/v2``; the JSON Schema is
:func:`record_schema`):

* One JSON object: ``schema``, ``id``, ``title``, ``policy`` (the policy it
  was written under: its ``name``, ``fingerprint`` and ``zone``) and
  ``events`` in their order of record, in that order, indented by 2, UTF-8,
  ending with a newline.
* Each event is an object (:func:`encode_event`): ``type`` (the event's
  record name, ``"declared"``), ``id``, ``at`` (when it happened), then
  ``recorded_at``, ``idempotency_key`` and the event's own fields in their
  declared order. Fields that are ``None``, and labels that are empty, are
  omitted; enumerations are written by value (``"SEV2"``), dates as
  ``YYYY-MM-DD``, labels and references as an object of texts.
* Times are RFC 3339 with their UTC offset and, when the time's zone is an
  IANA zone (:class:`zoneinfo.ZoneInfo`, pendulum), RFC 9557's bracketed zone
  name: ``2026-03-08T09:00:00-04:00[America/New_York]``. Read back, such a
  time is in that zone again, so its local dates (and deadlines) are the
  same; an offset that disagrees with the zone is refused. A fixed offset
  has no bracket and reads back as that fixed offset.
* Reading is strict: duplicate keys, ``NaN`` and ``Infinity``, unknown keys,
  wrong types, naive times, unknown event types, an unknown ``schema`` and
  what is beyond the limits (docs/limits.md: size, nesting, digits, lone
  surrogates, years) are refused, every problem with its JSON path
  (``events[3].at: naive datetime ...``); the events are then replayed with
  :meth:`Incident.from_events <incident_process.Incident.from_events>` by the
  rules of history only (order, phases, once-only facts): reading never
  re-judges what was accepted under the policy of its time.
* Version 1 (``incident-process/record/v1``: ``zone`` where v2 has
  ``policy``, and events without the fields v2 added) still reads.

The mapping between JSON values and events is a :mod:`cattrs` converter
whose hooks never coerce: a wrong type is reported, not converted.
"""

from __future__ import annotations

import enum
import json
import os
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from incident_process._arguments import check_type
from incident_process._limits import MAX_RECORD_BYTES, MAX_ZONE_NAME, time_problem
from incident_process._problems import TOO_LONG, join, shown, size_problem, under, value_problems
from incident_process.errors import InvalidEventError, PolicyError, Problem, RecordError, ReplayError
from incident_process.events import EVENT_TYPES, Event
from incident_process.events._fields import Pairs
from incident_process.policy import DEFAULT_POLICY, Policy
from incident_process.policy._file import read_text

from ._incident import Incident

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "RECORD_SCHEMA",
    "decode_event",
    "dump_record",
    "encode_event",
    "load_record",
    "loads_record",
    "record_schema",
]

#: The name and version of the record format, the value of every record's ``schema``.
RECORD_SCHEMA = "incident-process/record/v2"
#: The first version, which still reads.
RECORD_SCHEMA_V1 = "incident-process/record/v1"

_TOP_KEYS = {
    RECORD_SCHEMA: ("schema", "id", "title", "policy", "events"),
    RECORD_SCHEMA_V1: ("schema", "id", "title", "zone", "events"),
}
_POLICY_KEYS = ("name", "fingerprint", "zone")
#: The fields version 2 added, by event type (and ``recorded_at`` on every event): not in a v1 record.
_ADDED_IN_V2 = {
    "*": frozenset({"recorded_at"}),
    "detected": frozenset({"labels", "references"}),
    "declared": frozenset({"impact"}),
    "update_posted": frozenset({"text", "by"}),
}
#: Event types version 2 added.
_TYPES_ADDED_IN_V2 = frozenset({"errors_stopped", "alert_linked"})
_MOMENT = re.compile(
    r"(?P<stamp>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?)"
    r"(?P<offset>Z|[+-][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{6})?)?)?"
    r"(?:\[(?P<critical>!)?(?P<zone>[^\[\]]*)\])?"
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# --- the API ----------------------------------------------------------------------


def dump_record(incident: Incident) -> str:
    """Write *incident* as a record: JSON text that :func:`loads_record` reads back equal.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from incident_process import DetectionSource
    >>> at = datetime(2026, 3, 8, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    >>> incident = Incident.detect(
    ...     id="INC-1", title="Checkout errors", source=DetectionSource.AUTOMATED_ALERT, at=at
    ... )
    >>> print(dump_record(incident), end="")
    {
      "schema": "incident-process/record/v2",
      "id": "INC-1",
      "title": "Checkout errors",
      "policy": {
        "name": "",
        "fingerprint": "...",
        "zone": "UTC"
      },
      "events": [
        {
          "type": "detected",
          "id": "INC-1:1",
          "at": "2026-03-08T09:00:00-04:00[America/New_York]",
          "incident_id": "INC-1",
          "title": "Checkout errors",
          "source": "automated_alert"
        }
      ]
    }
    >>> loads_record(dump_record(incident)) == incident
    True
    """
    check_type("incident", incident, Incident, "an Incident")  # issue 19, defect 10
    policy = incident.policy
    data = {
        "schema": RECORD_SCHEMA,
        "id": incident.id,
        "title": incident.title,
        "policy": {"name": policy.name, "fingerprint": policy.fingerprint, "zone": policy.zone},
        "events": [encode_event(event) for event in incident.events],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def encode_event(event: Event) -> dict[str, Any]:
    """One event as a record holds it: JSON data that :func:`decode_event` reads back equal.

    For a store that keeps one event per row. The keys are ``type``, ``id``,
    ``at``, then the optional bookkeeping and the event's own fields (see the
    module docstring).

    >>> from datetime import UTC, datetime
    >>> from incident_process.events import Acknowledged
    >>> encode_event(Acknowledged(id="INC-1:2", at=datetime(2026, 3, 8, 9, 3, tzinfo=UTC), by="ana"))
    {'type': 'acknowledged', 'id': 'INC-1:2', 'at': '2026-03-08T09:03:00+00:00', 'by': 'ana'}
    """
    check_type("event", event, Event, "an event (incident_process.events)")  # issue 19, defect 10
    data: dict[str, Any] = _converter().unstructure(event)
    return data


def decode_event(data: object) -> Event:
    """Read one event that :func:`encode_event` wrote (parsed JSON data), checking it as a record does.

    The event is not judged: whether it may follow the events before it is
    the incident's business (:meth:`Incident.from_events <incident_process.Incident.from_events>`);
    events do not depend on a policy, so none is needed to read one.

    Raises:
        RecordError: listing every problem with its path within the event
            (``at``, ``labels.service``), an unknown ``type`` included.
    """
    problems: list[Problem] = []
    event = _event(data, "", problems, RECORD_SCHEMA)
    if event is None:
        raise RecordError(problems)
    return event


def loads_record(
    text: str, *, policy: Policy = DEFAULT_POLICY, zone: str | None = None, source: str | None = None
) -> Incident:
    """Read a record from JSON text: its events, replayed by the rules of history, under *policy*.

    Reading never re-judges history: events accepted under an earlier
    policy load under a changed one. *policy* is what the incident is judged
    by from now on (its obligations, audits and new commands); local dates
    and deadlines are reckoned in the record's zone (the one it was written
    under), unless *zone* says otherwise, so no deadline shifts silently.

    Raises:
        RecordError: listing every problem (broken JSON with its line, an
            unknown schema, unknown or missing keys, wrong types, naive
            times, unknown event types, events out of order or in a phase
            that does not take them), each with its JSON path.
    """
    check_type("text", text, str, "JSON text (str)")  # issue 19, defect 10
    check_type("policy", policy, Policy, "a Policy")
    check_type("zone", zone, (str, type(None)), "a zone name (str) or None")
    check_type("source", source, (str, type(None)), "a file name (str) or None")
    data = _parse(text, source)
    try:
        return _incident(data, policy, zone)
    except RecordError as error:
        raise RecordError(error.problems, source=source) from None


def load_record(
    path: str | os.PathLike[str], *, policy: Policy = DEFAULT_POLICY, zone: str | None = None
) -> Incident:
    """Read a record file (UTF-8 JSON); see :func:`loads_record`.

    Raises:
        RecordError: listing every problem; an unreadable file (missing, a
            directory, not UTF-8) is one problem with the empty path.
    """
    check_type("path", path, (str, os.PathLike), "a file's path (str or os.PathLike)")  # issue 19, defect 10
    check_type("policy", policy, Policy, "a Policy")
    source = os.fspath(path)
    text = read_text(source, error=RecordError)
    return loads_record(text, policy=policy, zone=zone, source=source)


def record_schema() -> str:
    """The JSON Schema (draft 2020-12) of the record format, as shipped in the package."""
    from importlib.resources import files

    return (files("incident_process") / "schemas" / "record-v2.json").read_text(encoding="utf-8")


# --- JSON text ----------------------------------------------------------------------


class _Duplicated(dict[str, Any]):
    """A JSON object in which some keys appeared more than once (the last value is kept)."""

    __slots__ = ("duplicates",)

    def __init__(self, pairs: list[tuple[str, Any]], duplicates: list[str]) -> None:
        super().__init__(pairs)
        self.duplicates = duplicates


class _NonFinite:
    """``NaN``, ``Infinity`` or ``-Infinity``, which JSON does not have: reported where it is."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"{self.name} (not valid JSON)"


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    seen: set[str] = set()
    duplicates = []
    for key, _ in pairs:
        if key in seen and key not in duplicates:
            duplicates.append(key)
        seen.add(key)
    return _Duplicated(pairs, duplicates)


def _parse(text: str, source: str | None) -> object:
    too_large = size_problem(text, MAX_RECORD_BYTES)
    if too_large is not None:
        raise RecordError([too_large], source=source)
    try:
        data = json.loads(text, object_pairs_hook=_object, parse_constant=_NonFinite)
    except json.JSONDecodeError as error:
        message = f"not valid JSON: {error.msg} (column {error.colno})"
        raise RecordError([Problem(path="", message=message, line=error.lineno)], source=source) from None
    except (RecursionError, ValueError) as error:  # ValueError: an integer of over 4,300 digits
        message = "nested too deeply" if isinstance(error, RecursionError) else TOO_LONG
        raise RecordError([Problem(path="", message=f"not valid JSON: {message}")], source=source) from None
    problems = value_problems(data, source=text)
    if problems:
        raise RecordError(problems, source=source)
    return data


def _fail(message: str) -> RecordError:
    return RecordError([Problem(path="", message=message)])


def _duplicates(value: Mapping[str, Any]) -> list[Problem]:
    if isinstance(value, _Duplicated):
        return [Problem(path=key, message="duplicate key") for key in value.duplicates]
    return []


# --- the record ---------------------------------------------------------------------


def _incident(data: object, policy: Policy, zone: str | None) -> Incident:
    if not isinstance(data, Mapping):
        message = f"expected a JSON object, got {shown(data)}"
        raise _fail(message)
    if "schema" not in data:
        raise RecordError([Problem(path="schema", message=f"missing; this version reads {_VERSIONS}")])
    schema = data["schema"]
    if not isinstance(schema, str) or schema not in _TOP_KEYS:
        message = f"unknown record schema {shown(schema)}; this version reads {_VERSIONS}"
        raise RecordError([Problem(path="schema", message=message)])
    keys = _TOP_KEYS[schema]
    problems = _duplicates(data)
    problems += [Problem(path=join("", key), message="unknown key") for key in data if key not in keys]
    for key in ("id", "title", "zone") if schema == RECORD_SCHEMA_V1 else ("id", "title"):
        if key not in data:
            problems.append(Problem(path=key, message="missing"))
        elif not isinstance(data[key], str):
            problems.append(Problem(path=key, message=f"expected text, got {shown(data[key])}"))
    written_zone = data.get("zone") if schema == RECORD_SCHEMA_V1 else _written_under(data, problems)
    events = _events(data.get("events"), "events" in data, problems, schema)
    if problems:
        raise RecordError(problems)
    problems += _agreement(data, events)
    reading = _reading_policy(policy, zone if zone is not None else written_zone)
    try:
        incident = Incident.from_events(events, policy=reading, judge=False)
    except ReplayError as error:
        prefix = f"events[{error.index}]: "
        reason = str(error).removeprefix(prefix)
        problems.append(Problem(path=f"events[{error.index}]", message=reason))
        raise RecordError(problems) from None
    if problems:
        raise RecordError(problems)
    return incident


_VERSIONS = f"{RECORD_SCHEMA} and {RECORD_SCHEMA_V1}"


def _written_under(data: Mapping[str, Any], problems: list[Problem]) -> str | None:
    """The zone of the policy a v2 record was written under; its ``policy`` object checked."""
    if "policy" not in data:
        problems.append(Problem(path="policy", message="missing"))
        return None
    written = data["policy"]
    if not isinstance(written, Mapping):
        problems.append(Problem(path="policy", message=f"expected an object, got {shown(written)}"))
        return None
    problems += under("policy", _duplicates(written))
    problems += [
        Problem(path=join("policy", key), message="unknown key") for key in written if key not in _POLICY_KEYS
    ]
    for key in _POLICY_KEYS:
        if key not in written:
            problems.append(Problem(path=f"policy.{key}", message="missing"))
        elif not isinstance(written[key], str):
            problems.append(
                Problem(path=f"policy.{key}", message=f"expected text, got {shown(written[key])}")
            )
    fingerprint = written.get("fingerprint")
    if isinstance(fingerprint, str) and not _FINGERPRINT.fullmatch(fingerprint):
        message = f"expected 64 hexadecimal digits (a SHA-256), got {shown(fingerprint)}"
        problems.append(Problem(path="policy.fingerprint", message=message))
    zone = written.get("zone")
    return zone if isinstance(zone, str) else None


_FINGERPRINT = re.compile(r"[0-9a-f]{64}")


def _reading_policy(policy: Policy, zone: str | None) -> Policy:
    """*policy*, in *zone* when that is another (an unknown zone is a problem at ``zone``)."""
    if zone is None or zone == policy.zone:
        return policy
    try:
        return attrs.evolve(policy, zone=zone)
    except PolicyError as error:
        problems = [
            Problem(path="policy.zone" if problem.path == "zone" else problem.path, message=problem.message)
            for problem in error.problems
        ]
        raise RecordError(problems) from None


def _events(value: object, present: bool, problems: list[Problem], schema: str) -> list[Event]:  # noqa: FBT001
    if not present:
        problems.append(Problem(path="events", message="missing"))
        return []
    if not isinstance(value, list):
        problems.append(Problem(path="events", message=f"expected an array, got {shown(value)}"))
        return []
    if not value:
        problems.append(Problem(path="events", message="expected at least one event (detected)"))
        return []
    events: list[Event] = []
    for index, item in enumerate(value):
        event = _event(item, f"events[{index}]", problems, schema)
        if event is not None:
            events.append(event)
    return events


def _event(item: object, path: str, problems: list[Problem], schema: str) -> Event | None:
    """The event *item* holds, or ``None`` with its problems (under *path*) added to *problems*."""
    if not isinstance(item, Mapping):
        problems.append(Problem(path=path, message=f"expected an object, got {shown(item)}"))
        return None
    if "type" not in item:
        problems.append(Problem(path=join(path, "type"), message="missing"))
        return None
    kind = item.get("type")
    known = isinstance(kind, str) and kind in EVENT_TYPES
    if not known or (schema == RECORD_SCHEMA_V1 and kind in _TYPES_ADDED_IN_V2):
        problems.append(Problem(path=join(path, "type"), message=f"unknown event type {shown(kind)}"))
        return None
    if schema == RECORD_SCHEMA_V1:
        added = _ADDED_IN_V2["*"] | _ADDED_IN_V2.get(kind, frozenset())  # type: ignore[arg-type] # known
        later = [
            Problem(path=join(path, key), message=f"unknown key (added in {RECORD_SCHEMA})")
            for key in item
            if key in added
        ]
        if later:
            problems.extend(later)
            return None
    try:
        event: Event = _converter().structure(item, EVENT_TYPES[kind])  # type: ignore[index] # known
    except RecordError as error:
        problems.extend(under(path, error.problems))
        return None
    return event


def _agreement(data: Mapping[str, Any], events: list[Event]) -> list[Problem]:
    """The record's own id and title agree with its first event."""
    problems = []
    first = events[0]
    for key in ("id", "title"):
        expected = getattr(first, "incident_id" if key == "id" else key, None)
        if expected is not None and data[key] != expected:
            message = f"{shown(data[key])} does not match the first event's {shown(expected)}"
            problems.append(Problem(path=key, message=message))
    return problems


# --- times ----------------------------------------------------------------------------


def format_moment(moment: datetime) -> str:
    """An aware datetime as RFC 3339, plus RFC 9557's ``[zone]`` when its zone is an IANA zone."""
    text = datetime.isoformat(moment)
    zone = moment.tzinfo
    if isinstance(zone, ZoneInfo) and zone.key:
        return f"{text}[{zone.key}]"
    return text


def parse_moment(text: str) -> datetime:
    """Read what :func:`format_moment` writes; a :class:`RecordError` (empty path) says why not."""
    match = _MOMENT.fullmatch(text)
    if match is None:
        message = f"expected an RFC 3339 date-time such as '2026-03-08T09:00:00-04:00', got {shown(text)}"
        raise _fail(message)
    if match["offset"] is None:
        message = (
            f"expected a timezone-aware datetime, got naive {shown(text)}; give its UTC offset, such as 'Z'"
        )
        raise _fail(message)
    try:
        moment = datetime.fromisoformat(match["stamp"] + match["offset"])
    except ValueError as error:
        message = f"not a valid date-time {shown(text)}: {error}"
        raise _fail(message) from None
    problem = time_problem(moment)
    if problem is not None:
        raise _fail(problem)
    key = match["zone"]
    if key is None:
        return moment
    try:
        zone = ZoneInfo(key[: MAX_ZONE_NAME + 1])  # no longer name is a zone: not looked up whole
    except (ZoneInfoNotFoundError, ValueError, OSError):
        message = f"unknown time zone {shown(key)} in {shown(text)}"
        raise _fail(message) from None
    if match["offset"] == "Z":  # RFC 9557: a UTC time whose local offset is the zone's
        return moment.astimezone(zone)
    # The wall clock in the zone, with the fold that gives the written offset: this
    # keeps the second 01:30 of a night when clocks go back, and the wall clock of
    # a time in a gap (02:30 when clocks go forward), which Python can represent.
    wall = moment.replace(tzinfo=None)
    offset = moment.utcoffset()
    for fold in (0, 1):
        local = wall.replace(tzinfo=zone, fold=fold)
        if local.utcoffset() == offset:
            return local
    message = (
        f"the offset {match['offset']} in {shown(text)} is not {key}'s, "
        f"which is {_offset(moment.astimezone(zone))} at that time"
    )
    raise _fail(message)


def _offset(moment: datetime) -> str:
    """The UTC offset of an aware datetime as ``+HH:MM`` (``+HH:MM:SS`` if it has seconds)."""
    seconds = int(moment.utcoffset().total_seconds())  # type: ignore[union-attr] # aware
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02}:{minutes:02}" + (f":{seconds:02}" if seconds else "")


# --- the converter: hooks that never coerce -------------------------------------------


def _structure_text(value: object, _: object) -> str:
    if isinstance(value, str):
        return value
    message = f"expected text, got {shown(value)}"
    raise _fail(message)


def _structure_moment(value: object, _: object) -> datetime:
    if isinstance(value, str):
        return parse_moment(value)
    message = f"expected an RFC 3339 date-time text, got {shown(value)}"
    raise _fail(message)


def _structure_date(value: object, _: object) -> date:
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError as error:
            message = f"not a valid date {shown(value)}: {error}"
            raise _fail(message) from None
        problem = time_problem(day)
        if problem is None:
            return day
        raise _fail(problem)
    message = f"expected a date such as '2026-03-20', got {shown(value)}"
    raise _fail(message)


def _structure_enum(kind: type[enum.Enum]) -> Callable[[object, object], enum.Enum]:
    members = {member.value: member for member in kind}
    choices = ", ".join(repr(value) for value in members)

    def structure(value: object, _: object) -> enum.Enum:
        if isinstance(value, str) and value in members:
            return members[value]
        message = f"expected one of {choices}, got {shown(value)}"
        raise _fail(message)

    return structure


def _structure_pairs(value: object, _: object) -> Pairs:
    if not isinstance(value, Mapping):
        message = f"expected an object of texts, got {shown(value)}"
        raise _fail(message)
    problems = _duplicates(value)
    for name, text in value.items():
        if not name.strip():
            problems.append(Problem(path="", message=f"expected non-empty text as a name, got {shown(name)}"))
        elif not isinstance(text, str):
            problems.append(Problem(path=name, message=f"expected text, got {shown(text)}"))
    if problems:
        raise RecordError(problems)
    return tuple(sorted(value.items()))


def _is_pairs(kind: object) -> bool:
    return kind == Pairs


#: Each enumeration's hook, made once.
_enum_hook = cache(_structure_enum)


def _is_enum(kind: object) -> bool:
    return isinstance(kind, type) and issubclass(kind, enum.Enum)


def _is_event(kind: object) -> bool:
    return isinstance(kind, type) and issubclass(kind, Event)


def _optional(kind: object) -> tuple[object, bool]:
    """The type without ``| None``, and whether it had it."""
    arguments = get_args(kind)
    if type(None) in arguments:
        (bare,) = (argument for argument in arguments if argument is not type(None))
        return bare, True
    return kind, False


def _event_problems(error: InvalidEventError, kind: type[Event]) -> list[Problem]:
    """An event's own refusal (``Declared.by: ...; Declared.severity: ...``) as problems by field."""
    prefix = f"{kind.__name__}."
    problems = []
    for part in re.split(rf"; (?={re.escape(prefix)})", str(error)):
        name, _, message = part.removeprefix(prefix).partition(": ")
        problems.append(Problem(path=name, message=message) if message else Problem(path="", message=part))
    return problems


_Plan = list[tuple[str, Callable[[object, object], object], object, bool, object]]


def _arguments(plan: _Plan, value: Mapping[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """An event's constructor arguments from its JSON object; the problems go into *problems*."""
    arguments: dict[str, Any] = {}
    for name, hook, bare, optional, default in plan:
        if name not in value:
            if default is attrs.NOTHING:
                problems.append(Problem(path=name, message="missing"))
            continue
        item = value[name]
        if item is None and optional:
            arguments[name] = None
            continue
        try:
            arguments[name] = hook(item, bare)
        except RecordError as error:
            problems.extend(under(name, error.problems))
    return arguments


def _structure_event(converter: cattrs.Converter, kind: type[Event]) -> Callable[[object, object], Event]:
    fields = attrs.fields(attrs.resolve_types(kind))
    names = {"type", *(field.name for field in fields)}
    plan: _Plan = []
    for field in fields:
        bare, optional = _optional(field.type)
        plan.append((field.name, converter.get_structure_hook(bare), bare, optional, field.default))

    def structure(value: object, _: object) -> Event:
        if not isinstance(value, Mapping):
            message = f"expected an object, got {shown(value)}"
            raise _fail(message)
        problems = _duplicates(value)
        problems += [Problem(path=join("", key), message="unknown key") for key in value if key not in names]
        arguments = _arguments(plan, value, problems)
        if problems:
            raise RecordError(problems)
        try:
            return kind(**arguments)
        except InvalidEventError as error:
            raise RecordError(_event_problems(error, kind)) from None

    return structure


def _unstructure_event(converter: cattrs.Converter, kind: type[Event]) -> Callable[[Event], dict[str, Any]]:
    fields = attrs.fields(attrs.resolve_types(kind))
    plan = [(field.name, converter.get_unstructure_hook(_optional(field.type)[0])) for field in fields]
    record_name = kind.kind

    def unstructure(event: Event) -> dict[str, Any]:
        data: dict[str, Any] = {"type": record_name}
        for name, hook in plan:
            value = getattr(event, name)
            if value is not None and value != ():
                data[name] = hook(value)
        return data

    return unstructure


def _same(value: object) -> object:
    return value


@cache
def _converter() -> cattrs.Converter:
    import cattrs  # only records need it: kept off the import path

    converter = cattrs.Converter()
    converter.register_structure_hook(str, _structure_text)
    # An enumeration of texts (Role) is an enumeration first: more specific than str for dispatch.
    converter.register_structure_hook(enum.StrEnum, lambda value, kind: _enum_hook(kind)(value, kind))
    converter.register_structure_hook(datetime, _structure_moment)
    converter.register_structure_hook(date, _structure_date)
    converter.register_structure_hook_func(_is_pairs, _structure_pairs)
    converter.register_structure_hook_factory(_is_enum, _structure_enum)
    converter.register_structure_hook_factory(_is_event, lambda kind: _structure_event(converter, kind))

    converter.register_unstructure_hook(str, _same)
    converter.register_unstructure_hook(enum.StrEnum, lambda member: member.value)
    converter.register_unstructure_hook(datetime, format_moment)
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_unstructure_hook_func(_is_pairs, dict)
    converter.register_unstructure_hook_func(_is_enum, lambda member: member.value)
    converter.register_unstructure_hook_factory(_is_event, lambda kind: _unstructure_event(converter, kind))
    return converter
