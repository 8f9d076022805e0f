"""The external-message linter: one hit and one clean case per rule, exact spans, evasions, and properties."""

import re
import unicodedata

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

# Exported from incident_process by the main developer; imported from the private modules here.
from incident_process import DEFAULT_POLICY, lint_external
from incident_process.comms import LINT_RULES
from strategies import policies

MISSING = {
    "external.missing_acknowledgement",
    "external.missing_functionality",
    "external.missing_next_update",
}
#: A message that says everything the guide asks for, around which the cases are written.
CLEAN = (
    "We are aware that some customers cannot sign in to the dashboard. "
    "As a workaround, use the mobile app. Next update in 30 minutes."
)


def with_external(**changes):
    """The default policy with some of communication.external changed."""
    communication = DEFAULT_POLICY.communication
    external = attrs.evolve(communication.external, **changes)
    return attrs.evolve(DEFAULT_POLICY, communication=attrs.evolve(communication, external=external))


def found(text, policy=DEFAULT_POLICY):
    """(rule, the original text of the span) for each finding that is not about something missing."""
    return [(f.rule, text[f.start : f.end]) for f in lint_external(text, policy) if f.rule not in MISSING]


def test_a_full_status_page_message_is_clean():
    """Acknowledgement, functionality and the time of the next update, nothing forbidden: no findings."""
    assert lint_external(CLEAN) == []


def test_every_rule_is_listed():
    """LINT_RULES names each rule the linter reports, with what it checks."""
    assert set(LINT_RULES) == {
        "external.internal_url",
        "external.internal_host",
        "external.private_ip",
        "external.internal_system",
        "external.blame",
        "external.speculation",
        "external.fix_timeline",
        "external.missing_acknowledgement",
        "external.missing_functionality",
        "external.missing_next_update",
    }
    assert all(LINT_RULES.values())


# --- "Internal URLs or system names" ---------------------------------------------------


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://grafana.corp/d/abc?from=now-1h", "ends in '.corp'"),
        ("https://10.2.3.4:8443/admin", "in the private network 10.0.0.0/8"),
        ("http://[fd00::1]:8080/x", "in the private network fc00::/7"),
        ("http://grafana:3000/d", "has no domain"),
        ("http://localhost:8080/", "'localhost' is an internal name"),
        ("file:///etc/hosts", "a local file"),
    ],
)
def test_internal_url(url, why):
    """A URL whose host is internal is reported whole, trailing punctuation left out."""
    text = f"{CLEAN} Details: {url}."
    findings = [f for f in lint_external(text) if f.rule == "external.internal_url"]
    assert [text[f.start : f.end] for f in findings] == [url]
    assert why in findings[0].message
    assert "Internal URLs or system names" in findings[0].message
    assert found(text) == [("external.internal_url", url)]  # nothing else inside it is reported again


def test_internal_url_of_a_configured_domain():
    """The company's internal domains are internal, with every subdomain."""
    policy = with_external(internal_domains=("corp.example.com",))
    text = f"{CLEAN} See https://wiki.eu.corp.example.com/runbook."
    assert found(text, policy) == [("external.internal_url", "https://wiki.eu.corp.example.com/runbook")]
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "See https://status.example.com/incidents/42.",
        "Mail support@example.com or visit example.com (e.g. the help pages).",
        "Version 1.2.3 uses 8.8.8.8 and 2001:4860::8888 at 14:00:00.",
        "A rate of 99.9% over the 172.32.0.1 block.",
    ],
)
def test_public_addresses_are_clean(text):
    """Public URLs, host names and addresses are not internal."""
    assert found(f"{CLEAN} {text}") == []


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("Connections to db1.internal:5432 time out.", "db1.internal"),
        ("The printer.local. queue", "printer.local"),
        ("Search wiki.corp/x", "wiki.corp"),
        ("oncall@pager.corp is paged", "pager.corp"),
    ],
)
def test_internal_host(text, host):
    """A host name with an internal suffix, with no port, path or trailing dot."""
    assert found(f"{CLEAN} {text}") == [("external.internal_host", host)]


