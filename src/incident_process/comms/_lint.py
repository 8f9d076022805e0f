"""The external-message linter: the guide's "External Communication" lists, checked in a text.

"What to communicate externally: That we are aware of the issue; What
functionality is affected; Workarounds if available; Expected time to next
update. What NOT to communicate externally: Technical implementation details;
Blame or speculation; Specific fix timelines until confident; Internal URLs or
system names."

:func:`lint_external` reports each problem as a
:class:`~incident_process.comms.Finding` with its rule id, a message, and
its exact span in the original text. The words and names it looks for are the
policy's (``communication.external``, :class:`ExternalCommunication`); the
logic only reads them.

Matching sees through spelling tricks: the text is folded (Unicode NFKC, case
folding, invisible characters removed; see ``incident_process._folding``) and every span
found in the folded text is mapped back to the original. Every pass is linear
in the length of the text: the patterns are alternations of literal phrases
and possessive runs (no nested quantifiers that can backtrack), and what is
looked at around a match is bounded.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

import attrs

from incident_process._folding import fold
from incident_process.policy import DEFAULT_POLICY, Policy

from ._findings import Finding
from ._phrases import Phrases, compiled_phrases

if TYPE_CHECKING:
    from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

    _Address = IPv4Address | IPv6Address
    _Network = IPv4Network | IPv6Network

__all__ = ["LINT_RULES", "blame_spans", "lint_external"]

_WORD_CHAR = re.compile(r"\w")
_WORD = re.compile(r"\w+")
_WORD_BEFORE = re.compile(r"(?<![\w@])@?\w++\Z")

_NOT_URLS = '"What NOT to communicate externally": "Internal URLs or system names"'
_NOT_TECHNICAL = '"What NOT to communicate externally": "Technical implementation details"'
_NOT_BLAME = '"What NOT to communicate externally": "Blame or speculation"'
_NOT_TIMELINES = '"What NOT to communicate externally": "Specific fix timelines until confident"'

#: Every rule of :func:`lint_external`, by id, with what it reports.
LINT_RULES: Mapping[str, str] = {
    "external.internal_url": "a URL whose host is internal (internal domain or suffix, private address, "
    "a host name without a domain, a local file)",
    "external.internal_host": "a host name in an internal domain or with an internal suffix",
    "external.private_ip": "an IPv4 or IPv6 address in one of the policy's private networks",
    "external.internal_system": "the name of an internal system or metric",
    "external.blame": "a blame phrase, or a person named as the cause",
    "external.speculation": "a phrase that speculates",
    "external.fix_timeline": "a specific time for the fix",
    "external.missing_acknowledgement": "nothing says that we are aware of the issue",
    "external.missing_functionality": "nothing says what functionality is affected",
    "external.missing_next_update": "nothing says when the next update will come",
}

# --- times ---------------------------------------------------------------------
#
# Written for folded (lower-case) text. Every repetition is possessive or
# bounded, and alternatives are literal words.

_NUMBER = (
    r"(?:\d++(?:[.,]\d++)?|half\s++an?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|fifteen|twenty|thirty|forty-five|forty|fifty|sixty|ninety)"
)
_UNIT = r"(?:minutes?|mins?|m|hours?|hrs?|h|business\s++days?|days?|weeks?|seconds?|secs?)(?!\w)"
_DURATION = rf"{_NUMBER}(?:\s*+(?:-|\u2013|to|or)\s*+{_NUMBER})?\s*+{_UNIT}"
_ZONE = r"(?:\s*+(?:utc|gmt|[ecmp][sd]?t|bst|cet|cest|ist|jst|aest|aedt)(?!\w))?"
_CLOCK = (
    r"(?:\d{1,2}(?:[:.]\d{2})?\s*+(?:am|pm|a\.m\.|p\.m\.)(?!\w)|\d{1,2}:\d{2}(?!\d)|noon(?!\w)|midnight(?!\w))"
    + _ZONE
)
_DAY = (
    r"(?:today|tonight|tomorrow(?:\s++(?:morning|afternoon|evening|night))?"
    r"|this\s++(?:morning|afternoon|evening|week)|(?:the\s++)?(?:end|close)\s++of\s++(?:the\s++)?"
    r"(?:business\s++day|day|week|business)|eod|eow|cob|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|next\s++week|the\s++(?:next\s++)?hour"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*+\s++\d{1,2}(?:st|nd|rd|th)?)(?!\w)"
)
_TIME_BODY = rf"(?:{_DURATION}|{_CLOCK}|{_DAY})"
#: A time on its own (for "Next update: 15:30 UTC").
_TIME = rf"(?<!\w){_TIME_BODY}"
_FILLER = (
    r"(?:about|around|approximately|approx\.|roughly|the\s++next|the\s++coming|less\s++than|under"
    r"|no\s++later\s++than|no\s++more\s++than|at\s++most|an\s++estimated|~)"
)
#: A preposition and a time: "by 5pm", "within 2 hours", "in 30 minutes", "ETA 14:00".
_TIMING = (
    r"(?<!\w)(?P<prep>by|before|within|in|until|till|at|around"
    r"|(?P<eta>eta|estimated\s++time\s++(?:to|of)\s++(?:resolution|recovery|fix|restoration)))(?!\w)"
    rf"(?:\s*+[:=]|\s++(?:is|of)(?!\w))?\s*+(?:{_FILLER}\s*+){{0,2}}{_TIME_BODY}"
)
#: Where a clause ends, for "in the same sentence".
_CLAUSE_BREAK = r"[.;!?](?=\s|\Z)|\n"
#: Words that put the clause in the past: "was resolved at 14:32" reports, it does not promise.
_PAST = r"(?<!\w)(?:was|were|been)(?!\w)"
#: Words that make a clause a forecast (needed for "at <time>", which also dates past events).
_FUTURE = (
    r"(?<!\w)(?:will|shall|should|expect(?:s|ed|ing)?|anticipate[sd]?|estimated?|plan(?:s|ned|ning)?"
    r"|aim(?:s|ing)?|target(?:s|ing)?|going\s++to|hope|hoping|eta)(?!\w)|'ll(?!\w)"
)
#: How far a clause reaches either side of a time, in characters.
_CLAUSE_REACH = 300
#: How many mentions of the next update are looked around one by one.
_LOOK_AROUND_MENTIONS = 16

# --- addresses -----------------------------------------------------------------

_URL = r"(?<![\w+.\-])[a-z][a-z0-9+.\-]*+://[^\s<>\"'`{}|\\^]*+"
_URL_TRAILING = ".,;:!?'\""
_HOST = r"(?<![\w-])[\w-]++(?:\.[\w-]++)++"
_IPV6 = r"(?<![\w:.])[0-9a-f.]*+:[0-9a-f.:]*+"

#: How many words may come between a cause phrase and the person it names
#: ("caused by one of our senior engineers").
_PERSON_WITHIN_WORDS = 4
#: How far, in characters, a person is looked for before or after a cause.
_PERSON_REACH = 80
_CLAUSE_END = r"[.,;:!?\n]"


@attrs.frozen
class _Patterns:
    """The linter's fixed patterns."""

    time: re.Pattern[str]
    timing: re.Pattern[str]
    clause_break: re.Pattern[str]
    clause_end: re.Pattern[str]
    past: re.Pattern[str]
    future: re.Pattern[str]
    url: re.Pattern[str]
    host: re.Pattern[str]
    ipv6: re.Pattern[str]


