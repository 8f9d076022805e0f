"""Benchmark the incident stores on SQLite and PostgreSQL, next to bare SQL and the eventsourcing recorder.

Run from the repository root with the package and the bench extra installed::

    python benchmarks/bench_store.py            # SQLite; PostgreSQL if INCIDENT_PROCESS_POSTGRES_DSN is set
    python benchmarks/bench_store.py --write    # also update docs/performance.md

(``eval "$(.ci/postgres)"`` starts a throwaway PostgreSQL server and sets the variable.)

What is measured, on each database, in one run:

* ``save`` of one event (an update) to an incident of 5 events, 300 times,
  each to another incident, next to a bare single-row ``INSERT`` transaction
  into a table of the same shape (same database settings: WAL and
  ``synchronous=FULL`` on SQLite) and, on SQLite, the ``eventsourcing``
  package's ``SQLiteApplicationRecorder.insert_events`` of one stored event;
* ``get`` of an incident of 1,000 events, by a new store (every event
  decoded) and again by the same store (decoded events reused), next to
  reading the same rows with a bare ``SELECT`` plus replaying the events,
  already in memory, with ``Incident.from_events``;
* 4 writer processes, each calling ``update`` 50 times on the same incident
  (conflicts retried): commands per second, and the median and 95th
  percentile of ``update``'s latency;
* stores of 1,000, 10,000 and 100,000 incidents (one in ten open, each with
  its alert's fingerprint): the first 100 of ``incidents(phases=OPEN_PHASES)``
  and ``find`` of a fingerprint, which the indexes keep flat.

Targets (issue "A real incident store"): ``save`` of one event within 3x the
bare insert transaction; ``get`` of 1,000 events within 2x reading the rows
plus replaying them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

from _report import best, run
from incident_process import Incident, encode_event
from incident_process.store import OPEN_PHASES, open_store
from incident_process.store._chain import chain_start, chained, digest

T0 = dt.datetime(2026, 3, 8, 9, 0, tzinfo=dt.UTC)
SAVES = 300
SIZES = (1_000, 10_000, 100_000)


def at(minutes: float) -> dt.datetime:
    """A moment *minutes* after T0."""
    return T0 + dt.timedelta(minutes=minutes)


def responding(incident_id: str, fingerprint: str | None = None) -> Incident:
    """An incident of 4 events: detected, acknowledged, declared, responding."""
    references = {"alertmanager.fingerprint": fingerprint} if fingerprint else {}
    incident = Incident.detect(
        id=incident_id, title="Checkout errors", source="automated_alert", at=T0, references=references
    )
    incident = incident.acknowledge(at=at(1), by="ana")
    incident = incident.declare(at=at(2), by="ana", declarer_role="on_call_engineer", severity="SEV2")
    return incident.start_response(at=at(3))


# --- the databases ----------------------------------------------------------------------------


class Database:
    """One database to measure on: a SQLite file or a fresh PostgreSQL schema."""

    def __init__(self, kind: str, dsn: str | None = None) -> None:
        self.kind = kind
        self.directory = tempfile.mkdtemp(prefix="bench-store-")
        self.dsn = dsn
        self.schemas: list[str] = []

    def fresh(self) -> str:
        """The URL of a new, empty store."""
        if self.kind == "sqlite":
            return f"sqlite:///{self.directory}/{uuid.uuid4().hex}.db"
        import psycopg

        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(self.dsn, autocommit=True) as connection:
            connection.execute(f"CREATE SCHEMA {schema}")
        self.schemas.append(schema)
        separator = "&" if "?" in str(self.dsn) else "?"
        return f"{self.dsn}{separator}options=-c%20search_path%3D{schema}"

    def connect(self, url: str):  # noqa: ANN201 - a DB-API connection of either driver
        """A bare connection to the store's database, in autocommit mode."""
        if self.kind == "sqlite":
            connection = sqlite3.connect(url.removeprefix("sqlite://"), isolation_level=None)
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
            return connection
        import psycopg

        return psycopg.connect(url, autocommit=True)

    def drop(self) -> None:
        """Remove every schema made."""
        if self.kind == "postgresql" and self.schemas:
            import psycopg

            with psycopg.connect(self.dsn, autocommit=True) as connection:
                for schema in self.schemas:
                    connection.execute(f"DROP SCHEMA {schema} CASCADE")