@pytest.mark.parametrize(
    ("written", "url"),
    [
        ("(see http://wiki.corp/a_(b))", "http://wiki.corp/a_(b)"),
        ("[http://wiki.corp/x]", "http://wiki.corp/x"),
        ("<http://wiki.corp/x>.", "http://wiki.corp/x"),
        ("'http://wiki.corp/x'!", "http://wiki.corp/x"),
    ],
)
def test_internal_url_ends_where_the_url_ends(written, url):
    """Brackets, quotes and punctuation around a URL are not part of it; brackets within it are."""
    assert found(f"{CLEAN} {written}") == [("external.internal_url", url)]


def test_internal_host_of_a_configured_domain():
    """corp.example.com and its subdomains are internal once the policy says so."""
    policy = with_external(internal_domains=("corp.example.com",))
    text = f"{CLEAN} The api.corp.example.com and corp.example.com hosts; example.com is fine."
    assert found(text, policy) == [
        ("external.internal_host", "api.corp.example.com"),
        ("external.internal_host", "corp.example.com"),
    ]


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("10.1.2.3", "10.0.0.0/8"),
        ("172.16.0.1", "172.16.0.0/12"),
        ("172.31.255.255", "172.16.0.0/12"),
        ("192.168.1.20", "192.168.0.0/16"),
        ("192.168.001.010", "192.168.0.0/16"),
        ("127.0.0.1", "127.0.0.0/8"),
        ("169.254.169.254", "169.254.0.0/16"),
        ("::1", "::1/128"),
        ("fd12:3456:789a::1", "fc00::/7"),
        ("fe80::1", "fe80::/10"),
        ("::ffff:10.0.0.1", "10.0.0.0/8"),
    ],
)
def test_private_ip(address, network):
    """Addresses in the policy's private networks, IPv4 (leading zeros too) and IPv6."""
    text = f"{CLEAN} The node {address} is down."
    findings = [f for f in lint_external(text) if f.rule == "external.private_ip"]
    assert [text[f.start : f.end] for f in findings] == [address]
    assert f"(in {network})" in findings[0].message


def test_private_networks_come_from_the_policy():
    """A company on 100.64.0.0/10 adds it; without it, the address is public."""
    text = f"{CLEAN} Node 100.64.1.1 is down."
    assert found(text) == []
    policy = with_external(private_networks=("100.64.0.0/10",))
    assert found(text, policy) == [("external.private_ip", "100.64.1.1")]


@pytest.mark.parametrize(
    "name",
    [
        "api_gateway_error_rate",
        "api_gateway_latency_p95",
        "db_connection_pool_utilization",
        "db_query_latency_p95",
        "queue_depth",
        "job_failure_rate",
    ],
)
def test_internal_system(name):
    """Each metric of the guide's runbooks is an internal system name."""
    text = f"{CLEAN} We watch {name} closely."
    assert found(text) == [("external.internal_system", name)]


@pytest.mark.parametrize("written", ["Queue-Depth", "queue.depth", "QUEUE_DEPTH"])
def test_internal_system_with_other_separators(written):
    """An underscore of a system name also matches a hyphen or a dot."""
    assert found(f"{CLEAN} The {written} grows.") == [("external.internal_system", written)]


@pytest.mark.parametrize(
    "text",
    [
        "Jobs queue up.",
        "The my_queue_depth_x value.",
        "Depth of the queue.",
        "The queue depth grows.",  # a system's name as words is ordinary English
        "The queue\ndepth grows.",
    ],
)
def test_internal_system_clean(text):
    """Parts of a name, or a name inside a longer one, are not the name."""
    assert found(f"{CLEAN} {text}") == []


def test_internal_systems_come_from_the_policy():
    """A company lists its own systems; an empty list reports none."""
    text = f"{CLEAN} Kafka and queue_depth."
    assert found(text, with_external(internal_systems=("kafka",))) == [("external.internal_system", "Kafka")]
    assert found(text, with_external(internal_systems=())) == []


