"""Incident records: round trips, the shipped JSON Schema, and every malformed record refused by path."""

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_process import (
    CommandRefusedError,
    DetectionSource,
    Incident,
    IncidentProcessError,
    Policy,
    Role,
    Severity,
)
from incident_process.errors import Problem, RecordError
from incident_process.events import EVENT_TYPES, UpdatePosted
from incident_process.lifecycle._records import (
    RECORD_SCHEMA,
    dump_record,
    format_moment,
    load_record,
    loads_record,
    parse_moment,
    record_schema,
)
from incident_process.vocabulary import Audience, DismissalReason, Milestone, UpdateStatus

NEW_YORK = ZoneInfo("America/New_York")
ZONES = ("UTC", "America/New_York", "Australia/Lord_Howe", "Europe/Berlin", "Asia/Kolkata")
#: Instants near DST changes: New York spring and autumn, Lord Howe (a 30-minute shift) both ways.
DST_CHANGES = (
    datetime(2026, 3, 8, 7, 0, tzinfo=UTC),
    datetime(2026, 11, 1, 6, 0, tzinfo=UTC),
    datetime(2026, 4, 4, 15, 0, tzinfo=UTC),
    datetime(2026, 10, 3, 15, 30, tzinfo=UTC),
)
NY_POLICY = Policy(zone="America/New_York")


# --- building incidents -------------------------------------------------------------


def complete_incident():
    """One incident whose events use every event type but ``dismissed``."""
    start = datetime(2026, 3, 7, 23, 0, tzinfo=NEW_YORK)

    def m(minutes):
        return start + timedelta(minutes=minutes)

    incident = Incident.detect(
        id="INC-9", title="Checkout errors ü", source="customer_reports", at=start, policy=NY_POLICY
    )
    incident = incident.acknowledge(at=m(2), by="ana")
    incident = incident.declare(at=m(3), by="ana", declarer_role="on_call_engineer", severity="SEV2")
    incident = incident.start_response(at=m(4))
    incident = incident.assign_role(Role.TECHNICAL_LEAD, "bo", at=m(5))
    incident = incident.change_severity("SEV1", at=m(6), reason="spreading")
    incident = incident.post_update(at=m(7), status=UpdateStatus.INVESTIGATING, audience=Audience.STATUS_PAGE)
    incident = incident.record_milestone(Milestone.CUSTOMER_IMPACT_STARTED, at=m(8), occurred_at=m(-30))
    incident = incident.record_action(
        "database.failover_to_read_replica", at=m(9), by="bo", approved_by="ana"
    )
    incident = incident.identify_root_cause("expired-cert", at=m(10), summary="The certificate expired")
    incident = incident.resolve(at=m(200), last_error_at=m(100))
    incident = incident.reopen(at=m(210), reason="errors again")
    incident = incident.resolve(at=m(400), last_error_at=m(300))
    incident = incident.start_post_incident(at=m(500))
    incident = incident.hold_review(at=m(600), facilitator="cy")
    incident = incident.publish_document(at=m(700), location="docs/INC-9.md")
    incident = incident.add_action_item(
        "AI-1", "Monitor certificates", owner="bo", due=date(2026, 3, 20), at=m(710)
    )
    incident = incident.close(at=m(800))
    incident = incident.archive_channel(at=m(2300))
    incident = incident.complete_action_item("AI-1", at=m(3000), idempotency_key="k1")
    return incident.complete_step("declaration", "notify_stakeholders", at=m(3001), by="ana", note="late")


def dismissed_incident():
    """An incident escalated while unacknowledged, then dismissed as a duplicate of another."""
    start = datetime(2026, 3, 8, 1, 59, tzinfo=NEW_YORK)
    incident = Incident.detect(id="INC-10", title="Dup", source="automated_alert", at=start, policy=NY_POLICY)
    incident = incident.escalate(at=start + timedelta(minutes=1), by="pager", reason="not acknowledged")
    return incident.dismiss(
        at=start + timedelta(minutes=2), reason=DismissalReason.DUPLICATE, duplicate_of="INC-9", note="same"
    )


