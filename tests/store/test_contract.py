"""The store contract: every test runs on a SQLite file and on a real PostgreSQL server."""

import json
import sqlite3

import attrs
import pytest
from store_examples import T0, at, detected, opened, responding

from incident_process import DEFAULT_POLICY, Incident, Phase, encode_event, loads_policy
from incident_process.errors import IncidentProcessError
from incident_process.integrations import Alert, AlertStatus, apply_alert, correlate
from incident_process.store import (
    OPEN_PHASES,
    SCHEMA_VERSION,
    ConflictError,
    PostgresStore,
    SQLiteStore,
    StoreError,
    UnknownIncidentError,
    open_store,
)
from incident_process.store._chain import chain_start, chained, digest
from incident_process.store._schema import MIGRATIONS

# --- add and get ---------------------------------------------------------------------------


def test_an_added_incident_reads_back_equal(store):
    """add() then get(): the same incident, events and state."""
    incident = responding().post_update(at=at(5), status="investigating", text="Looking.", by="ana")
    assert store.add(incident) is incident
    again = store.get("INC-1")
    assert again == incident
    assert again.timeline == incident.timeline
    assert again.phase is Phase.RESPONDING


def test_add_refuses_an_id_that_exists(store):
    """Two incidents cannot share an id: the second add is a conflict, and writes nothing."""
    store.add(detected())
    with pytest.raises(ConflictError, match="an incident 'INC-1' exists already") as caught:
        store.add(responding())
    assert caught.value.incident_id == "INC-1"
    assert isinstance(caught.value, IncidentProcessError)
    assert store.get("INC-1").version == 1


def test_the_same_detection_delivered_again_is_the_stored_incident(store):
    """A detection whose idempotency key is stored returns the stored incident, whatever the new id."""
    first = store.add(detected("INC-1", key="alertmanager:c0ffee:firing"))
    again = store.add(detected("INC-2", key="alertmanager:c0ffee:firing"))
    assert again == first
    assert [incident.id for incident in store.incidents()] == ["INC-1"]


def test_get_of_an_unknown_id(store):
    """An unknown id is an UnknownIncidentError (a LookupError) naming it."""
    with pytest.raises(UnknownIncidentError, match="no incident 'INC-9'") as caught:
        store.get("INC-9")
    assert isinstance(caught.value, LookupError)
    assert caught.value.incident_id == "INC-9"


# --- save ---------------------------------------------------------------------------------------


def test_save_appends_what_the_store_does_not_hold(store):
    """save() appends the new events; saving again changes nothing."""
    incident = store.add(detected())
    changed = incident.acknowledge(at=at(1), by="ana").declare(
        at=at(2), by="ana", declarer_role="on_call_engineer", severity=2
    )
    assert store.save(changed) is changed
    assert store.save(changed) is changed
    assert store.get("INC-1") == changed
    assert [event for _, _, event in store.events_since(0)] == list(changed.events)


def test_save_after_another_writer_is_a_conflict_and_writes_nothing(open_stores):
    """Two writers read version 1; the second to save conflicts, and its event is not stored."""
    mine, theirs = open_stores(), open_stores()
    incident = mine.add(detected())
    read_by_them = theirs.get("INC-1")
    mine.save(incident.acknowledge(at=at(1), by="ana"))
    with pytest.raises(ConflictError, match="event 2 differs from the stored one"):
        theirs.save(read_by_them.record_milestone("customer_impact_started", at=at(1), occurred_at=at(-5)))
    assert [event.kind for event in mine.get("INC-1").events] == ["detected", "acknowledged"]


def test_save_of_a_stale_incident_is_a_conflict(store):
    """An incident older than the stored one (fewer events) is not a prefix of it."""
    incident = store.add(detected())
    store.save(incident.acknowledge(at=at(1), by="ana"))
    with pytest.raises(ConflictError, match="the store holds 2 events, this incident 1"):
        store.save(incident)


def test_save_of_an_incident_never_added(store):
    """save() appends; a new incident is add()ed."""
    with pytest.raises(UnknownIncidentError, match="add\\(\\) it first"):
        store.save(detected())


