"""Score the text checks against the hand-labelled corpus of real published text.

Shared by ``benchmarks/bench_text_quality.py`` (precision and recall per
rule) and ``tests/comms/test_lint_corpus.py`` (no labelled item regresses). The
corpus and its sources are described in ``tests/corpus/SOURCES.md``.

Every outcome is an :class:`Item`: one labelled question ("does sentence 3 of
update X give a fix timeline?", "is blame span Y of document Z found?") with
the truth and what the checks said. Its ``key`` is stable, so the known
mistakes can be kept in ``tests/corpus/baseline.json`` and compared.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from incident_process.comms import lint_external
from incident_process.postincident import validate_postmortem

CORPUS = Path(__file__).resolve().parent
BASELINE = CORPUS / "baseline.json"

#: The labels of a status-update sentence, and the linter rules that answer each.
SENTENCE_RULES = {
    "fix_timeline": ("external.fix_timeline",),
    "speculation": ("external.speculation",),
    "blame": ("external.blame",),
    "internal_system": (
        "external.internal_system",
        "external.internal_host",
        "external.internal_url",
        "external.private_ip",
    ),
}
#: What an update says, and the linter rule that reports it missing.
MISSING_RULES = {
    "acknowledgement": "external.missing_acknowledgement",
    "functionality": "external.missing_functionality",
    "next_update": "external.missing_next_update",
}
#: Labels not measured on planned-maintenance announcements (not incidents).
NOT_FOR_MAINTENANCE = frozenset({"fix_timeline", *MISSING_RULES})


@dataclass(frozen=True)
class Item:
    """One labelled question: *truth* is the label, *found* what the check reported."""

    rule: str
    key: str
    truth: bool
    found: bool

    @property
    def outcome(self) -> str:
        """``TP``, ``FP``, ``FN`` or ``TN``."""
        return {(True, True): "TP", (False, True): "FP", (True, False): "FN", (False, False): "TN"}[
            (self.truth, self.found)
        ]


def status_items() -> Iterator[Item]:
    """The status-update corpus, linted with the default policy, one item per sentence and label."""
    data = json.loads((CORPUS / "status-updates.json").read_text(encoding="utf-8"))
    for update in data["updates"]:
        text, maintenance = update["text"], update["kind"] == "scheduled"
        findings = lint_external(text)
        position = 0
        for number, sentence in enumerate(update["sentences"]):
            start = text.index(sentence["text"], position)
            end = position = start + len(sentence["text"])
            for label, rules in SENTENCE_RULES.items():
                if maintenance and label in NOT_FOR_MAINTENANCE:
                    continue
                found = any(f.rule in rules and f.start < end and f.end > start for f in findings)
                yield Item(f"status.{label}", f"{update['id']}#{number}", label in sentence["labels"], found)
        if maintenance:
            continue
        reported = {finding.rule for finding in findings}
        for said, rule in MISSING_RULES.items():
            yield Item(f"status.missing_{said}", update["id"], not update["says"][said], rule in reported)


def postmortem_items() -> Iterator[Item]:
    """The post-incident corpus: each labelled blame span and placeholder, and each finding off them."""
    for document in sorted((CORPUS / "postmortems").glob("*.md")):
        text = document.read_text(encoding="utf-8")
        labels = json.loads(document.with_suffix(".labels.json").read_text(encoding="utf-8"))
        findings = validate_postmortem(text)
        gold = {
            "blame": [_span(text, item["text"]) for item in labels["blame"]],
            "placeholder": [span for part in labels["placeholders"] for span in _spans(text, part)],
        }
        for label, spans in gold.items():
            found = [(f.start, f.end) for f in findings if f.rule == f"postmortem.{label}"]
            for start, end in spans:
                hit = any(s < end and e > start for s, e in found)
                yield Item(f"postmortem.{label}", f"{document.stem}@{start}", True, hit)
            for start, end in found:
                if not any(start < e and end > s for s, e in spans):
                    yield Item(f"postmortem.{label}", f"{document.stem}@{start}", False, True)


def items() -> list[Item]:
    """Every labelled question of the corpus."""
    return [*status_items(), *postmortem_items()]


def mistakes(scored: list[Item]) -> set[str]:
    """The keys of the wrong answers, as ``rule key outcome``."""
    return {f"{item.rule} {item.key} {item.outcome}" for item in scored if item.outcome in {"FP", "FN"}}


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _spans(text: str, part: str) -> Iterator[tuple[int, int]]:
    start = text.find(part)
    while start >= 0:
        yield start, start + len(part)
        start = text.find(part, start + 1)


def known_mistakes() -> set[str]:
    """The mistakes committed in ``baseline.json``: what the checks are known to get wrong."""
    return set(json.loads(BASELINE.read_text(encoding="utf-8"))["mistakes"])


if __name__ == "__main__":
    # python tests/corpus/scoring.py: write the current mistakes as the new baseline
    note = (
        "The corpus items the text checks get wrong today; tests fail on any other. "
        "Regenerate: python tests/corpus/scoring.py"
    )
    baseline = json.dumps({"description": note, "mistakes": sorted(mistakes(items()))}, indent=2)
    BASELINE.write_text(baseline + "\n", encoding="utf-8")