@functools.cache
def _patterns() -> _Patterns:
    """The fixed patterns, compiled on first use (so importing the package stays quick)."""
    return _Patterns(
        time=re.compile(_TIME),
        timing=re.compile(_TIMING),
        clause_break=re.compile(_CLAUSE_BREAK),
        clause_end=re.compile(_CLAUSE_END),
        past=re.compile(_PAST),
        future=re.compile(_FUTURE),
        url=re.compile(_URL),
        host=re.compile(_HOST),
        ipv6=re.compile(_IPV6),
    )


def lint_external(text: str, policy: Policy = DEFAULT_POLICY) -> list[Finding]:
    """Check an external message (status page, customer email) against the guide.

    Guide, "External Communication": "What to communicate externally: That
    we are aware of the issue; What functionality is affected; Workarounds if
    available; Expected time to next update. What NOT to communicate
    externally: Technical implementation details; Blame or speculation;
    Specific fix timelines until confident; Internal URLs or system names."

    The words and names looked for are ``policy.communication.external``
    (:class:`ExternalCommunication`). Each finding's ``start:end`` is the
    exact span in *text* (``text[finding.start:finding.end]``), also where
    the match was found through folding (fullwidth letters, invisible
    characters, case). A finding about something *missing* from the text
    has ``start == end == 0`` and ``line == 1``. Findings are sorted by
    start, then end, then rule id; :data:`LINT_RULES` lists the rules.

    "Specific fix timelines until confident": whether the team is confident
    cannot be read from a text, so every specific fix time is reported, and
    the person posting decides.

    >>> for finding in lint_external("Fixed by 5pm, see http://wiki.corp/x"):
    ...     print(finding.rule, finding.start, finding.end)
    external.missing_acknowledgement 0 0
    external.missing_functionality 0 0
    external.missing_next_update 0 0
    external.fix_timeline 6 12
    external.internal_url 18 36
    >>> lint_external(
    ...     "We are aware that logins are failing for some customers. "
    ...     "Next update in 30 minutes."
    ... )
    []
    """
    folded = fold(text)
    scan = _Scan(folded.text, compiled_phrases(policy.communication.external))
    scan.addresses()
    scan.systems()
    scan.blame()
    scan.speculation()
    scan.fix_timelines()
    scan.missing()
    findings: dict[tuple[int, int, str], str] = {}
    for start, end, rule, message in scan.found:
        span = folded.original(start, end) if end > start else (0, 0)
        findings.setdefault((*span, rule), message)
    result: list[Finding] = []
    line, counted = 1, 0
    for (start, end, rule), message in sorted(findings.items()):
        line += text.count("\n", counted, start)
        counted = start
        result.append(Finding(rule=rule, message=message, start=start, end=end, line=line))
    return result