def test_an_incident_under_another_policy_is_refused(store):
    """A store judges under its policy; an incident built under another is refused, naming both."""
    other = loads_policy('name = "other"\n[communication.update_cadence]\nSEV1 = "5m"')
    incident = Incident.detect(id="INC-1", title="x", source="automated_alert", at=T0, policy=other)
    with pytest.raises(StoreError, match=r"judged under 'other' .* this store judges under the guide"):
        store.add(incident)
    with pytest.raises(StoreError, match="expected an Incident, got str"):
        store.add("INC-1")


def test_an_incident_in_another_zone_keeps_its_zone(store):
    """The store's policy in another zone is the store's policy: the incident reads back in its zone."""
    berlin = attrs.evolve(DEFAULT_POLICY, zone="Europe/Berlin")
    incident = Incident.detect(id="INC-1", title="x", source="automated_alert", at=T0, policy=berlin)
    store.add(incident)
    assert store.get("INC-1").policy.zone == "Europe/Berlin"
    assert store.get("INC-1") == incident
    assert store.written_under("INC-1") == {
        "name": "",
        "fingerprint": berlin.fingerprint,
        "zone": "Europe/Berlin",
    }


# --- update -------------------------------------------------------------------------------------


def test_update_reads_changes_and_saves(store):
    """update() returns the saved incident; a change that changes nothing writes nothing."""
    store.add(detected())
    updated = store.update("INC-1", lambda incident: incident.acknowledge(at=at(1), by="ana"))
    assert updated.version == 2
    assert store.update("INC-1", lambda incident: incident) == updated
    assert store.last_position() == 2


def test_update_runs_the_change_again_after_a_conflict(open_stores):
    """Another writer saves while the change runs: the change runs again on the newer incident."""
    mine, theirs = open_stores(), open_stores()
    mine.add(responding())
    seen = []

    def change(incident):
        seen.append(incident.version)
        if len(seen) == 1:  # meanwhile, someone else posts an update
            theirs.update("INC-1", lambda i: i.post_update(at=at(10), status="investigating", by="bo"))
        return incident.post_update(at=at(11), status="identified", by="ana")

    result = mine.update("INC-1", change)
    assert seen == [4, 5]
    assert [event.by for event in result.events[-2:]] == ["bo", "ana"]
    assert mine.get("INC-1") == result


def test_update_gives_up_after_its_attempts(open_stores):
    """A change that always meets another writer ends with the conflict, after the attempts."""
    mine, theirs = open_stores(), open_stores()
    mine.add(responding())
    minute = iter(range(10, 100))

    def change(incident):
        theirs.update("INC-1", lambda i: i.post_update(at=at(next(minute)), status="investigating"))
        return incident.post_update(at=at(5), status="identified")

    with pytest.raises(ConflictError, match="changed by another writer"):
        mine.update("INC-1", change, attempts=3)
    assert mine.get("INC-1").version == 4 + 3


def test_a_command_whose_key_was_stored_meanwhile_changes_nothing(open_stores):
    """The same webhook to two writers: the second runs its change again and finds the key stored."""
    mine, theirs = open_stores(), open_stores()
    mine.add(detected())
    stale = theirs.get("INC-1")

    def acknowledge(incident):
        return incident.acknowledge(at=at(2), by="ana", idempotency_key="pagerduty:P1:acknowledged")

    mine.update("INC-1", acknowledge)
    # The same command from a stale copy is the stored event: saving it writes nothing.
    assert theirs.save(acknowledge(stale)).version == 2
    assert theirs.update("INC-1", acknowledge).version == 2
    # The same key for another command is not the stored event: a conflict.
    other = stale.acknowledge(at=at(2), by="bo", idempotency_key="pagerduty:P1:acknowledged")
    with pytest.raises(ConflictError, match="its event 2 differs"):
        theirs.save(other)
    assert [event.by for event in theirs.get("INC-1").events[1:]] == ["ana"]


