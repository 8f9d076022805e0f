"""The store for a fleet: PostgreSQL, for several hosts sharing one database (psycopg 3).

Install the extra: ``pip install 'incident-process[postgres]'``. Writers
take ``LOCK TABLE incident_process_events IN EXCLUSIVE MODE`` at the start of
their transaction: one writer at a time reads, checks and appends (readers do
not wait), so the events' positions are assigned in commit order, which the
change feed needs (a position taken by one transaction and committed after a
later one would be skipped by a reader). Opening the store takes a
transaction-scoped advisory lock while it migrates, so hosts that start at
once migrate once. Each thread has its own connection.
"""

from __future__ import annotations

import threading
import types
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from incident_process._arguments import check_type
from incident_process.errors import MissingExtraError, StoreError
from incident_process.policy import DEFAULT_POLICY, Policy

from ._schema import Dialect
from ._sql import SqlStore

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresStore"]

_DIALECT = Dialect(
    name="postgresql",
    placeholder="%s",
    position="BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    moment="TIMESTAMPTZ",
    json="JSONB",
)

#: The advisory lock every opener takes while migrating (an arbitrary constant: "incident").
_MIGRATION_LOCK = 0x1C1DE47


def _psycopg() -> types.ModuleType:
    try:
        import psycopg
    except ImportError:
        msg = "PostgresStore needs psycopg 3: pip install 'incident-process[postgres]'"
        raise MissingExtraError(msg) from None
    return psycopg


class PostgresStore(SqlStore):
    """Incidents in a PostgreSQL database, shared by several hosts (see :mod:`incident_process.store`).

    Args:
        dsn: A libpq connection string or URL
            (``"postgresql://bot@db.internal/incidents"``).
        policy: The policy incidents are judged under (each in its own zone).
        timeout: How long, in seconds, a writer waits for another to finish
            before giving up with a :class:`~incident_process.errors.StoreError`.

    Raises:
        MissingExtraError: if psycopg is not installed.
        StoreError: if the database cannot be reached or was written by a
            newer version of the library.
        TypeError: for an argument of the wrong type, naming it (issue 19, defect 10).
    """

    dialect = _DIALECT

    def __init__(self, dsn: str, *, policy: Policy = DEFAULT_POLICY, timeout: float = 30.0) -> None:
        check_type("dsn", dsn, str, "a connection string or URL (str)")
        check_type("policy", policy, Policy, "a Policy")
        check_type("timeout", timeout, (int, float), "seconds (int or float)")
        self._psycopg = _psycopg()
        super().__init__(policy=policy, name=_without_password(dsn))
        self._dsn = dsn
        self._timeout = timeout
        self._local = threading.local()
        self._connections: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()
        try:
            self._migrate(self._migrating)
        except BaseException:
            self.close()
            raise

    def _connection(self) -> psycopg.Connection[Any]:
        connection: psycopg.Connection[Any] | None = getattr(self._local, "connection", None)
        if connection is not None and not connection.closed:
            return connection
        try:
            connection = self._psycopg.connect(self._dsn, autocommit=True)
        except self._psycopg.Error as error:
            msg = f"{self._name}: cannot connect: {str(error).strip()}"
            raise StoreError(msg) from None
        self._local.connection = connection
        with self._lock:
            self._connections.append(connection)
        return connection

    @contextmanager
    def _transaction(self, first: str) -> Iterator[Any]:
        """A transaction in pipeline mode: statements go out without waiting, until a result is read.

        A save is then two round trips to the server (begin, lock and read;
        append, update and commit) instead of one per statement.
        """
        connection = self._connection()
        try:
            with connection.pipeline(), connection.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute(f"SET LOCAL lock_timeout = '{int(self._timeout * 1000)}ms'")
                cursor.execute(first)
                try:
                    yield cursor
                except BaseException:
                    cursor.execute("ROLLBACK")
                    raise
                cursor.execute("COMMIT")
        except self._psycopg.errors.UniqueViolation as error:  # the lock holds writers off: a bug, named
            msg = f"{self._name}: a row the store writes is taken: {str(error).strip()}"
            raise StoreError(msg) from None
        except self._psycopg.errors.LockNotAvailable as error:
            msg = f"{self._name}: could not begin writing within {self._timeout:g} s: {str(error).strip()}"
            raise StoreError(msg) from None
        except self._psycopg.OperationalError as error:
            msg = f"{self._name}: {str(error).strip()}"
            raise StoreError(msg) from None

    def _writing(self) -> AbstractContextManager[Any]:
        return self._transaction("LOCK TABLE incident_process_events IN EXCLUSIVE MODE")

    def _migrating(self) -> AbstractContextManager[Any]:
        return self._transaction(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        try:
            with self._connection().cursor() as cursor:
                yield cursor
        except self._psycopg.OperationalError as error:
            msg = f"{self._name}: {str(error).strip()}"
            raise StoreError(msg) from None

    def _is_unique_violation(self, error: BaseException) -> bool:
        return isinstance(error, self._psycopg.errors.UniqueViolation)

    def _data_in(self, data: Mapping[str, Any], text: str) -> object:  # noqa: ARG002 - JSONB takes the data
        from psycopg.types.json import Jsonb

        return Jsonb(data)

    def _data_out(self, value: object) -> Mapping[str, Any]:
        data: Mapping[str, Any] = value  # type: ignore[assignment] # psycopg reads JSONB as dict
        return data

    def _moment_in(self, moment: datetime) -> object:
        return moment

    def close(self) -> None:
        """Close every connection the store opened (one per thread that used it)."""
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()
        self._local = threading.local()


def _without_password(dsn: str) -> str:
    """*dsn* as error messages show it: without a password."""
    import re

    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", re.sub(r"(password\s*=\s*)\S+", r"\1***", dsn))
