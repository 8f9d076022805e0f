"""The record format's JSON Schema, built from the event classes.

The shipped schema (``src/incident_process/schemas/record-v2.json``) is this
module's output; ``tests/lifecycle/test_records.py`` checks that it still is,
so the schema follows the events. After changing an event, rewrite it with::

    python tests/lifecycle/record_schema.py
"""

import json
import sys
import types
import typing
from datetime import date, datetime
from pathlib import Path

import attrs

from incident_process.events import EVENT_TYPES
from incident_process.events._fields import Pairs
from incident_process.lifecycle import RECORD_SCHEMA

SHIPPED = Path(__file__).parents[2] / "src" / "incident_process" / "schemas" / "record-v2.json"

DEFS = {
    "text": {
        "description": "Text with at least one character that is not white space.",
        "type": "string",
        "pattern": "\\S",
    },
    "moment": {
        "description": (
            "RFC 3339 date-time with its UTC offset, plus RFC 9557's [IANA zone] when the time is in an "
            "IANA zone: 2026-03-08T09:00:00-04:00[America/New_York]."
        ),
        "type": "string",
        "pattern": (
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?"
            "(Z|[+-][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{6})?)?)(\\[!?[^\\[\\]]+\\])?$"
        ),
    },
    "date": {
        "description": "A calendar date, YYYY-MM-DD.",
        "type": "string",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        "format": "date",
    },
    "pairs": {
        "description": "Names and texts: labels, or a source's identifiers.",
        "type": "object",
        "propertyNames": {"pattern": "\\S"},
        "additionalProperties": {"type": "string"},
    },
}

#: Rules on several fields of one event, which the field types alone do not say.
CONDITIONS = {
    "dismissed": {
        "description": "duplicate_of is required for the reason 'duplicate', and only then.",
        "if": {"properties": {"reason": {"const": "duplicate"}}},
        "then": {"required": ["duplicate_of"], "properties": {"duplicate_of": {"$ref": "#/$defs/text"}}},
        "else": {"properties": {"duplicate_of": {"type": "null"}}},
    },
}


def _field_schema(kind, default):
    arguments = typing.get_args(kind)
    if isinstance(kind, types.UnionType) and type(None) in arguments:
        (bare,) = (argument for argument in arguments if argument is not type(None))
        return {"anyOf": [_field_schema(bare, attrs.NOTHING), {"type": "null"}]}
    if kind is str:
        return {"type": "string"} if default == "" else {"$ref": "#/$defs/text"}
    if kind is datetime:
        return {"$ref": "#/$defs/moment"}
    if kind is date:
        return {"$ref": "#/$defs/date"}
    if kind == Pairs:
        return {"$ref": "#/$defs/pairs"}
    if isinstance(kind, type) and issubclass(kind, __import__("enum").Enum):
        return {"enum": [member.value for member in kind]}
    msg = f"no schema for {kind!r}"
    raise TypeError(msg)


def _event_schema(name, cls):
    fields = attrs.fields(attrs.resolve_types(cls))
    properties = {"type": {"const": name}}
    required = ["type"]
    for field in fields:
        properties[field.name] = _field_schema(field.type, field.default)
        if field.default is attrs.NOTHING:
            required.append(field.name)
    schema = {
        "description": cls.__doc__.strip().splitlines()[0],
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
    }
    schema.update(CONDITIONS.get(name, {}))
    return schema


def build():
    """The schema, as data."""
    defs = dict(DEFS)
    defs["event"] = {
        "description": "One event, chosen by its type.",
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": list(EVENT_TYPES)}},
        "oneOf": [{"$ref": f"#/$defs/{name}"} for name in EVENT_TYPES],
    }
    for name, cls in EVENT_TYPES.items():
        defs[name] = _event_schema(name, cls)
    version = RECORD_SCHEMA.rpartition("/")[2]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:incident-process:record:{version}",
        "title": f"An incident record ({RECORD_SCHEMA})",
        "description": (
            "An incident as the sequence of its events, in the order they were recorded. Written by "
            "incident_process.dump_record, read by load_record and loads_record, which also replay the "
            "events by the lifecycle's rules of history."
        ),
        "type": "object",
        "additionalProperties": False,
        "required": ["schema", "id", "title", "policy", "events"],
        "properties": {
            "schema": {"const": RECORD_SCHEMA},
            "id": {
                "description": "The incident's id; the first event's incident_id.",
                "$ref": "#/$defs/text",
            },
            "title": {
                "description": "The incident's title; the first event's title.",
                "$ref": "#/$defs/text",
            },
            "policy": {
                "description": "The policy the record was written under.",
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "fingerprint", "zone"],
                "properties": {
                    "name": {"description": "What the company calls it; empty for none.", "type": "string"},
                    "fingerprint": {
                        "description": "The SHA-256 of its content, as 64 hexadecimal digits.",
                        "type": "string",
                        "pattern": "^[0-9a-f]{64}$",
                    },
                    "zone": {
                        "description": "The IANA zone its local dates and deadlines are reckoned in.",
                        "$ref": "#/$defs/text",
                    },
                },
            },
            "events": {
                "description": "Every event, in the order recorded; the first is detected, and only it.",
                "type": "array",
                "minItems": 1,
                "prefixItems": [{"$ref": "#/$defs/detected"}],
                "items": {
                    "$ref": "#/$defs/event",
                    "not": {"properties": {"type": {"const": "detected"}}},
                },
            },
        },
        "$defs": defs,
    }


def text():
    """The schema as the shipped file's text."""
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SHIPPED.write_text(text(), encoding="utf-8")
    sys.stdout.write(f"wrote {SHIPPED}\n")
