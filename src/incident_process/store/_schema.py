"""The store's tables, and the migrations that bring an older store up to date on open.

Four tables, prefixed so that they can share a database with others:

``incident_process_schema``
    One row: the version of this layout the database is at.
``incident_process_incidents``
    One row per incident: its id, title, current phase and version (its
    number of events), when it was detected, the policy it was last written
    under (name, fingerprint, zone) and its detection's idempotency key
    (unique: a detection delivered twice is one incident).
``incident_process_events``
    One row per event, append-only: its ``position`` (the change feed's
    order, assigned in commit order), its incident, its number within the
    incident (unique with the incident: two writers cannot both append the
    *n*-th event), its kind, its idempotency key (unique within the incident),
    the event's digest (SHA-256 of its canonical JSON), the chain of digests
    up to it (each the SHA-256 of the previous chain and the event's digest;
    how a writer proves its history starts with the stored one) and the
    event as :func:`~incident_process.lifecycle.encode_event` writes it.
``incident_process_references`` (version 2)
    The references of the detection and of the alerts linked since (an
    alert's fingerprint, a PagerDuty dedup key), for ``find``.

Version 3 indexes the incidents by phase and detection time, for ``find``
of an alert by the policy's correlation rule (its labels within a window).

Each migration runs in its own transaction, serialized between processes
that open the store at once, and records the version it reaches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

__all__ = ["LATEST", "MIGRATIONS", "Dialect", "Migration"]


@attrs.frozen(kw_only=True)
class Dialect:
    """What differs between the databases: the SQL of a few types and statements.

    Attributes:
        name: ``"sqlite"`` or ``"postgresql"``.
        placeholder: The parameter marker (``?``, ``%s``).
        position: The column type of an event's position, assigned in order.
        moment: The column type of a time.
        json: The column type of an event's data.
    """

    name: str
    placeholder: str
    position: str
    moment: str
    json: str

    def sql(self, statement: str) -> str:
        """*statement* with ``?`` markers written as this dialect's, and its types filled in."""
        return (
            statement.replace("{position}", self.position)
            .replace("{moment}", self.moment)
            .replace("{json}", self.json)
            .replace("?", self.placeholder)
        )


#: A migration: the statements that take the layout one version up, then an
#: optional step in Python (with the cursor and the dialect) for the data.
Migration = tuple[Sequence[str], Callable[[object, Dialect], None] | None]

_VERSION_1 = (
    """CREATE TABLE incident_process_incidents (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        phase TEXT NOT NULL,
        version INTEGER NOT NULL,
        detected_at {moment} NOT NULL,
        policy_name TEXT NOT NULL,
        policy_fingerprint TEXT NOT NULL,
        zone TEXT NOT NULL,
        detection_key TEXT UNIQUE
    )""",
    "CREATE INDEX incident_process_incidents_phase ON incident_process_incidents (phase, id)",
    """CREATE TABLE incident_process_events (
        position {position},
        incident_id TEXT NOT NULL REFERENCES incident_process_incidents (id),
        number INTEGER NOT NULL,
        kind TEXT NOT NULL,
        idempotency_key TEXT,
        digest TEXT NOT NULL,
        chain TEXT NOT NULL,
        data {json} NOT NULL,
        UNIQUE (incident_id, number)
    )""",
    """CREATE UNIQUE INDEX incident_process_events_key
        ON incident_process_events (incident_id, idempotency_key) WHERE idempotency_key IS NOT NULL""",
)

_VERSION_2 = (
    """CREATE TABLE incident_process_references (
        value TEXT NOT NULL,
        name TEXT NOT NULL,
        incident_id TEXT NOT NULL REFERENCES incident_process_incidents (id),
        detected_at {moment} NOT NULL,
        PRIMARY KEY (value, incident_id)
    )""",
    "CREATE INDEX incident_process_references_found ON incident_process_references (value, detected_at)",
)


def _reference_existing(cursor: object, dialect: Dialect) -> None:
    """Fill the references of the incidents stored before version 2, from their detections."""
    import json

    execute = cursor.execute  # type: ignore[attr-defined] # a DB-API cursor
    execute(
        dialect.sql(
            "SELECT e.incident_id, e.data, i.detected_at FROM incident_process_events e "
            "JOIN incident_process_incidents i ON i.id = e.incident_id WHERE e.number = 1"
        )
    )
    rows = cursor.fetchall()  # type: ignore[attr-defined]
    insert = dialect.sql(
        "INSERT INTO incident_process_references (value, name, incident_id, detected_at) VALUES (?, ?, ?, ?)"
    )
    for incident_id, data, detected_at in rows:
        detection = json.loads(data) if isinstance(data, str) else data
        for name, value in dict(detection.get("references", {})).items():
            execute(insert, (value, name, incident_id, detected_at))


_VERSION_3 = (
    "CREATE INDEX incident_process_incidents_detected ON incident_process_incidents (phase, detected_at)",
)

#: Every migration, in order: ``MIGRATIONS[0]`` takes an empty database to version 1.
MIGRATIONS: tuple[Migration, ...] = (
    (_VERSION_1, None),
    (_VERSION_2, _reference_existing),
    (_VERSION_3, None),
)

#: The layout this version of the library writes.
LATEST = len(MIGRATIONS)
