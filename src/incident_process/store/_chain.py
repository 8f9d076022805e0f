"""How a store proves that a writer's history starts with the stored one: digests and their chain.

Each event's digest is the SHA-256 of its canonical JSON; the chain after an
event is the SHA-256 of the chain before it and the event's digest, starting
from the SHA-256 of the incident's id. Two histories with equal chains at a
length are equal up to it: a save compares one chain, never every event.
"""

from __future__ import annotations

import hashlib
import json
import weakref

from incident_process.events import Event
from incident_process.lifecycle import encode_event

__all__ = ["Digests", "chain_start", "chained", "digest"]


def digest(event: Event) -> str:
    """The SHA-256 of *event*'s canonical JSON (sorted keys, no spaces), as hexadecimal digits."""
    text = json.dumps(encode_event(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def chained(previous: str, event_digest: str) -> str:
    """The chain after an event: the SHA-256 of the chain before it and its digest."""
    return hashlib.sha256(bytes.fromhex(previous) + bytes.fromhex(event_digest)).hexdigest()


def chain_start(incident_id: str) -> str:
    """The chain before an incident's first event."""
    return hashlib.sha256(incident_id.encode()).hexdigest()


class Digests:
    """Each event object's digest, for as long as the object lives (events are immutable)."""

    __slots__ = ("_known",)

    def __init__(self) -> None:
        self._known: dict[int, tuple[weakref.ref[Event], str]] = {}

    def of(self, event: Event) -> str:
        found = self._known.get(id(event))
        if found is not None and found[0]() is event:
            return found[1]
        value = digest(event)
        self.keep(event, value)
        return value

    def keep(self, event: Event, value: str) -> None:
        key = id(event)
        self._known[key] = (weakref.ref(event, lambda _: self._known.pop(key, None)), value)