@st.composite
def incidents(draw):
    """Incidents built through real commands, at random times across DST changes, in random zones."""
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    policy = Policy(zone=draw(st.sampled_from(ZONES)))
    clock = [draw(st.sampled_from(DST_CHANGES)) + timedelta(minutes=draw(st.integers(-180, 180)))]

    def tick():
        clock[0] += timedelta(
            seconds=draw(st.integers(0, 3 * 3600)), microseconds=draw(st.sampled_from([0, 7]))
        )
        mine = draw(
            st.sampled_from([zone, zone, zone, ZoneInfo("UTC"), timezone(timedelta(hours=5, minutes=45))])
        )
        return clock[0].astimezone(mine)

    def attempt(incident, command, *args, **kwargs):
        try:
            return getattr(incident, command)(*args, **kwargs)
        except CommandRefusedError:
            return incident

    incident = Incident.detect(
        id=draw(st.sampled_from(["INC-1", "2026-03-08-checkout", "事件-7"])),
        title=draw(
            st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20).filter(str.strip)
        ),
        source=draw(st.sampled_from(list(DetectionSource))),
        at=tick(),
        policy=policy,
    )
    if draw(st.integers(0, 3)) == 0:
        return attempt(incident, "dismiss", at=tick(), reason=DismissalReason.FALSE_ALARM)
    incident = attempt(
        incident, "acknowledge", at=tick(), by="ana", idempotency_key=draw(st.none() | st.just("a"))
    )
    severity = draw(st.sampled_from(list(Severity)))
    incident = attempt(
        incident, "declare", at=tick(), by="ana", declarer_role="on_call_engineer", severity=severity
    )
    incident = attempt(incident, "start_response", at=tick())
    for _ in range(draw(st.integers(0, 3))):
        status = draw(st.sampled_from(list(UpdateStatus)))
        incident = attempt(incident, "post_update", at=tick(), status=status)
    if draw(st.booleans()):
        at = tick()
        incident = attempt(
            incident, "record_milestone", Milestone.CUSTOMER_IMPACT_STARTED, at=at, occurred_at=at
        )
    at = tick() + timedelta(hours=2)
    incident = attempt(incident, "resolve", at=at, last_error_at=at - timedelta(hours=1, minutes=1))
    incident = attempt(incident, "identify_root_cause", "cause", at=tick() + timedelta(hours=2))
    incident = attempt(incident, "start_post_incident", at=tick() + timedelta(hours=2))
    due = draw(st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)))
    incident = attempt(
        incident, "add_action_item", "AI-1", "Fix it", owner="bo", due=due, at=tick() + timedelta(hours=2)
    )
    if draw(st.booleans()):
        incident = attempt(incident, "complete_action_item", "AI-1", at=tick() + timedelta(hours=2))
    return incident


def moments_of(incident):
    """Every datetime field of every event, by event index and field name."""
    return [
        (index, field.name, getattr(event, field.name))
        for index, event in enumerate(incident.events)
        for field in attrs.fields(type(event))
        if isinstance(getattr(event, field.name), datetime)
    ]


def assert_same_times(original, restored):
    """Each time reads back in the same zone, with the same wall clock and offset."""
    for (index, name, before), (_, _, after) in zip(moments_of(original), moments_of(restored), strict=True):
        where = f"events[{index}].{name}"
        assert getattr(before.tzinfo, "key", None) == getattr(after.tzinfo, "key", None), where
        assert before.isoformat() == after.isoformat(), where


# --- round trips ---------------------------------------------------------------------


@given(incidents())
def test_round_trip(incident):
    """A record reads back equal, every time in its own zone with its own wall clock."""
    text = dump_record(incident)
    restored = loads_record(text, policy=incident.policy)
    assert incident == restored
    assert_same_times(incident, restored)
    assert dump_record(restored) == text


@pytest.mark.parametrize("build", [complete_incident, dismissed_incident])
def test_every_event_type_round_trips(build):
    """Both incidents together use all 22 event types, and each reads back equal."""
    incident = build()
    restored = loads_record(dump_record(incident), policy=NY_POLICY)
    assert incident == restored
    assert_same_times(incident, restored)
    assert restored.phase == incident.phase
    assert restored.action_items() == incident.action_items()


def test_the_two_incidents_cover_every_event_type():
    """The round-trip test above really covers every event type."""
    kinds = {event.kind for event in complete_incident().events + dismissed_incident().events}
    assert set(EVENT_TYPES) == kinds
    assert len(kinds) == 22


