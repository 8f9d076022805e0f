"""Blame in a text: the guide's "Do NOT: Blame individuals", read as phrases and as people named as causes.

Guide, "Blameless Culture": "Focus on systems and processes, not
individuals"; "External Communication": "What NOT to communicate
externally: ... Blame or speculation".

Shared by the external linter (:func:`~incident_process.comms.lint_external`)
and the post-incident checker, which both work on folded text (see
``incident_process._folding``). Every look around a match is bounded, so a
pass stays linear in the length of the text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import attrs

from incident_process._folding import Folded, fold_phrase

from ._phrases import Phrases, alternation

__all__ = ["blame_spans", "cause_names", "with_people"]

_WORD_CHAR = re.compile(r"\w")
_WORD = re.compile(r"\w+")
_LOWER_WORD = re.compile(r"(?<![\w\-.])[a-z]++(?![\w\-])")
_WORD_BEFORE = re.compile(r"(?<![\w@])@?\w++\Z")

#: How many words may come between a cause phrase and the person it names
#: ("caused by one of our senior engineers"), or between a person and what they did
#: ("the developer creating the pull request misjudged").
_PERSON_WITHIN_WORDS = 4
#: How far, in characters, a person is looked for before or after a cause.
_PERSON_REACH = 80
_CLAUSE_END = r"[.,;:!?\n]"
#: Before a blame phrase, what makes it general or denied: "any"/"no" just before it, or a
#: negation at most four words before it ("not a process for assigning blame").
_DENIED_BEFORE = (
    r"(?<!\w)(?:(?:any|no|every|each)[\s\W]{0,4}+"
    r"|(?:not|never|no|without)(?!\w)(?:\W{1,4}+\w++){0,4}+\W{0,4}+)\Z"
)
#: After a blame phrase, its verb denied: "is never a root cause", "was not the cause".
_DENIED_AFTER = (
    r"[\W_]{0,4}+(?:(?:is|was|are|were)[\s*_]++(?:never|not)(?!\w)|(?:isn't|wasn't|aren't|weren't)(?!\w))"
)


@attrs.frozen
class _Patterns:
    """The fixed patterns of blame."""

    clause_end: re.Pattern[str]
    denied_before: re.Pattern[str]
    denied_after: re.Pattern[str]


@functools.cache
def _patterns() -> _Patterns:
    """The fixed patterns, compiled on first use (so importing the package stays quick)."""
    return _Patterns(
        clause_end=re.compile(_CLAUSE_END),
        denied_before=re.compile(_DENIED_BEFORE),
        denied_after=re.compile(_DENIED_AFTER),
    )


#: A capitalised name, one or two words, just after a cause phrase, that owns something or ends the
#: clause ("caused by Bob's deploy", "due to Tom Becker."); "caused by Copr having trouble" and "due to
#: Terraform state lock" name things.
_CAUSE_NAME = re.compile(
    r"[ \t]++(?P<name>[A-Z][a-z]++(?:[ \t]++[A-Z][a-z]++)?+)"
    r"(?='s(?!\w)|\u2019s(?!\w)|[ \t]*+(?:[.,;:!?)\n]|\Z)|[ \t]++(?:and|who|when|while|during)(?!\w))"
)
#: Capitalised words that start a phrase but name no one ("due to The ..." in a title, "due to Monday's ...").
_NOT_NAMES = frozenset(
    {"the", "a", "an", "our", "this", "that", "these", "those", "some", "many", "several", "one", "two"}
    | {"all", "each", "every", "any", "no", "we", "it", "its", "their", "they", "he", "she", "his", "her"}
    | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
    | {"january", "february", "march", "april", "may", "june", "july", "august", "september"}
    | {"october", "november", "december"}
)


def cause_names(text: str, folded: Folded, rules: Phrases) -> frozenset[str]:
    """The capitalised names right after a cause phrase in *text* ("caused by Bob"), folded.

    Case is read in the original *text* (folding loses it): a name is one
    or two words each with one capital letter first ("Bob", "Tom Becker";
    not "AWS" nor "GitHub", which name systems and companies), none of them
    a determiner, pronoun, day or month, and none written in lower case
    elsewhere in *text*: people's names keep their capital, so "due to
    Terraform state lock" next to a ``terraform apply`` names a tool.
    """
    if rules.causes is None:
        return frozenset()
    names = set()
    lower: set[str] | None = None
    for match in rules.causes.finditer(folded.text):
        end = folded.original(match.start(), match.end())[1]
        found = _CAUSE_NAME.match(text, end)
        if found is None or found["name"].split()[0].lower() in _NOT_NAMES:
            continue
        if lower is None:
            lower = set(_LOWER_WORD.findall(text))
        if not lower.intersection(found["name"].lower().split()):
            names.add(fold_phrase(found["name"]))
    return frozenset(names)


@functools.lru_cache(maxsize=64)
def with_people(rules: Phrases, names: frozenset[str]) -> re.Pattern[str]:
    """The policy's people, with *names* (folded) as people too."""
    if not names:
        return rules.people
    return re.compile(f"{rules.people.pattern}|{alternation(names, plural=True)}")


