"""The limits of a record (issue 19): refused with a RecordError naming the JSON path, never a raw error.

Times and dates outside the accepted years, lone surrogates, integers and
nesting beyond the limits, zone names that are paths, files that are not
regular files or are too large; and what the commands take from callers
can always be written as UTF-8.
"""

import json
import os
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incident_process import CommandRefusedError, DetectionSource, Incident, InvalidEventError, RecordError
from incident_process._limits import MAX_DEPTH, MAX_RECORD_BYTES
from incident_process.lifecycle._records import decode_event, dump_record, load_record, loads_record

T0 = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
RANGE = "is outside the accepted years 1900 to 2999"
SURROGATE = "not valid Unicode (a lone surrogate)"


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def reviewed():
    """A SEV2 incident in its post-incident phase with one action item, as a record's JSON data."""
    incident = Incident.detect(id="INC-1", title="Errors", source=DetectionSource.AUTOMATED_ALERT, at=T0)
    incident = incident.declare(at=at(2), by="ana", declarer_role="on_call_engineer", severity="SEV2")
    incident = incident.start_response(at=at(3)).post_update(at=at(10), status="identified")
    incident = incident.resolve(at=at(60), last_error_at=at(30)).start_post_incident(at=at(70))
    incident = incident.add_action_item("A-1", "Add an alert", owner="bo", due=date(2026, 3, 20), at=at(80))
    return json.loads(dump_record(incident))


def problems_of(data=None, *, text=None):
    """The problems of a record that must be refused, as [(path, message)]."""
    with pytest.raises(RecordError) as caught:
        loads_record(text if text is not None else json.dumps(data))
    return [(problem.path, problem.message) for problem in caught.value.problems]


def event_index(data, kind):
    return next(index for index, event in enumerate(data["events"]) if event["type"] == kind)


# --- times and dates ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("at", "0001-01-01T00:00:00+01:00"),
        ("at", "9999-12-31T23:59:59-14:00"),
        ("at", "0001-01-01T00:00:00Z[America/New_York]"),
        ("at", "1899-12-31T23:59:59+00:00"),
        ("recorded_at", "9999-12-31T23:59:59+00:00"),
    ],
)
def test_times_outside_the_accepted_years_are_refused_at_their_path(key, value):
    """`0001-01-01T00:00:00+01:00` in a record (OverflowError before) is refused with the range."""
    data = reviewed()
    data["events"][0][key] = value
    [(path, message)] = problems_of(data)
    assert path == f"events[0].{key}"
    assert message.endswith(RANGE)


def test_an_action_item_due_9999_12_31_is_refused():
    """An action item due `9999-12-31` (OverflowError in its deadline before) is refused at `due`."""
    data = reviewed()
    index = event_index(data, "action_item_added")
    data["events"][index]["due"] = "9999-12-31"
    assert problems_of(data) == [(f"events[{index}].due", f"9999-12-31 {RANGE}")]


def test_the_ends_of_the_accepted_years_read():
    """Times at the first and last second of the accepted years, and a due date on the last day, read."""
    data = reviewed()
    index = event_index(data, "action_item_added")
    data["events"][index]["due"] = "2999-12-31"
    data["events"][index]["recorded_at"] = "2999-12-31T23:59:59-14:00"
    data["events"][0]["recorded_at"] = "1900-01-01T00:00:00+14:00"
    incident = loads_record(json.dumps(data))
    assert incident.events[index].due == date(2999, 12, 31)


# --- text, integers, nesting, zones ---------------------------------------------------


@pytest.mark.parametrize(
    ("place", "path"),
    [
        (lambda data: data.__setitem__("title", "\ud800"), "title"),
        (lambda data: data["events"][0].__setitem__("title", "ok \udfff"), "events[0].title"),
        (
            lambda data: data["events"][0].__setitem__("labels", {"service": "\ud800"}),
            "events[0].labels.service",
        ),
        (lambda data: data["policy"].__setitem__("name", "\ud800"), "policy.name"),
    ],
)
def test_lone_surrogates_in_any_text_are_refused(place, path):
    """A JSON lone surrogate escape (accepted before, then a UnicodeEncodeError) is refused at its path."""
    data = reviewed()
    place(data)
    assert problems_of(data) == [(path, SURROGATE)]


def test_lone_surrogates_in_keys_are_refused():
    """A key with a lone surrogate is refused at the object that holds it (labels, unknown keys)."""
    data = reviewed()
    data["events"][0]["labels"] = {"\ud800": "x"}
    data["events"][1]["\udc00"] = 1
    assert problems_of(data) == [
        ("events[0].labels", f"a key is {SURROGATE}: '\\ud800'"),
        ("events[1]", f"a key is {SURROGATE}: '\\udc00'"),
    ]