def test_the_format():
    """Indented by 2, keys in a stable order, None omitted, enums by value, UTF-8 text, a final newline."""
    text = dump_record(complete_incident())
    data = json.loads(text)
    assert text.endswith("}\n")
    assert text.startswith('{\n  "schema": "incident-process/record/v1",\n  "id": "INC-9",')
    assert "Checkout errors ü" in text
    assert list(data) == ["schema", "id", "title", "zone", "events"]
    assert data["zone"] == "America/New_York"
    declared = data["events"][2]
    assert list(declared) == ["type", "id", "at", "by", "declarer_role", "severity"]
    assert declared["at"] == "2026-03-07T23:03:00-05:00[America/New_York]"
    assert declared["severity"] == "SEV2"
    completed = data["events"][-2]
    assert completed["idempotency_key"] == "k1"
    added = next(event for event in data["events"] if event["type"] == "action_item_added")
    assert added["due"] == "2026-03-20"
    assert "approved_by" in data["events"][8]
    assert [event["id"] for event in data["events"] if "idempotency_key" in event] == [completed["id"]]


def test_pendulum_times_keep_their_zone():
    """A pendulum time is written with its zone name and reads back in that zone."""
    at = pendulum.datetime(2026, 3, 8, 3, 0, tz="America/New_York")
    incident = Incident.detect(id="INC-2", title="P", source="automated_alert", at=at, policy=NY_POLICY)
    text = dump_record(incident)
    assert "2026-03-08T03:00:00-04:00[America/New_York]" in text
    restored = loads_record(text, policy=NY_POLICY)
    assert restored == incident
    assert restored.events[0].at.tzinfo is NEW_YORK


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK), "2026-11-01T01:30:00-04:00[America/New_York]"),
        (
            datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NEW_YORK),
            "2026-11-01T01:30:00-05:00[America/New_York]",
        ),
        (datetime(2026, 3, 8, 2, 30, tzinfo=NEW_YORK), "2026-03-08T02:30:00-05:00[America/New_York]"),
        (datetime(2026, 3, 8, 2, 30, fold=1, tzinfo=NEW_YORK), "2026-03-08T02:30:00-04:00[America/New_York]"),
        (
            datetime(2026, 4, 5, 1, 45, fold=1, tzinfo=ZoneInfo("Australia/Lord_Howe")),
            "2026-04-05T01:45:00+10:30[Australia/Lord_Howe]",
        ),
        (datetime(2026, 3, 8, 9, 0, 0, 5, tzinfo=UTC), "2026-03-08T09:00:00.000005+00:00"),
        (datetime(2026, 3, 8, 9, 0, tzinfo=timezone(timedelta(hours=-4))), "2026-03-08T09:00:00-04:00"),
    ],
)
def test_moments(moment, text):
    """Times are RFC 3339 plus RFC 9557's zone; an ambiguous local time keeps its fold."""
    assert format_moment(moment) == text
    parsed = parse_moment(text)
    assert parsed == moment
    assert parsed.utcoffset() == moment.utcoffset()
    assert parsed.tzinfo == moment.tzinfo
    assert parsed.isoformat() == moment.isoformat()


def test_critical_zone_flag_and_z():
    """RFC 9557's critical flag ``[!zone]`` and RFC 3339's ``Z`` are read."""
    assert parse_moment("2026-03-08T14:00:00Z[!America/New_York]") == datetime(
        2026, 3, 8, 10, 0, tzinfo=NEW_YORK
    )
    assert parse_moment("2026-03-08T14:00:00Z").utcoffset() == timedelta(0)


# --- files ---------------------------------------------------------------------------


def test_load_record_from_a_file(tmp_path):
    """A record file reads back equal."""
    incident = complete_incident()
    path = tmp_path / "INC-9.json"
    path.write_text(dump_record(incident), encoding="utf-8")
    assert load_record(path, policy=NY_POLICY) == incident


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.json", None, "cannot read the file: No such file or directory"),
        ("directory", "dir", "cannot read the file: Is a directory"),
        ("latin1.json", b'{"title": "caf\xe9"}', "not UTF-8 text (byte 14)"),
    ],
)
def test_unreadable_files(tmp_path, name, content, message):
    """An unreadable file is one problem with the empty path, naming the file and the reason."""
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(RecordError) as caught:
        load_record(path)
    assert caught.value.source == str(path)
    (problem,) = caught.value.problems
    assert problem.path == ""
    assert problem.message.startswith(message)