@pytest.mark.parametrize(
    ("change", "attempts", "message"),
    [
        (lambda _: None, 3, r"change must return incident 'INC-1' .* returned NoneType"),
        (lambda _: detected("INC-2"), 3, "returned INC-2"),
        (lambda incident: incident, 0, "attempts: expected a whole number of at least 1, got 0"),
        (lambda incident: incident, True, "attempts: expected a whole number"),
    ],
)
def test_update_names_a_bad_argument(store, change, attempts, message):
    """A change that returns something else, or a bad number of attempts, is a StoreError."""
    store.add(detected())
    with pytest.raises(StoreError, match=message):
        store.update("INC-1", change, attempts=attempts)


# --- incidents and find ----------------------------------------------------------------------


def test_incidents_are_streamed_by_id_and_phase(store):
    """Every incident, by id, past several pages; or those in the phases asked for."""
    for number in range(450):
        incident = detected(f"INC-{number:04}", minutes=number)
        if number % 3 == 0:
            incident = incident.dismiss(at=at(number + 1), reason="false_alarm")
        store.add(incident)
    everything = store.incidents()
    assert next(everything).id == "INC-0000"
    assert len(list(everything)) == 449
    open_ones = [incident.id for incident in store.incidents(phases=OPEN_PHASES)]
    assert len(open_ones) == 300
    assert open_ones == sorted(open_ones)
    assert len(list(store.incidents(phases=["dismissed"]))) == 150
    assert list(store.incidents(phases=[])) == []


def test_incidents_of_an_unknown_phase(store):
    """A phase that is not one is named."""
    with pytest.raises(StoreError, match=r"phases: expected phases .* got 'open'"):
        list(store.incidents(phases=["open"]))


def test_find_returns_the_latest_incident_of_a_reference(store):
    """An alert's fingerprint finds its incident; the same fingerprint firing again, the newer one."""
    store.add(detected("INC-1", fingerprint="c0ffee"))
    store.add(detected("INC-2", minutes=60, fingerprint="c0ffee"))
    store.add(detected("INC-3", minutes=30, fingerprint="beef"))
    assert store.find("c0ffee").id == "INC-2"
    assert store.find("beef").id == "INC-3"
    assert store.find("nothing") is None
    with pytest.raises(StoreError, match="find: expected a reference"):
        store.find("")


def _alert(*, minutes=0, endpoint="checkout", references=None, status=AlertStatus.FIRING):
    """An alert as a webhook reader gives it, from another tool than the detection's."""
    return Alert(
        origin="pagerduty",
        identity=f"P{minutes}{endpoint}",
        key=f"pagerduty:P{minutes}{endpoint}:{status.value}",
        status=status,
        title="Checkout errors",
        started_at=at(minutes),
        at=at(minutes),
        ended_at=at(minutes) if status is AlertStatus.RESOLVED else None,
        labels=(("endpoint", endpoint),),
        references=tuple(sorted((references or {"pagerduty.incident": f"P{minutes}{endpoint}"}).items())),
        endpoint=endpoint,
    )


def test_find_an_alert_by_a_linked_reference(store):
    """A linked alert's references are indexed on save: the tool's next webhook finds the incident."""
    incident = store.add(
        Incident.detect(
            id="INC-1", title="Checkout", source="customer_reports", at=T0, labels={"endpoint": "checkout"}
        )
    )
    page = _alert(minutes=2)
    assert store.find(page) == incident  # by the endpoint, within the window
    linked = store.save(apply_alert(page, incident).incident)
    assert store.find("P2checkout") == linked
    later = _alert(minutes=45, references={"pagerduty.incident": "P2checkout"})
    assert store.find(later) == linked  # by reference, outside the label window


def test_find_an_alert_by_labels_within_the_window_only(store):
    """By labels: the incident detected within the rule's window; never one that is closed or dismissed."""
    store.add(
        detected("INC-1", minutes=0).link_alert(
            at=at(1), origin="alertmanager", title="5xx", labels={"endpoint": "checkout"}
        )
    )
    store.add(
        detected("INC-2", minutes=10).link_alert(
            at=at(11), origin="alertmanager", title="5xx", labels={"endpoint": "search"}
        )
    )
    assert store.find(_alert(minutes=20)).id == "INC-1"
    assert store.find(_alert(minutes=25, endpoint="search")).id == "INC-2"
    assert store.find(_alert(minutes=31)) is None  # 31 minutes after INC-1's detection
    store.save(store.get("INC-1").dismiss(at=at(5), reason="false_alarm"))
    assert store.find(_alert(minutes=20)) is None
    with pytest.raises(StoreError, match=r"find: expected a reference \(non-empty text\) or an Alert"):
        store.find(42)