# --- the scan ----------------------------------------------------------------------


def _quote(text: str, limit: int = 60) -> str:
    """*text* quoted for a message, shortened if long."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _starts(pattern: re.Pattern[str] | None, text: str) -> list[int]:
    """Where *pattern* matches in *text*, in order (nothing for no pattern)."""
    return [] if pattern is None else [match.start() for match in pattern.finditer(text)]


def _any_between(starts: list[int], low: int, high: int) -> bool:
    """Whether a position in sorted *starts* lies in ``low:high``."""
    return bisect_left(starts, low) < bisect_left(starts, high)


class _Scan:
    """One linting pass over a folded text; findings are folded spans until the end."""

    def __init__(self, text: str, rules: Phrases) -> None:
        self.text = text
        self.rules = rules
        self.found: list[tuple[int, int, str, str]] = []
        self.reported: list[tuple[int, int]] = []  # address spans, disjoint, sorted

    def add(self, start: int, end: int, rule: str, message: str) -> None:
        """Record a finding (a folded span)."""
        self.found.append((start, end, rule, message))

    def covered(self, start: int, end: int) -> bool:
        """Whether ``start:end`` lies inside an address already reported."""
        k = bisect_right(self.reported, (start, len(self.text) + 1)) - 1
        return k >= 0 and self.reported[k][1] >= end

    def report_addresses(self, spans: list[tuple[int, int]]) -> None:
        """Remember reported address spans, so nothing inside them is reported again."""
        self.reported = sorted(self.reported + spans)

    # -- "Internal URLs or system names" -----------------------------------------

    def addresses(self) -> None:
        """Guide: "Internal URLs or system names": internal URLs, host names and private addresses.

        URLs first; then IPv6 addresses and host names (or IPv4 addresses)
        not inside an internal URL already reported.
        """
        self.report_addresses(self.internal_urls())
        self.report_addresses(self.ipv6_addresses())
        self.report_addresses(self.host_names())

    def internal_urls(self) -> list[tuple[int, int]]:
        """Report URLs whose host is internal; return their spans."""
        spans = []
        for match in _patterns().url.finditer(self.text):
            start = match.start()
            url = _trim_url(match.group())
            why = self.internal_url(url)
            if why is not None:
                end = start + len(url)
                self.add(
                    start, end, "external.internal_url", f"internal URL {_quote(url)} ({why}): {_NOT_URLS}"
                )
                spans.append((start, end))
        return spans

    def ipv6_addresses(self) -> list[tuple[int, int]]:
        """Report private IPv6 addresses; return their spans."""
        import ipaddress

        spans = []
        for match in _patterns().ipv6.finditer(self.text):
            start, end = match.span()
            candidate = match.group()
            if candidate.count(":") < 2 or self.covered(start, end):
                continue
            for form in (candidate, candidate.rstrip(".:")):
                try:
                    address = ipaddress.IPv6Address(form)
                except ValueError:
                    continue
                network = self.private_network(address)
                if network is not None:
                    end = start + len(form)
                    self.add(start, end, "external.private_ip", _address_message(form, network))
                    spans.append((start, end))
                break
        return spans

    def host_names(self) -> list[tuple[int, int]]:
        """Report internal host names and private IPv4 addresses; return their spans."""
        spans = []
        for match in _patterns().host.finditer(self.text):
            start, end = match.span()
            host = match.group()
            if self.covered(start, end):
                continue
            address = _ipv4(host)
            if address is not None:
                network = self.private_network(address)
                if network is not None:
                    self.add(start, end, "external.private_ip", _address_message(host, network))
                    spans.append((start, end))
                continue
            why = self.internal_name(host)
            if why is not None:
                message = f"internal host name {_quote(host)} ({why}): {_NOT_URLS}"
                self.add(start, end, "external.internal_host", message)
                spans.append((start, end))
        return spans

    def internal_url(self, url: str) -> str | None:
        """Why the host of *url* is internal, or ``None``."""
        import ipaddress

        scheme, _, rest = url.partition("://")
        cut = min((i for i in map(rest.find, "/?#") if i >= 0), default=len(rest))
        host = rest[:cut].rpartition("@")[2]
        address: _Address | None
        if host.startswith("["):
            try:
                address = ipaddress.IPv6Address(host[1:].partition("]")[0])
            except ValueError:
                return None
        else:
            host = host.partition(":")[0].rstrip(".")
            if not host:
                return "a local file" if scheme == "file" else None
            address = _ipv4(host)
            if address is None:
                why = self.internal_name(host)
                if why is None and "." not in host:
                    why = f"{_quote(host)} has no domain, so it names a machine on an internal network"
                return why
        network = self.private_network(address)
        return None if network is None else f"{address} is in the private network {network}"

    def internal_name(self, host: str) -> str | None:
        """Why the host name *host* is internal, or ``None``."""
        for domain in self.rules.domains:
            if host == domain or host.endswith("." + domain):
                return f"in the internal domain {_quote(domain)}"
        for suffix in self.rules.suffixes:
            if host == suffix:
                return f"{_quote(suffix)} is an internal name"
            if host.endswith("." + suffix):
                return f"ends in {_quote('.' + suffix)}"
        return None

    def private_network(self, address: _Address) -> _Network | None:
        """The private network of the policy that holds *address*, or ``None``."""
        import ipaddress

        addresses: list[_Address] = [address]
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            addresses.append(address.ipv4_mapped)
        for network in self.rules.networks:
            if any(candidate in network for candidate in addresses):
                return network
        return None

    def systems(self) -> None:
        """Guide: "Internal URLs or system names" and "Technical implementation details"."""
        if self.rules.systems is None:
            return
        for match in self.rules.systems.finditer(self.text):
            start, end = match.span()
            if not self.covered(start, end):
                message = f"internal system name {_quote(match.group())}: {_NOT_URLS}; {_NOT_TECHNICAL}"
                self.add(start, end, "external.internal_system", message)

    # -- "Blame or speculation" --------------------------------------------------

    def blame(self) -> None:
        """Guide: "Blame or speculation" (and "Do NOT: Blame individuals"): blame, and people as causes.

        See :func:`blame_spans`. A person is a word of the policy's
        ``people`` (roles, pronouns, names a company adds) or an @-mention.
        Case is no clue (the result never depends on case), so a bare first
        name counts only if the policy lists it.
        """
        for start, end, names_person in blame_spans(self.text, self.rules):
            if names_person:
                message = f"names a person as the cause, {_quote(self.text[start:end])}: {_NOT_BLAME}"
            else:
                message = f"blame {_quote(self.text[start:end])}: {_NOT_BLAME}"
            self.add(start, end, "external.blame", message)

    def speculation(self) -> None:
        """Guide: "Blame or speculation": phrases that guess."""
        if self.rules.speculation is None:
            return
        for match in self.rules.speculation.finditer(self.text):
            self.add(
                *match.span(), "external.speculation", f"speculation {_quote(match.group())}: {_NOT_BLAME}"
            )

    # -- "Specific fix timelines until confident" --------------------------------

    def fix_timelines(self) -> None:
        """Guide: "Specific fix timelines until confident": a specific time for the fix.

        A time ("by 5pm", "within 2 hours", "in 30 minutes", "by tomorrow")
        is a fix timeline when its clause is about the fix: a fix phrase comes
        before it with no update phrase in between, or, with nothing before
        it, the first such phrase after it is a fix phrase. So "next update
        in 30 minutes" (which the guide asks for) is not one. A clause in the
        past ("was resolved by 14:32") reports and is not one; "at <time>"
        counts only in a forecast ("will be fixed at 5pm"), since it also
        dates past events. "ETA <time>" always is one. Confidence cannot be
        judged from the text: every specific fix time is reported.
        """
        text, rules = self.text, self.rules
        patterns = _patterns()
        timings = list(patterns.timing.finditer(text))
        if not timings or rules.fixes is None:
            return
        breaks = _starts(patterns.clause_break, text)
        fixes, updates = _starts(rules.fixes, text), _starts(rules.updates, text)
        past, future = _starts(patterns.past, text), _starts(patterns.future, text)
        for timing in timings:
            start, end = timing.span()
            k = bisect_left(breaks, start)
            low = max(breaks[k - 1] + 1 if k else 0, start - _CLAUSE_REACH)
            k = bisect_left(breaks, end)
            high = min(breaks[k] if k < len(breaks) else len(text), end + _CLAUSE_REACH)
            if timing.group("eta") is None:
                fix_before = _last_before(fixes, low, start)
                update_before = _last_before(updates, low, start)
                if fix_before is None and update_before is None:
                    fix_after = _first_from(fixes, end, high)
                    update_after = _first_from(updates, end, high)
                    about_fix = fix_after is not None and (update_after is None or fix_after < update_after)
                else:
                    about_fix = fix_before is not None and update_before is None
                if not about_fix or _any_between(past, low, start):
                    continue
                if timing.group("prep") == "at" and not _any_between(future, low, high):
                    continue
            message = f"specific fix timeline {_quote(timing.group())}: {_NOT_TIMELINES}"
            self.add(start, end, "external.fix_timeline", message)

    # -- "What to communicate externally" -----------------------------------------

    def missing(self) -> None:
        """Guide: "What to communicate externally": awareness, functionality, time to next update."""
        text, rules = self.text, self.rules
        if rules.acknowledgement is not None and rules.acknowledgement.search(text) is None:
            message = (
                "does not say that we are aware of the issue (say 'we are aware ...'): "
                '"What to communicate externally": "That we are aware of the issue"'
            )
            self.add(0, 0, "external.missing_acknowledgement", message)
        if rules.functionality is not None and rules.functionality.search(text) is None:
            message = (
                "does not say what is affected (say what is unavailable, slow or failing): "
                '"What to communicate externally": "What functionality is affected"'
            )
            self.add(0, 0, "external.missing_functionality", message)
        if rules.next_update is not None:
            mentions = [match.span() for match in rules.next_update.finditer(text)]
            if not self.timed(mentions):
                said = (
                    "mentions the next update but not when"
                    if mentions
                    else "does not say when the next update comes"
                )
                message = (
                    f"{said} (say 'next update in 30 minutes' or 'next update at 15:30 UTC'): "
                    '"What to communicate externally": "Expected time to next update"'
                )
                self.add(0, 0, "external.missing_next_update", message)

    def timed(self, mentions: list[tuple[int, int]]) -> bool:
        """Whether a time is in the same clause as one of *mentions* (at most a few hundred characters away).

        The first few mentions are looked at where they are (a time is
        usually next to the first); past those, every clause break and every
        time of the text is found once, so that many mentions cost one pass.
        """
        text, patterns = self.text, _patterns()
        for start, end in mentions[:_LOOK_AROUND_MENTIONS]:
            low, high = max(0, start - _CLAUSE_REACH), min(len(text), end + _CLAUSE_REACH)
            before = [match.end() for match in patterns.clause_break.finditer(text, low, start)]
            after = patterns.clause_break.search(text, end, high)
            low = before[-1] if before else low
            high = after.end() if after is not None else high
            if patterns.time.search(text, low, high) is not None:
                return True
        if len(mentions) <= _LOOK_AROUND_MENTIONS:
            return False
        breaks, times = _starts(patterns.clause_break, text), _starts(patterns.time, text)
        for start, end in mentions[_LOOK_AROUND_MENTIONS:]:
            k = bisect_left(breaks, start)
            low = max(breaks[k - 1] + 1 if k else 0, start - _CLAUSE_REACH)
            k = bisect_left(breaks, end)
            high = min(breaks[k] + 1 if k < len(breaks) else len(text), end + _CLAUSE_REACH)
            if _any_between(times, low, high):
                return True
        return False


def blame_spans(
    text: str,
    rules: Phrases,
    *,
    people: re.Pattern[str] | None = None,
    people_before: re.Pattern[str] | None = None,
    clause_end: re.Pattern[str] | None = None,
) -> Iterator[tuple[int, int, bool]]:
    """Blame in folded *text*: ``(start, end, names_person)`` for each span, phrases first.

    A blame phrase anywhere ("human error", "Bob's mistake": the name before
    "'s" is taken in); a cause phrase followed, in the same clause and with
    at most four words in between, by a person ("caused by an engineer",
    "due to @sam"); a person just before a blame action ("an engineer
    accidentally ..."). *people* and *people_before* default to the
    policy's (``rules``), *clause_end* to the linter's clause breaks; the
    post-incident checker adds action-item owners and table cells.
    """
    person = rules.people if people is None else people
    person_before = rules.people_before if people_before is None else people_before
    breaks = _patterns().clause_end if clause_end is None else clause_end
    if rules.blame is not None:
        for match in rules.blame.finditer(text):
            start, end = match.span()
            if not _WORD_CHAR.match(text, start):  # "'s fault": take in the name before it
                name = _WORD_BEFORE.search(text, max(0, start - _PERSON_REACH), start)
                start = start if name is None else name.start()
            yield start, end, False
    if rules.causes is not None:
        for match in rules.causes.finditer(text):
            after = _person_after(text, match.end(), person, breaks)
            if after is not None:
                yield match.start(), after, True
    if rules.actions is not None:
        for match in rules.actions.finditer(text):
            before = person_before.search(text, max(0, match.start() - _PERSON_REACH), match.start())
            if before is not None:
                yield before.start(), match.end(), True


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


def _last_before(starts: list[int], low: int, high: int) -> int | None:
    """The last position in sorted *starts* within ``low:high``, or ``None``."""
    k = bisect_left(starts, high) - 1
    return starts[k] if k >= 0 and starts[k] >= low else None


def _first_from(starts: list[int], low: int, high: int) -> int | None:
    """The first position in sorted *starts* within ``low:high``, or ``None``."""
    k = bisect_left(starts, low)
    return starts[k] if k < len(starts) and starts[k] < high else None


def _trim_url(url: str) -> str:
    """*url* without the punctuation after it: a sentence's full stop, an unmatched closing bracket."""
    unmatched = {")": url.count(")") - url.count("("), "]": url.count("]") - url.count("[")}
    end = len(url)
    while end:
        char = url[end - 1]
        if char in _URL_TRAILING:
            end -= 1
        elif unmatched.get(char, 0) > 0:
            unmatched[char] -= 1
            end -= 1
        else:
            break
    return url[:end]


def _ipv4(host: str) -> IPv4Address | None:
    """*host* as an IPv4 address (four numbers up to 255, leading zeros allowed), or ``None``."""
    import ipaddress

    parts = host.split(".", 4)
    if len(parts) != 4 or not all(part.isascii() and part.isdigit() and len(part) <= 3 for part in parts):
        return None
    numbers = [int(part) for part in parts]
    if any(number > 255 for number in numbers):
        return None
    return ipaddress.IPv4Address(bytes(numbers))


def _address_message(shown: str, network: _Network) -> str:
    """The message for a private address *shown* as written, in *network*."""
    return f"private address {_quote(shown)} (in {network}): {_NOT_URLS}"