# --- malformed records ---------------------------------------------------------------


VALID = dump_record(complete_incident())


def edited(change):
    """The valid record's data, changed by *change*, as JSON text."""
    data = json.loads(VALID)
    change(data)
    return json.dumps(data, indent=2)


def setting(path, value):
    """A change that sets the value at *path* (a tuple of keys and indexes)."""

    def change(data):
        *parents, last = path
        for key in parents:
            data = data[key]
        data[last] = value

    return change


def removing(path):
    """A change that removes the key at *path*."""

    def change(data):
        *parents, last = path
        for key in parents:
            data = data[key]
        del data[last]

    return change


def swapping(first, second):
    """A change that swaps two events' times (so they are out of order)."""

    def change(data):
        events = data["events"]
        events[first]["at"], events[second]["at"] = events[second]["at"], events[first]["at"]

    return change


MALFORMED = {
    "truncated": (VALID[:200], "", "not valid JSON: "),
    "not an object": ("[]", "", "expected a JSON object, got an array"),
    "schema missing": (
        edited(removing(("schema",))),
        "schema",
        "missing; this version reads " + RECORD_SCHEMA,
    ),
    "schema v2": (
        edited(setting(("schema",), "incident-process/record/v2")),
        "schema",
        "unknown record schema 'incident-process/record/v2'; this version reads incident-process/record/v1",
    ),
    "title not text": (edited(setting(("title",), 5)), "title", "expected text, got 5"),
    "id missing": (edited(removing(("id",))), "id", "missing"),
    "unknown top key": (edited(setting(("extra",), True)), "extra", "unknown key"),
    "events not an array": (edited(setting(("events",), {})), "events", "expected an array, got an object"),
    "no events": (edited(setting(("events",), [])), "events", "expected at least one event (detected)"),
    "event not an object": (edited(setting(("events", 3), "x")), "events[3]", "expected an object, got 'x'"),
    "type missing": (edited(removing(("events", 2, "type"))), "events[2].type", "missing"),
    "unknown event type": (
        edited(setting(("events", 0, "type"), "explode")),
        "events[0].type",
        "unknown event type 'explode'",
    ),
    "type not text": (
        edited(setting(("events", 1, "type"), None)),
        "events[1].type",
        "unknown event type null",
    ),
    "naive time": (
        edited(setting(("events", 3, "at"), "2026-03-07T23:04:00")),
        "events[3].at",
        "expected a timezone-aware datetime, got naive '2026-03-07T23:04:00'",
    ),
    "time not text": (
        edited(setting(("events", 3, "at"), 1772942640)),
        "events[3].at",
        "expected an RFC 3339",
    ),
    "time not RFC 3339": (
        edited(setting(("events", 3, "at"), "yesterday")),
        "events[3].at",
        "expected an RFC 3339",
    ),
    "bad month": (
        edited(setting(("events", 3, "at"), "2026-13-07T23:04:00Z")),
        "events[3].at",
        "not a valid date-time",
    ),
    "unknown zone": (
        edited(setting(("events", 3, "at"), "2026-03-07T23:04:00-05:00[Mars/Base]")),
        "events[3].at",
        "unknown time zone 'Mars/Base'",
    ),
    "offset disagrees with the zone": (
        edited(setting(("events", 3, "at"), "2026-03-07T23:04:00-04:00[America/New_York]")),
        "events[3].at",
        (
            "the offset -04:00 in '2026-03-07T23:04:00-04:00[America/New_York]' is not America/New_York's, "
            "which is -05:00 at that time"
        ),
    ),
    "unknown severity": (
        edited(setting(("events", 2, "severity"), "SEV4")),
        "events[2].severity",
        "expected one of 'SEV1', 'SEV2', 'SEV3', got 'SEV4'",
    ),
    "severity coerced": (
        edited(setting(("events", 2, "severity"), "sev2")),
        "events[2].severity",
        "expected one of",
    ),
    "empty text": (
        edited(setting(("events", 1, "by"), " ")),
        "events[1].by",
        "expected non-empty text, got ' '",
    ),
    "missing field": (edited(removing(("events", 1, "by"))), "events[1].by", "missing"),
    "unknown event key": (edited(setting(("events", 1, "colour"), "red")), "events[1].colour", "unknown key"),
    "bad date": (edited(setting(("events", 16, "due"), "2026-02-30")), "events[16].due", "not a valid date"),
    "date not ISO": (edited(setting(("events", 16, "due"), "20260320")), "events[16].due", "expected a date"),
    "out of order": (edited(swapping(4, 5)), "events[5]", "is earlier than the previous event"),
    "wrong event id": (
        edited(setting(("events", 4, "id"), "INC-9:9")),
        "events[4]",
        "id 'INC-9:9' should be INC-9:5",
    ),
    "event before detection": (
        edited(removing(("events", 0))),
        "events[0]",
        "the first event must be Detected",
    ),
    "id disagrees": (
        edited(setting(("id",), "INC-8")),
        "id",
        "'INC-8' does not match the first event's 'INC-9'",
    ),
    "zone disagrees": (
        edited(setting(("zone",), "UTC")),
        "zone",
        "the record was written under the zone 'UTC'",
    ),
    "duplicate top key": (
        VALID.replace('"id": "INC-9",', '"id": "INC-9", "id": "INC-9",', 1),
        "id",
        "duplicate key",
    ),
    "duplicate event key": (
        VALID.replace('"by": "ana"', '"by": "bo", "by": "ana"', 1),
        "events[1].by",
        "duplicate key",
    ),
    "NaN": (
        VALID.replace('"by": "ana"', '"by": NaN', 1),
        "events[1].by",
        "expected text, got NaN (not valid JSON)",
    ),
    "Infinity": (
        VALID.replace('"due": "2026-03-20"', '"due": -Infinity', 1),
        "events[16].due",
        "got -Infinity (not valid JSON)",
    ),
}