# --- "Blame or speculation" ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("This was human error.", "human error"),
        ("It was Bob's fault.", "Bob's fault"),
        ("We blame the vendor.", "blame"),
        ("The outage was caused by an engineer.", "caused by an engineer"),
        ("It was caused by one of our senior engineers.", "caused by one of our senior engineers"),
        ("Due to @sam, the cache was flushed.", "Due to @sam"),
        ("An engineer accidentally deleted the table.", "engineer accidentally"),
        ("He forgot to renew the certificate.", "He forgot"),
    ],
)
def test_blame(text, span):
    """Blame phrases, and a person named as the cause, either side of the cause."""
    assert found(f"{CLEAN} {text}") == [("external.blame", span)]


@pytest.mark.parametrize(
    "text",
    [
        "The errors were caused by a configuration change.",
        "Our engineers are working on a fix.",
        "Due to high load, pages are slow; an engineer is looking into it.",
        "This caused errors for some customers.",
    ],
)
def test_blame_clean(text):
    """Causes that are not people, and people who are not causes."""
    assert found(f"{CLEAN} {text}") == []


def test_names_of_people_come_from_the_policy():
    """A lower-case name is no clue to a person, so a company lists the names it wants caught."""
    text = f"{CLEAN} The outage was caused by sam."
    assert found(text) == []
    people = (*DEFAULT_POLICY.communication.external.people, "sam")
    assert found(text, with_external(people=people)) == [("external.blame", "caused by sam")]


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("This was caused by Bob's bad deploy.", ["caused by Bob's"]),
        ("The outage was due to Tom Becker.", ["due to Tom Becker"]),
        # the name then counts as a person in the whole text
        (
            "This was caused by Bob's change. Bob forgot to run the migration.",
            ["caused by Bob's", "Bob forgot"],
        ),
    ],
)
def test_a_capitalised_name_as_the_cause_is_blame(text, spans):
    """A capitalised name right after a cause phrase ("caused by Bob's bad deploy") names a person."""
    assert found(f"{CLEAN} {text}") == [("external.blame", span) for span in spans]


@pytest.mark.parametrize(
    "text",
    [
        "This was caused by AWS's network.",  # all capitals: a company or a system
        "This was caused by GitHub's API.",  # two capitals: a product
        "This was caused by Monday's release.",  # a day
        "This was caused by The release of 2.0.",  # a title's capital
    ],
)
def test_capitals_that_name_no_one(text):
    """Systems, companies, days and determiners after a cause phrase are no person."""
    assert found(f"{CLEAN} {text}") == []


def test_the_people_on_the_incident_are_people():
    """``people=``: the names recorded on the incident (role holders, declarer, authors) count."""
    text = f"{CLEAN} The outage was caused by Sam."
    assert [(f.rule, text[f.start : f.end]) for f in lint_external(text, people=["sam"])] == [
        ("external.blame", "caused by Sam")
    ]
    assert lint_external(text, people=["", "  "]) == lint_external(text)
    # a name written in lower case is no clue: "max pool size" is a setting
    text = f"{CLEAN} Timeouts caused by max pool size being too small."
    assert lint_external(text, people=["max"]) == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("We think a disk failed.", "We think"),
        ("It is probably the network.", "probably"),
        ("This might be caused by the upgrade.", "might be caused"),
    ],
)
def test_speculation(text, span):
    """Phrases that guess."""
    assert found(f"{CLEAN} {text}") == [("external.speculation", span)]


def test_speculation_clean():
    """Saying what is known is not speculating."""
    assert found(f"{CLEAN} We have identified the cause and are applying a fix.") == []


# --- "Specific fix timelines until confident" -------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("It will be fixed by 5pm.", "by 5pm"),
        ("The issue will be resolved by tomorrow.", "by tomorrow"),
        ("We expect to restore service within 2 hours.", "within 2 hours"),
        ("A fix will be deployed in 30 minutes.", "in 30 minutes"),
        ("ETA 14:00.", "ETA 14:00"),
        ("ETA: 2 hours.", "ETA: 2 hours"),
        ("We will have this fixed at 5 p.m. UTC.", "at 5 p.m. UTC"),
        ("Within 2-3 hours the issue will be resolved.", "Within 2-3 hours"),
        ("Recovery is expected by the end of the day.", "by the end of the day"),
    ],
)
def test_fix_timeline(text, span):
    """A specific time for the fix, reported however confident the text sounds."""
    assert found(f"{CLEAN} {text}") == [("external.fix_timeline", span)]