# --- save ----------------------------------------------------------------------------------------


def bench_save(database: Database) -> dict[str, float]:
    """Seconds per save of one event, per bare insert transaction, per eventsourcing insert."""
    url = database.fresh()
    with open_store(url) as store:
        incidents = [store.add(responding(f"INC-{n}")) for n in range(SAVES)]
        changed = [
            incident.post_update(at=at(5), status="investigating", text="Looking") for incident in incidents
        ]
        row = json.dumps(encode_event(changed[0].events[-1]))
        start = time.perf_counter()
        for incident in changed:
            store.save(incident)
        ours = (time.perf_counter() - start) / SAVES
    marker = "?" if database.kind == "sqlite" else "%s"
    connection = database.connect(url)
    connection.execute(
        "CREATE TABLE bare (incident_id TEXT, number INTEGER, data TEXT, PRIMARY KEY (incident_id, number))"
    )
    begin = "BEGIN IMMEDIATE" if database.kind == "sqlite" else "BEGIN"

    def bare() -> None:
        for number in range(SAVES):
            connection.execute(begin)
            connection.execute(
                f"INSERT INTO bare VALUES ({marker}, {marker}, {marker})", (f"INC-{number}", 5, row)
            )
            connection.execute("COMMIT")
            connection.execute("DELETE FROM bare") if number == SAVES - 1 else None

    reference = best(bare, repeat=3) / SAVES
    connection.close()
    figures = {"save": ours, "bare": reference}
    if database.kind == "sqlite":
        figures["eventsourcing"] = _eventsourcing_insert(database, row)
    return figures


def _eventsourcing_insert(database: Database, row: str) -> float:
    """Seconds per insert of one stored event by eventsourcing's SQLite application recorder."""
    try:
        from eventsourcing.persistence import StoredEvent
        from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore
    except ImportError:
        return float("nan")
    path = f"{database.directory}/eventsourcing-{uuid.uuid4().hex}.db"
    recorder = SQLiteApplicationRecorder(SQLiteDatastore(path, originator_id_type="text"))
    recorder.create_table()
    state = row.encode()
    counter = itertools.count()

    def insert() -> None:
        for _ in range(SAVES):
            number = next(counter)
            recorder.insert_events(
                [
                    StoredEvent(
                        originator_id=f"INC-{number}", originator_version=5, topic="update", state=state
                    )
                ]
            )

    return best(insert, repeat=3) / SAVES


# --- get -----------------------------------------------------------------------------------------


def bench_get(database: Database) -> dict[str, float]:
    """Seconds per get of 1,000 events: cold, warm, and the bare read plus replay."""
    url = database.fresh()
    incident = responding("INC-1")
    for minute in range(1_000 - incident.version):
        incident = incident.post_update(at=at(4 + minute), status="investigating", text="Still looking")
    with open_store(url) as store:
        store.add(incident)
    events = incident.events

    def cold() -> None:
        with open_store(url) as store:
            store.get("INC-1")

    def opening() -> None:
        open_store(url).close()

    warm_store = open_store(url)
    warm_store.get("INC-1")
    marker = "?" if database.kind == "sqlite" else "%s"
    connection = database.connect(url)

    def reference() -> None:
        connection.execute(
            f"SELECT data FROM incident_process_events WHERE incident_id = {marker} ORDER BY number",
            ("INC-1",),
        ).fetchall()
        Incident.from_events(events)

    figures = {
        "cold": best(cold, repeat=5) - best(opening, repeat=5),
        "warm": best(lambda: warm_store.get("INC-1"), repeat=5),
        "reference": best(reference, repeat=5),
    }
    warm_store.close()
    connection.close()
    return figures