def test_a_pair_of_surrogates_is_one_character_and_reads():
    """A valid pair of JSON escapes (an emoji) is not a lone surrogate."""
    data = reviewed()
    data["events"][0]["title"] = data["title"] = "\U0001f525 fire"
    assert loads_record(json.dumps(data, ensure_ascii=True)).title == "\U0001f525 fire"


def test_integers_beyond_the_limit_are_refused():
    """A 5,000-digit integer (Python's ValueError before) or one of 19 digits is a RecordError."""
    text = json.dumps(reviewed())
    assert problems_of(text=text.replace('"INC-1"', "1" * 5000, 1)) == [
        ("", "not valid JSON: an integer of more than 18 digits, over the limit")
    ]
    assert problems_of(text=text.replace('"INC-1"', "9" * 19, 1)) == [
        ("id", "an integer of more than 18 digits, over the limit")
    ]


def test_nesting_is_refused_at_its_path_and_never_recurses_too_deep():
    """Arrays nested 2,000 deep are a RecordError (RecursionError before); 40 deep name the path."""
    text = json.dumps(reviewed())[:-1]
    assert problems_of(text=text + ', "x": ' + "[" * 2000 + "]" * 2000 + "}") == [
        ("", "not valid JSON: nested too deeply")
    ]
    [(path, message)] = problems_of(text=text + ', "x": ' + "[" * 40 + "]" * 40 + "}")
    assert path == "x" + "[0]" * (MAX_DEPTH - 1)
    assert message == f"nested more than {MAX_DEPTH} levels deep"


@pytest.mark.parametrize("zone", ["America", "a" * 5000])
def test_zone_names_that_are_paths_are_unknown_zones(zone):
    """`America` (IsADirectoryError) and 5,000 characters (OSError) are unknown zones, in both places."""
    data = reviewed()
    data["policy"]["zone"] = zone
    [(path, message)] = problems_of(data)
    assert (path, message[:22]) == ("policy.zone", "unknown IANA time zone")
    data = reviewed()
    data["events"][0]["at"] = f"2026-03-09T09:00:00+00:00[{zone}]"
    [(path, message)] = problems_of(data)
    assert (path, message[:17]) == ("events[0].at", "unknown time zone")


# --- files and sizes --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_fifo_or_a_device_returns_at_once_with_an_error(tmp_path, kind):
    """A FIFO or /dev/zero as a record never blocks and never fills memory."""
    path = tmp_path / "record.json" if kind == "fifo" else "/dev/zero"
    if kind == "fifo":
        os.mkfifo(path)
    with pytest.raises(RecordError, match="not a regular file") as caught:
        load_record(path)
    assert caught.value.source == str(path)


def test_a_record_over_the_size_limit_is_refused_unread(tmp_path):
    """A file over MAX_RECORD_BYTES is refused by its size; so is text over it."""
    path = tmp_path / "record.json"
    with path.open("wb") as file:
        file.truncate(MAX_RECORD_BYTES + 1)  # sparse: nothing is written
    with pytest.raises(RecordError, match="over the limit of 33,554,432"):
        load_record(path)
    with pytest.raises(RecordError, match="over the limit of 33,554,432"):
        loads_record(" " * (MAX_RECORD_BYTES + 1))


# --- what commands take from callers -----------------------------------------------------


def test_commands_refuse_lone_surrogates_as_they_refuse_bad_fields():
    """Text with a lone surrogate is refused by the event, so dump_record never writes it."""
    with pytest.raises(InvalidEventError, match=r"Detected\.title: not valid Unicode"):
        Incident.detect(id="INC-1", title="\ud800", source=DetectionSource.AUTOMATED_ALERT, at=T0)
    with pytest.raises(InvalidEventError, match=r"Detected\.labels: the name '\\ud800' is not valid Unicode"):
        Incident.detect(
            id="I", title="t", labels={"\ud800": "x"}, source=DetectionSource.AUTOMATED_ALERT, at=T0
        )
    incident = Incident.detect(id="INC-1", title="Errors", source=DetectionSource.AUTOMATED_ALERT, at=T0)
    with pytest.raises(
        CommandRefusedError, match=r"event\.fields: Declared\.by: not valid Unicode"
    ) as caught:
        incident.declare(at=at(2), by="an\udc00a", declarer_role="on_call_engineer", severity="SEV2")
    assert caught.value.rule == "event.fields"


