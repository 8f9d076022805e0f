"""The policy's phrases as patterns: whole words, folded, each list one alternation.

Guide, "What to communicate externally" and "What NOT to communicate
externally": the words and names of the policy's ``communication.external``
group (blame, people, causes, speculation, fixes, internal systems, ...),
compiled once per policy. The texts they are matched in are folded first
(:mod:`incident_process._folding`), so the phrases are written as they are
matched: lower case, single spaces. Every pattern is an alternation of
literal phrases with possessive runs, so matching stays linear in the text.
Shared by the external linter and the post-incident document's blame check.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from incident_process.policy import ExternalCommunication

if TYPE_CHECKING:
    from ipaddress import IPv4Network, IPv6Network

    _Network = IPv4Network | IPv6Network

__all__ = ["HANDLE", "Phrases", "alternation", "compiled_phrases"]

_WORD_CHAR = re.compile(r"\w")
#: An @-mention: a person, wherever it stands.
HANDLE = r"@\w++(?:[.\-]\w++)*+"
_UPDATE_WORD = r"(?<!\w)updates?(?!\w)"


def _phrase_pattern(phrase: str, *, loose: bool = False, plural: bool = False) -> str:
    """A phrase as a pattern that ends at a word's end; a space matches any run of white space.

    A hyphen also matches white space; with *loose*, an underscore, hyphen or
    dot matches any of the three (``queue_depth``, ``queue-depth``,
    ``queue.depth``), but not white space: a system's name written as words
    ("queue depth") is ordinary English; with *plural*, ``s``, ``'s`` or
    ``s'`` may follow. That the phrase starts at a word's start is up to
    :func:`alternation`.
    """
    parts = []
    for char in phrase:
        if char == " ":
            parts.append(r"\s++")
        elif loose and char in "_.-":
            parts.append(r"[_.\-]")
        elif char == "-":
            parts.append(r"(?:-|\s++)")
        else:
            parts.append(re.escape(char))
    body = "".join(parts)
    if plural:
        body += "(?:'s|s'|s)?"
    if _WORD_CHAR.match(phrase[-1]):
        body += r"(?!\w)"
    return body


def alternation(phrases: Iterable[str], *, loose: bool = False, plural: bool = False) -> str:
    """One pattern for all *phrases*, as whole words; the longest wins where two start together.

    The phrases that start with a letter or digit share one look-behind for
    the start of a word: a look-behind in front of each alternative would
    keep the regular expression engine from skipping quickly to the places
    where a phrase can start, and costs ten times as much.
    """
    ordered = sorted(set(phrases), key=lambda phrase: (-len(phrase), phrase))
    words = [_phrase_pattern(p, loose=loose, plural=plural) for p in ordered if _WORD_CHAR.match(p)]
    others = [_phrase_pattern(p, loose=loose, plural=plural) for p in ordered if not _WORD_CHAR.match(p)]
    groups = []
    if words:
        groups.append(rf"(?<!\w)(?:{'|'.join(words)})")
    if others:
        groups.append(f"(?:{'|'.join(others)})")
    return "|".join(groups)


def _compile(pattern: str) -> re.Pattern[str] | None:
    """*pattern* compiled, or ``None`` for an empty list of phrases."""
    return re.compile(pattern) if pattern else None


@attrs.frozen
class Phrases:
    """The policy's lists as compiled patterns (``None`` for an empty list)."""

    domains: tuple[str, ...]
    suffixes: tuple[str, ...]
    networks: tuple[_Network, ...]
    systems: re.Pattern[str] | None
    blame: re.Pattern[str] | None
    people: re.Pattern[str]
    causes: re.Pattern[str] | None
    actions: re.Pattern[str] | None
    speculation: re.Pattern[str] | None
    fixes: re.Pattern[str] | None
    updates: re.Pattern[str]
    acknowledgement: re.Pattern[str] | None
    functionality: re.Pattern[str] | None
    next_update: re.Pattern[str] | None


@functools.lru_cache(maxsize=16)
def compiled_phrases(external: ExternalCommunication) -> Phrases:
    """Compile the policy's lists once per policy."""
    import ipaddress

    people = "|".join(filter(None, [HANDLE, alternation(external.people, plural=True)]))
    next_update = alternation(external.next_update_phrases)
    return Phrases(
        domains=external.internal_domains,
        suffixes=external.internal_suffixes,
        networks=tuple(ipaddress.ip_network(network) for network in external.private_networks),
        systems=_compile(alternation(external.internal_systems, loose=True)),
        blame=_compile(alternation(external.blame_phrases)),
        people=re.compile(people),
        causes=_compile(alternation(external.cause_phrases)),
        actions=_compile(alternation(external.blame_actions)),
        speculation=_compile(alternation(external.speculation_phrases)),
        fixes=_compile(alternation(external.fix_phrases)),
        updates=re.compile("|".join(filter(None, [next_update, _UPDATE_WORD]))),
        acknowledgement=_compile(alternation(external.acknowledgement_phrases)),
        functionality=_compile(alternation(external.functionality_phrases)),
        next_update=_compile(next_update),
    )
