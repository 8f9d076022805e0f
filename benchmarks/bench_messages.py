"""Benchmark rendering the guide's messages, next to ``str.format_map`` of the same text.

Run from the repository root with the package installed::

    python benchmarks/bench_messages.py            # print the report
    python benchmarks/bench_messages.py --write    # also update docs/performance.md

What is measured, for 100,000 update messages (best of several repeats):

* ``str.format_map`` of the update template's text with the same values: the
  reference;
* the template step alone (``MessageTemplates.render``: sandboxed, strict
  Jinja2, every value escaped for Slack), templates compiled once and kept;
* ``render_update`` as a caller uses it: the values it derives from the
  incident (number, status, local times, next update from the cadence), the
  check of missing and unknown fields, then the template step.

Target (issue "Communication"): a render costs at most 10x ``str.format_map``
of the same text.
"""

from __future__ import annotations

import datetime as dt
import platform
import sys

from _report import best, run
from incident_process import Incident, render_update
from incident_process.comms._messages import _shipped

COUNT = 100_000
T0 = dt.datetime(2026, 3, 8, 9, 0, tzinfo=dt.UTC)
FIELDS = {"what_we_know": "A bad deploy at 08:50", "what_we_are_doing": "Rolling back"}
VALUES = {
    **FIELDS,
    "time": "2026-03-08 09:00 UTC",
    "number": 1,
    "status": "Identified",
    "next_update": "2026-03-08 09:30 UTC",
}
FORMAT = (
    "[{time}] Update #{number}\nStatus: {status}\nWhat we know: {what_we_know}\n"
    "What we're doing: {what_we_are_doing}\nNext update: {next_update}"
)


def report() -> str:
    """Measure and return the Markdown section."""
    incident = Incident.detect(id="INC-1", title="Checkout", source="automated_alert", at=T0)
    incident = incident.declare(at=T0, by="ana", declarer_role="on_call_engineer", severity="SEV2")
    incident = incident.post_update(at=T0, status="identified")
    templates = _shipped()
    if render_update(incident, **FIELDS) != templates.render("update", "slack", VALUES):
        msg = "the two renders disagree"
        raise SystemExit(msg)
    reference = best(lambda: FORMAT.format_map(VALUES), number=COUNT)
    step = best(lambda: templates.render("update", "slack", VALUES), number=COUNT // 5)
    full = best(lambda: render_update(incident, **FIELDS), number=COUNT // 5)
    machine = f"CPython {platform.python_version()}, {platform.system()} {platform.machine()}"
    rows = [
        ("`str.format_map` of the same text", reference),
        ("template step: sandboxed, strict Jinja2, values escaped for Slack", step),
        ("`render_update(incident, ...)`: derive the values, check the fields, render", full),
    ]
    lines = [
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d} on {machine}; {COUNT:,} update messages.",
        "",
        "| Render | per message (us) | 100,000 messages (s) | vs `format_map` |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| {name} | {cost * 1e6:.2f} | {cost * COUNT:.2f} | {cost / reference:.1f}x |"
            for name, cost in rows
        ),
        "",
        (
            f"The template step costs **{step / reference:.1f}x** `str.format_map` (target: at most 10x); "
            f"a whole `render_update` {full / reference:.1f}x, the rest being the values it derives from "
            "the incident and the check that no field is missing or unknown."
        ),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the report; with --write, also update docs/performance.md."""
    return run(__doc__.splitlines()[0], "bench_messages", "Messages", report, argv)


if __name__ == "__main__":
    sys.exit(main())
