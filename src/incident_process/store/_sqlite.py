"""The embedded store: one SQLite file, nothing to install or start, safe for several processes.

The file is in WAL mode (readers never wait for the writer) with
``synchronous=FULL`` (a committed event survives a power cut). Writers take
the file's write lock when their transaction begins (``BEGIN IMMEDIATE``), so
one writer at a time reads, checks and appends, in every process; others wait
up to the busy timeout. Each thread has its own connection.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from incident_process._arguments import check_type
from incident_process.errors import StoreError
from incident_process.policy import DEFAULT_POLICY, Policy
from incident_process.timing._moments import utc

from ._schema import Dialect
from ._sql import SqlStore

__all__ = ["SQLiteStore"]

_DIALECT = Dialect(
    name="sqlite",
    placeholder="?",
    position="INTEGER PRIMARY KEY AUTOINCREMENT",
    moment="TEXT",
    json="TEXT",
)


class SQLiteStore(SqlStore):
    """Incidents in a SQLite file: the embedded default (see :mod:`incident_process.store`).

    >>> import tempfile
    >>> from datetime import UTC, datetime
    >>> from incident_process import Incident
    >>> path = tempfile.mkdtemp() + "/incidents.db"
    >>> with SQLiteStore(path) as store:
    ...     t0 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)
    ...     added = store.add(Incident.detect(id="INC-1", title="Errors", source="automated_alert", at=t0))
    ...     store.update("INC-1", lambda incident: incident.acknowledge(at=t0, by="ana")).version
    2

    Args:
        path: The database file; created, with its tables, if it does not
            exist (its folder must). An older layout is migrated on open.
        policy: The policy incidents are judged under (each in its own zone).
        timeout: How long, in seconds, a writer waits for another to finish.

    Raises:
        StoreError: if the file cannot be opened as a store, or was written by
            a newer version of the library.
        TypeError: for an argument of the wrong type, naming it (issue 19, defect 10).
    """

    dialect = _DIALECT

    def __init__(
        self, path: str | os.PathLike[str], *, policy: Policy = DEFAULT_POLICY, timeout: float = 30.0
    ) -> None:
        check_type("path", path, (str, os.PathLike), "a file's path (str or os.PathLike)")
        check_type("policy", policy, Policy, "a Policy")
        check_type("timeout", timeout, (int, float), "seconds (int or float)")
        location = os.fspath(path)
        if location == ":memory:" or location.startswith("file:"):
            msg = (
                f"SQLiteStore: {location!r}: give a file's path (each connection would have its own database)"
            )
            raise StoreError(msg)
        super().__init__(policy=policy, name=location)
        self.path = location
        self._timeout = timeout
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        try:
            self._migrate(self._writing)
        except BaseException:
            self.close()
            raise

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is not None:
            return connection
        try:
            connection = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as error:
            msg = f"{self.path}: cannot open it as an incident store: {error}"
            raise StoreError(msg) from None
        self._local.connection = connection
        with self._lock:
            self._connections.append(connection)
        return connection

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        connection = self._connection()
        cursor = connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            msg = f"{self.path}: could not begin writing within {self._timeout:g} s: {error}"
            raise StoreError(msg) from None
        try:
            yield cursor
        except BaseException:
            connection.rollback() if connection.in_transaction else None
            raise
        else:
            cursor.execute("COMMIT")
        finally:
            cursor.close()

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        cursor = self._connection().cursor()
        try:
            yield cursor
        except sqlite3.DatabaseError as error:
            msg = f"{self.path}: cannot read the store: {error}"
            raise StoreError(msg) from None
        finally:
            cursor.close()

    def _is_unique_violation(self, error: BaseException) -> bool:
        return isinstance(error, sqlite3.IntegrityError) and "UNIQUE" in str(error)

    def _data_in(self, data: Mapping[str, Any], text: str) -> object:  # noqa: ARG002 - TEXT takes the text
        return text

    def _data_out(self, value: object) -> Mapping[str, Any]:
        import json

        data: Mapping[str, Any] = json.loads(value)  # type: ignore[arg-type] # TEXT written by _data_in
        return data

    def _moment_in(self, moment: datetime) -> object:
        return utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # sorts as time does

    def close(self) -> None:
        """Close every connection the store opened (one per thread that used it)."""
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()
        self._local = threading.local()
