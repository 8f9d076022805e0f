"""Where a service keeps its incidents: SQLite embedded by default, PostgreSQL for a fleet.

Guide, "Incident Lifecycle": an incident is the sequence of its events, and
a service that embeds the library (a chat bot, a paging bridge, a status
tool) must keep them somewhere, with several writers, restarts and webhooks
delivered twice or late. Both stores keep one row per event
(:func:`~incident_process.lifecycle.encode_event`), append-only, and pass the
same contract tests:

- :meth:`~SQLiteStore.add` a new incident, :meth:`~SQLiteStore.get` it back,
  :meth:`~SQLiteStore.save` the events it does not hold yet (all or none;
  :class:`~incident_process.errors.ConflictError` when another writer wrote
  first), or :meth:`~SQLiteStore.update` it (read, change, save; on a
  conflict, again);
- :meth:`~SQLiteStore.incidents` streams them (by phase),
  :meth:`~SQLiteStore.find` the one a reference or an alert belongs to (by
  the policy's correlation rule), and :meth:`~SQLiteStore.apply_alert`
  applies a webhook's alert to it, or detects a new incident, whatever
  other replicas do meanwhile;
- idempotency keys hold across processes: the same detection delivered to
  two replicas is one incident, and a command whose key another writer
  stored changes nothing when :meth:`~SQLiteStore.update` runs it again;
- :meth:`~SQLiteStore.events_since` is a change feed in commit order;
- each incident keeps the identity of the policy it was written under, and
  reading never re-judges its history; a store opened by a newer library
  migrates its own tables.

The domain stays pure: this namespace is the only one that does I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

from incident_process._arguments import check_type
from incident_process.policy import DEFAULT_POLICY, Policy

from ..errors import ConflictError, StoreError, UnknownIncidentError  # noqa: TID252 - re-exported here
from ._postgres import PostgresStore
from ._schema import LATEST as SCHEMA_VERSION
from ._sql import OPEN_PHASES
from ._sqlite import SQLiteStore

if TYPE_CHECKING:
    from incident_process.events import Event
    from incident_process.integrations import Alert, AlertApplied
    from incident_process.lifecycle import Incident
    from incident_process.vocabulary import Phase

__all__ = [
    "OPEN_PHASES",
    "SCHEMA_VERSION",
    "ConflictError",
    "IncidentStore",
    "PostgresStore",
    "SQLiteStore",
    "StoreError",
    "UnknownIncidentError",
    "open_store",
]


class IncidentStore(Protocol):
    """What both stores do: type a service's code against this, and choose the store in one place."""

    policy: Policy

    def add(self, incident: Incident) -> Incident:
        """Store a new incident."""

    def get(self, incident_id: str) -> Incident:
        """The stored incident."""

    def save(self, incident: Incident) -> Incident:
        """Append the incident's events the store does not hold."""

    def update(
        self, incident_id: str, change: Callable[[Incident], Incident], *, attempts: int = 10
    ) -> Incident:
        """Read, change and save, again on a conflict."""

    def incidents(self, *, phases: Iterable[Phase | str] | None = None) -> Iterator[Incident]:
        """Every incident, or those in *phases*, streamed."""

    def find(self, key: str | Alert) -> Incident | None:
        """The incident a reference or an alert belongs to."""

    def apply_alert(self, alert: Alert, *, id: str, attempts: int = 10) -> AlertApplied:  # noqa: A002
        """Apply an alert to its incident, or detect one, and write it; again on a conflict."""

    def events_since(self, position: int = 0) -> Iterator[tuple[int, str, Event]]:
        """Every event committed after *position*, in commit order."""

    def last_position(self) -> int:
        """The position of the latest event committed."""

    def written_under(self, incident_id: str) -> dict[str, str]:
        """The policy the incident was last written under: name, fingerprint, zone."""

    def close(self) -> None:
        """Close the store's connections."""


def open_store(url: str, *, policy: Policy = DEFAULT_POLICY) -> SQLiteStore | PostgresStore:
    """The store a URL names: ``sqlite:///path/to/file.db`` (``sqlite:relative.db``) or ``postgresql://...``.

    Raises:
        StoreError: for a URL of another kind, or a store that cannot be opened.
        TypeError: for an argument of the wrong type, naming it (issue 19, defect 10).
    """
    check_type("url", url, str, "a store URL (str)")
    check_type("policy", policy, Policy, "a Policy")
    if url.startswith("sqlite:"):
        path = url.removeprefix("sqlite:")
        path = path.removeprefix("//") if path.startswith("//") else path
        if not path:
            msg = f"store URL {url!r}: no file; expected sqlite:///path/to/file.db"
            raise StoreError(msg)
        return SQLiteStore(path, policy=policy)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresStore(url, policy=policy)
    msg = f"store URL {url!r}: expected sqlite:///path/to/file.db or postgresql://user@host/database"
    raise StoreError(msg)
