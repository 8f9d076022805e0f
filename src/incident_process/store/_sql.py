"""What both stores do, in SQL: one row per event, optimistic concurrency, a change feed in commit order.

:class:`SqlStore` holds every operation; :class:`~incident_process.store.SQLiteStore`
and :class:`~incident_process.store.PostgresStore` supply connections, the
transaction that serializes writers, and how each database takes JSON and
times.

Writers are serialized by the database (SQLite's ``BEGIN IMMEDIATE``;
PostgreSQL's ``LOCK TABLE ... IN EXCLUSIVE MODE`` on the events, which
readers do not wait for), so an event's position is assigned in the order
of commits: a reader of the change feed that has seen position *p* has seen
every event committed before it. Within that transaction, :meth:`SqlStore.save`
checks that the stored history is still a prefix of the incident's: the
incident has at least as many events, and the chain of its events' digests
at the stored length is the stored chain. Comparing the last event alone
would not do: two writers that read version 3 and each appended a different
event, then the same webhook's acknowledgement, end with equal last events
and different histories. Digests are kept per event object, so a save hashes
only the events this process has not seen. The database's unique keys (an
incident and its event number; an incident and an idempotency key; a
detection's idempotency key) refuse what a bug might let through.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from datetime import datetime
from types import TracebackType
from typing import Any, Self

import attrs

from incident_process.errors import (
    ConflictError,
    RecordError,
    ReplayError,
    StoreError,
    UnknownIncidentError,
)
from incident_process.events import AlertLinked, Event
from incident_process.integrations import CORRELATED_PHASES, Alert, AlertApplied, correlate
from incident_process.lifecycle import Incident, decode_event, encode_event
from incident_process.policy import Policy
from incident_process.vocabulary import Phase

from ._alerts import pause, record_alert
from ._chain import Digests, chain_start, chained
from ._schema import LATEST, MIGRATIONS, Dialect

__all__ = ["OPEN_PHASES", "SqlStore"]

#: The phases of an incident that is not over: every phase but closed and dismissed.
OPEN_PHASES = frozenset(phase for phase in Phase if phase not in {Phase.CLOSED, Phase.DISMISSED})

#: How many incidents' decoded events a store keeps for its next reads of them.
_REMEMBERED = 128

#: How many incidents (or events) a streamed read fetches at a time.
_PAGE = 200
_FEED_PAGE = 1_000

Cursor = Any
Transaction = AbstractContextManager[Cursor]


class SqlStore:
    """An incident store on a SQL database; see :mod:`incident_process.store`."""

    dialect: Dialect

    def __init__(self, *, policy: Policy, name: str) -> None:
        self.policy = policy
        self._name = name
        self._zoned: dict[str, Policy] = {policy.zone: policy}
        self._accepted: dict[int, Policy] = {id(policy): policy}
        self._digests = Digests()
        self._decoded: OrderedDict[str, tuple[tuple[Event, ...], str]] = OrderedDict()
        self._cache_lock = threading.Lock()

    # --- what each database supplies ----------------------------------------------------

    def _writing(self) -> Transaction:
        """A transaction that writers take one at a time; commits on success, rolls back on error."""
        raise NotImplementedError

    def _reading(self) -> Transaction:
        """A cursor for reading; each statement sees committed data."""
        raise NotImplementedError

    def _is_unique_violation(self, error: BaseException) -> bool:
        """Whether *error* is the database refusing a row that a unique key already has."""
        raise NotImplementedError

    def _data_in(self, data: Mapping[str, Any], text: str) -> object:
        """An encoded event (as data, and as canonical JSON *text*) as the database stores it."""
        raise NotImplementedError

    def _data_out(self, value: object) -> Mapping[str, Any]:
        """A stored event's data as the JSON object :func:`decode_event` reads."""
        raise NotImplementedError

    def _moment_in(self, moment: datetime) -> object:
        """A time as the database stores it."""
        raise NotImplementedError

    def close(self) -> None:
        """Close the store's connections."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._name!r}, policy={self.policy.identity})"

    # --- the layout ------------------------------------------------------------------------

    def _migrate(self, writing: Callable[[], Transaction]) -> None:
        """Bring the database to :data:`LATEST`, one migration per transaction; refuse a newer one."""
        with writing() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS incident_process_schema (version INTEGER NOT NULL)")
            cursor.execute("SELECT version FROM incident_process_schema")
            row = cursor.fetchone()
            if row is None:
                cursor.execute(
                    self.dialect.sql("INSERT INTO incident_process_schema (version) VALUES (?)"), (0,)
                )
        while True:
            with writing() as cursor:
                cursor.execute("SELECT version FROM incident_process_schema")
                (version,) = cursor.fetchone()
                if version > LATEST:
                    msg = (
                        f"{self._name}: the store is at layout version {version}, written by a newer "
                        f"incident-process; this one reads up to version {LATEST}"
                    )
                    raise StoreError(msg)
                if version == LATEST:
                    return
                statements, step = MIGRATIONS[version]
                for statement in statements:
                    cursor.execute(self.dialect.sql(statement))
                if step is not None:
                    step(cursor, self.dialect)
                cursor.execute(
                    self.dialect.sql("UPDATE incident_process_schema SET version = ?"), (version + 1,)
                )

    # --- the policy ----------------------------------------------------------------------------

    def _policy_in(self, zone: str) -> Policy:
        """The store's policy, in *zone* (an incident's local dates are reckoned in its own zone)."""
        policy = self._zoned.get(zone)
        if policy is None:
            policy = self._zoned[zone] = attrs.evolve(self.policy, zone=zone)
        return policy

    def _accept(self, incident: object, what: str) -> Incident:
        """*incident*, if it is an incident judged under the store's policy (in any zone)."""
        if not isinstance(incident, Incident):
            msg = f"{what}: expected an Incident, got {type(incident).__name__}"
            raise StoreError(msg)
        policy = incident.policy
        if id(policy) not in self._accepted:
            if self._policy_in(policy.zone) != policy:
                msg = (
                    f"{what}: {incident.id} is judged under {policy.identity}, but this store judges under "
                    f"{self.policy.identity}: build incidents with the store's policy (store.policy)"
                )
                raise StoreError(msg)
            self._accepted[id(policy)] = policy
        return incident

    # --- reading -------------------------------------------------------------------------------

    def _decoded_events(
        self, incident_id: str, rows: Iterable[tuple[object, str]], before: int = 0
    ) -> list[Event]:
        """The events of stored rows (data and digest), the first being event number *before* + 1."""
        events = []
        for number, (data, event_digest) in enumerate(rows, start=before + 1):
            try:
                event = decode_event(self._data_out(data))
            except RecordError as error:
                msg = f"{self._name}: {incident_id}, event {number}: {error.problems[0]}"
                raise StoreError(msg) from None
            self._digests.keep(event, event_digest)
            events.append(event)
        return events

    def _build(self, incident_id: str, zone: str, rows: Iterable[tuple[object, str]]) -> Incident:
        """The incident its stored events (and their digests) make, replayed by the rules of history only."""
        return self._replayed(incident_id, zone, self._decoded_events(incident_id, rows))

    def _replayed(self, incident_id: str, zone: str, events: list[Event]) -> Incident:
        try:
            return Incident.from_events(events, policy=self._policy_in(zone), judge=False)
        except ReplayError as error:
            msg = f"{self._name}: {incident_id} does not replay: {error}"
            raise StoreError(msg) from None

    def get(self, incident_id: str) -> Incident:
        """The incident with the id *incident_id*, as its stored events make it.

        Raises:
            UnknownIncidentError: if the store has no such incident.
        """
        with self._reading() as cursor:
            cursor.execute(
                self.dialect.sql("SELECT zone FROM incident_process_incidents WHERE id = ?"), (incident_id,)
            )
            row = cursor.fetchone()
            if row is None:
                msg = f"{self._name}: no incident {incident_id!r}"
                raise UnknownIncidentError(msg, incident_id=incident_id)
            known, chain = self._known_prefix(cursor, incident_id)
            cursor.execute(
                self.dialect.sql(
                    "SELECT data, digest, chain FROM incident_process_events "
                    "WHERE incident_id = ? AND number > ? ORDER BY number"
                ),
                (incident_id, len(known)),
            )
            rows = cursor.fetchall()
        events = known + self._decoded_events(
            incident_id, [(data, digest) for data, digest, _ in rows], len(known)
        )
        if rows:
            chain = rows[-1][2]
        self._remember(incident_id, events, chain)
        return self._replayed(incident_id, row[0], events)

    def _known_prefix(self, cursor: Cursor, incident_id: str) -> tuple[list[Event], str]:
        """The events of *incident_id* decoded before, if the stored history still starts with them.

        A store decodes each stored event once: a service that reads an
        incident on every update then decodes only what was added since.
        The cached events are checked by the chain of digests at their end.
        """
        with self._cache_lock:
            cached = self._decoded.get(incident_id)
        if cached is None:
            return [], ""
        events, chain = cached
        cursor.execute(
            self.dialect.sql(
                "SELECT chain FROM incident_process_events WHERE incident_id = ? AND number = ?"
            ),
            (incident_id, len(events)),
        )
        found = cursor.fetchone()
        if found is None or found[0] != chain:
            with self._cache_lock:
                self._decoded.pop(incident_id, None)
            return [], ""
        return list(events), chain

    def _remember(self, incident_id: str, events: list[Event], chain: str) -> None:
        if not events:
            return
        with self._cache_lock:
            self._decoded[incident_id] = (tuple(events), chain)
            self._decoded.move_to_end(incident_id)
            while len(self._decoded) > _REMEMBERED:
                self._decoded.popitem(last=False)

    def incidents(self, *, phases: Iterable[Phase | str] | None = None) -> Iterator[Incident]:
        """Every incident (or those in *phases*), by id, streamed a page at a time.

        :data:`OPEN_PHASES` asks for the incidents not closed or dismissed.

        Raises:
            StoreError: for a phase that is not one.
        """
        wanted = None if phases is None else _phase_values(phases)
        after = ""
        while True:
            with self._reading() as cursor:
                query = "SELECT id, zone FROM incident_process_incidents WHERE id > ?"
                arguments: list[object] = [after]
                if wanted is not None:
                    if not wanted:
                        return
                    query += f" AND phase IN ({', '.join('?' * len(wanted))})"
                    arguments += wanted
                # The statements are built from markers and constants only; values are parameters.
                cursor.execute(self.dialect.sql(f"{query} ORDER BY id LIMIT {_PAGE}"), arguments)
                page = cursor.fetchall()
                if not page:
                    return
                ids = [incident_id for incident_id, _ in page]
                markers = ", ".join("?" * len(ids))
                cursor.execute(
                    self.dialect.sql(
                        "SELECT incident_id, data, digest FROM incident_process_events "  # noqa: S608
                        f"WHERE incident_id IN ({markers}) ORDER BY incident_id, number"
                    ),
                    ids,
                )
                rows = cursor.fetchall()
            by_incident: dict[str, list[tuple[object, str]]] = {incident_id: [] for incident_id in ids}
            for incident_id, data, event_digest in rows:
                by_incident[incident_id].append((data, event_digest))
            for incident_id, zone in page:
                yield self._build(incident_id, zone, by_incident[incident_id])
            after = ids[-1]

    def find(self, key: str | Alert) -> Incident | None:
        """The incident that *key* identifies: a reference, or an alert by the policy's correlation rule.

        A reference (text) is what a source calls what it saw: an
        Alertmanager fingerprint or group key, a PagerDuty incident id or
        incident key (:attr:`~incident_process.lifecycle.Incident.references`,
        of the detection and of the alerts linked since); the latest incident
        (by detection) that has it, in any phase.

        An :class:`~incident_process.integrations.Alert` is matched as
        :func:`~incident_process.integrations.correlate` matches it, under the
        store's policy: among the incidents that can still take it (detected
        to resolved) that share one of the rule's references, else that have
        the rule's labels and were detected within its window. Both are
        looked up by index: the store never reads every incident.

        Raises:
            StoreError: for a key that is neither non-empty text nor an alert.
        """
        if isinstance(key, Alert):
            return self._correlated(key)
        if not isinstance(key, str) or not key:
            msg = f"find: expected a reference (non-empty text) or an Alert, got {key!r}"
            raise StoreError(msg)
        with self._reading() as cursor:
            cursor.execute(
                self.dialect.sql(
                    "SELECT incident_id FROM incident_process_references WHERE value = ? "
                    "ORDER BY detected_at DESC, incident_id DESC LIMIT 1"
                ),
                (key,),
            )
            row = cursor.fetchone()
        return None if row is None else self.get(row[0])

    def _correlated(self, alert: Alert) -> Incident | None:
        """The incident the policy's correlation rule gives *alert*, from the candidates found by index."""
        rule = self.policy.integrations.correlation
        phases = sorted(phase.value for phase in CORRELATED_PHASES)
        in_phase = f"i.phase IN ({', '.join('?' * len(phases))})"
        names = frozenset(rule.references)
        values = sorted({value for name, value in alert.references if name in names})
        ids: set[str] = set()
        with self._reading() as cursor:
            if values:
                # The statements are built from markers and constants only; values are parameters.
                cursor.execute(
                    self.dialect.sql(
                        "SELECT DISTINCT r.incident_id FROM incident_process_references r "  # noqa: S608
                        "JOIN incident_process_incidents i ON i.id = r.incident_id "
                        f"WHERE r.value IN ({', '.join('?' * len(values))}) AND {in_phase}"
                    ),
                    [*values, *phases],
                )
                ids.update(incident_id for (incident_id,) in cursor.fetchall())
            if rule.labels and not ids:
                cursor.execute(
                    self.dialect.sql(
                        "SELECT i.id FROM incident_process_incidents i "  # noqa: S608
                        f"WHERE {in_phase} AND i.detected_at BETWEEN ? AND ?"
                    ),
                    [
                        *phases,
                        self._moment_in(alert.started_at - rule.within),
                        self._moment_in(alert.started_at + rule.within),
                    ],
                )
                ids.update(incident_id for (incident_id,) in cursor.fetchall())
        return correlate(alert, (self.get(incident_id) for incident_id in sorted(ids)), policy=self.policy)

    def events_since(self, position: int = 0) -> Iterator[tuple[int, str, Event]]:
        """Every event committed after *position* (0: from the start), in commit order.

        Yields ``(position, incident_id, event)``; positions strictly
        increase, so a reader that remembers the last one it handled resumes
        there: a projection, reminders or an export need not poll incidents.

        Raises:
            StoreError: for a position that is not a whole number of at least 0.
        """
        if isinstance(position, bool) or not isinstance(position, int) or position < 0:
            msg = f"events_since: expected a position (a whole number, 0 or more), got {position!r}"
            raise StoreError(msg)
        while True:
            with self._reading() as cursor:
                cursor.execute(
                    self.dialect.sql(
                        "SELECT position, incident_id, number, data FROM incident_process_events "  # noqa: S608
                        f"WHERE position > ? ORDER BY position LIMIT {_FEED_PAGE}"
                    ),
                    (position,),
                )
                rows = cursor.fetchall()
            if not rows:
                return
            for at, incident_id, number, data in rows:
                try:
                    event = decode_event(self._data_out(data))
                except RecordError as error:
                    msg = f"{self._name}: {incident_id}, event {number}: {error.problems[0]}"
                    raise StoreError(msg) from None
                yield at, incident_id, event
            position = rows[-1][0]

    def written_under(self, incident_id: str) -> dict[str, str]:
        """The policy *incident_id* was last written under: its ``name``, ``fingerprint`` and ``zone``.

        Raises:
            UnknownIncidentError: if the store has no such incident.
        """
        with self._reading() as cursor:
            cursor.execute(
                self.dialect.sql(
                    "SELECT policy_name, policy_fingerprint, zone "
                    "FROM incident_process_incidents WHERE id = ?"
                ),
                (incident_id,),
            )
            row = cursor.fetchone()
        if row is None:
            msg = f"{self._name}: no incident {incident_id!r}"
            raise UnknownIncidentError(msg, incident_id=incident_id)
        name, fingerprint, zone = row
        return {"name": name, "fingerprint": fingerprint, "zone": zone}

    def last_position(self) -> int:
        """The position of the latest event committed (0 for an empty store)."""
        with self._reading() as cursor:
            cursor.execute("SELECT MAX(position) FROM incident_process_events")
            (latest,) = cursor.fetchone()
        return int(latest or 0)

    # --- writing -------------------------------------------------------------------------------

    def add(self, incident: Incident) -> Incident:
        """Store a new incident, all its events at once.

        The same detection delivered again (its idempotency key is stored,
        from any process) returns the incident stored for it, whatever its id.

        Raises:
            ConflictError: if an incident with that id exists.
            StoreError: for an incident judged under another policy.
        """
        return self._add(incident, None)

    def _add(self, incident: Incident, alert: Alert | None) -> Incident:
        """:meth:`add`; with *alert*, the incident the alert correlates with instead, if one is stored.

        Writers are serialized, so the check and the insert see every
        incident another writer added before: two replicas that detect one
        problem from two tools at once make one incident.
        """
        incident = self._accept(incident, "add")
        key = incident.detection.idempotency_key
        with self._writing() as cursor:
            stored_id = None
            if key is not None:
                cursor.execute(
                    self.dialect.sql("SELECT id FROM incident_process_incidents WHERE detection_key = ?"),
                    (key,),
                )
                row = cursor.fetchone()
                stored_id = None if row is None else row[0]
            correlated = self._correlated(alert) if alert is not None and stored_id is None else None
            if correlated is not None:
                return correlated
            if stored_id is None:
                cursor.execute(
                    self.dialect.sql("SELECT 1 FROM incident_process_incidents WHERE id = ?"), (incident.id,)
                )
                if cursor.fetchone() is not None:
                    msg = (
                        f"{self._name}: an incident {incident.id!r} exists already: get() it, change that one"
                    )
                    raise ConflictError(msg, incident_id=incident.id)
                self._insert_incident(cursor, incident)
                self._insert_events(cursor, incident, 0, chain_start(incident.id))
        return incident if stored_id is None else self.get(stored_id)

    def save(self, incident: Incident) -> Incident:
        """Append the events of *incident* that the store does not hold yet, all or none.

        Returns *incident*. Saving an incident whose events the store holds
        already changes nothing.

        Raises:
            ConflictError: if the stored history is no longer a prefix of the
                incident's: another writer appended events since it was read.
                Nothing is written; read it again and decide again (or use
                :meth:`update`).
            UnknownIncidentError: if the incident was never added.
            StoreError: for an incident judged under another policy.
        """
        incident = self._accept(incident, "save")
        with self._writing() as cursor:
            cursor.execute(
                self.dialect.sql(
                    "SELECT i.version, e.chain, e.data FROM incident_process_incidents i "
                    "LEFT JOIN incident_process_events e ON e.incident_id = i.id AND e.number = i.version "
                    "WHERE i.id = ?"
                ),
                (incident.id,),
            )
            row = cursor.fetchone()
            if row is None:
                msg = f"{self._name}: no incident {incident.id!r}: add() it first"
                raise UnknownIncidentError(msg, incident_id=incident.id)
            stored = int(row[0])
            chain = self._check_prefix(incident, stored, row[1], row[2])
            if stored == incident.version:
                return incident
            self._insert_events(cursor, incident, stored, chain)
            policy = incident.policy
            cursor.execute(
                self.dialect.sql(
                    "UPDATE incident_process_incidents SET phase = ?, version = ?, policy_name = ?, "
                    "policy_fingerprint = ?, zone = ? WHERE id = ? AND version = ?"
                ),
                (
                    incident.phase.value,
                    incident.version,
                    policy.name,
                    policy.fingerprint,
                    policy.zone,
                    incident.id,
                    stored,
                ),
            )
        return incident

    def update(
        self, incident_id: str, change: Callable[[Incident], Incident], *, attempts: int = 10
    ) -> Incident:
        """Read the incident, apply *change* to it and save the result; on a conflict, all of it again.

        *change* takes the stored incident and returns it with its commands
        applied (or unchanged). It may run more than once, on a newer
        incident each time, so it must decide from what it is given: a
        command with an idempotency key that another writer stored meanwhile
        then changes nothing. Between attempts the store waits a moment,
        longer each time, at random (so that writers that met do not meet
        again).

        Raises:
            ConflictError: if every one of *attempts* met another writer.
            UnknownIncidentError: if there is no such incident.
            StoreError: if *change* does not return that incident, changed or not.
        """
        if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
            msg = f"update: attempts: expected a whole number of at least 1, got {attempts!r}"
            raise StoreError(msg)
        for attempt in range(attempts):
            incident = self.get(incident_id)
            changed = change(incident)
            if not isinstance(changed, Incident) or changed.id != incident_id:
                shown = changed.id if isinstance(changed, Incident) else type(changed).__name__
                msg = (
                    f"update: change must return incident {incident_id!r} (changed or not), returned {shown}"
                )
                raise StoreError(msg)
            if changed is incident:
                return incident
            try:
                return self.save(changed)
            except ConflictError:
                if attempt + 1 == attempts:
                    raise
                pause(attempt)
        raise AssertionError  # pragma: no cover - the loop returns or raises

    def apply_alert(self, alert: Alert, *, id: str, attempts: int = 10) -> AlertApplied:  # noqa: A002
        """Apply *alert* to the incident :meth:`find` gives it (or detect one, with the id *id*); write it.

        :func:`~incident_process.integrations.apply_alert` in the store, with
        the delicate parts handled: a detection another replica added first
        is the stored incident (its idempotency key), to which the alert is
        applied again; a save another writer beat is read and applied again,
        after a growing random pause. Nothing is written when the alert
        changes nothing (delivered again, a suggestion such as ``reopen``, a
        resolved alert with no incident). Returns the result as written.

        Raises:
            ConflictError: if every one of *attempts* met another writer, or
                *id* is another incident's.
            StoreError: for *attempts* that is not a whole number of at least 1.
        """
        return record_alert(self, alert, id=id, attempts=attempts)

    # --- the writes' parts -------------------------------------------------------------------

    def _conflict(self, incident: Incident, why: str) -> ConflictError:
        msg = (
            f"{self._name}: {incident.id} was changed by another writer ({why}); nothing was written: "
            "read it again and decide again, or use update()"
        )
        return ConflictError(msg, incident_id=incident.id)

    def _chain(self, incident: Incident, upto: int) -> str:
        """The chain of the digests of *incident*'s first *upto* events."""
        chain = chain_start(incident.id)
        of = self._digests.of
        for event in incident.events[:upto]:
            chain = chained(chain, of(event))
        return chain

    def _check_prefix(self, incident: Incident, stored: int, stored_chain: str, data: object) -> str:
        """The stored history (its length, chain and last event) is a prefix of *incident*'s; the chain."""
        if stored > incident.version:
            raise self._conflict(
                incident, f"the store holds {stored} events, this incident {incident.version}"
            )
        chain = self._chain(incident, stored)
        if stored == 0:
            return chain
        if stored_chain != chain:
            last = dict(self._data_out(data)) == encode_event(incident.events[stored - 1])
            where = "an earlier event differs" if last else f"its event {stored} differs from the stored one"
            raise self._conflict(incident, where)
        return chain

    def _insert_incident(self, cursor: Cursor, incident: Incident) -> None:
        policy, detection = incident.policy, incident.detection
        detected_at = self._moment_in(incident.detected_at)
        cursor.execute(
            self.dialect.sql(
                "INSERT INTO incident_process_incidents (id, title, phase, version, detected_at, "
                "policy_name, policy_fingerprint, zone, detection_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            ),
            (
                incident.id,
                incident.title,
                incident.phase.value,
                incident.version,
                detected_at,
                policy.name,
                policy.fingerprint,
                policy.zone,
                detection.idempotency_key,
            ),
        )
        if detection.references:
            self._insert_references(cursor, incident, list(detection.references))

    def _insert_events(self, cursor: Cursor, incident: Incident, stored: int, chain: str) -> None:
        """Insert the events after the *stored* first ones, the chain continuing from *chain*."""
        rows = []
        references: set[tuple[str, str]] = set()
        for number, event in enumerate(incident.events[stored:], start=stored + 1):
            if isinstance(event, AlertLinked):
                references.update(event.references)
            encoded = encode_event(event)
            text = json.dumps(encoded, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            event_digest = hashlib.sha256(text.encode()).hexdigest()
            self._digests.keep(event, event_digest)
            chain = chained(chain, event_digest)
            data = self._data_in(encoded, text)
            rows.append((incident.id, number, event.kind, event.idempotency_key, event_digest, chain, data))
        try:
            cursor.executemany(
                self.dialect.sql(
                    "INSERT INTO incident_process_events "
                    "(incident_id, number, kind, idempotency_key, digest, chain, data) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)"
                ),
                rows,
            )
        except Exception as error:
            if self._is_unique_violation(error):
                raise self._conflict(
                    incident, "an event number or idempotency key it writes is stored"
                ) from None
            raise
        if references:
            self._insert_references(cursor, incident, sorted(references))

    def _insert_references(
        self, cursor: Cursor, incident: Incident, references: list[tuple[str, str]]
    ) -> None:
        """Index *references* of *incident* for :meth:`find` (a value it already has is kept once)."""
        cursor.executemany(
            self.dialect.sql(
                "INSERT INTO incident_process_references (value, name, incident_id, detected_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"
            ),
            [(value, name, incident.id, self._moment_in(incident.detected_at)) for name, value in references],
        )


def _phase_values(phases: Iterable[Phase | str]) -> list[str]:
    """The values of *phases* (members or their values), or a StoreError naming the one that is not."""
    if isinstance(phases, str):
        phases = [phases]
    values = []
    for phase in phases:
        try:
            values.append(Phase(phase).value)
        except ValueError:
            known = ", ".join(repr(member.value) for member in Phase)
            msg = f"incidents: phases: expected phases ({known}), got {phase!r}"
            raise StoreError(msg) from None
    return sorted(set(values))
