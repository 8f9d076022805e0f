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
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs

from incident_process._arguments import check_texts, check_type
from incident_process._folding import fold, fold_phrase
from incident_process.policy import DEFAULT_POLICY, Policy

from ._blame import blame_spans, cause_names, with_people
from ._findings import Finding
from ._phrases import Phrases, compiled_phrases

if TYPE_CHECKING:
    from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

    _Address = IPv4Address | IPv6Address
    _Network = IPv4Network | IPv6Network

__all__ = ["LINT_RULES", "lint_external"]

_WORD_CHAR = re.compile(r"\w")
_WORD = re.compile(r"\w+")

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
    r"|(?:(?:the\s++)?week(?:end)?\s++of\s++)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*+\s++\d{1,2}(?:st|nd|rd|th)?)(?!\w)"
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
    r"(?<!\w)(?P<prep>by|before|within|in|until|till|at|around|over|(?P<lasting>last|lasts|take|takes)"
    r"|(?P<eta>eta|estimated\s++time\s++(?:to|of)\s++(?:resolution|recovery|fix|restoration)))(?!\w)"
    r"(?:\s*+[:=]|\s++(?:is|of)(?!\w))?(?:\s++(?:within|in|by|at|before|around|until)(?!\w))?"
    rf"\s*+(?:{_FILLER}\s*+){{0,2}}{_TIME_BODY}"
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
#: Something does not work: a verb denied ("is not updating", "were not executed", "isn't
#: returning results"), or an outage that is not the one already spoken of.
_NOT_WORKING = (
    r"(?:(?<!\w)not|n't)\s++(?:be\s++|being\s++)?[a-z]+(?:ing|ed)(?!\w)"
    # an outage of something ("a GitHub outage", "a partial outage in the backends"), not "the outage"
    r"|(?<!the\s)(?<!this\s)(?<!that\s)(?<!\w)outages?(?!\w)"
)
#: The team as the subject of a verb, or an action in the passive: the text says the team knows
#: ("we see ...", "Infrastructure team found ...", "a ticket has been raised", "the workers were
#: restarted"). A bare "has been resolved" reports a state, not that anyone knows.
_TEAM_ACTS = (
    r"(?<!\w)(?:we(?:'ve|'re|'ll|'d)?|team)\s++[a-z]"
    r"|(?<!\w)(?:has|have|had)\s++been\s++(?!(?:resolved|completed|processed|addressed|closed|tracked)(?!\w))[a-z]+ed(?!\w)"
    r"|(?<!\w)(?:was|were)\s++(?!(?:resolved|completed|processed|addressed|closed|tracked)(?!\w))(?:[a-z]++ly\s++)?[a-z]+ed(?!\w)"
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


@attrs.frozen
class _Patterns:
    """The linter's fixed patterns."""

    time: re.Pattern[str]
    timing: re.Pattern[str]
    clause_break: re.Pattern[str]
    past: re.Pattern[str]
    future: re.Pattern[str]
    url: re.Pattern[str]
    host: re.Pattern[str]
    ipv6: re.Pattern[str]
    not_working: re.Pattern[str]
    team_acts: re.Pattern[str]


@functools.cache
def _patterns() -> _Patterns:
    """The fixed patterns, compiled on first use (so importing the package stays quick)."""
    return _Patterns(
        time=re.compile(_TIME),
        timing=re.compile(_TIMING),
        clause_break=re.compile(_CLAUSE_BREAK),
        past=re.compile(_PAST),
        future=re.compile(_FUTURE),
        url=re.compile(_URL),
        host=re.compile(_HOST),
        ipv6=re.compile(_IPV6),
        not_working=re.compile(_NOT_WORKING),
        team_acts=re.compile(_TEAM_ACTS),
    )


def lint_external(text: str, policy: Policy = DEFAULT_POLICY, *, people: Iterable[str] = ()) -> list[Finding]:
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

    Blame names a person: a word of the policy's ``people``, an @-mention,
    one of *people* (the names on the incident: role holders, the
    declarer, update authors, as
    :meth:`~incident_process.lifecycle.Incident.involved_people` gives
    them) where the text writes it with a capital first ("Max forgot", but
    not "caused by max pool size"), or a capitalised name right after a
    cause phrase ("caused by Bob's bad deploy"), which then counts as a
    person in the whole text.

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
    check_type("text", text, str, "text (str)")  # issue 19, defect 10: a wrong type is a TypeError
    check_type("policy", policy, Policy, "a Policy")
    people = check_texts("people", people)
    folded = fold(text)
    rules = compiled_phrases(policy.communication.external)
    names = cause_names(text, folded, rules) | _written_as_names(text, people)
    scan = _Scan(folded.text, rules, with_people(rules, frozenset(names)))
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


def _written_as_names(text: str, people: Iterable[str]) -> frozenset[str]:
    """The names of *people* (folded) that *text* writes with a capital first ("Max", not "max pool")."""
    found = set()
    for written in people:
        name = written.strip()
        capitalised = rf"(?<![\w@]){re.escape(name[:1].upper())}(?i:{re.escape(name[1:])})(?!\w)"
        if name and re.search(capitalised, text):
            found.add(fold_phrase(name))
    return frozenset(found)


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

    def __init__(self, text: str, rules: Phrases, people: re.Pattern[str]) -> None:
        self.text = text
        self.rules = rules
        self.people = people
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
        for start, end, names_person in blame_spans(self.text, self.rules, people=self.people):
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
        dates past events. "ETA <time>" always is one, and so is how long
        the disruption will last, in a forecast ("the upgrade should last ~3
        hours", "will take 2 hours"). Tense decides between a forecast and a
        report (see :meth:`forecast`). Confidence cannot be judged from the
        text: every specific fix time is reported.
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
            if timing.group("lasting") is not None:  # "the upgrade should last ~3 hours"
                if not self.forecast(past, future, None, (low, start, end, high)):
                    continue
            elif timing.group("eta") is None:
                fix_before = _last_before(fixes, low, start)
                update_before = _last_before(updates, low, start)
                if fix_before is None and update_before is None:
                    fix_after = _first_from(fixes, end, high)
                    update_after = _first_from(updates, end, high)
                    about_fix = fix_after is not None and (update_after is None or fix_after < update_after)
                else:
                    about_fix = fix_before is not None and update_before is None
                if not about_fix:
                    continue
                forecast = self.forecast(past, future, fix_before, (low, start, end, high))
                if not forecast and (
                    timing.group("prep") == "at" or self.reports(past, fix_before, low, start)
                ):
                    continue
            message = f"specific fix timeline {_quote(timing.group())}: {_NOT_TIMELINES}"
            self.add(start, end, "external.fix_timeline", message)

    def forecast(
        self, past: list[int], future: list[int], fix: int | None, clause: tuple[int, int, int, int]
    ) -> bool:
        """Whether the clause around a time (``low, start, end, high``) forecasts, by its tense.

        The nearest tense marker before the time decides: "has been
        mitigated and we expect recovery by 21:00" forecasts (``expect``
        comes after ``been``), "the fix was deployed at 14:10 and we will
        monitor" reports. With no marker before the time, one after it
        decides ("recovery by 21:00 is expected").
        """
        low, start, end, high = clause
        will, was = _last_before(future, low, start), _last_before(past, low, start)
        if will is not None or was is not None:
            return will is not None and (was is None or will > was)
        return not self.reports(past, fix, low, start) and _any_between(future, end, high)

    def reports(self, past: list[int], fix: int | None, low: int, start: int) -> bool:
        """Whether the clause ``low:start`` before a time reports the past.

        "was restored by 14:32", "has been mitigated since 09:00" (a past
        auxiliary), or a fix verb in the simple past after its subject ("the
        service recovered by 20:44 UTC"). A bare "Fixed by 5pm" has no
        subject, so it may be a promise, and is not taken as a report.
        """
        if _any_between(past, low, start):
            return True
        if fix is None:
            return False
        verb = _WORD.match(self.text, fix)
        if verb is None or not verb.group().endswith("ed"):
            return False
        low = max(low, self.text.rfind(":", low, fix) + 1)  # "Update: fixed by 5pm" has no subject
        return _WORD.search(self.text, low, fix) is not None

    # -- "What to communicate externally" -----------------------------------------

    def missing(self) -> None:
        """Guide: "What to communicate externally": awareness, functionality, time to next update."""
        text, rules = self.text, self.rules
        if rules.acknowledgement is not None and not self.says_we_know(rules.acknowledgement):
            message = (
                "does not say that we are aware of the issue (say 'we are aware ...'): "
                '"What to communicate externally": "That we are aware of the issue"'
            )
            self.add(0, 0, "external.missing_acknowledgement", message)
        if rules.functionality is not None and not self.says_what_is_affected(rules.functionality):
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

    def says_we_know(self, phrases: re.Pattern[str]) -> bool:
        """Whether an acknowledgement phrase is in the text, or the team acts in it ("we restarted ...")."""
        return phrases.search(self.text) is not None or _patterns().team_acts.search(self.text) is not None

    def says_what_is_affected(self, phrases: re.Pattern[str]) -> bool:
        """Whether a functionality phrase, a denied verb ("is not updating") or an outage is in the text."""
        return phrases.search(self.text) is not None or _patterns().not_working.search(self.text) is not None

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
