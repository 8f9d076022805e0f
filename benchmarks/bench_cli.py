"""Benchmark the command line: ``incident-process --help`` start-up, and ``audit`` over many records.

Run from the repository root with the package installed::

    python benchmarks/bench_cli.py            # print the report
    python benchmarks/bench_cli.py --write    # also update docs/performance.md

What is measured:

* start-up: ``python -c pass``, ``python -c "import attrs, cattrs,
  statemachine, pendulum"`` and the console script ``incident-process --help``,
  each as a fresh subprocess, round-robin after warm-up rounds (``--runs``,
  ``--warmup``); median and 90th percentile wall time, and the ratio of the
  ``--help`` median to the import line's. Target: at most 1.3x.
* audit, in process: records written from the shipped examples
  (``examples/records``, cycled, each with its own incident id; ``--records``)
  are read with ``loads_record`` (JSON parse, structuring and replay), then
  audited as ``incident-process audit`` does beyond reading (the late
  obligations as of ``--now``, the unmet role requirements, and the finding
  entries built from them). Target: auditing a record costs at most 3x
  reading it, so the audit itself is not the bottleneck.
* audit, end to end: the console script ``incident-process audit --format
  json`` over all the record files, as one subprocess (in batches if the
  argument list is too long for the operating system).

A benchmark reports, it does not fail: the exit status is zero whether or not
a target is met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from _report import BenchmarkError, non_negative_int, positive_int, round_robin, write_section
from incident_process import Policy, load_record, loads_policy, loads_record
from incident_process.cli._common import (
    audit_entries as _audit_entries,
)  # exactly what `audit` does with a record it has read
from incident_process.lifecycle import dump_record, unmet_role_requirements

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
POLICY_FILE = EXAMPLES / "policy.toml"
NOW_TEXT = "2026-12-01T00:00:00Z"
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)

HELP_TARGET = 1.3
"""``incident-process --help`` may take at most this multiple of the import line."""
AUDIT_TARGET = 3.0
"""Auditing a loaded record may cost at most this multiple of reading it."""

BARE = "pass"
IMPORT_LINE = "import attrs, cattrs, statemachine, pendulum"


def console_script() -> str:
    """The ``incident-process`` script next to this interpreter, or the one on ``PATH``."""
    script = Path(sys.executable).with_name("incident-process")
    if script.exists():
        return str(script)
    found = shutil.which("incident-process")
    if found is None:
        msg = "the incident-process console script is neither next to Python nor on PATH"
        raise BenchmarkError(msg)
    return found


# --- start-up -------------------------------------------------------------------


def _p90(samples: Sequence[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=10, method="inclusive")[-1]


def startup(runs: int, warmup: int) -> dict[str, list[float]]:
    """Milliseconds per run of each start-up command, timed round-robin after *warmup* rounds."""
    commands = {
        "`python -c pass`": [sys.executable, "-c", BARE],
        f'`python -c "{IMPORT_LINE}"`': [sys.executable, "-c", IMPORT_LINE],
        "`incident-process --help`": [console_script(), "--help"],
    }
    return round_robin(commands, runs, warmup)


# --- audit ----------------------------------------------------------------------


def write_records(directory: Path, count: int, policy: Policy) -> list[Path]:
    """*count* record files in *directory*: the examples in turn, each with its own incident id."""
    examples = [load_record(path, policy=policy) for path in sorted((EXAMPLES / "records").glob("*.json"))]
    templates = [(incident.id, dump_record(incident)) for incident in examples]
    paths = []
    for number in range(count):
        old_id, text = templates[number % len(templates)]
        path = directory / f"INC-B-{number:06d}.json"
        path.write_text(text.replace(f'"{old_id}', f'"INC-B-{number:06d}'), encoding="utf-8")
        paths.append(path)
    check = load_record(paths[-1], policy=policy)  # refuses a record whose ids disagree
    if check.id != paths[-1].stem or not all(event.id.startswith(f"{check.id}:") for event in check.events):
        msg = f"{paths[-1]} does not read back with its new id"
        raise BenchmarkError(msg)
    return paths


def per_item(function: Callable[[object], object], items: Sequence[object], repeat: int) -> float:
    """Microseconds per item of *function* over all *items*, best of *repeat* passes."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter_ns()
        for item in items:
            function(item)
        best = min(best, (time.perf_counter_ns() - start) / len(items) / 1e3)
    return best


