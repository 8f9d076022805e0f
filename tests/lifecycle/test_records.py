"""Incident records: round trips, the shipped JSON Schema, and every malformed record refused by path."""

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import jsonschema
import pendulum
import pytest
import record_schema as record_schema_builder
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
    loads_policy,
)
from incident_process.errors import Problem, RecordError, ReplayError
from incident_process.events import EVENT_TYPES, UpdatePosted
from incident_process.lifecycle._records import (
    RECORD_SCHEMA,
    decode_event,
    dump_record,
    encode_event,
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
ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples" / "records"
V1_RECORDS = ROOT / "tests" / "fixtures" / "records-v1"
EXAMPLE_POLICY = loads_policy((ROOT / "examples" / "policy.toml").read_text())


# --- building incidents -------------------------------------------------------------


def complete_incident():
    """One incident whose events use every event type but ``dismissed``."""
    start = datetime(2026, 3, 7, 23, 0, tzinfo=NEW_YORK)

    def m(minutes):
        return start + timedelta(minutes=minutes)

    incident = Incident.detect(
        id="INC-9",
        title="Checkout errors ü",
        source="customer_reports",
        at=start,
        policy=NY_POLICY,
        labels={"service": "checkout", "endpoint": "/pay"},
        references={"zendesk.ticket": "4711"},
    )
    incident = incident.acknowledge(at=m(2), by="ana")
    incident = incident.declare(
        at=m(3), by="ana", declarer_role="on_call_engineer", severity="SEV2", impact="12% of checkouts fail"
    )
    incident = incident.start_response(at=m(4), recorded_at=m(4.5))
    incident = incident.assign_role(Role.TECHNICAL_LEAD, "bo", at=m(5))
    incident = incident.change_severity("SEV1", at=m(6), reason="spreading")
    incident = incident.post_update(
        at=m(7),
        status=UpdateStatus.INVESTIGATING,
        audience=Audience.STATUS_PAGE,
        text="We are aware that checkout fails for some customers.",
        by="dee",
    )
    incident = incident.record_milestone(Milestone.CUSTOMER_IMPACT_STARTED, at=m(8), occurred_at=m(-30))
    incident = incident.record_action(
        "database.failover_to_read_replica", at=m(9), by="bo", approved_by="ana"
    )
    incident = incident.identify_root_cause("expired-cert", at=m(10), summary="The certificate expired")
    incident = incident.resolve(at=m(200), last_error_at=m(100))
    incident = incident.reopen(at=m(210), reason="errors again")
    incident = incident.record_errors_stopped(at=m(300), by="alertmanager")
    incident = incident.resolve(at=m(400))
    incident = incident.post_update(at=m(350), status="mitigating", text="Recovering.")  # recorded late
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
    """An incident escalated while unacknowledged, seen by PagerDuty too, then dismissed as a duplicate."""
    start = datetime(2026, 3, 8, 1, 59, tzinfo=NEW_YORK)
    incident = Incident.detect(id="INC-10", title="Dup", source="automated_alert", at=start, policy=NY_POLICY)
    incident = incident.escalate(at=start + timedelta(minutes=1), by="pager", reason="not acknowledged")
    incident = incident.link_alert(
        at=start + timedelta(minutes=1.5),
        origin="pagerduty",
        title="Dup 5xx",
        started_at=start + timedelta(seconds=30),
        labels={"service": "Checkout"},
        references={"pagerduty.incident": "Q1"},
    )
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
        text = draw(
            st.none() | st.text(st.characters(exclude_categories=("Cs",)), min_size=1).filter(str.strip)
        )
        # Now and then an update recorded late: it happened up to an hour before the latest event.
        at = tick() - timedelta(minutes=draw(st.sampled_from([0, 0, 5, 60])))
        incident = attempt(incident, "post_update", at=at, status=status, text=text, by="cy")
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
    assert len(kinds) == 24


def test_the_format():
    """Indented by 2, keys in a stable order, None omitted, enums by value, UTF-8 text, a final newline."""
    text = dump_record(complete_incident())
    data = json.loads(text)
    assert text.endswith("}\n")
    assert text.startswith('{\n  "schema": "incident-process/record/v2",\n  "id": "INC-9",')
    assert "Checkout errors ü" in text
    assert list(data) == ["schema", "id", "title", "policy", "events"]
    assert data["policy"] == {"name": "", "fingerprint": NY_POLICY.fingerprint, "zone": "America/New_York"}
    assert data["events"][0]["labels"] == {"endpoint": "/pay", "service": "checkout"}
    assert data["events"][0]["references"] == {"zendesk.ticket": "4711"}
    assert "labels" not in data["events"][1]
    declared = data["events"][2]
    assert list(declared) == ["type", "id", "at", "by", "declarer_role", "severity", "impact"]
    assert list(data["events"][3]) == ["type", "id", "at", "recorded_at"]
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
    "schema v3": (
        edited(setting(("schema",), "incident-process/record/v3")),
        "schema",
        (
            "unknown record schema 'incident-process/record/v3'; this version reads "
            "incident-process/record/v2 and incident-process/record/v1"
        ),
    ),
    "policy missing": (edited(removing(("policy",))), "policy", "missing"),
    "policy not an object": (edited(setting(("policy",), "NY")), "policy", "expected an object, got 'NY'"),
    "policy zone missing": (edited(removing(("policy", "zone"))), "policy.zone", "missing"),
    "policy name not text": (edited(setting(("policy", "name"), 7)), "policy.name", "expected text, got 7"),
    "unknown policy key": (edited(setting(("policy", "colour"), "red")), "policy.colour", "unknown key"),
    "fingerprint not a SHA-256": (
        edited(setting(("policy", "fingerprint"), "abc")),
        "policy.fingerprint",
        "expected 64 hexadecimal digits (a SHA-256), got 'abc'",
    ),
    "unknown policy zone": (
        edited(setting(("policy", "zone"), "Mars/Base")),
        "policy.zone",
        "unknown",
    ),
    "labels not an object": (
        edited(setting(("events", 0, "labels"), ["service"])),
        "events[0].labels",
        "expected an object of texts, got an array",
    ),
    "label not text": (
        edited(setting(("events", 0, "labels", "service"), 5)),
        "events[0].labels.service",
        "expected text, got 5",
    ),
    "recorded_at naive": (
        edited(setting(("events", 3, "recorded_at"), "2026-03-07T23:04:00")),
        "events[3].recorded_at",
        "expected a timezone-aware datetime",
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
    "bad date": (edited(setting(("events", 18, "due"), "2026-02-30")), "events[18].due", "not a valid date"),
    "date not ISO": (edited(setting(("events", 18, "due"), "20260320")), "events[18].due", "expected a date"),
    "a decision out of order": (
        edited(swapping(2, 3)),
        "events[3]",
        "time.order: at=2026-03-07T23:03:00-05:00 is earlier than INC-9:3 (declared at 2026-03-07T23:04:00",
    ),
    "a fact before the detection": (
        edited(setting(("events", 1, "at"), "2026-03-07T22:59:00-05:00[America/New_York]")),
        "events[1]",
        "time.order: at=2026-03-07T22:59:00-05:00 is before the detection, INC-9:1",
    ),
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
    "a v2 field in a v1 record": (
        edited(
            lambda data: (data.update(schema="incident-process/record/v1", zone="UTC"), data.pop("policy"))
        ),
        "events[0].labels",
        "unknown key (added in incident-process/record/v2)",
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
        "events[18].due",
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
    assert problem.line == 7
    assert re.fullmatch(r"not valid JSON: .* \(column [0-9]+\)", problem.message)
    assert str(problem).startswith("line 7: not valid JSON")


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
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def schema_errors(data):
    """What the shipped schema finds wrong with *data*, by the jsonschema package."""
    return [f"{error.json_path}: {error.message}" for error in VALIDATOR.iter_errors(data)]


def test_the_shipped_schema_is_built_from_the_event_classes():
    """The schema follows the events (tests/lifecycle/record_schema.py writes it); valid draft 2020-12."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert record_schema() == record_schema_builder.text()
    assert SCHEMA["properties"]["schema"] == {"const": RECORD_SCHEMA}
    assert SCHEMA["required"] == ["schema", "id", "title", "policy", "events"]
    assert SCHEMA["$defs"]["event"]["properties"]["type"]["enum"] == list(EVENT_TYPES)


@pytest.mark.parametrize("build", [complete_incident, dismissed_incident])
def test_records_conform_to_the_schema(build):
    """What dump_record writes conforms to the shipped schema."""
    assert schema_errors(json.loads(dump_record(build()))) == []


@given(incidents())
def test_every_record_the_library_writes_conforms_to_the_schema(incident):
    """Random incidents, late facts and all, are valid records by the shipped schema."""
    assert schema_errors(json.loads(dump_record(incident))) == []


def test_the_example_records_conform_to_the_schema():
    """The records shipped in examples/ are valid v2 records."""
    for path in sorted(EXAMPLES.glob("*.json")):
        assert schema_errors(json.loads(path.read_text())) == [], path.name


@pytest.mark.parametrize(
    "name",
    [
        "naive time",
        "unknown event type",
        "schema v3",
        "unknown event key",
        "missing field",
        "no events",
        "policy missing",
        "fingerprint not a SHA-256",
        "labels not an object",
        "label not text",
        "event before detection",
    ],
)
def test_the_schema_refuses_malformed_records(name):
    """The schema refuses what the reader refuses, where a schema can tell."""
    assert schema_errors(json.loads(MALFORMED[name][0]))


def _dismissal(**fields):
    data = json.loads(dump_record(dismissed_incident()))
    dismissal = data["events"][-1]
    dismissal.pop("duplicate_of")
    dismissal.update(fields)
    return data


@pytest.mark.parametrize(
    ("fields", "valid"),
    [
        ({"reason": "duplicate", "duplicate_of": "INC-9"}, True),
        ({"reason": "duplicate"}, False),
        ({"reason": "duplicate", "duplicate_of": " "}, False),
        ({"reason": "false_alarm"}, True),
        ({"reason": "false_alarm", "duplicate_of": "INC-9"}, False),
    ],
)
def test_the_schema_says_duplicate_of_is_for_a_duplicate_only(fields, valid):
    """The conditional rule of a dismissal is in the schema itself, as the reader has it."""
    data = _dismissal(**fields)
    assert (schema_errors(data) == []) is valid
    try:
        loads_record(json.dumps(data), policy=NY_POLICY)
    except RecordError:
        assert not valid
    else:
        assert valid


def test_the_schema_has_the_detection_first_and_only_first():
    """A second detected event is refused by the schema, as by the reader."""
    data = json.loads(dump_record(dismissed_incident()))
    data["events"].append(dict(data["events"][0], id="INC-10:4"))
    assert schema_errors(data)
    with pytest.raises(RecordError, match="expected an event after detection"):
        loads_record(json.dumps(data), policy=NY_POLICY)


# --- one event at a time ---------------------------------------------------------------


@given(incidents())
def test_encode_event_and_decode_event_round_trip(incident):
    """Each event reads back equal from what encode_event writes, through JSON text."""
    for event in incident.events:
        data = json.loads(json.dumps(encode_event(event)))
        assert decode_event(data) == event
        assert encode_event(decode_event(data)) == encode_event(event)


def test_a_record_is_its_events_encoded_one_by_one():
    """A store that keeps one event per row writes what a record holds."""
    incident = complete_incident()
    assert json.loads(dump_record(incident))["events"] == [encode_event(e) for e in incident.events]


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        ([], "", "expected an object, got an array"),
        ({"id": "INC-1:2"}, "type", "missing"),
        ({"type": "exploded"}, "type", "unknown event type 'exploded'"),
        ({"type": "acknowledged", "id": "INC-1:2", "at": "2026-03-08T09:00:00"}, "at", "naive"),
        ({"type": "acknowledged", "id": "INC-1:2", "at": "2026-03-08T09:00:00Z"}, "by", "missing"),
        (
            {"type": "acknowledged", "id": "INC-1:2", "at": "2026-03-08T09:00:00Z", "by": "a", "x": 1},
            "x",
            "unknown key",
        ),
    ],
)
def test_decode_event_names_what_is_wrong(data, path, message):
    """A bad event is a RecordError naming the path within the event."""
    with pytest.raises(RecordError) as caught:
        decode_event(data)
    found = [problem for problem in caught.value.problems if problem.path == path]
    assert found, caught.value
    assert message in found[0].message


# --- version 1, and reading under another policy ------------------------------------------


@pytest.mark.parametrize("name", ["sev1-on-time", "sev2-late", "sev3-closed"])
def test_every_v1_record_of_the_examples_reads_as_v2(name):
    """The examples as version 1 wrote them read; written again as v2, they read back equal."""
    text = (V1_RECORDS / f"{name}.json").read_text()
    assert json.loads(text)["schema"] == "incident-process/record/v1"
    incident = loads_record(text, policy=EXAMPLE_POLICY)
    again = dump_record(incident)
    assert json.loads(again)["schema"] == RECORD_SCHEMA
    assert schema_errors(json.loads(again)) == []
    assert loads_record(again, policy=EXAMPLE_POLICY) == incident


def _resolved_after_15_minutes():
    start = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
    incident = Incident.detect(id="INC-3", title="Slow API", source="automated_alert", at=start)
    incident = incident.declare(at=start, by="ana", declarer_role="on_call_engineer", severity="SEV2")
    incident = incident.start_response(at=start + timedelta(minutes=1))
    return incident.resolve(at=start + timedelta(minutes=40), last_error_at=start + timedelta(minutes=25))


def test_a_record_written_under_one_policy_reads_under_a_changed_one():
    """Reading never re-judges: a 15-minute quiet period's resolution reads under a 30-minute rule."""
    text = dump_record(_resolved_after_15_minutes())
    stricter = attrs.evolve(
        Policy(name="stricter"),
        resolution=attrs.evolve(
            Policy().resolution,
            quiet_period=attrs.evolve(Policy().resolution.quiet_period, sev2=timedelta(minutes=30)),
        ),
    )
    incident = loads_record(text, policy=stricter)
    assert incident.phase.value == "resolved"
    assert incident.policy is stricter
    # Judged under the new policy, the resolution came too early: the audit says so.
    quiet = next(
        duty
        for duty in incident.obligations(incident.resolved_at)
        if duty.kind.value == "resolution_quiet_period"
    )
    assert quiet.status.value == "missed"
    # Judging the same events again, as commands would, refuses the resolution.
    with pytest.raises(ReplayError, match=r"resolution\.quiet_period"):
        Incident.from_events(incident.events, policy=stricter)


def test_a_record_is_read_in_its_own_zone_unless_told_otherwise():
    """Local dates and deadlines use the zone the record was written under; an explicit zone wins."""
    text = dump_record(complete_incident())  # written in New York
    assert loads_record(text).policy.zone == "America/New_York"
    assert loads_record(text, policy=Policy(name="utc")).policy == Policy(name="utc", zone="America/New_York")
    assert loads_record(text, zone="Europe/Berlin").policy.zone == "Europe/Berlin"
    with pytest.raises(RecordError, match="zone"):
        loads_record(text, zone="Mars/Base")