def test_find_an_alert_agrees_with_correlate(store):
    """The store's find of an alert is correlate over every stored incident."""
    for index in range(6):
        incident = detected(f"INC-{index}", minutes=index * 7, fingerprint=f"f{index % 3}")
        incident = incident.link_alert(
            at=at(index * 7), origin="alertmanager", title="x", labels={"endpoint": f"e{index % 2}"}
        )
        if index == 4:
            incident = incident.dismiss(at=at(index * 7 + 1), reason="duplicate", duplicate_of="INC-1")
        store.add(incident)
    every = list(store.incidents())
    for minutes in range(0, 60, 3):
        for endpoint in ("e0", "e1", "e2"):
            for references in (None, {"alertmanager.fingerprint": "f1"}):
                alert = _alert(minutes=minutes, endpoint=endpoint, references=references)
                assert store.find(alert) == correlate(alert, every, policy=store.policy)


def test_apply_alert_detects_links_and_writes_nothing_for_a_repeat(store):
    """store.apply_alert: detects, links another tool's alert; a repeat and a stray end write nothing."""
    first = store.apply_alert(_alert(minutes=0), id="INC-1")
    assert [event.kind for event in first.events] == ["detected"]
    assert store.get("INC-1") == first.incident
    other = _alert(minutes=3, references={"pagerduty.incident": "Q9"})
    linked = store.apply_alert(other, id="INC-2")
    assert (linked.incident.id, [event.kind for event in linked.events]) == ("INC-1", ["alert_linked"])
    position = store.last_position()
    assert not store.apply_alert(other, id="INC-3").changed
    stray = _alert(minutes=90, endpoint="search", status=AlertStatus.RESOLVED)
    assert store.apply_alert(stray, id="INC-4").incident is None
    assert store.last_position() == position
    assert [incident.id for incident in store.incidents()] == ["INC-1"]
    with pytest.raises(StoreError, match="attempts: expected a whole number"):
        store.apply_alert(other, id="INC-5", attempts=0)


def test_apply_alert_with_the_id_of_another_incident_is_a_conflict(store):
    """A new detection whose id is taken by an unrelated incident is refused, after the attempts."""
    store.add(detected("INC-1", minutes=500))
    with pytest.raises(ConflictError, match="exists already"):
        store.apply_alert(_alert(minutes=0, endpoint="search"), id="INC-1", attempts=2)


# --- the change feed ------------------------------------------------------------------------------


def test_the_change_feed_is_in_commit_order_and_resumes(open_stores):
    """Events of several incidents and writers, each once, positions strictly increasing."""
    one, two = open_stores(), open_stores()
    one.add(detected("INC-1"))
    two.add(detected("INC-2"))
    one.update("INC-1", lambda i: i.acknowledge(at=at(1), by="ana"))
    two.update("INC-2", lambda i: i.acknowledge(at=at(1), by="bo"))
    feed = list(one.events_since(0))
    positions = [position for position, _, _ in feed]
    assert positions == sorted(set(positions))
    assert [(incident_id, event.kind) for _, incident_id, event in feed] == [
        ("INC-1", "detected"),
        ("INC-2", "detected"),
        ("INC-1", "acknowledged"),
        ("INC-2", "acknowledged"),
    ]
    assert list(two.events_since(positions[1])) == feed[2:]
    assert list(two.events_since(two.last_position())) == []


def test_the_change_feed_pages_through_many_events(store):
    """More events than one page: every one, in order."""
    incident = store.add(responding())
    for minute in range(1_100):
        incident = incident.post_update(at=at(5 + minute), status="investigating")
    store.save(incident)
    feed = list(store.events_since(0))
    assert len(feed) == incident.version
    assert [event for _, _, event in feed] == list(incident.events)


