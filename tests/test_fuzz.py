"""Fuzzing every reader: a library error or a result, never anything else, and never a hang.

Issue 19 ("Hostile inputs"): each reader (policy files, records, webhook
payloads, post-incident Markdown, external text, organisation templates) is
fed Hypothesis-made hostile input: the project's own valid files and the
vendors' published payloads with values swapped for hostile ones (huge
integers, deep nesting, lone surrogates, the calendar's ends, path-like
zone names, control characters, GitHub workflow commands), and free text.
What must hold: the call returns, or raises an
:class:`~incident_process.errors.IncidentProcessError`. A call that runs
longer than ``guards.HANG`` seconds fails as a hang; that is a guard against
unbounded work, not a speed measurement (speed is measured in
``benchmarks/``).

CI runs each test with ``FUZZ_EXAMPLES`` examples (100 by default); a longer
local run::

    FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py
"""

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guards import no_hang
from incident_process import (
    Incident,
    IncidentProcessError,
    lint_external,
    loads_policy,
    loads_record,
    render_declaration,
    validate_postmortem,
)
from incident_process.comms import MessageTemplates
from incident_process.integrations import (
    parse_alertmanager,
    parse_pagerduty,
    parse_prometheus_matrix,
    parse_slack_action,
)

ROOT = Path(__file__).resolve().parent.parent
#: A declared incident, for the templates.
DECLARED = Incident.detect(
    id="INC-1", title="Checkout errors", source="automated_alert", at=datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
).declare(
    at=datetime(2026, 3, 9, 9, 4, tzinfo=UTC), by="ana", declarer_role="on_call_engineer", severity="SEV2"
)
FIXTURES = ROOT / "tests" / "fixtures" / "integrations"
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Lists nested 50 deep, beyond the readers' nesting limit.
DEEP: list[object] = []
for _ in range(50):
    DEEP = [DEEP]
#: Stands for a 5,000-digit integer, which Python's ``json`` can neither write nor read: see :func:`dumped`.
HUGE_INTEGER = "<5000 digits>"
#: Values a hostile sender puts where a value belongs.
HOSTILE_VALUES = st.sampled_from(
    [
        None,
        True,
        -1,
        0,
        10**30,
        HUGE_INTEGER,
        1e308,
        -1e308,
        "",
        " ",
        "\ud800",
        "a\udfffb",
        "x" * 100_000,
        "\x1b[31m\x07\x00",
        "\u009b31m",
        "::error file=x::pwned",
        "::stop-commands::token",
        "## Root Cause",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-14:00",
        "9999-12-31",
        "America",
        "A" * 5000,
        "../../etc/passwd",
        "99999999999999h",
        "200000000h",
        "3000000 business days",
        "{{ 7 * 7 }}",
        [],
        {},
        DEEP,
    ]
)


def library_error_or_result(call: Callable[[], object]) -> None:
    """Run *call*: it returns, or raises the library's own error; anything else fails the test."""
    with no_hang(), suppress(IncidentProcessError):
        call()


def paths(value: object, prefix: tuple[object, ...] = ()) -> Iterator[tuple[object, ...]]:
    """Every path to a value inside a JSON value, the root included."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


def replaced(value: object, path: tuple[object, ...], new: object) -> object:
    """*value* with the value at *path* replaced by *new* (copies only along the path)."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: replaced(value[head], rest, new)}
    assert isinstance(value, list)
    copy = list(value)
    copy[head] = replaced(copy[head], rest, new)  # type: ignore[call-overload]
    return copy


@st.composite
def mutated(draw: st.DrawFn, original: object) -> object:
    """*original* with one to three values (or keys' values) swapped for hostile ones."""
    value = original
    for _ in range(draw(st.integers(1, 3))):
        candidates = list(paths(value))
        path = draw(st.sampled_from(candidates))
        value = replaced(value, path, draw(HOSTILE_VALUES | st.text(max_size=20)))
    return value


def spliced(data: st.DataObject, text: str, pieces: st.SearchStrategy[str], *, cut: int = 0) -> str:
    """*text* with one to four *pieces* put in at drawn places, each replacing up to *cut* characters."""
    for _ in range(data.draw(st.integers(1, 4))):
        where = data.draw(st.integers(0, len(text)))
        removed = data.draw(st.integers(0, cut))
        text = text[:where] + data.draw(pieces) + text[where + removed :]
    return text