def in_process(texts: Sequence[str], policy: Policy, repeat: int) -> dict[str, float]:
    """Microseconds per record: reading, the audit and its two parts."""
    incidents = [loads_record(text, policy=policy) for text in texts]
    for incident in incidents[:3]:
        _audit_entries(incident, NOW)  # warm up: the lazy imports and the business calendar
    return {
        "read": per_item(lambda text: loads_record(text, policy=policy), texts, repeat),
        "audit": per_item(lambda incident: _audit_entries(incident, NOW), incidents, repeat),
        "obligations": per_item(lambda incident: incident.obligations(NOW), incidents, repeat),
        "roles": per_item(unmet_role_requirements, incidents, repeat),
    }


def batches(prefix: Sequence[str], paths: Sequence[Path]) -> list[list[str]]:
    """The audit commands for *paths*: one, or several if the arguments would be too long."""
    limit = os.sysconf("SC_ARG_MAX") // 2 - sum(len(value) for value in os.environ.items()) - 4096
    commands: list[list[str]] = []
    command, size = list(prefix), sum(len(value) + 9 for value in prefix)
    for path in map(str, paths):
        if size + len(path) + 9 > limit and len(command) > len(prefix):
            commands.append(command)
            command, size = list(prefix), sum(len(value) + 9 for value in prefix)
        command.append(path)
        size += len(path) + 9  # the string, its NUL and its pointer
    commands.append(command)
    return commands


def end_to_end(paths: Sequence[Path]) -> tuple[float, int]:
    """Seconds for the console script to audit every file, and the number of batches."""
    prefix = [console_script(), "audit", "--policy", str(POLICY_FILE), "--now", NOW_TEXT, "--format", "json"]
    total, audited = 0.0, 0
    commands = batches(prefix, paths)
    for command in commands:
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        total += time.perf_counter() - start
        if result.returncode not in {0, 1}:
            msg = f"incident-process audit exited with status {result.returncode}:\n{result.stderr.strip()}"
            raise BenchmarkError(msg)
        audited += len(json.loads(result.stdout)["records"])
    if audited != len(paths):
        msg = f"incident-process audit reported {audited} records, not {len(paths)}"
        raise BenchmarkError(msg)
    return total, len(commands)


# --- report ---------------------------------------------------------------------


def _verdict(met: bool) -> str:  # noqa: FBT001
    return "**met**" if met else "**not met**"


