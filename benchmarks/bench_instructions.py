"""Compare two checkouts by the instructions fixed workloads execute, counted by callgrind.

Wall-clock timings of one machine vary by tens of percent from run to run;
the instructions a program executes do not (same interpreter, same inputs,
``PYTHONHASHSEED=0``, warm bytecode caches). This script runs each workload
below under ``valgrind --tool=callgrind`` with this checkout's interpreter
and, with ``--other``, another checkout's (a virtualenv's ``python`` with
that checkout installed), once with the work done once and once with it done
twice: the difference is the work alone, without the start-up and imports.

Usage::

    python benchmarks/bench_instructions.py [--other PATH/TO/OTHER/python] [--write]

It reads the workloads' own API through the package's namespaces, or, for a
checkout of the flat layout that came before them (0.1.0.dev0, until issue
14), through the top level. It needs valgrind (Debian: ``apt-get install
valgrind``) and takes a few minutes per checkout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKLOADS = (
    "imports",
    "comms_first_use",
    "postincident_first_use",
    "lifecycle",
    "late_replay",
    "obligations",
    "deadlines",
    "messages",
    "lint",
    "detection",
    "postmortem",
    "records",
    "integrations",
    "playbook",
    "quarterly",
    "audit",
)
DESCRIPTIONS = {
    "imports": "`import incident_process`, then every namespace (against bare `python`)",
    "comms_first_use": "first use of `lint_external` (against `import incident_process`)",
    "postincident_first_use": "first use of `validate_postmortem` (against `import incident_process`)",
    "lifecycle": "50 lifecycles of 7 commands; replay of 10,000 events",
    "late_replay": (
        "replay of 10,000 events, one update in ten recorded 1 to 5 places late "
        "(in time order for a checkout without late facts)"
    ),
    "obligations": "`obligations(now)` of a 1,004-event incident, 5 times",
    "deadlines": "20,000 deadlines, 3 business days, US calendar",
    "messages": "2,000 `render_update`",
    "lint": "`lint_external` over 220 KB",
    "detection": "`sustained_breaches` over 200,000 samples",
    "postmortem": "50 `validate_postmortem` of a rendered report",
    "records": "3 `loads_record(dump_record)` of a 1,004-event incident",
    "integrations": "20 100-alert Alertmanager webhooks, 200 `slack_message`, 100 `statuspage_incident`",
    "playbook": "`next_steps` and `response_findings` of a 1,004-event incident",
    "quarterly": "5 quarterly reviews of 500 incidents",
    "audit": "the CLI's audit of the 3 example records (each checkout's own), 100 times",
}
_COLLECTED = re.compile(r"Collected : (\d+)")


# --- the workloads (run in the checkout's own interpreter) ------------------------------------


def _workload(name: str) -> None:  # noqa: C901, PLR0912, PLR0915 - every workload, in one place
    if name == "nothing":
        return  # the interpreter alone: what the imports are counted above
    import incident_process as ip

    if name == "import_only":
        return
    if name == "comms_first_use":
        _ = ip.lint_external
        return
    if name == "postincident_first_use":
        _ = ip.validate_postmortem
        return

    namespaced = "lifecycle" in ip.__all__

    def api(namespace: str, attr: str) -> object:
        return getattr(getattr(ip, namespace), attr) if namespaced else getattr(ip, attr)

    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def at(minutes: float) -> datetime:
        return t0 + timedelta(minutes=minutes)

    def responding(updates: int = 0) -> object:
        incident = ip.Incident.detect(id="INC-1", title="Checkout errors", source="automated_alert", at=at(0))
        incident = incident.acknowledge(at=at(1), by="ana")
        incident = incident.declare(at=at(2), by="ana", declarer_role="on_call_engineer", severity="SEV2")
        incident = incident.start_response(at=at(3))
        events = list(incident.events)
        update = api("events", "UpdatePosted")
        status = api("vocabulary", "UpdateStatus").INVESTIGATING
        audience = api("vocabulary", "Audience").INTERNAL
        for n in range(updates):
            events.append(
                update(id=f"INC-1:{len(events) + 1}", at=at(4 + n), status=status, audience=audience)
            )
        return ip.Incident.from_events(events)

    if name == "imports":
        for namespace in (
            ("lifecycle", "comms", "detection", "response", "postincident", "integrations")
            if namespaced
            else ()
        ):
            getattr(ip, namespace)
        for exported in () if namespaced else ip.__all__:
            getattr(ip, exported)
    elif name == "lifecycle":
        for _ in range(50):
            incident = responding().post_update(at=at(10), status="identified")
            incident = incident.resolve(at=at(60), last_error_at=at(40)).start_post_incident(at=at(61))
            incident.close(at=at(62))
        responding(10_000)
    elif name == "late_replay":
        incident = responding(10_000)
        events = list(incident.events)
        if hasattr(incident, "timeline"):  # a checkout with late facts: one update in ten recorded late
            for position in range(10, len(events) - 6, 10):
                events.insert(position + 1 + position // 10 % 5, events.pop(position))
            update = api("events", "UpdatePosted")
            events = [
                update(id=f"INC-1:{n}", at=event.at, status=event.status, audience=event.audience)
                if isinstance(event, update)
                else event
                for n, event in enumerate(events, start=1)
            ]
        ip.Incident.from_events(events)
    elif name == "obligations":
        incident = responding(1_000)
        for _ in range(5):
            incident.obligations(at(2_000))
    elif name == "deadlines":
        calendar = ip.BusinessCalendar("America/New_York", country="US")
        for n in range(20_000):
            calendar.deadline(t0 + timedelta(hours=7 * n), 3)
    elif name == "messages":
        incident = responding(3)
        for _ in range(2_000):
            ip.render_update(
                incident, what_we_know="Errors on checkout", what_we_are_doing="Rolling back", at=at(9)
            )
    elif name == "lint":
        text = (
            "We are aware that some customers cannot complete checkout. The problem was caused by a "
            "database failover on db1.internal; a fix is expected by 5pm. Next update in 30 minutes.\n"
        ) * 1_200
        ip.lint_external(text)
    elif name == "detection":
        samples = [(t0 + timedelta(seconds=s), 0.07 if s % 1000 < 400 else 0.01) for s in range(200_000)]
        ip.sustained_breaches(samples, threshold=0.05, longer_than=timedelta(minutes=5))
    elif name == "postmortem":
        incident = responding(10).resolve(at=at(100), last_error_at=at(80))
        text = ip.render_postmortem(incident, summary="Checkout failed.", customers_affected="12%")
        for _ in range(50):
            ip.validate_postmortem(text)
    elif name == "records":
        incident = responding(1_000)
        for _ in range(3):
            ip.loads_record(api("lifecycle", "dump_record")(incident))
    elif name == "integrations":
        alert = {
            "status": "firing",
            "labels": {"alertname": "HighErrorRate", "endpoint": "checkout"},
            "annotations": {"summary": "Checkout error rate above 5%"},
            "startsAt": "2026-08-18T12:00:00.123456789Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus:9090/graph",
            "fingerprint": "c0ffee0123456789",
        }
        alerts = [{**alert, "fingerprint": f"{n:016x}"} for n in range(100)]
        payload = {"version": "4", "status": "firing", "receiver": "bot", "alerts": alerts}
        for _ in range(20):
            api("integrations", "parse_alertmanager")(payload)
        incident = responding(3)
        for _ in range(200):
            api("integrations", "slack_message")("declaration", incident, impact="Checkout fails")
        body = "We are aware that some customers cannot check out. Next update in 30 minutes."
        for _ in range(100):
            api("integrations", "statuspage_incident")("update", incident, body=body)
    elif name == "playbook":
        incident = responding(1_000)
        if namespaced:
            api("response", "next_steps")(incident, at(2_000))
            api("response", "response_findings")(incident, at(2_000))
        else:
            incident.next_steps(at(2_000))
            incident.response_findings(at(2_000))
    elif name == "quarterly":
        incidents = []
        for n in range(500):
            start = datetime(2026, 7, 1, tzinfo=UTC) + timedelta(hours=3 * n)
            incident = ip.Incident.detect(id=f"INC-{n}", title="x", source="automated_alert", at=start)
            incident = incident.acknowledge(at=start + timedelta(minutes=2), by="ana")
            incident = incident.declare(
                at=start + timedelta(minutes=3), by="ana", declarer_role="on_call_engineer", severity="SEV3"
            )
            incident = incident.start_response(at=start + timedelta(minutes=4))
            last_error = start + timedelta(minutes=20)
            incidents.append(incident.resolve(at=start + timedelta(minutes=60), last_error_at=last_error))
        for _ in range(5):
            ip.quarterly_review(incidents, quarter="2026Q3")
    elif name == "audit":
        import importlib

        try:  # where each layout keeps the step `audit` takes with every record
            audit_entries = importlib.import_module("incident_process.cli._common").audit_entries
        except ModuleNotFoundError:
            cli = importlib.import_module(
                "incident_process.cli._main" if namespaced else "incident_process._cli"
            )
            audit_entries = cli._audit_entries  # noqa: SLF001 - what `audit` does
        # Each checkout's own examples (an older checkout cannot read a newer record format).
        examples = Path(ip.__file__).resolve().parents[2] / "examples"
        policy = ip.load_policy(examples / "policy.toml")
        texts = [path.read_text() for path in sorted((examples / "records").glob("*.json"))]
        now = datetime(2026, 12, 1, tzinfo=UTC)
        for _ in range(100):
            for text in texts:
                audit_entries(ip.loads_record(text, policy=policy), now)


# --- counting ---------------------------------------------------------------------------------


def _count(python: str, workload: str, times: int) -> int:
    """Instructions of *python* running *workload* *times* times in a fresh process, under callgrind."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONHASHSEED"] = "0"
    command = [python, __file__, "--workload", workload, "--times", str(times)]
    subprocess.run(command, check=True, env=environment, capture_output=True)
    valgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command]
    result = subprocess.run(valgrind, check=True, env=environment, capture_output=True, text=True)
    match = _COLLECTED.search(result.stderr)
    if match is None:
        msg = f"callgrind printed no count for {workload}: {result.stderr[-500:]}"
        raise RuntimeError(msg)
    return int(match[1])


