"""The post-incident checker on real published documents: no labelled span regresses.

The documents and their hand-made labels are in ``tests/corpus/postmortems/``
(sources and licences in ``tests/corpus/SOURCES.md``); the figures are
``benchmarks/bench_text_quality.py``'s.
"""

import json

import pytest

from corpus import scoring

DOCUMENTS = sorted((scoring.CORPUS / "postmortems").glob("*.md"))


@pytest.fixture(scope="module")
def postmortem_mistakes():
    """The checker's wrong answers on the post-incident corpus today."""
    return scoring.mistakes(list(scoring.postmortem_items()))


def test_no_labelled_span_regresses(postmortem_mistakes):
    """Every wrong answer is a known one: a missed blame span or a new false placeholder fails."""
    known = {key for key in scoring.known_mistakes() if key.startswith("postmortem.")}
    assert sorted(postmortem_mistakes - known) == []


def test_the_baseline_lists_no_mistake_that_is_fixed(postmortem_mistakes):
    """A mistake fixed must leave the baseline."""
    known = {key for key in scoring.known_mistakes() if key.startswith("postmortem.")}
    assert sorted(known - postmortem_mistakes) == []


@pytest.mark.parametrize("document", DOCUMENTS, ids=[document.stem for document in DOCUMENTS])
def test_every_label_is_in_its_document(document):
    """Each labelled blame, not-blame and placeholder text occurs in the document it labels."""
    text = document.read_text(encoding="utf-8")
    labels = json.loads(document.with_suffix(".labels.json").read_text(encoding="utf-8"))
    for item in (*labels["blame"], *labels.get("not_blame", ())):
        assert item["text"] in text
    for placeholder in labels["placeholders"]:
        assert placeholder in text