# --- four writers -------------------------------------------------------------------------------------


_WRITER = """
import sys, time, datetime as dt
from incident_process.store import open_store
url, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
latencies = []
with open_store(url) as store:
    for n in range(count):
        moment = dt.datetime.now(dt.UTC)
        start = time.perf_counter()
        store.update("INC-1", lambda i: i.post_update(at=moment, status="investigating", by=tag,
                                                      idempotency_key=f"{tag}:{n}"), attempts=100)
        latencies.append(time.perf_counter() - start)
print(" ".join(map(str, latencies)))
"""


def bench_writers(database: Database, writers: int = 4, count: int = 50) -> dict[str, float]:
    """Commands per second and latency percentiles of *writers* processes updating one incident."""
    url = database.fresh()
    with open_store(url) as store:
        store.add(responding("INC-1"))
    start = time.perf_counter()
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, url, f"w{n}", str(count)], stdout=subprocess.PIPE, text=True
        )
        for n in range(writers)
    ]
    latencies = []
    for process in processes:
        out, _ = process.communicate(timeout=600)
        latencies += [float(value) for value in out.split()]
    elapsed = time.perf_counter() - start
    with open_store(url) as store:
        stored = store.get("INC-1").version - 4
    assert stored == writers * count, stored  # noqa: S101 - none lost, none twice
    cuts = statistics.quantiles(latencies, n=20)
    return {"per_second": writers * count / elapsed, "p50": statistics.median(latencies), "p95": cuts[18]}


# --- many incidents ---------------------------------------------------------------------------------


def _fill(database: Database, url: str, start: int, stop: int) -> None:
    """Incidents *start* to *stop* - 1 in one transaction: one in ten open, each with a fingerprint."""
    marker = "?" if database.kind == "sqlite" else "%s"
    incidents, events, references = [], [], []
    for number in range(start, stop):
        incident_id = f"INC-{number:07}"
        incident = Incident.detect(
            id=incident_id,
            title="Checkout errors",
            source="automated_alert",
            at=at(number),
            references={"alertmanager.fingerprint": f"fp{number:07}"},
        )
        if number % 10:
            incident = incident.dismiss(at=at(number + 1), reason="false_alarm")
        moment = (
            incident.detected_at
            if database.kind == "postgresql"
            else f"{incident.detected_at:%Y-%m-%dT%H:%M:%S.%fZ}"
        )
        fingerprint = incident.policy.fingerprint
        incidents.append(
            (
                incident_id,
                incident.title,
                incident.phase.value,
                incident.version,
                moment,
                "",
                fingerprint,
                "UTC",
                None,
            )
        )
        chain = chain_start(incident_id)
        for index, event in enumerate(incident.events, start=1):
            text = json.dumps(encode_event(event), sort_keys=True, separators=(",", ":"))
            chain = chained(chain, digest(event))
            events.append((incident_id, index, event.kind, None, digest(event), chain, text))
        references.append((f"fp{number:07}", "alertmanager.fingerprint", incident_id, moment))
    connection = database.connect(url)
    cast = "" if database.kind == "sqlite" else "::jsonb"
    with connection.cursor() if database.kind == "postgresql" else _cursor(connection) as cursor:
        cursor.execute("BEGIN")
        cursor.executemany(
            f"INSERT INTO incident_process_incidents VALUES ({', '.join([marker] * 9)})", incidents
        )
        cursor.executemany(
            "INSERT INTO incident_process_events "
            "(incident_id, number, kind, idempotency_key, digest, chain, data) "
            f"VALUES ({', '.join([marker] * 6)}, {marker}{cast})",
            events,
        )
        cursor.executemany(
            f"INSERT INTO incident_process_references VALUES ({', '.join([marker] * 4)})", references
        )
        cursor.execute("COMMIT")
    connection.close()