@pytest.mark.parametrize(
    "text",
    [
        "We are working on a fix and will post an update within 30 minutes.",
        "The issue was resolved at 14:32 UTC.",
        "At 10:00 UTC we deployed a fix.",
        "Service was restored within 2 hours.",
        "We are working on a fix.",
    ],
)
def test_fix_timeline_clean(text):
    """The time of the next update, past events, and a fix without a time are not fix timelines."""
    assert found(f"{CLEAN} {text}") == []


# --- "What to communicate externally" ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Some customers cannot sign in. Next update in 30 minutes.", "external.missing_acknowledgement"),
        ("We are aware of the issue. Next update in 30 minutes.", "external.missing_functionality"),
        ("We are aware that sign-in is failing.", "external.missing_next_update"),
        (
            "We are aware that sign-in is failing. We will post the next update soon.",
            "external.missing_next_update",
        ),
    ],
)
def test_missing_content(text, missing):
    """Each required item, missing, is one finding at offset 0, line 1; present, none."""
    findings = lint_external(text)
    assert [(f.rule, f.start, f.end, f.line) for f in findings] == [(missing, 0, 0, 1)]


def test_missing_next_update_says_whether_the_update_was_mentioned():
    """'Next update soon' has no time: the message says the time is what is missing."""
    (mentioned,) = lint_external("We are aware that sign-in is failing. Next update soon.")
    (silent,) = lint_external("We are aware that sign-in is failing.")
    assert mentioned.message.startswith("mentions the next update but not when")
    assert silent.message.startswith("does not say when the next update comes")
    assert "Expected time to next update" in silent.message


@pytest.mark.parametrize(
    "update",
    ["Next update: 15:30 UTC.", "Next update within the hour.", "We will provide an update in 30 minutes."],
)
def test_next_update_with_a_time(update):
    """A next-update phrase with a time in its sentence."""
    assert lint_external(f"We are aware that sign-in is failing. {update}") == []


def test_an_empty_text_misses_everything():
    """Nothing said: the three required items are missing, in rule order."""
    assert [(f.rule, f.start, f.end, f.line) for f in lint_external("")] == [
        ("external.missing_acknowledgement", 0, 0, 1),
        ("external.missing_functionality", 0, 0, 1),
        ("external.missing_next_update", 0, 0, 1),
    ]


# --- spans, lines, evasions ---------------------------------------------------------


def test_line_is_the_line_of_the_start():
    """Lines count from 1, in the original text."""
    text = f"{CLEAN}\n\nThe node\n10.0.0.7 is down; see db1.internal."
    lines = [(f.rule, f.line) for f in lint_external(text)]
    assert lines == [("external.private_ip", 4), ("external.internal_host", 4)]


@pytest.mark.parametrize(
    ("written", "rule"),
    [
        ("db\u00ad1.inter\u00adnal", "external.internal_host"),  # soft hyphens
        ("\uff44\uff42\uff11\uff0e\uff43\uff4f\uff52\uff50", "external.internal_host"),  # fullwidth db1.corp
        ("queue\u200b_depth", "external.internal_system"),  # zero-width space
        ("\uff31\uff35\uff25\uff35\uff25_\uff24\uff25\uff30\uff34\uff28", "external.internal_system"),
        ("hu\u2060man\u00a0error", "external.blame"),  # word joiner, no-break space
        ("We\u200c think", "external.speculation"),  # zero-width non-joiner
        ("\ufeff10.0.0.1", "external.private_ip"),  # byte order mark in front
        ("ﬁxed by 5pm", "external.fix_timeline"),  # ligature: the span is the time
    ],
)
def test_evasions_are_seen_through_with_spans_in_the_original(written, rule):
    """Invisible characters, fullwidth letters and ligatures hide nothing; the span is the original's."""
    text = f"{CLEAN} Note: {written}."
    findings = [f for f in lint_external(text) if f.rule == rule]
    assert len(findings) == 1
    span = text[findings[0].start : findings[0].end]
    assert span in written
    assert span.lstrip("\ufeff") == span


