"""The external linter on real status-page updates: no labelled sentence regresses.

The corpus, its labels and sources are in ``tests/corpus/``; the figures per
rule are ``benchmarks/bench_text_quality.py``'s. A mistake not in the
committed baseline fails here; fixing one means removing it from the baseline
(``python tests/corpus/scoring.py`` rewrites it).
"""

import json

import pytest

from corpus import scoring

UPDATES = json.loads((scoring.CORPUS / "status-updates.json").read_text(encoding="utf-8"))["updates"]


@pytest.fixture(scope="module")
def status_mistakes():
    """The linter's wrong answers on the status-update corpus today."""
    return scoring.mistakes(list(scoring.status_items()))


def test_no_labelled_sentence_regresses(status_mistakes):
    """Every wrong answer is a known one: a regression on any labelled sentence or update fails."""
    known = {key for key in scoring.known_mistakes() if key.startswith("status.")}
    assert sorted(status_mistakes - known) == []


def test_the_baseline_lists_no_mistake_that_is_fixed(status_mistakes):
    """A mistake fixed must leave the baseline, so the baseline never hides a later regression."""
    known = {key for key in scoring.known_mistakes() if key.startswith("status.")}
    assert sorted(known - status_mistakes) == []


@pytest.mark.parametrize("update", UPDATES, ids=[update["id"] for update in UPDATES])
def test_the_corpus_is_well_formed(update):
    """Each sentence is in its update, in order; labels and what an update says use the known names."""
    position = 0
    for sentence in update["sentences"]:
        position = update["text"].index(sentence["text"], position) + len(sentence["text"])
        assert set(sentence["labels"]) <= set(scoring.SENTENCE_RULES)
    assert set(update["says"]) == set(scoring.MISSING_RULES)
