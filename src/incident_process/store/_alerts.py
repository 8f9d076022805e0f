"""An alert into a store: find its incident, apply it, write, and all of it again when another writer beat us.

Guide, "1. Detection": one problem is one incident, and a webhook is
delivered at least once, to any replica. :func:`record_alert` is the glue a
service would otherwise write around
:func:`~incident_process.integrations.apply_alert`, with its delicate parts:
the incident is found by the store's policy's correlation rule; a detection
that another replica added first is the stored incident (its detection's
idempotency key), or an incident another replica added for the same
problem while this one decided (the correlation is checked again as the
detection is added, writers serialized), to which the alert is applied
again; a save that another
writer beat is read and applied again, after a growing random pause.
"""

from __future__ import annotations

import random
import time
from typing import TYPE_CHECKING

from incident_process.errors import ConflictError, StoreError
from incident_process.integrations import Alert, AlertApplied, apply_alert

if TYPE_CHECKING:
    from ._sql import SqlStore

__all__ = ["pause", "record_alert"]


def pause(attempt: int) -> None:
    """Wait before attempt *attempt* + 1: a moment, longer each time, at random (writers that met part)."""
    time.sleep(random.uniform(0, min(0.2, 0.002 * 2**attempt)))  # noqa: S311 - jitter, not secrets


def record_alert(store: SqlStore, alert: Alert, *, id: str, attempts: int = 10) -> AlertApplied:  # noqa: A002
    """``store.apply_alert(alert, id=id, attempts=attempts)``; see :meth:`SqlStore.apply_alert`."""
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
        msg = f"apply_alert: attempts: expected a whole number of at least 1, got {attempts!r}"
        raise StoreError(msg)
    for attempt in range(attempts):
        found = store.find(alert)
        applied = apply_alert(alert, found, id=id, policy=store.policy)
        if applied.incident is None or not applied.changed:
            return applied
        try:
            if found is None:
                # Checked again as it is added, with the writers serialized: another replica
                # may have detected the problem (from this alert or another tool's) meanwhile.
                stored = store._add(applied.incident, alert)  # noqa: SLF001 - the store's own package
                if stored == applied.incident:
                    return applied
                # Another replica detected it first: apply the alert to what it stored.
            else:
                store.save(applied.incident)
                return applied
        except ConflictError:
            if attempt + 1 == attempts:
                raise
        pause(attempt)
    msg = f"apply_alert: {attempts} attempts met another writer for alert {alert.identity!r}"
    raise ConflictError(msg, incident_id=id)
