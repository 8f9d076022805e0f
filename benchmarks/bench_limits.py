"""Benchmark the readers at their limits: the largest accepted record and policy, and hostile input.

Run from the repository root with the package installed::

    python benchmarks/bench_limits.py            # print the report
    python benchmarks/bench_limits.py --write    # also update docs/performance.md

What is measured (best of several repeats), next to the parser alone on the
same text (``json.loads``, ``tomllib.loads``) as the reference:

* ``loads_record`` for records of 1,500, 15,000 and 150,000 events (the
  last close to the 32 MiB limit of a record file);
* ``loads_policy`` for policies of about 10 KB, 100 KB and 1 MB (the limit of
  a policy file), grown by long lists of internal system names;
* how fast hostile input at the limits is refused: a 1 MB policy of dotted
  keys ``a.a.a...``, a 1 MB policy nested deep, a record with a 5,000-digit
  integer, and a 32 MiB record with one bad event at its end.

Target (issue "Hostile inputs"): the cost per byte stays flat up to the limits
(linear), and refusing hostile input costs no more than reading valid input of
the same size.
"""

from __future__ import annotations

import json
import platform
import sys
import tomllib

from _report import best, run
from bench_records import incident_of
from incident_process import IncidentProcessError, loads_policy
from incident_process.lifecycle import dump_record, loads_record

RECORD_SIZES = (1_500, 15_000, 150_000)
POLICY_NAMES = (300, 3_000, 30_000)


def _policy_text(names: int) -> str:
    """A valid policy whose size grows with *names* internal system names."""
    listed = ", ".join(f'"system_{number:06d}_name"' for number in range(names))
    return f'name = "large"\n\n[communication.external]\ninternal_systems = [{listed}]\n'


def _with_last_time(record: str, time: str) -> str:
    """*record* (JSON text) with the time of its last event replaced by *time*."""
    start = record.rindex('"at": "') + len('"at": "')
    return record[:start] + time + record[record.index('"', start) :]


def _refusal(read: object, text: str) -> float:
    """Seconds to refuse *text* with *read* (which must raise the library's error)."""

    def attempt() -> None:
        try:
            read(text)  # type: ignore[operator]
        except IncidentProcessError:
            return
        msg = "the hostile input was accepted"
        raise AssertionError(msg)

    return best(attempt, repeat=3)


def report() -> str:
    """The Markdown section."""
    lines = [
        f"Measured on CPython {platform.python_version()}, {platform.system()} {platform.machine()}.",
        "",
        "| Input | size | reader (ms) | parser alone (ms) | reader per MB (ms) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    inputs = {
        "record": [
            (f"{size:,} events", dump_record(incident_of(size)), loads_record, json.loads)
            for size in RECORD_SIZES
        ],
        "policy": [
            (f"{names:,} names", _policy_text(names), loads_policy, tomllib.loads) for names in POLICY_NAMES
        ],
    }
    per_mb: dict[str, list[float]] = {kind: [] for kind in inputs}
    for kind, cases in inputs.items():
        for name, text, read, parse in cases:
            seconds = best(lambda text=text, read=read: read(text), repeat=3)
            floor = best(lambda text=text, parse=parse: parse(text), repeat=3)
            megabytes = len(text.encode()) / 1e6
            per_mb[kind].append(seconds / megabytes)
            lines.append(
                f"| {kind}, {name} | {megabytes:.2f} MB | {seconds * 1e3:,.1f} | {floor * 1e3:,.1f} "
                f"| {seconds / megabytes * 1e3:,.0f} |"
            )
    for kind, costs in per_mb.items():
        lines.append("")
        lines.append(
            f"The {kind} reader's cost per MB at the largest size is **{costs[-1] / costs[0]:.2f}x** "
            f"its cost at the smallest (linear: about 1x)."
        )
    big_record = dump_record(incident_of(RECORD_SIZES[-1]))
    hostile = {
        "policy of dotted keys `a.a.a...`, 1 MB": (loads_policy, "a" + ".a" * 499_999 + " = 1\n"),
        "policy nested 500,000 deep, 1 MB": (loads_policy, "x = " + "[" * 500_000 + "]" * 499_990 + "\n"),
        "record with a 5,000-digit integer": (loads_record, '{"schema": ' + "9" * 5000 + "}"),
        "record of 150,000 events, the last one bad": (
            loads_record,
            _with_last_time(big_record, "9999-12-31T23:59:59-14:00"),
        ),
    }
    lines += ["", "| Hostile input | size | refused in (ms) |", "| --- | ---: | ---: |"]
    for name, (read, text) in hostile.items():
        lines.append(f"| {name} | {len(text.encode()) / 1e6:.2f} MB | {_refusal(read, text) * 1e3:,.1f} |")
    lines += ["", f"Python {sys.version.split()[0]}."]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(
        run(__doc__.splitlines()[0], "bench_limits", "Readers at their limits (issue 19)", report)
    )