def test_a_ligature_spans_its_whole_character():
    """A character folded into several ('ﬁ' is 'fi') is reported whole."""
    policy = with_external(blame_phrases=("fi",))
    text = f"{CLEAN} ﬁ"
    assert found(text, policy) == [("external.blame", "ﬁ")]


def test_combining_marks_fold_with_their_letter():
    """'e' + COMBINING ACUTE is 'é' in the text as in the policy, and the span takes in the mark."""
    policy = with_external(blame_phrases=("café",))
    text = f"{CLEAN} Le cafe\u0301 ferme."
    assert found(text, policy) == [("external.blame", "cafe\u0301")]


# --- linear time ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape",
    [
        pytest.param(lambda: "a." * 500_000, id="a-dot"),
        pytest.param(lambda: "1" * 1_000_000, id="digits"),
        pytest.param(lambda: "http://" + "a" * 10**6, id="long-url"),
        pytest.param(lambda: "." * 10**6, id="dots"),
        pytest.param(lambda: "-" * 10**6, id="hyphens"),
        pytest.param(lambda: ".-" * 500_000, id="dots-and-hyphens"),
        pytest.param(lambda: "1." * 500_000, id="digit-dots"),
        pytest.param(lambda: "a:" * 500_000, id="hex-colons"),
        pytest.param(lambda: "caused by " * 100_000, id="cause-phrases"),
        pytest.param(lambda: "caused" + " " * 10**6 + "by", id="long-space"),
        pytest.param(lambda: "a" + "\u0301\u0316" * 500_000, id="combining-marks"),
        pytest.param(lambda: "\u00ad" * 10**6, id="soft-hyphens"),
        pytest.param(lambda: "http://wiki.corp/" + ")" * 10**6, id="url-closing-brackets"),
        pytest.param(lambda: "http://wiki.corp/" + ".)" * 500_000, id="url-trailing-punctuation"),
    ],
)
def test_adversarial_megabyte_inputs_come_back(shape):
    """1 MB inputs of shapes that make backtracking patterns quadratic still return (speed: benchmarks/)."""
    text = shape()
    findings = lint_external(text)
    assert all(0 <= f.start <= f.end <= len(text) for f in findings)


# --- properties ----------------------------------------------------------------------

INVISIBLE = st.sampled_from(["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u034f", "\ufe0f"])
FORBIDDEN = [
    ("db1.internal", "external.internal_host"),
    ("queue_depth", "external.internal_system"),
    ("human error", "external.blame"),
    ("we think", "external.speculation"),
    ("10.0.0.1", "external.private_ip"),
    ("fd00::1", "external.private_ip"),
    ("http://grafana.corp/x", "external.internal_url"),
]
FRAGMENTS = st.sampled_from(
    [CLEAN, " ", "\n", ". ", *(word for word, _ in FORBIDDEN), "Fixed by 5PM", "caused by an engineer", "ETA"]
)


@given(st.text())
def test_spans_are_within_the_text_and_sorted(text):
    """Never raises; every span lies in the text; findings come sorted by start."""
    findings = lint_external(text)
    assert all(0 <= f.start <= f.end <= len(text) for f in findings)
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    assert all(f.line == text.count("\n", 0, f.start) + 1 for f in findings)


@given(st.lists(FRAGMENTS | st.text(), max_size=8).map("".join), policies)
def test_never_raises_with_any_valid_policy(text, policy):
    """Any text against any valid policy gives findings, not errors."""
    assert all(0 <= f.start <= f.end <= len(text) for f in lint_external(text, policy))


@given(st.sampled_from(FORBIDDEN), st.data())
def test_invisible_characters_do_not_hide_a_forbidden_word(forbidden, data):
    """Invisible characters inserted anywhere inside a forbidden word: still found, spanning the word."""
    word, rule = forbidden
    positions = data.draw(st.lists(st.integers(1, len(word) - 1), min_size=1, max_size=5))
    written = word
    for position in sorted(positions, reverse=True):
        written = written[:position] + data.draw(INVISIBLE) + written[position:]
    text = f"{CLEAN} Note: {written} today."
    spans = [text[f.start : f.end] for f in lint_external(text) if f.rule == rule]
    assert written in spans