@pytest.mark.parametrize("position", [-1, 1.5, "3", True, None])
def test_a_bad_position(store, position):
    """A position is a whole number of at least 0."""
    with pytest.raises(StoreError, match="events_since: expected a position"):
        list(store.events_since(position))


# --- history holds ------------------------------------------------------------------------------


def test_a_store_opened_under_a_changed_policy_reads_its_history(open_stores):
    """Incidents resolved under a 15-minute quiet period read under a 30-minute one."""
    store = open_stores()
    incident = responding().resolve(at=at(40), last_error_at=at(24))
    store.add(incident)
    stricter = loads_policy('name = "stricter"\n[resolution.quiet_period]\nSEV2 = "30m"')
    later = open_stores(policy=stricter)
    read = later.get("INC-1")
    assert read.phase is Phase.RESOLVED
    assert read.policy == stricter
    assert later.written_under("INC-1")["fingerprint"] == DEFAULT_POLICY.fingerprint
    saved = later.save(read.start_post_incident(at=at(41)))
    assert later.written_under("INC-1") == {
        "name": "stricter",
        "fingerprint": stricter.fingerprint,
        "zone": "UTC",
    }
    assert later.get("INC-1") == saved


def test_late_facts_are_stored_as_they_were_recorded(store):
    """An acknowledgement recorded after the declaration reads back late, in its place in the timeline."""
    incident = store.add(detected())
    incident = store.update(
        "INC-1", lambda i: i.declare(at=at(4), by="ana", declarer_role="on_call_engineer", severity=2)
    )
    incident = store.update("INC-1", lambda i: i.acknowledge(at=at(3), by="bo"))
    read = store.get("INC-1")
    assert [event.kind for event in read.events] == ["detected", "declared", "acknowledged"]
    assert [event.kind for event in read.timeline] == ["detected", "acknowledged", "declared"]
    assert read == incident


# --- the layout ----------------------------------------------------------------------------------


def _raw(store_url):
    """A DB-API connection to the store's database, and its dialect's marker."""
    if store_url.startswith("sqlite:"):
        return sqlite3.connect(store_url.removeprefix("sqlite://"), isolation_level=None), "?"
    import psycopg

    return psycopg.connect(store_url, autocommit=True), "%s"