def test_commands_refuse_times_outside_the_accepted_years():
    """A command at year 9999 is refused by the event's check, as a naive time is refused."""
    late = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    with pytest.raises(InvalidEventError, match=RANGE):
        Incident.detect(id="INC-1", title="Errors", source=DetectionSource.AUTOMATED_ALERT, at=late)
    incident = Incident.detect(id="INC-1", title="Errors", source=DetectionSource.AUTOMATED_ALERT, at=T0)
    with pytest.raises(CommandRefusedError, match=RANGE):
        incident.acknowledge(at=late, by="ana")
    with pytest.raises(CommandRefusedError, match=RANGE):
        incident.acknowledge(at=at(1), by="ana", recorded_at=late)


def test_decode_event_refuses_them_too():
    """One event read alone has the record's limits."""
    data = reviewed()["events"][0]
    with pytest.raises(RecordError) as caught:
        decode_event({**data, "title": "\ud800", "at": "9999-01-01T00:00:00Z"})
    assert sorted((p.path, p.message) for p in caught.value.problems) == [
        ("at", f"9999-01-01T00:00:00+00:00 {RANGE}"),
    ]
    with pytest.raises(RecordError) as caught:
        decode_event({**data, "title": "\ud800"})
    assert [(p.path, p.message) for p in caught.value.problems] == [("title", SURROGATE)]


#: Any character, lone surrogates included (Hypothesis leaves them out by default).
ANY_TEXT = st.text(st.one_of(st.characters(), st.sampled_from("\ud800\udbff\udc00\udfff")), max_size=8)


@settings(max_examples=60, deadline=None)
@given(ANY_TEXT, ANY_TEXT, st.dictionaries(ANY_TEXT, ANY_TEXT, max_size=2))
def test_whatever_text_a_command_accepts_is_written_as_utf_8(title, by, labels):
    """Any text a command takes is valid Unicode: the record is UTF-8 and reads back equal."""
    try:
        incident = Incident.detect(
            id="INC-1", title=title, labels=labels, source=DetectionSource.AUTOMATED_ALERT, at=T0
        )
        incident = incident.acknowledge(at=at(1), by=by)
    except (InvalidEventError, CommandRefusedError):
        return
    text = dump_record(incident)
    text.encode("utf-8")
    assert loads_record(text) == incident


# --- what the commands take (issue 19: the events' own checks) ----------------------


def test_an_action_item_due_beyond_the_range_is_refused_by_the_command():
    """``add_action_item(due=9999-12-31)`` is refused by the command as a record would refuse it."""
    incident = Incident.detect(id="INC-1", title="Errors", source=DetectionSource.AUTOMATED_ALERT, at=T0)
    incident = incident.declare(at=at(2), by="ana", declarer_role="on_call_engineer", severity="SEV2")
    incident = incident.start_response(at=at(3)).post_update(at=at(10), status="identified")
    incident = incident.resolve(at=at(60), last_error_at=at(30)).start_post_incident(at=at(70))
    with pytest.raises(CommandRefusedError, match=RANGE):
        incident.add_action_item("A-1", "Add an alert", owner="bo", due=date(9999, 12, 31), at=at(80))


@pytest.mark.parametrize(
    "command",
    [
        lambda incident: incident.dismiss(at=at(1), reason="false_alarm", note="a\ud800"),
        lambda incident: (
            incident.declare(at=at(2), by="ana", declarer_role="on_call_engineer", severity="SEV2")
            .start_response(at=at(3))
            .identify_root_cause("config", at=at(4), summary="b\udfff")
        ),
    ],
)
def test_a_lone_surrogate_in_a_note_or_summary_is_refused(command):
    """Text that may be empty is valid Unicode too: ``dump_record`` never writes what cannot be encoded."""
    incident = Incident.detect(id="INC-1", title="Errors", source=DetectionSource.AUTOMATED_ALERT, at=T0)
    with pytest.raises(CommandRefusedError, match=re.escape(SURROGATE)):
        command(incident)


def test_unknown_keys_are_shown_quoted():
    """A hostile key is named quoted, as JSON writes it: no control character or ``::`` line in a message."""
    data = reviewed()
    data["::error file=a::pwned\n"] = 1
    data["events"][0]["\x1bx"] = 2
    assert problems_of(data) == [
        ('["::error file=a::pwned\\n"]', "unknown key"),
        ('events[0]["\\u001bx"]', "unknown key"),
    ]