class _cursor:  # noqa: N801 - a context manager like psycopg's cursor, for sqlite3
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.cursor = connection.cursor()

    def __enter__(self) -> sqlite3.Cursor:
        return self.cursor

    def __exit__(self, *_: object) -> None:
        self.cursor.close()


def bench_many(database: Database) -> dict[int, dict[str, float]]:
    """Seconds for the first 100 open incidents, and for one find, at each size."""
    url = database.fresh()
    open_store(url).close()  # the tables
    figures: dict[int, dict[str, float]] = {}
    filled = 0
    for size in SIZES:
        _fill(database, url, filled, size)
        filled = size
        with open_store(url) as store:
            wanted = f"fp{size // 2 + 3:07}"
            assert store.find(wanted).id == f"INC-{size // 2 + 3:07}"  # noqa: S101 - finds it
            figures[size] = {
                "open": best(
                    lambda store=store: list(itertools.islice(store.incidents(phases=OPEN_PHASES), 100))
                ),
                "find": best(lambda store=store, wanted=wanted: store.find(wanted), number=20),
            }
    return figures


# --- the report ------------------------------------------------------------------------------------


def report() -> str:
    """Measure on every database available and return the Markdown section."""
    databases = [Database("sqlite")]
    dsn = os.environ.get("INCIDENT_PROCESS_POSTGRES_DSN")
    if dsn:
        databases.append(Database("postgresql", dsn))
    machine = f"CPython {platform.python_version()}, {platform.system()} {platform.machine()}"
    lines = [
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d} on {machine}; SQLite {sqlite3.sqlite_version} "
        "(WAL, `synchronous=FULL`)" + ("; PostgreSQL 15 on the same machine (127.0.0.1)." if dsn else "."),
        "",
        (
            "| Database | `save` one event (us) | bare insert transaction (us) | ratio "
            "| eventsourcing insert (us) |"
        ),
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    results = {}
    try:
        for database in databases:
            results[database.kind] = {
                "save": bench_save(database),
                "get": bench_get(database),
                "writers": bench_writers(database),
                "many": bench_many(database),
            }
    finally:
        for database in databases:
            database.drop()
    for kind, figures in results.items():
        save = figures["save"]
        es = f"{save['eventsourcing'] * 1e6:.0f}" if "eventsourcing" in save else "-"
        lines.append(
            f"| {kind} | {save['save'] * 1e6:.0f} | {save['bare'] * 1e6:.0f} "
            f"| {save['save'] / save['bare']:.2f}x | {es} |"
        )
    lines += [
        "",
        (
            "| Database | `get` of 1,000 events, new store (ms) | again, same store (ms) "
            "| rows + replay (ms) | new / reference | again / reference |"
        ),
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, figures in results.items():
        get = figures["get"]
        lines.append(
            f"| {kind} | {get['cold'] * 1e3:.1f} | {get['warm'] * 1e3:.1f} | {get['reference'] * 1e3:.1f} "
            f"| {get['cold'] / get['reference']:.2f}x | {get['warm'] / get['reference']:.2f}x |"
        )
    lines += [
        "",
        "| Database | 4 writers, one incident: updates per second | `update` p50 (ms) | p95 (ms) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for kind, figures in results.items():
        writers = figures["writers"]
        lines.append(
            f"| {kind} | {writers['per_second']:.0f} | {writers['p50'] * 1e3:.1f} "
            f"| {writers['p95'] * 1e3:.1f} |"
        )
    lines += [
        "",
        "| Database | incidents | first 100 open (ms) | `find` (ms) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for kind, figures in results.items():
        for size, many in figures["many"].items():
            lines.append(f"| {kind} | {size:,} | {many['open'] * 1e3:.2f} | {many['find'] * 1e3:.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the report; with --write, also update docs/performance.md."""
    return run(__doc__.splitlines()[0], "bench_store", "Incident stores", report, argv)


if __name__ == "__main__":
    sys.exit(main())