def test_a_store_of_an_older_layout_is_migrated_on_open(store_url):
    """A version-1 store (no references) opens as the latest, its detections' references filled in."""
    connection, _ = _raw(store_url)
    kind = "sqlite" if store_url.startswith("sqlite") else "postgresql"
    dialect = SQLiteStore.dialect if kind == "sqlite" else PostgresStore.dialect
    incident = detected("INC-1", fingerprint="c0ffee").acknowledge(at=at(1), by="ana")
    cursor = connection.cursor()
    cursor.execute("CREATE TABLE incident_process_schema (version INTEGER NOT NULL)")
    cursor.execute("INSERT INTO incident_process_schema (version) VALUES (1)")
    for statement in MIGRATIONS[0][0]:
        cursor.execute(dialect.sql(statement))
    moment = T0 if kind == "postgresql" else "2026-03-08T09:00:00.000000Z"
    cursor.execute(
        dialect.sql(
            "INSERT INTO incident_process_incidents (id, title, phase, version, detected_at, policy_name, "
            "policy_fingerprint, zone, detection_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ),
        ("INC-1", "Checkout errors", "detected", 2, moment, "", DEFAULT_POLICY.fingerprint, "UTC", None),
    )
    chain = chain_start("INC-1")
    for number, event in enumerate(incident.events, start=1):
        data = json.dumps(encode_event(event))
        chain = chained(chain, digest(event))
        cursor.execute(
            dialect.sql(
                "INSERT INTO incident_process_events "  # noqa: S608 - a marker only
                "(incident_id, number, kind, idempotency_key, digest, chain, data) "
                f"VALUES (?, ?, ?, ?, ?, ?, {'?' if kind == 'sqlite' else '?::jsonb'})"
            ),
            ("INC-1", number, event.kind, None, digest(event), chain, data),
        )
    connection.close()
    store = opened(store_url)
    try:
        assert store.find("c0ffee") == incident
        connection, _ = _raw(store_url)
        version = connection.execute("SELECT version FROM incident_process_schema").fetchone()[0]
        connection.close()
        assert version == SCHEMA_VERSION == 3
    finally:
        store.close()


def test_a_store_written_by_a_newer_library_is_refused(store_url):
    """A layout version this library does not know is not guessed at."""
    opened(store_url).close()
    connection, _ = _raw(store_url)
    connection.execute(f"UPDATE incident_process_schema SET version = {SCHEMA_VERSION + 1}")  # noqa: S608
    connection.close()
    with pytest.raises(StoreError, match=f"layout version {SCHEMA_VERSION + 1}, written by a newer"):
        opened(store_url)


def test_an_event_that_does_not_read_is_named(store_url, store):
    """A stored event that does not decode is a StoreError naming the incident and the event."""
    store.add(detected().acknowledge(at=at(1), by="ana"))
    connection, _ = _raw(store_url)
    bad = json.dumps({"type": "acknowledged", "id": "INC-1:2", "at": "yesterday", "by": "ana"})
    if store_url.startswith("sqlite"):
        connection.execute("UPDATE incident_process_events SET data = ? WHERE number = 2", (bad,))
    else:
        connection.execute("UPDATE incident_process_events SET data = %s::jsonb WHERE number = 2", (bad,))
    connection.close()
    with pytest.raises(StoreError, match="INC-1, event 2: at: expected an RFC 3339"):
        store.get("INC-1")
    with pytest.raises(StoreError, match="INC-1, event 2: at"):
        list(store.events_since(0))


def test_a_sqlite_store_needs_a_file(tmp_path):
    """':memory:' would be one database per connection; a missing folder is named."""
    with pytest.raises(StoreError, match="give a file's path"):
        SQLiteStore(":memory:")
    with pytest.raises(StoreError, match="cannot open it as an incident store"):
        SQLiteStore(tmp_path / "missing" / "incidents.db")
    (tmp_path / "not-a-db").write_text("hello, I am text " * 100)
    with pytest.raises(StoreError, match="not-a-db"):
        SQLiteStore(tmp_path / "not-a-db")


def test_store_urls():
    """open_store() takes sqlite: and postgresql: URLs, and names anything else."""
    with pytest.raises(StoreError, match=r"expected sqlite:///path/to/file\.db or postgresql://"):
        open_store("mysql://db/incidents")
    with pytest.raises(StoreError, match="no file"):
        open_store("sqlite://")


def test_an_unreachable_postgresql_is_named():
    """A server that does not answer is a StoreError naming it (without its password)."""
    with pytest.raises(StoreError, match=r"postgresql://bot:\*\*\*@127.0.0.1:1/incidents\S*: cannot connect"):
        PostgresStore("postgresql://bot:secret@127.0.0.1:1/incidents?connect_timeout=2")


def test_a_store_says_which_policy_it_judges_under(store):
    """Each store has its policy, and shows it."""
    assert store.policy is DEFAULT_POLICY
    assert repr(store).endswith("policy=the guide (fingerprint " + DEFAULT_POLICY.fingerprint[:12] + "))")


def test_a_history_that_differs_before_an_equal_last_event_is_a_conflict(open_stores):
    """Two writers read version 4, each appends its own event then the same webhook's: not a prefix."""
    mine, theirs = open_stores(), open_stores()
    mine.add(responding())
    stale = theirs.get("INC-1")

    def then_the_webhook(incident):
        return incident.post_update(at=at(20), status="identified", idempotency_key="webhook-9")

    mine.update("INC-1", lambda i: then_the_webhook(i.record_action("rolled back", at=at(10), by="ana")))
    different = then_the_webhook(stale.record_action("scaled up", at=at(10), by="bo"))
    assert different.events[-1] == mine.get("INC-1").events[-1]  # the same last event ...
    with pytest.raises(ConflictError, match="an earlier event differs"):  # ... after another history
        theirs.save(different)
    assert [event.action for event in mine.get("INC-1").events if event.kind == "action_taken"] == [
        "rolled back"
    ]