def blame_spans(
    text: str,
    rules: Phrases,
    *,
    people: re.Pattern[str] | None = None,
    clause_end: re.Pattern[str] | None = None,
) -> Iterator[tuple[int, int, bool]]:
    """Blame in folded *text*: ``(start, end, names_person)`` for each span, phrases first.

    A blame phrase ("human error", "Bob's mistake": the name before "'s" is
    taken in), unless its sentence says that it is not one, or speaks of
    blame in general ("operator error is never a root cause", "this is not
    a process for assigning blame", "any human error is a symptom"); a cause
    phrase followed, in the same clause and with at most four words in
    between, by a person ("caused by an engineer", "due to @sam"); a person
    at most four words before a blame action in the same clause ("an
    engineer accidentally ...", "the developer creating the pull request
    misjudged ..."). *people* defaults to the policy's (``rules``),
    *clause_end* to the linter's clause breaks; the post-incident checker
    adds action-item owners, the names it finds as causes, and table cells.
    """
    person = rules.people if people is None else people
    breaks = _patterns().clause_end if clause_end is None else clause_end
    if rules.blame is not None:
        yield from _blame_phrases(text, rules.blame, breaks)
    if rules.causes is not None:
        for match in rules.causes.finditer(text):
            after = _person_after(text, match.end(), person, breaks)
            if after is not None:
                yield match.start(), after, True
    if rules.actions is not None:
        for match in rules.actions.finditer(text):
            before = _person_before(text, match.start(), person, breaks)
            if before is not None:
                yield before, match.end(), True


def _blame_phrases(
    text: str, blame: re.Pattern[str], breaks: re.Pattern[str]
) -> Iterator[tuple[int, int, bool]]:
    """The blame phrases of *text* that are not denied or general, with the name before "'s"."""
    for match in blame.finditer(text):
        start, end = match.span()
        if _in_general(text, start, end, breaks):
            continue
        if not _WORD_CHAR.match(text, start):  # "'s fault": take in the name before it
            name = _WORD_BEFORE.search(text, max(0, start - _PERSON_REACH), start)
            start = start if name is None else name.start()
        yield start, end, False


def _in_general(text: str, start: int, end: int, breaks: re.Pattern[str]) -> bool:
    """Whether the clause around ``start:end`` denies the blame or speaks of it in general.

    "any operator error is a symptom", "no human error was involved" (a
    determiner before it), "operator error is never a root cause", "human
    error was not the cause" (its verb denied after it), "this is not a
    process for assigning blame" (a negation at most four words before it).
    "Human error in not knowing ..." stays blame: its negation denies
    something else.
    """
    patterns = _patterns()
    low = max(0, start - _PERSON_REACH)
    ends = [match.end() for match in breaks.finditer(text, low, start)]
    low = ends[-1] if ends else low
    high = min(len(text), end + _PERSON_REACH)
    after = breaks.search(text, end, high)
    high = after.start() if after is not None else high
    return (
        patterns.denied_before.search(text, low, start) is not None
        or patterns.denied_after.match(text, end, high) is not None
    )


def _person_before(text: str, position: int, person: re.Pattern[str], breaks: re.Pattern[str]) -> int | None:
    """The start of a person named within a few words before *position*, in the same clause."""
    low = max(0, position - _PERSON_REACH)
    ends = [match.end() for match in breaks.finditer(text, low, position)]
    low = ends[-1] if ends else low
    found = None
    for match in person.finditer(text, low, position):
        if not _WORD_CHAR.match(text, match.end()):  # a whole word, not cut off
            found = match
    if found is None or len(_WORD.findall(text, found.end(), position)) > _PERSON_WITHIN_WORDS:
        return None
    return found.start()


def _person_after(text: str, position: int, person: re.Pattern[str], breaks: re.Pattern[str]) -> int | None:
    """The end of a person named within a few words after *position*, in the same clause."""
    reach = min(len(text), position + _PERSON_REACH)
    clause_end = breaks.search(text, position, reach)
    limit = reach if clause_end is None else clause_end.start()
    found = person.search(text, position, limit)
    if found is None or _WORD_CHAR.match(text, found.end()):  # cut off by the limit, not a word
        return None
    if len(_WORD.findall(text, position, found.start())) > _PERSON_WITHIN_WORDS:
        return None
    return found.end()
