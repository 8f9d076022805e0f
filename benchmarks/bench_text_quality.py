"""Measure the text checks' accuracy on real published text: precision and recall per rule.

Run from the repository root with the package installed::

    python benchmarks/bench_text_quality.py                      # print the report
    python benchmarks/bench_text_quality.py --write              # also update docs/performance.md
    python benchmarks/bench_text_quality.py --reference OLD/src  # side by side with another checkout

The corpus is ``tests/corpus/`` (its sources and licences are in
``tests/corpus/SOURCES.md``): real status-page updates labelled sentence by
sentence, and real post-incident documents with their blame and placeholder
spans labelled, all by hand and never by the checks. The scoring is
``tests/corpus/scoring.py``, which the regression test
``tests/comms/test_lint_corpus.py`` shares. ``--reference`` scores the same corpus
with another checkout's ``src`` (for instance the commit before a change), in
a separate process, so both columns come from one run.

Targets (issue "Real inputs"): precision at least 0.95 and recall at least
0.9 per rule. The report says which rules meet them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "corpus"))

import scoring

from _report import run

PRECISION, RECALL = 0.95, 0.9


def counts() -> dict[str, dict[str, int]]:
    """TP, FP, FN, TN per rule over the corpus, with the code that is imported."""
    result: dict[str, Counter[str]] = {}
    for item in scoring.items():
        result.setdefault(item.rule, Counter())[item.outcome] += 1
    return {rule: dict(counter) for rule, counter in result.items()}


def _ratio(good: int, bad: int) -> float | None:
    return good / (good + bad) if good + bad else None


def _shown(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _reference(src: str) -> dict[str, dict[str, int]]:
    """The counts with the package from another checkout's *src*, in a fresh process."""
    environment = {**os.environ, "PYTHONPATH": src}
    output = subprocess.run(
        [sys.executable, __file__, "--counts"], env=environment, capture_output=True, text=True, check=True
    ).stdout
    return dict(json.loads(output))


def report(arguments: argparse.Namespace) -> str:
    """The Markdown section: one row per rule."""
    current = counts()
    reference = _reference(arguments.reference) if arguments.reference else None
    header = "| Rule | Labelled | TP | FP | FN | Precision | Recall | Targets |"
    rule_line = "|---|---:|---:|---:|---:|---:|---:|---|"
    if reference is not None:
        header += " Precision before | Recall before |"
        rule_line += "---:|---:|"
    lines = [header, rule_line]
    for rule, count in current.items():
        tp, fp, fn = count.get("TP", 0), count.get("FP", 0), count.get("FN", 0)
        precision, recall = _ratio(tp, fp), _ratio(tp, fn)
        met = (precision is None or precision >= PRECISION) and (recall is None or recall >= RECALL)
        row = (
            f"| `{rule}` | {tp + fn} | {tp} | {fp} | {fn} | {_shown(precision)} | {_shown(recall)} "
            f"| {'met' if met else 'missed'} |"
        )
        if reference is not None:
            old = reference.get(rule, {})
            old_tp, old_fp, old_fn = old.get("TP", 0), old.get("FP", 0), old.get("FN", 0)
            row += f" {_shown(_ratio(old_tp, old_fp))} | {_shown(_ratio(old_tp, old_fn))} |"
        lines.append(row)
    status = sum(1 for item in scoring.status_items() if item.rule == "status.fix_timeline")
    note = (
        f"Python {sys.version.split()[0]}; {status} status-update sentences scored for fix timelines "
        "(planned-maintenance announcements are left out of the fix-timeline and missing-content rules); "
        "a rule with nothing labelled and nothing found shows n/a."
    )
    lines += ["", note]
    return "\n".join(lines)


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reference", metavar="SRC", help="another checkout's src, scored alongside")


def main() -> int:
    """Print the report, or (``--counts``, used for ``--reference``) the raw counts as JSON."""
    if "--counts" in sys.argv[1:]:
        print(json.dumps(counts()))
        return 0
    return run(
        __doc__.splitlines()[0],
        "text-quality",
        "Text checks on real published text",
        report,
        options=_options,
    )


if __name__ == "__main__":
    raise SystemExit(main())