def fixture(name: str) -> object:
    """A vendor's published payload from the fixtures."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


RECORDS = [
    json.loads(path.read_text(encoding="utf-8"))
    for path in sorted((ROOT / "examples" / "records").glob("*.json"))
]
POLICY_TEXT = (ROOT / "examples" / "policy.toml").read_text(encoding="utf-8")
POSTMORTEM_TEXT = (ROOT / "tests" / "corpus" / "postmortems" / "rust-dns-outage-2023.md").read_text(
    encoding="utf-8"
)


def dumped(value: object) -> str:
    """*value* as JSON text (lone surrogates escaped), with :data:`HUGE_INTEGER` written as its digits."""
    return json.dumps(value, ensure_ascii=True).replace(f'"{HUGE_INTEGER}"', "9" * 5000)


# --- policy files ----------------------------------------------------------------------------


TOML_FRAGMENTS = st.sampled_from(
    [
        'zone = "America"\n',
        'zone = "' + "A" * 5000 + '"\n',
        "a" + ".a" * 3000 + " = 1\n",
        "x = " + "[" * 2000 + "]" * 2000 + "\n",
        "x = " + "9" * 5000 + "\n",
        '[communication.update_cadence]\nSEV1 = "99999999999999h"\n',
        '[communication.update_cadence]\nSEV1 = "200000000h"\n',
        '[post_incident]\nreview_within = "3000000 business days"\n',
        'name = "\\ud800"\n',
        '[resolution.quiet_period]\nSEV2 = "20m"\n',
        "[[integrations.alerts]]\n",
        "\x00\x1b",
    ]
)


@FUZZ
@given(st.lists(TOML_FRAGMENTS | st.text(max_size=40), max_size=6).map("".join))
def test_policy_text(text):
    """Policy TOML built from hostile fragments: a PolicyError or a policy."""
    library_error_or_result(lambda: loads_policy(text))


@FUZZ
@given(st.data())
def test_policy_text_mutated(data):
    """The example policy with characters inserted, deleted or replaced: a PolicyError or a policy."""
    text = spliced(data, POLICY_TEXT, st.text(max_size=8), cut=5)
    library_error_or_result(lambda: loads_policy(text))


# --- records ---------------------------------------------------------------------------------


@FUZZ
@given(st.sampled_from(RECORDS).flatmap(mutated))
def test_record_mutated(record):
    """A valid record with values swapped for hostile ones: a RecordError or an incident."""
    text = dumped(record)
    library_error_or_result(lambda: loads_record(text))


@FUZZ
@given(st.text(max_size=200))
def test_record_text(text):
    """Any text as a record: a RecordError or an incident."""
    library_error_or_result(lambda: loads_record(text))


# --- webhook payloads ----------------------------------------------------------------------------


READERS: dict[str, tuple[Callable[[object], object], object]] = {
    "alertmanager": (parse_alertmanager, fixture("alertmanager-v4.json")),
    "pagerduty": (parse_pagerduty, fixture("pagerduty-v3-incident-triggered.json")),
    "pagerduty-2021": (parse_pagerduty, fixture("pagerduty-v3-2021-incident-priority-updated.json")),
    "prometheus": (
        lambda payload: parse_prometheus_matrix(payload, metric="error_rate"),
        fixture("prometheus-range-matrix.json"),
    ),
    "slack-action": (
        lambda payload: parse_slack_action({"payload": dumped(payload)}),
        fixture("slack-block-actions.json"),
    ),
}


@pytest.mark.parametrize("name", sorted(READERS))
@FUZZ
@given(data=st.data())
def test_webhook_payload_mutated(name, data):
    """A vendor's published payload with values swapped for hostile ones: a PayloadError or a result."""
    read, original = READERS[name]
    payload = data.draw(mutated(original))
    library_error_or_result(lambda: read(payload))


# --- text ----------------------------------------------------------------------------------------


TEXT_FRAGMENTS = st.sampled_from(
    [
        "caused by ",
        "Bob ",
        "human error ",
        "by 5pm ",
        "ETA ",
        "next update in 30 minutes ",
        "has been ",
        "not ",
        "http://db-1.corp/x ",
        "10.0.0.1 ",
        "::1 ",
        "[TODO] ",
        "[^1] ",
        "[x]: http://a ",
        "---\n",
        "+++\n",
        "| Action | Owner | Due Date | Status |\n|---|---|---|---|\n",
        "## Root Cause\n",
        "\u00ad",
        "\u200b",
        "\ud800",
        "\x1b",
    ]
)


@FUZZ
@given(st.lists(TEXT_FRAGMENTS | st.text(max_size=30), max_size=12).map("".join))
def test_external_text(text):
    """Any external text: findings (spans inside the text), never an exception."""
    with no_hang():
        findings = lint_external(text)
    assert all(0 <= f.start <= f.end <= len(text) for f in findings)


@FUZZ
@given(st.data())
def test_postmortem_markdown(data):
    """A real post-incident document, cut and spliced with hostile fragments: findings, never an exception."""
    text = spliced(data, POSTMORTEM_TEXT, st.lists(TEXT_FRAGMENTS, max_size=4).map("".join))
    with no_hang():
        findings = validate_postmortem(text)
    assert all(0 <= f.start <= f.end <= len(text) for f in findings)


# --- organisation templates ----------------------------------------------------------------------


TEMPLATE_FRAGMENTS = st.sampled_from(
    [
        "{{ ",
        " }}",
        "{% ",
        " %}",
        "for x in range(100000)",
        "endfor",
        "if x",
        "endif",
        "severity",
        "impact",
        "|center(1000000000)",
        "'x' * 10 ** 9",
        "2 ** 2 ** 40",
        "1 // 0",
        "macro f() %}{{ f() }}{% endmacro",
        "lipsum()",
        "().__class__",
        "\x00",
        "\ud800",
    ]
)


@FUZZ
@given(st.lists(TEMPLATE_FRAGMENTS | st.text(max_size=5), max_size=20).map("".join))
def test_organisation_template(source):
    """Any organisation template: a MessageError naming the template, or the message; never a hang."""
    with tempfile.TemporaryDirectory() as directory:
        (Path(directory) / "declaration.j2").write_text(source, encoding="utf-8", errors="surrogatepass")
        library_error_or_result(
            lambda: render_declaration(DECLARED, templates=MessageTemplates(directory), impact="EU")
        )
