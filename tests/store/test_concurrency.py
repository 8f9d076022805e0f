"""Writers at once: real processes, a killed writer, and random interleavings of two writers.

Every test runs on a SQLite file and on a real PostgreSQL server.
"""

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import hypothesis
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from store_examples import at, opened, responding

from incident_process import CommandRefusedError
from incident_process.store import ConflictError

HERE = Path(__file__).parent
WORKER = HERE / "worker.py"


def run_workers(*commands):
    """Start every worker at once; wait for all; each must succeed. Their standard outputs."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(HERE.parent)])}
    processes = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, str(WORKER), *map(str, command)],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        outputs.append(out)
    return outputs


def test_four_processes_posting_forty_updates_each_lose_nothing(store_url):
    """4 processes x 40 update() calls, `at` taken before each call: 160 events, none lost, none twice."""
    with opened(store_url) as store:
        store.add(responding())
    run_workers(*[("updates", store_url, "INC-1", 40, f"writer{n}") for n in range(4)])
    with opened(store_url) as store:
        incident = store.get("INC-1")
        feed = list(store.events_since(0))
    updates = [event for event in incident.events if event.kind == "update_posted"]
    keys = [event.idempotency_key for event in updates]
    assert len(updates) == 160
    assert sorted(keys) == sorted(f"writer{w}:{n}" for w in range(4) for n in range(40))
    for writer in range(4):  # each writer's own updates in the order it sent them
        mine = [event.text for event in updates if event.by == f"writer{writer}"]
        assert mine == [f"writer{writer} update {n}" for n in range(40)]
    assert [event for _, _, event in feed] == list(incident.events)
    times = [event.at for event in incident.timeline]
    assert times == sorted(times)  # a late update is where it happened


def _webhook_file(tmp_path):
    alert = {
        "status": "firing",
        "labels": {"alertname": "HighErrorRate", "endpoint": "checkout"},
        "annotations": {"summary": "Checkout error rate above 5%"},
        "startsAt": "2026-08-18T12:00:00.123456789Z",
        "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus:9090/graph",
        "fingerprint": "c0ffee0123456789",
    }
    payload = {"version": "4", "status": "firing", "receiver": "bot", "alerts": [alert], "groupKey": "{}:{}"}
    path = tmp_path / "webhook.json"
    path.write_text(json.dumps(payload))
    return path


def test_a_webhook_delivered_to_two_processes_is_one_incident_of_one_event(store_url, tmp_path):
    """Alertmanager retries to another replica: both handle it, each with its own new id; one incident."""
    payload = _webhook_file(tmp_path)
    first, second = run_workers(
        ("webhook", store_url, payload, "INC-A"), ("webhook", store_url, payload, "INC-B")
    )
    assert first == second
    (again,) = run_workers(("webhook", store_url, payload, "INC-C"))
    assert again == first
    with opened(store_url) as store:
        incidents = list(store.incidents())
    assert len(incidents) == 1
    assert incidents[0].version == 1


def _page_file(tmp_path, group_key="{}:{}"):
    """The PagerDuty webhook of the page Alertmanager's PagerDuty receiver sent for the same group."""
    incident = {
        "id": "Q2XK8A1F9Y",
        "type": "incident",
        "title": "[FIRING:1] HighErrorRate",
        "created_at": "2026-08-18T12:00:40Z",
        "urgency": "high",
        "incident_key": hashlib.sha256(group_key.encode()).hexdigest(),
        "service": {"id": "PCHKOUT", "type": "service_reference", "summary": "Checkout"},
    }
    event = {
        "id": "01DEN8ZQ6B3ZX4EKM1K6DQ0FVE",
        "event_type": "incident.triggered",
        "occurred_at": "2026-08-18T12:00:40Z",
        "data": incident,
    }
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"event": event}))
    return path


def test_alertmanager_and_pagerduty_at_once_on_four_replicas_make_one_incident(store_url, tmp_path):
    """Both tools' webhooks for one problem, each sent to two replicas at once: one incident, both kept."""
    alert, page = _webhook_file(tmp_path), _page_file(tmp_path)
    outputs = run_workers(
        ("webhook", store_url, alert, "INC-A"),
        ("webhook", store_url, page, "INC-B"),
        ("webhook", store_url, alert, "INC-C"),
        ("webhook", store_url, page, "INC-D"),
    )
    assert len({output.strip() for output in outputs}) == 1
    with opened(store_url) as store:
        [incident] = list(store.incidents())
    assert sorted(event.kind for event in incident.events) == ["alert_linked", "detected"]
    assert {"alertmanager.fingerprint", "pagerduty.incident"} <= {name for name, _ in incident.references}