@pytest.mark.parametrize(("text", "path", "message"), MALFORMED.values(), ids=list(MALFORMED))
def test_malformed_records(text, path, message):
    """Each malformed record is refused with the path of what is wrong, never a traceback."""
    with pytest.raises(RecordError) as caught:
        loads_record(text, policy=NY_POLICY, source="INC-9.json")
    error = caught.value
    assert isinstance(error, ValueError)
    assert isinstance(error, IncidentProcessError)
    assert error.source == "INC-9.json"
    found = [problem for problem in error.problems if problem.path == path]
    assert found, error
    assert message in found[0].message, error
    assert str(error).startswith(f"invalid record in INC-9.json: {len(error.problems)} problem")
    assert f"\n  {found[0]}" in str(error)


def test_truncated_json_names_line_and_column():
    """Broken JSON is one problem with its line and, in the message, its column."""
    with pytest.raises(RecordError) as caught:
        loads_record(VALID[:200])
    (problem,) = caught.value.problems
    assert problem.line == 10
    assert re.fullmatch(r"not valid JSON: .* \(column [0-9]+\)", problem.message)
    assert str(problem).startswith("line 10: not valid JSON")


def test_every_problem_at_once():
    """Problems in several events are all reported, in order."""

    def change(data):
        data["events"][1]["at"] = "2026-03-07T23:02:00"
        data["events"][2]["severity"] = "SEV9"
        data["events"][5]["type"] = "explode"
        data["title"] = ["x"]

    with pytest.raises(RecordError) as caught:
        loads_record(edited(change), policy=NY_POLICY)
    assert [problem.path for problem in caught.value.problems] == [
        "title",
        "events[1].at",
        "events[2].severity",
        "events[5].type",
    ]
    assert str(caught.value).startswith("invalid record: 4 problems\n  title: expected text, got an array")


def test_record_error_message():
    """RecordError's message is a header and one line per problem, like PolicyError's."""
    error = RecordError([Problem(path="events[3].at", message="naive datetime")], source="a.json")
    assert str(error) == "invalid record in a.json: 1 problem\n  events[3].at: naive datetime"
    assert RecordError([]).source is None


def test_a_10_mb_record_loads():
    """A record of more than 10 MB (tens of thousands of events) loads, equal to what was written."""
    start = datetime(2026, 3, 8, 4, 5, tzinfo=UTC)
    incident = complete_incident()
    events = list(incident.events[:4])
    while len(events) < 56_000:
        number = len(events) + 1
        at = (start + timedelta(seconds=number)).astimezone(NEW_YORK)
        events.append(UpdatePosted(id=f"INC-9:{number}", at=at, status=UpdateStatus.MITIGATING))
    big = Incident.from_events(events, policy=NY_POLICY)
    text = dump_record(big)
    assert len(text.encode()) > 10_000_000
    assert loads_record(text, policy=NY_POLICY) == big