def _work(python: str, workload: str) -> int:
    """Instructions of the workload's work alone: done twice, minus done once.

    Importing happens once, so the imports are counted against the bare
    interpreter instead, and a namespace's first use against the package's import.
    """
    if workload == "imports":
        return _count(python, "imports", 1) - _count(python, "nothing", 1)
    if workload.endswith("_first_use"):
        return _count(python, workload, 1) - _count(python, "import_only", 1)
    return _count(python, workload, 2) - _count(python, workload, 1)


def report(other: str | None) -> str:
    """The Markdown section: instructions per workload, and against the other checkout."""
    ours = {name: _work(sys.executable, name) for name in WORKLOADS}
    theirs = {name: _work(other, name) for name in WORKLOADS} if other else {}
    measured = (
        f"Measured {dt.datetime.now(UTC):%Y-%m-%d} on CPython {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, under valgrind's callgrind "
        "(instructions executed by the work alone: done twice minus done once; `PYTHONHASHSEED=0`)."
    )
    lines = [measured, ""]
    if theirs:
        lines += [
            "| Workload | other (M instructions) | this checkout (M) | change |",
            "| --- | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {DESCRIPTIONS[name]} | {theirs[name] / 1e6:,.1f} | {ours[name] / 1e6:,.1f} | "
            f"{100 * (ours[name] - theirs[name]) / theirs[name]:+.1f}% |"
            for name in WORKLOADS
        ]
    else:
        lines += ["| Workload | M instructions |", "| --- | ---: |"]
        lines += [f"| {DESCRIPTIONS[name]} | {ours[name] / 1e6:,.1f} |" for name in WORKLOADS]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run one workload (``--workload``) or compare the checkouts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--other", help="the python of another checkout to compare with")
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    parser.add_argument("--workload", choices=(*WORKLOADS, "nothing", "import_only"), help=argparse.SUPPRESS)
    parser.add_argument("--times", type=int, default=1, help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.workload:
        for _ in range(arguments.times):
            _workload(arguments.workload)
        return 0
    section = report(arguments.other)
    print(section)
    if arguments.write:
        from _report import write_section

        write_section("bench_instructions", "Instructions, checkout against checkout", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
