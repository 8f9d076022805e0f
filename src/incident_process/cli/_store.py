"""``incident-process store import`` and ``store export``: between record files and a store.

Import reads each record (under the policy given, in the record's zone) and
adds it to the store; a record of an incident the store holds appends the
events the store does not have yet, and one whose history differs from the
stored one is a conflict, reported and not written. Export writes every
incident of the store as a record file, named after its id.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import TextIO

from incident_process.errors import ConflictError, MissingExtraError, StoreError
from incident_process.lifecycle import dump_record
from incident_process.policy import Policy
from incident_process.store import PostgresStore, SQLiteStore, open_store

from ._common import CLEAN, FINDINGS, UNREADABLE, Usage, base_policy, records
from ._output import one_line

__all__ = ["export_records", "import_records"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def _opened(url: str, policy: Policy) -> SQLiteStore | PostgresStore:
    try:
        return open_store(url, policy=policy)
    except (StoreError, MissingExtraError) as error:
        raise Usage(str(error)) from None


def import_records(arguments: argparse.Namespace, out: TextIO) -> int:
    """Add each record to the store, or append what the store does not hold of it."""
    policy = base_policy(arguments.policy)
    store = _opened(arguments.store, policy)
    worst = CLEAN
    with store:
        for file, incident, problem in records(arguments.files, policy):
            name = one_line(file)  # as every line of text shows what came from input (issue 19)
            if incident is None:
                out.write(f"{name}: {one_line(problem)}\n")
                worst = UNREADABLE
                continue
            shown = one_line(incident.id)
            try:
                store.add(incident)
            except ConflictError:
                stored = store.get(incident.id)
                if stored.events == incident.events:
                    out.write(f"{name}: {shown} unchanged ({incident.version} events)\n")
                    continue
                try:
                    store.save(incident)
                except ConflictError:
                    out.write(f"{name}: {shown} conflicts: the store holds another history of it\n")
                    worst = max(worst, FINDINGS)
                    continue
                out.write(f"{name}: {shown} appended {incident.version - stored.version} events\n")
                continue
            out.write(f"{name}: {shown} added ({incident.version} events)\n")
    return worst


def export_records(arguments: argparse.Namespace, out: TextIO) -> int:
    """Write every incident of the store as a record file in the directory."""
    store = _opened(arguments.store, base_policy(arguments.policy))
    directory = Path(arguments.directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        msg = f"{directory}: cannot write records there: {error.strerror or error}"
        raise Usage(msg) from None
    taken: set[str] = set()
    with store:
        for incident in store.incidents():
            stem = _UNSAFE.sub("_", incident.id)
            name, number = stem, 1
            while name.lower() in taken:
                number += 1
                name = f"{stem}-{number}"
            taken.add(name.lower())
            path = directory / f"{name}.json"
            path.write_text(dump_record(incident), encoding="utf-8")
            out.write(f"{one_line(incident.id)}: {one_line(path)} ({incident.version} events)\n")
    return CLEAN
