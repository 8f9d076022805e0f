"""Text folded for matching, with a map back to the original offsets.

Linters match words in a *folded* copy of a text, so that no spelling trick
hides them, and report where they are in the *original*. Folding is:

* Unicode NFKC, so fullwidth letters (``\uff44\uff42``), ligatures and compatibility
  forms read as their plain letters;
* case folding (:meth:`str.casefold`), so matching ignores case;
* invisible characters removed: every format character (category ``Cf``:
  the soft hyphen U+00AD, the zero-width space U+200B, the joiners
  U+200C/U+200D, the word joiner U+2060, the byte order mark U+FEFF,
  direction marks, ...), the combining grapheme joiner U+034F, the variation
  selectors and the Hangul fillers;
* typographic apostrophes read as ``'``, Unicode hyphens as ``-`` and the
  ideographic full stop as ``.`` (as domain names treat it).

NFKC can change the length of a character (``ﬁ`` becomes ``fi``, a removed
character becomes nothing), so the text is folded a character at a time (a
base character together with the combining marks that follow it), and
:class:`Folded` keeps, for each folded character, where it came from.

Folding takes linear time on any input: long runs of combining marks are
folded thirty at a time (the "stream-safe" limit of Unicode's UAX #15), since
normalising one unbounded run can take quadratic time.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from array import array
from bisect import bisect_right

__all__ = ["Folded", "fold", "fold_phrase"]

_INVISIBLE = frozenset("\u034f\u115f\u1160\u3164\uffa0") | {chr(c) for c in range(0xFE00, 0xFE10)}
_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u3002": ".",
    }
)
#: The format characters (category Cf) as of Unicode 15.1; a test checks this list
#: against the running Python's :mod:`unicodedata`.
_FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
_SPECIAL_CLASS = f"[{_FORMAT}{''.join(sorted(_INVISIBLE))}\u2018\u2019\u02bc\u2032\u2010-\u2012\u2212\u3002]"
_NON_ASCII = r"[^\x00-\x7f]+"
_MAX_MARKS = 30
_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 10_000


@functools.cache
def _special() -> re.Pattern[str]:
    """Characters whose folding is more than NFKC and case folding (they rule out the fast path).

    Compiled on first use: ASCII texts never need it, and imports stay quick.
    """
    return re.compile(_SPECIAL_CLASS)


def _visible(text: str) -> str:
    """*text* without its invisible characters (format characters and the few listed above)."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if ch not in _INVISIBLE and unicodedata.category(ch) != "Cf")


def _fold_cluster(cluster: str) -> str:
    """NFKC, case folding, NFKC again (Unicode's NFKC_Casefold recipe), then our own steps."""
    folded = _CACHE.get(cluster)
    if folded is None:
        folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", cluster).casefold())
        folded = _visible(folded).translate(_TRANSLATE)
        if len(cluster) == 1 and len(_CACHE) < _CACHE_LIMIT:
            _CACHE[cluster] = folded
    return folded


class Folded:
    """A folded text and the way back to its original offsets.

    The map is a list of segments, each starting at a folded offset: an
    *identity* segment (``ends[k] == -1``) maps each folded character to one
    original character at the same distance; a *cluster* segment maps every
    folded character in it to the whole original cluster
    ``starts[k]:ends[k]`` it came from. Removed characters have no segment.

    Attributes:
        text: The folded text.
    """

    __slots__ = ("_ends", "_folded_starts", "_starts", "text")

    def __init__(self, text: str, folded_starts: array[int], starts: array[int], ends: array[int]) -> None:
        self.text = text
        self._folded_starts = folded_starts
        self._starts = starts
        self._ends = ends

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that the folded span ``start:end`` (``end > start``) came from."""
        return self._position(start, end=False), self._position(end - 1, end=True)

    def _position(self, index: int, *, end: bool) -> int:
        """Where the folded character at *index* starts (or, with *end*, ends) in the original."""
        k = bisect_right(self._folded_starts, index) - 1
        if self._ends[k] < 0:
            return self._starts[k] + index - self._folded_starts[k] + end
        return self._ends[k] if end else self._starts[k]


def fold(text: str) -> Folded:
    """Fold *text* for matching (see the module's docstring), keeping the map back."""
    if text.isascii():  # ASCII folds to its lower case, one character for one
        return Folded(text.lower(), array("q", [0]), array("q", [0]), array("q", [-1]))
    builder = _Builder()
    done = 0
    for run in re.finditer(_NON_ASCII, text):
        start, stop = run.span()
        if start > done and unicodedata.combining(text[start]):
            start -= 1  # the mark belongs with the ASCII letter before it
        builder.identity(text[done:start].lower(), done)
        builder.run(text, start, stop)
        done = stop
    builder.identity(text[done:].lower(), done)
    return builder.result()


class _Builder:
    """Builds a :class:`Folded` piece by piece."""

    __slots__ = ("ends", "folded_starts", "length", "pieces", "starts")

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.length = 0
        self.folded_starts = array("q")
        self.starts = array("q")
        self.ends = array("q")

    def identity(self, folded: str, start: int) -> None:
        """Add *folded*, one character for each original character from *start* on."""
        if not folded:
            return
        k = len(self.starts) - 1
        if k < 0 or self.ends[k] >= 0 or self.starts[k] - self.folded_starts[k] != start - self.length:
            self._segment(start, -1)
        self.pieces.append(folded)
        self.length += len(folded)

    def cluster(self, folded: str, start: int, end: int) -> None:
        """Add *folded*, all of it from the original ``start:end``."""
        if len(folded) == 1 and end - start == 1:
            self.identity(folded, start)
        elif folded:
            self._segment(start, end)
            self.pieces.append(folded)
            self.length += len(folded)

    def run(self, text: str, start: int, stop: int) -> None:
        """Fold ``text[start:stop]``, a run of non-ASCII characters (perhaps after one ASCII letter)."""
        run = text[start:stop]
        # Already normalised and folding one for one: no need to go character by character.
        # (The quick check answers "no" at once for marks out of order, the costly case.)
        # A mark makes a cluster, whose folded characters all map to the whole of it.
        if (
            _special().search(run) is None
            and not any(map(unicodedata.combining, run))
            and unicodedata.is_normalized("NFKC", run)
        ):
            lower = run.casefold()
            if len(lower) == len(run) and unicodedata.is_normalized("NFKC", lower):
                self.identity(lower, start)
                return
        index = start
        while index < stop:
            end = index + 1
            while end < stop and end - index <= _MAX_MARKS and unicodedata.combining(text[end]):
                end += 1
            self.cluster(_fold_cluster(text[index:end]), index, end)
            index = end

    def _segment(self, start: int, end: int) -> None:
        """Open a segment at the current folded length (``end == -1``: an identity segment)."""
        self.folded_starts.append(self.length)
        self.starts.append(start)
        self.ends.append(end)

    def result(self) -> Folded:
        """The folded text and its map."""
        if not self.starts:
            self._segment(0, -1)
        return Folded("".join(self.pieces), self.folded_starts, self.starts, self.ends)


def fold_phrase(phrase: str) -> str:
    """*phrase* folded as texts are, with its spaces collapsed: the form a policy lists it in.

    >>> fold_phrase("We\u2019re  AWARE")
    "we're aware"
    """
    return " ".join(fold(phrase).text.split())