def report(arguments: argparse.Namespace) -> str:
    """Measure everything and return the Markdown section."""
    samples = startup(arguments.runs, arguments.warmup)
    medians = {label: statistics.median(values) for label, values in samples.items()}
    bare, imports, cli_help = medians.values()
    help_ratio = cli_help / imports

    policy = loads_policy(POLICY_FILE.read_text(encoding="utf-8"), source=str(POLICY_FILE))
    with tempfile.TemporaryDirectory(prefix="bench_cli-") as directory:
        paths = write_records(Path(directory), arguments.records, policy)
        texts = [path.read_text(encoding="utf-8") for path in paths]
        costs = in_process(texts, policy, arguments.repeat)
        seconds, commands = end_to_end(paths)
    audit_ratio = costs["audit"] / costs["read"]

    count = arguments.records
    machine = f"CPython {platform.python_version()}, {platform.system()} {platform.machine()}"
    batched = (
        "one command"
        if commands == 1
        else f"{commands} commands (the arguments are too long for one), times summed"
    )
    lines = [
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d} on {machine}, {os.cpu_count()} CPUs.",
        (
            "Rerun with `python benchmarks/bench_cli.py --write` "
            "(options: `--runs`, `--warmup`, `--records`, `--repeat`)."
        ),
        "",
        (
            f"Start-up: fresh subprocesses, {arguments.runs} runs of each command round-robin "
            f"after {arguments.warmup} warm-up rounds."
        ),
        "",
        "| Command | Median (ms) | p90 (ms) |",
        "| --- | ---: | ---: |",
        *(f"| {label} | {medians[label]:.1f} | {_p90(values):.1f} |" for label, values in samples.items()),
        "",
        (
            f"Audit: {count:,} records written from the three examples in `examples/records` "
            f"(cycled, each with its own id), audited as of {NOW_TEXT} under `examples/policy.toml`. "
            f"In process, best of {arguments.repeat} passes over all records; end to end, "
            f"`incident-process audit --format json` over all files as {batched}."
        ),
        "",
        "| Measure | Value |",
        "| --- | ---: |",
        f"| read: `loads_record` per record (us) | {costs['read']:.1f} |",
        f"| audit beyond reading per record (us) | {costs['audit']:.1f} |",
        f"| of which `obligations(now)` (us) | {costs['obligations']:.1f} |",
        f"| of which `unmet_role_requirements(incident)` (us) | {costs['roles']:.1f} |",
        f"| `incident-process audit`, {count:,} records (s) | {seconds:.2f} |",
        f"| `incident-process audit`, per record (us) | {seconds / count * 1e6:.1f} |",
        (
            f"| `incident-process audit`, per record above the `--help` start-up (us) "
            f"| {(seconds - commands * cli_help / 1e3) / count * 1e6:.1f} |"
        ),
        "",
        "| Ratio | Value | Target |",
        "| --- | ---: | --- |",
        (
            f"| `incident-process --help` / import line (medians) | {help_ratio:.2f}x "
            f"| at most {HELP_TARGET}x: {_verdict(help_ratio <= HELP_TARGET)} |"
        ),
        (
            f"| audit / read, per record | {audit_ratio:.2f}x "
            f"| at most {AUDIT_TARGET:.0f}x: {_verdict(audit_ratio <= AUDIT_TARGET)} |"
        ),
        "",
        (
            f"`incident-process --help` takes {cli_help:.0f} ms, {help_ratio:.2f}x the "
            f"{imports:.0f} ms of the import line ({bare:.0f} ms for bare Python): the start-up "
            f"target is {'met' if help_ratio <= HELP_TARGET else 'not met'}. "
            f"Auditing a record costs {costs['audit']:.0f} us against {costs['read']:.0f} us to read "
            f"it ({audit_ratio:.2f}x): the audit target is "
            f"{'met' if audit_ratio <= AUDIT_TARGET else 'not met'}."
        ),
        "",
        (
            f"End to end the command spends {seconds / count * 1e6:.0f} us per record, "
            f"{seconds / count * 1e6 / (costs['read'] + costs['audit']):.1f}x reading plus auditing "
            "in process: it also opens and decodes each file, builds the report of every record "
            "and writes it as JSON (records are read and audited one at a time, so memory stays "
            f"flat); start-up is only {cli_help:.0f} ms of the total."
        ),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report; with --write, also update docs/performance.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--runs", type=positive_int, default=20, help="start-up runs per command (default: 20)"
    )
    parser.add_argument("--warmup", type=non_negative_int, default=2, help="warm-up rounds (default: 2)")
    parser.add_argument(
        "--records", type=positive_int, default=10_000, help="records to audit (default: 10000)"
    )
    parser.add_argument("--repeat", type=positive_int, default=3, help="in-process passes (default: 3)")
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    arguments = parser.parse_args(argv)
    try:
        section = report(arguments)
    except BenchmarkError as error:
        print(f"bench_cli: {error}", file=sys.stderr)
        return 2
    print(section)
    if arguments.write:
        write_section("bench_cli", "Command line", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