@given(st.lists(FRAGMENTS | st.text(st.characters(max_codepoint=127)), max_size=8).map("".join))
def test_case_does_not_matter_for_ascii_text(text):
    """Case is no clue, except a capitalised name after a cause phrase ("caused by Bob"), which is blame."""
    expected = lint_external(text.lower())
    assert lint_external(text.upper()) == expected
    for written in (text, text.swapcase()):
        findings = lint_external(written)
        if re.search("[A-Z][a-z]", written) is None:
            assert findings == expected
        else:
            assert [f for f in findings if f.rule != "external.blame"] == [
                f for f in expected if f.rule != "external.blame"
            ]


def test_lone_surrogates_do_not_raise():
    """Text from a broken decoder still lints."""
    assert {f.rule for f in lint_external("\ud800 caused by @bob \udfff")} >= {"external.blame"}


def test_invisible_characters_are_all_format_characters_or_listed():
    """The evasion characters of these tests are removed by folding."""
    from incident_process._folding import fold

    for char in ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u034f", "\ufe0f"]:
        assert unicodedata.category(char) in {"Cf", "Mn"}
        assert fold(f"a{char}b").text == "ab"


# --- real writing (issue "Real inputs"): each class of misreading, in sentences of our own -----


@pytest.mark.parametrize(
    "text",
    [
        "The service recovered by 20:44 UTC.",  # the simple past after its subject
        "The fix was deployed at 14:10 and we will keep monitoring.",  # past before, future elsewhere
        "Services have recovered as of 10:00 UTC.",
        "We resolved the issue at 14:10 UTC.",
        "The outage lasted 3 hours.",
    ],
)
def test_reports_of_the_past_are_no_fix_timeline(text):
    """A time that dates what already happened is a report, not a promise."""
    assert [f for f in lint_external(f"{CLEAN} {text}") if f.rule == "external.fix_timeline"] == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("ETA is within 30 minutes.", "ETA is within 30 minutes"),
        ("The cause has been found and a fix should be live within the hour.", "within the hour"),
        ("The issue has been mitigated and we expect full recovery by 21:00 UTC.", "by 21:00 UTC"),
        ("The upgrade should last ~3 hours.", "last ~3 hours"),
        ("We are working to resolve this in the week of September 13th.", "in the week of September 13th"),
        ("We expect the service to stabilize over the next 30-90 minutes.", "over the next 30-90 minutes"),
        ("Fixed by 5pm.", "by 5pm"),  # no subject: it may be a promise
    ],
)
def test_forecasts_are_fix_timelines(text, span):
    """A forecast is found by its tense, also in a sentence that reports something else ("has been")."""
    found_spans = [
        (f.rule, text[f.start : f.end]) for f in lint_external(text) if f.rule == "external.fix_timeline"
    ]
    assert found_spans == [("external.fix_timeline", span)]


@pytest.mark.parametrize(
    "text",
    [
        "Some customers may not be able to connect to the dashboard.",
        "There is a 20 minute delay delivering notifications.",
        "The update site is not updating.",
        "There is an ongoing GitHub outage.",
        "Builds are stuck in the queue.",
    ],
)
def test_what_is_affected_in_real_words(text):
    """Saying what is affected in ordinary words satisfies "What functionality is affected"."""
    rules = {f.rule for f in lint_external(f"We are aware of this. {text} Next update in 30 minutes.")}
    assert "external.missing_functionality" not in rules


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("The outage seems resolved.", True),  # "the outage" is the one already spoken of
        ("We have restarted the workers.", False),  # the team acts: it knows
        ("A ticket has been raised with the vendor.", False),
        ("The incident has been resolved.", True),  # a state, not that anyone knows
    ],
)
def test_acknowledgement_read_from_who_acts(text, missing):
    """The team as the subject of a verb, or a passive action, says that we are aware of the issue."""
    rules = {f.rule for f in lint_external(text)}
    assert ("external.missing_acknowledgement" in rules) is missing