def test_a_writer_killed_in_the_middle_of_a_save_leaves_all_or_nothing(store_url):
    """Kill -9 a writer saving 2,000 events at once: each incident has all of them or none."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(HERE.parent)])}
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(WORKER), "save-loop", store_url],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().startswith("saved 0"), process.stderr.read()
        time.sleep(random.uniform(0.05, 0.6))  # noqa: S311 - somewhere in a save
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        process.stdout.close()
        process.stderr.close()
    with opened(store_url) as store:
        incidents = list(store.incidents())
        assert incidents
        assert {incident.version for incident in incidents} <= {4, 2_004}
        assert sum(incident.version for incident in incidents) == len(list(store.events_since(0)))
        last = incidents[-1]
        more = last.post_update(at=last.events[-1].at, status="identified")
        assert store.save(more) == store.get(last.id)  # the store takes writes again


# --- random interleavings of two writers ------------------------------------------------------------


COMMANDS = st.sampled_from(
    ["update", "milestone", "action", "acknowledge", "late update", "severity"]
)  # SENDS


#: The commands a writer may send, by name: each takes the incident, a moment and who sends it.
SENDS = {
    "update": lambda incident, moment, who: incident.post_update(at=moment, status="investigating", by=who),
    "milestone": lambda incident, moment, _: incident.record_milestone("identified", at=moment),
    "action": lambda incident, moment, who: incident.record_action("rolled back", at=moment, by=who),
    "acknowledge": lambda incident, moment, who: incident.acknowledge(
        at=moment, by=who, idempotency_key="page"
    ),
    "late update": lambda incident, _, who: incident.post_update(at=at(5), status="investigating", by=who),
    "severity": lambda incident, moment, _: incident.change_severity("SEV1", at=moment, reason="spreading"),
}


COMMANDS = st.sampled_from(sorted(SENDS))


def _command(incident, command, minute, who):
    """One command a writer may send; a refused one leaves the incident as it was."""
    try:
        return SENDS[command](incident, at(10 + minute), who)
    except CommandRefusedError:
        return incident


class TwoWriters(RuleBasedStateMachine):
    """Two writers, each with its own store and copy, reading, changing and saving in any order.

    The law: the stored history is the accepted saves, one after the other (some serial order of
    them), with no accepted event missing, and every rejected save wrote nothing.
    """

    def __init__(self, where):
        super().__init__()
        self.where = where
        self.stores = []
        self.copies = []
        self.accepted = []
        self.id = ""

    @initialize()
    def start(self):
        self.stores = [opened(self.where), opened(self.where)]
        self.id = f"INC-{uuid.uuid4().hex[:8]}"  # a new incident for each example, in one store
        incident = self.stores[0].add(responding(self.id))
        self.copies = [incident, incident]
        self.accepted = list(incident.events)

    def teardown(self):
        for store in self.stores:
            store.close()

    @rule(writer=st.integers(0, 1))
    def read(self, writer):
        self.copies[writer] = self.stores[writer].get(self.id)

    @rule(writer=st.integers(0, 1), command=COMMANDS, minute=st.integers(0, 30))
    def change(self, writer, command, minute):
        self.copies[writer] = _command(self.copies[writer], command, minute, f"w{writer}")

    @rule(writer=st.integers(0, 1))
    def save(self, writer):
        copy = self.copies[writer]
        before = len(self.accepted)
        try:
            saved = self.stores[writer].save(copy)
        except ConflictError:
            hypothesis.event("conflict")
            return
        assert list(saved.events[:before]) == self.accepted  # a prefix of what it saved
        self.accepted = list(saved.events)

    @rule(writer=st.integers(0, 1), command=COMMANDS, minute=st.integers(0, 30))
    def update(self, writer, command, minute):
        updated = self.stores[writer].update(
            self.id, lambda incident: _command(incident, command, minute, f"w{writer}")
        )
        assert list(updated.events[: len(self.accepted)]) == self.accepted
        self.accepted = list(updated.events)
        self.copies[writer] = updated

    @invariant()
    def the_store_holds_the_accepted_saves_in_order(self):
        if not self.stores:
            return
        stored = self.stores[0].get(self.id)
        assert list(stored.events) == self.accepted
        feed = [event for _, incident_id, event in self.stores[1].events_since(0) if incident_id == self.id]
        assert feed == self.accepted


def test_random_interleavings_of_two_writers_lose_nothing(store_url):
    """Hypothesis drives two writers on one store: the store is the accepted saves, one after another."""
    machine = type(
        "TwoWritersHere", (TwoWriters,), {"__init__": lambda self: TwoWriters.__init__(self, store_url)}
    )
    hypothesis.stateful.run_state_machine_as_test(
        machine, settings=hypothesis.settings(max_examples=25, stateful_step_count=25, deadline=None)
    )
