"""Folding for matching: the folded text, and the way back to the original's offsets."""

import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from incident_process._folding import _SPECIAL_CLASS, _fold_cluster, fold, fold_phrase

MARKS = 30


def reference(text):
    """Fold one cluster (a character and the marks after it) at a time, keeping each one's span."""
    folded, spans = [], []
    start = 0
    while start < len(text):
        end = start + 1
        while end < len(text) and end - start <= MARKS and unicodedata.combining(text[end]):
            end += 1
        for char in _fold_cluster(text[start:end]):
            folded.append(char)
            spans.append((start, end))
        start = end
    return "".join(folded), spans


tricky = st.text(
    st.sampled_from(
        ["a", "E", " ", "\u0301", "\u0316", "\u00ad", "\u200b", "\ufb01", "\uff21", "\u00df", "\u0130"]
    )
    | st.characters(),
    max_size=40,
)


@given(tricky)
def test_fold_agrees_with_folding_cluster_by_cluster(text):
    """The fast paths give the text and the spans of the plain cluster-by-cluster fold."""
    folded = fold(text)
    expected, spans = reference(text)
    assert folded.text == expected
    assert [folded.original(i, i + 1) for i in range(len(expected))] == spans


@given(tricky, st.data())
def test_a_folded_span_maps_to_the_original_characters_it_came_from(text, data):
    """original(a, b) runs from the first character's cluster start to the last one's cluster end."""
    folded = fold(text)
    if not folded.text:
        return
    a = data.draw(st.integers(0, len(folded.text) - 1))
    b = data.draw(st.integers(a + 1, len(folded.text)))
    start, end = folded.original(a, b)
    assert 0 <= start < end <= len(text)
    assert folded.text[a] in fold(text[start:end]).text
    assert folded.text[b - 1] in fold(text[start:end]).text


def test_examples():
    """Case, fullwidth letters, ligatures, invisible characters, apostrophes."""
    assert fold("DB\u00ad1.\uff23\uff2f\uff32\uff30").text == "db1.corp"
    assert fold("\ufb01xed").text == "fixed"
    assert fold("we\u2019re").text == "we're"
    assert fold("Stra\u00dfe").text == "strasse"
    assert fold_phrase("  We\u2019re \n AWARE ") == "we're aware"


def test_the_fast_path_list_holds_every_format_character():
    """Every Cf character of this Python's Unicode database rules out the fast path (so it is removed)."""
    import re

    special = re.compile(_SPECIAL_CLASS)
    format_characters = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert format_characters
    assert [c for c in format_characters if special.fullmatch(c) is None] == []
    assert all(fold(f"a{c}b").text == "ab" for c in format_characters)


def test_a_letter_with_a_mark_that_does_not_compose_is_one_cluster():
    """Hypothesis found: U+08CA after "0" stays as it is under NFKC, yet the two are one cluster."""
    folded = fold("0\u08ca")
    assert folded.text == "0\u08ca"
    assert [folded.original(i, i + 1) for i in range(2)] == [(0, 2), (0, 2)]
