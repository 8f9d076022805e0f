"""Benchmark the external-message linter on long texts, next to a plain ``re`` scan.

Run from the repository root with the package installed::

    python benchmarks/bench_lint.py            # print the report
    python benchmarks/bench_lint.py --write    # also update docs/performance.md

What is measured (best of several repeats):

* ``lint_external`` over 1 MB and 10 MB of generated status-page text
  (sentences like a status page's, about one in twenty carrying something the
  guide forbids: an internal host, a system name, blame, speculation, a fix
  time, a private address; a few typographic apostrophes and dashes, so the
  Unicode folding path runs too), in seconds per MB;
* the reference: one compiled ``re`` alternation of the policy's internal
  system names, scanned over the same text (what a bare keyword check costs);
* ``lint_external`` over 1 MB inputs of adversarial shapes (runs of dots,
  digits, a URL of a million letters, combining marks), to show no shape
  costs more than a few times ordinary text.

Target (issue 5, part 5): linear time on any input; 10x the input takes at
most 12x the time. A benchmark measures and reports; it never fails.
"""

from __future__ import annotations

import datetime as dt
import platform
import random
import re
import sys
from collections.abc import Callable

from _report import best, run

# Exported from incident_process by the main developer; the private module works either way.
from incident_process import DEFAULT_POLICY, lint_external

MB = 1_000_000

FEATURES = ["checkout", "sign-in", "the dashboard", "API requests", "webhooks", "search", "file uploads"]
SYMPTOMS = ["is failing", "is slow", "is unavailable", "returns errors", "is degraded", "times out"]
WHO = ["some customers", "customers in the EU region", "a small number of users", "all customers"]
CLEAN = [
    "We are aware that {feature} {symptom} for {who}.",
    "We\u2019re investigating reports that {feature} {symptom}.",
    "Our team is looking into elevated errors affecting {feature}.",
    "As a workaround, customers can retry the request \u2014 most retries succeed.",
    "We have identified the cause and are applying a fix.",
    "Next update in {minutes} minutes.",
    "The issue has been resolved and {feature} is operating normally.",
    "We will post the next update at {hour}:30 UTC.",
]
FORBIDDEN = [
    "Engineers saw queue_depth rising on db1.internal.",
    "This was caused by an engineer who pushed a bad config.",
    "We think the cache is probably to blame.",
    "The fix will be deployed by 5pm.",
    "See http://grafana.corp/d/checkout for the graphs.",
    "The node 10.2.3.4 stopped answering.",
]


def status_text(size: int, seed: int = 5) -> str:
    """About *size* characters of status-page sentences, one in twenty forbidden."""
    generator = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    parts: list[str] = []
    length = 0
    while length < size:
        template = generator.choice(FORBIDDEN if generator.random() < 0.05 else CLEAN)
        sentence = template.format(
            feature=generator.choice(FEATURES),
            symptom=generator.choice(SYMPTOMS),
            who=generator.choice(WHO),
            minutes=generator.choice([15, 30, 60]),
            hour=generator.randrange(24),
        )
        separator = "\n\n" if generator.random() < 0.2 else " "
        parts.append(sentence + separator)
        length += len(sentence) + len(separator)
    return "".join(parts)[:size]


ADVERSARIAL: dict[str, Callable[[], str]] = {
    '`"a." * 500_000`': lambda: "a." * 500_000,
    '`"1" * 1_000_000`': lambda: "1" * MB,
    '`"http://" + "a" * 10**6`': lambda: "http://" + "a" * MB,
    '`"." * 10**6`': lambda: "." * MB,
    '`".-" * 500_000`': lambda: ".-" * 500_000,
    '`"caused by " * 100_000`': lambda: "caused by " * 100_000,
    '`"caused by Bob " * 80_000` (names as causes)': lambda: "caused by Bob " * 80_000,
    '`"has been " + "a" * 10**6` (tense)': lambda: "has been " + "a" * MB,
    '`"a" + "\\u0301\\u0316" * 500_000` (combining marks)': lambda: "a" + "\u0301\u0316" * 500_000,
    '`"\\u00ad" * 10**6` (soft hyphens)': lambda: "\u00ad" * MB,
}


def report() -> str:
    """Measure everything and return the Markdown section."""
    systems = DEFAULT_POLICY.communication.external.internal_systems
    reference = re.compile("|".join(map(re.escape, systems)))
    rows = []
    for size in (MB, 10 * MB):
        text = status_text(size)
        findings = len(lint_external(text))
        ours = best(lambda text=text: lint_external(text), repeat=3)
        plain = best(lambda text=text: reference.findall(text), repeat=3)
        rows.append((size, findings, ours, plain))
    (_, _, ours_1, plain_1), (_, _, ours_10, _) = rows
    growth = ours_10 / ours_1
    machine = f"CPython {platform.python_version()}, {platform.system()} {platform.machine()}"
    lines = [
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d} on {machine}.",
        "",
        "| Status-page text | findings | `lint_external` (s/MB) | plain `re` scan (s/MB) | ratio |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for size, findings, ours, plain in rows:
        megabytes = size / MB
        lines.append(
            f"| {megabytes:g} MB | {findings:,} | {ours / megabytes:.3f} | {plain / megabytes:.4f} "
            f"| {ours / plain:.0f}x |"
        )
    verdict = "met" if growth <= 12 else "**not met**"
    lines += [
        "",
        f"10x the text takes **{growth:.1f}x** the time (target: at most 12x): {verdict}.",
        f"The linter costs {ours_1 / plain_1:.0f}x one plain alternation scan: it makes about twenty",
        "passes (one per list of the policy and per kind of address or time), each a compiled",
        "pattern of literal words with possessive repetitions, after folding the text.",
        "",
        "| 1 MB adversarial input | `lint_external` (s) | vs status-page text |",
        "| --- | ---: | ---: |",
    ]
    for name, make in ADVERSARIAL.items():
        text = make()
        seconds = best(lambda text=text: lint_external(text), repeat=2) * MB / len(text)
        lines.append(f"| {name} | {seconds:.2f} | {seconds / ours_1:.1f}x |")
    lines += ["", "No shape makes a pattern backtrack: the worst costs a few times ordinary text."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the report; with --write, also update docs/performance.md."""
    return run(__doc__.splitlines()[0], "bench_lint", "External-message linter", report, argv)


if __name__ == "__main__":
    sys.exit(main())
