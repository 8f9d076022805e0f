"""The stores under test: a SQLite file, and a fresh schema of a real PostgreSQL server.

PostgreSQL comes from ``INCIDENT_PROCESS_POSTGRES_DSN`` (``.ci/postgres``
starts a throwaway server and prints it). Without it the PostgreSQL cases
are skipped, saying so, unless ``INCIDENT_PROCESS_REQUIRE_POSTGRES`` is set
(as CI sets it): then they fail, so a missing server cannot pass unseen.
"""

import os
import uuid
from urllib.parse import quote

import pytest

from incident_process.store import open_store

BACKENDS = ("sqlite", "postgresql")


def _postgres_dsn():
    dsn = os.environ.get("INCIDENT_PROCESS_POSTGRES_DSN")
    if dsn:
        return dsn
    if os.environ.get("INCIDENT_PROCESS_REQUIRE_POSTGRES"):
        pytest.fail("INCIDENT_PROCESS_POSTGRES_DSN is not set, and this run requires PostgreSQL")
    pytest.skip('no PostgreSQL server: set INCIDENT_PROCESS_POSTGRES_DSN (eval "$(.ci/postgres)" starts one)')
    return None


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    """A URL of an empty store of each kind: its own file, or its own PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'incidents.db'}"
        return
    import psycopg

    dsn = _postgres_dsn()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in dsn else "?"
    yield f"{dsn}{separator}options={quote(f'-c search_path={schema}')}"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def open_stores(store_url):
    """Open stores on the same database (each a writer of its own); all are closed after the test."""
    opened = []

    def open_one(**options):
        store = open_store(store_url, **options)
        opened.append(store)
        return store

    yield open_one
    for store in opened:
        store.close()


@pytest.fixture
def store(open_stores):
    """One store, empty."""
    return open_stores()
