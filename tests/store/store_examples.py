"""Incidents for the store tests, and opening a store from what a test or a worker process is given."""

from datetime import UTC, datetime, timedelta

from incident_process import Incident
from incident_process.store import PostgresStore, open_store

T0 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def opened(where, **options):
    """The store at *where*: a ``sqlite:///`` URL, or a PostgreSQL connection string."""
    if where.startswith("sqlite:"):
        return open_store(where, **options)
    return PostgresStore(where, **options)


def detected(incident_id="INC-1", *, minutes=0, fingerprint=None, key=None):
    references = {} if fingerprint is None else {"alertmanager.fingerprint": fingerprint}
    return Incident.detect(
        id=incident_id,
        title="Checkout errors",
        source="automated_alert",
        at=at(minutes),
        references=references,
        idempotency_key=key,
    )


def responding(incident_id="INC-1", *, minutes=0):
    incident = detected(incident_id, minutes=minutes).acknowledge(at=at(minutes + 1), by="ana")
    incident = incident.declare(
        at=at(minutes + 2),
        by="ana",
        declarer_role="on_call_engineer",
        severity="SEV2",
        impact="Checkout fails",
    )
    return incident.start_response(at=at(minutes + 3))