# --- the JSON Schema ------------------------------------------------------------------


SCHEMA = json.loads(record_schema())


def resolve(schema):
    """Follow a local ``$ref``."""
    while "$ref" in schema:
        node = SCHEMA
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = {**node, **{key: value for key, value in schema.items() if key != "$ref"}}
    return schema


TYPES = {"object": dict, "array": list, "string": str, "null": type(None)}


def errors(instance, schema, path="$"):
    """The errors of *instance* against *schema*: the keywords the shipped schema uses, by hand."""
    schema = resolve(schema)
    if "type" in schema and not isinstance(instance, TYPES[schema["type"]]):
        return [f"{path}: not {schema['type']}"]
    found = []
    if "const" in schema and instance != schema["const"]:
        found.append(f"{path}: not {schema['const']!r}")
    if "enum" in schema and instance not in schema["enum"]:
        found.append(f"{path}: not one of {schema['enum']}")
    if "pattern" in schema and not re.search(schema["pattern"], instance):
        found.append(f"{path}: does not match {schema['pattern']}")
    if "oneOf" in schema and sum(not errors(instance, option, path) for option in schema["oneOf"]) != 1:
        found.append(f"{path}: not exactly one of the options")
    if "anyOf" in schema and all(errors(instance, option, path) for option in schema["anyOf"]):
        found.append(f"{path}: none of the options")
    if isinstance(instance, dict):
        found += object_errors(instance, schema, path)
    if isinstance(instance, list):
        found += array_errors(instance, schema, path)
    return found


def object_errors(instance, schema, path):
    """``required``, ``properties`` and ``additionalProperties``."""
    found = [f"{path}.{key}: required" for key in schema.get("required", ()) if key not in instance]
    properties = schema.get("properties", {})
    for key, value in instance.items():
        if key in properties:
            found += errors(value, properties[key], f"{path}.{key}")
        elif schema.get("additionalProperties") is False:
            found.append(f"{path}.{key}: not allowed")
    return found


def array_errors(instance, schema, path):
    """``minItems``, ``prefixItems`` and ``items``."""
    found = [f"{path}: too few items"] if len(instance) < schema.get("minItems", 0) else []
    prefix = schema.get("prefixItems", [])
    for index, item in enumerate(instance):
        rule = prefix[index] if index < len(prefix) else schema.get("items", {})
        found += errors(item, rule, f"{path}[{index}]")
    return found


def test_schema_describes_the_format():
    """The shipped schema is draft 2020-12 and names every key and event type the format has."""
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["required"] == ["schema", "id", "title", "zone", "events"]
    assert SCHEMA["properties"]["schema"] == {"const": RECORD_SCHEMA}
    assert SCHEMA["$defs"]["event"]["properties"]["type"]["enum"] == list(EVENT_TYPES)
    assert [option["$ref"] for option in SCHEMA["$defs"]["event"]["oneOf"]] == [
        f"#/$defs/{kind}" for kind in EVENT_TYPES
    ]
    for kind, event_type in EVENT_TYPES.items():
        definition = SCHEMA["$defs"][kind]
        fields = attrs.fields(event_type)
        assert list(definition["properties"]) == ["type", *(field.name for field in fields)], kind
        assert definition["properties"]["type"] == {"const": kind}
        required = [field.name for field in fields if field.default is attrs.NOTHING]
        assert definition["required"] == ["type", *required], kind
        assert definition["additionalProperties"] is False


@pytest.mark.parametrize("build", [complete_incident, dismissed_incident])
def test_records_conform_to_the_schema(build):
    """What dump_record writes conforms to the shipped schema."""
    assert errors(json.loads(dump_record(build())), SCHEMA) == []


@pytest.mark.parametrize(
    "name",
    ["naive time", "unknown event type", "schema v2", "unknown event key", "missing field", "no events"],
)
def test_the_schema_refuses_malformed_records(name):
    """The schema refuses what the reader refuses, where a schema can tell."""
    assert errors(json.loads(MALFORMED[name][0]), SCHEMA)
