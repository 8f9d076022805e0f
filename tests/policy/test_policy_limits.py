"""The limits of a policy file (issue 19): refused with a PolicyError naming the path, before costly work.

Sizes, keys, the parts of a key, nesting, integers, durations, business days,
zones, lone surrogates and files that are not regular files: each example of
the issue, and the laws that any policy that loads can be used to the end of
the accepted years, and that no text gets anything but a policy or a PolicyError.
"""

import contextlib
import os
from datetime import UTC, date, datetime, timedelta

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incident_process import (
    DEFAULT_POLICY,
    DetectionSource,
    Incident,
    PolicyError,
    Severity,
    load_policy,
    loads_policy,
)
from incident_process._limits import (
    LATEST_YEAR,
    MAX_BUSINESS_DAYS,
    MAX_DEPTH,
    MAX_DURATION,
    MAX_KEYS,
    MAX_POLICY_BYTES,
)
from incident_process.cli._common import audit_entries
from incident_process.errors import RecordError
from incident_process.lifecycle import next_change, obligations
from incident_process.lifecycle._schedule import may_resolve_at, reminders
from incident_process.policy import Escalation, EscalationLevel, PostIncident, SustainedThreshold
from incident_process.policy._file import parse_toml, read_text
from incident_process.timing import BusinessDays, parse_business_days, parse_duration
from incident_process.vocabulary import Audience, UpdateStatus


def refused(text):
    """The problems of a policy text that must be refused, as {path: message}."""
    with pytest.raises(PolicyError) as caught:
        loads_policy(text)
    return {problem.path: problem.message for problem in caught.value.problems}


def only(text):
    """The one problem of a refused policy text."""
    with pytest.raises(PolicyError) as caught:
        loads_policy(text)
    (problem,) = caught.value.problems
    return problem


# --- files that are not regular files, and sizes ------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_only_regular_files_are_read(tmp_path, kind):
    """A FIFO or /dev/zero returns at once with an error (never blocks, never fills memory)."""
    if kind == "fifo":
        path = tmp_path / "policy.toml"
        os.mkfifo(path)
    elif kind == "device":
        path = "/dev/zero"
    else:
        path = tmp_path
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    (problem,) = caught.value.problems
    assert caught.value.source == str(path)
    assert problem.message.startswith("cannot read the file: ")
    assert ("Is a directory" if kind == "directory" else "not a regular file") in problem.message


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    """A policy file over MAX_POLICY_BYTES is refused with the limit; one at the limit reads."""
    path = tmp_path / "policy.toml"
    path.write_text("#" * MAX_POLICY_BYTES + "\n")
    with pytest.raises(PolicyError, match="over the limit of 1,048,576") as caught:
        load_policy(path)
    assert caught.value.source == str(path)
    path.write_text("#" * (MAX_POLICY_BYTES - 1) + "\n")
    assert load_policy(path) == DEFAULT_POLICY


def test_the_size_limit_is_by_kind(tmp_path):
    """read_text takes a record's limit for a record, a policy's for a policy, or the one given."""
    path = tmp_path / "big"
    path.write_text("x" * (MAX_POLICY_BYTES + 1))
    with pytest.raises(PolicyError):
        read_text(str(path))
    assert len(read_text(str(path), error=RecordError)) == MAX_POLICY_BYTES + 1
    with pytest.raises(RecordError, match="over the limit of 10"):
        read_text(str(path), error=RecordError, limit=10)


def test_a_string_over_the_size_limit_is_refused():
    """loads_policy has the limit of a file, counted in UTF-8 bytes."""
    assert "over the limit of 1,048,576" in only("#" * (MAX_POLICY_BYTES + 1)).message
    assert "over the limit" in only("# " + "é" * (MAX_POLICY_BYTES // 2)).message


# --- keys, their parts, nesting and integers ---------------------------------------


def test_a_200_kb_dotted_key_is_refused_before_parsing():
    """`a.a.a... = 1` (quadratic in tomllib) is refused on its line, naming the limit."""
    problem = only("a" + ".a" * 100_000 + " = 1")
    assert problem.line == 1
    assert f"more than {MAX_DEPTH} parts" in problem.message
    header = only('name = "x"\n[a' + ".a" * 100_000 + "]\n")
    assert header.line == 2


def test_a_key_of_the_limits_parts_is_read():
    """A key of MAX_DEPTH parts passes the scan (and is an unknown key); one more part is refused."""
    assert refused("a" + ".a" * (MAX_DEPTH - 1) + " = 1") == {"a": "unknown key"}
    assert "parts" in only("a" + ".a" * MAX_DEPTH + " = 1").message
    assert "parts" in only('"a"' + '."a b"' * MAX_DEPTH + " = 1").message


def test_dots_equals_and_hashes_in_strings_and_comments_are_not_keys():
    """The scan skips strings (all four kinds) and comments."""
    dots = "." * 200
    text = f'''name = "{dots}"  # {dots} = = =
# {"a." * 100}a = 1
[declaration]
channel_prefix = '{dots}'
notify_group = """
{"a." * 100}a = 1
{"=" * (MAX_KEYS + 1)}
"""
'''
    policy = loads_policy(text)
    assert policy.name == dots
    assert policy.declaration.channel_prefix == dots
    literal = loads_policy(f"[declaration]\nnotify_group = '''\n{'a.' * 100}a = 1\n'''\n")
    assert literal.declaration.notify_group.startswith("a.a.")


def test_more_keys_than_the_limit_are_refused():
    """Over MAX_KEYS keys, each part of a dotted key counted, is refused before parsing."""
    assert (
        "more than 10,000 keys" in only("".join(f"k{index} = 1\n" for index in range(MAX_KEYS + 1))).message
    )
    many_parts = "".join(f"k{index}" + ".a" * 9 + " = 1\n" for index in range(MAX_KEYS // 10 + 1))
    assert "more than 10,000 keys" in only(many_parts).message


@pytest.mark.parametrize("text", ["name = 1" + "1" * 5000, "name = " + "9" * 19, "name = 0x" + "F" * 16])
def test_integers_of_too_many_digits_are_refused(text):
    """A 5,000-digit integer (Python's own ValueError before) or one of 19 digits is refused."""
    problem = only(text)
    assert "more than 18 digits" in problem.message
    assert problem.path in {"", "name"}


def test_an_integer_of_18_digits_is_read_and_judged():
    """18 digits pass the limit and reach the policy's own checks."""
    policy = loads_policy("criteria.enterprise_customers_at_least = " + "9" * 18)
    assert policy.criteria.enterprise_customers_at_least == int("9" * 18)


def test_arrays_nested_2000_deep_are_refused():
    """Nesting beyond Python's recursion (RecursionError before) and beyond MAX_DEPTH are refused."""
    assert "nested more than 32 levels deep" in only("x = " + "[" * 2000 + "]" * 2000).message
    deep = only("x = " + "[" * 40 + "1" + "]" * 40)
    assert deep.path == "x" + "[0]" * (MAX_DEPTH - 1)
    assert deep.message == "nested more than 32 levels deep"
    assert refused("x = " + "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1)) == {"x": "unknown key"}


def test_lone_surrogates_are_refused_with_their_path():
    """A lone surrogate (possible in a string given to loads_policy) is refused at its key path."""
    assert refused('name = "a\ud800"') == {"name": "not valid Unicode (a lone surrogate)"}
    assert refused('[declaration]\nwho_may_declare = ["ok", "\udc00"]') == {
        "declaration.who_may_declare[1]": "not valid Unicode (a lone surrogate)"
    }
    key = only('"\ud800" = 1')
    assert "a key is not valid Unicode (a lone surrogate)" in key.message


def test_dates_outside_the_accepted_years_are_refused():
    """A TOML date (a closed day) in 9999 is refused with the accepted range."""
    assert refused("calendar.closed = [9999-12-31]") == {
        "calendar.closed[0]": "9999-12-31 is outside the accepted years 1900 to 2999"
    }


# --- durations and business days ---------------------------------------------------


LIMIT = "must be at most 8784h (366 days)"


def test_a_duration_too_long_for_python_is_refused_with_the_limit():
    """'99999999999999h' (OverflowError before) is refused at its path, stating the limit."""
    assert refused('communication.update_cadence.SEV1 = "99999999999999h"') == {
        "communication.update_cadence.SEV1": f"{LIMIT}, got '99999999999999h'"
    }


def test_cadences_of_200000000h_are_refused():
    """Cadences that passed `policy check` and then crashed audit, deadlines, render and demo."""
    text = '[communication.update_cadence]\nSEV1 = "200000000h"\nSEV2 = "200000000h"\nSEV3 = "200000000h"\n'
    assert refused(text) == {
        f"communication.update_cadence.{severity.value}": f"{LIMIT}, got '200000000h'"
        for severity in Severity
    }


def test_3000000_business_days_are_refused():
    """Business days over MAX_BUSINESS_DAYS are refused at their path, stating the limit."""
    assert refused('post_incident.review_within = "3000000 business days"') == {
        "post_incident.review_within": "must be at most 366 business days, got '3000000 business days'"
    }
    assert loads_policy(
        'post_incident.document_within = "366 business days"'
    ).post_incident.document_within == (BusinessDays(MAX_BUSINESS_DAYS))


@pytest.mark.parametrize(
    "key",
    [
        "criteria.error_rate.longer_than",
        "detection.customer_reports_within",
        "communication.status_page.first_update_within",
        "resolution.quiet_period.SEV3",
        "resolution.archive_channel_after",
        "post_incident.review.max_duration",
        "integrations.correlation.within",
    ],
)
def test_every_duration_field_has_the_limit(key):
    """MAX_DURATION itself is a duration; a second more is refused at the field's path."""
    assert refused(f'{key} = "8784h1s"') == {key: f"{LIMIT}, got '8784h1s'"}


def test_the_limits_hold_for_policies_built_in_python():
    """A span or a number of business days over the limit is refused from Python too."""
    with pytest.raises(PolicyError, match="must be at most 8784h"):
        SustainedThreshold(above=0.05, longer_than=MAX_DURATION + timedelta(seconds=1))
    with pytest.raises(PolicyError, match="must be at most 366 business days"):
        PostIncident(review_within=BusinessDays(MAX_BUSINESS_DAYS + 1))


def test_the_escalation_path_as_a_whole_has_the_limit():
    """Windows start one after another: their sum, not only each, is at most MAX_DURATION."""
    half = MAX_DURATION / 2
    Escalation(levels=(EscalationLevel(who="a", window=half), EscalationLevel(who="b", window=half)))
    with pytest.raises(PolicyError, match=r"levels: the windows add up to 8784h1s, more than the limit"):
        Escalation(
            levels=(
                EscalationLevel(who="a", window=half),
                EscalationLevel(who="b", window=half + timedelta(seconds=1)),
            )
        )


def test_parsers_refuse_absurd_digit_counts_before_converting():
    """A duration or a count of 5,000 digits is refused with the limit, not Python's ValueError."""
    with pytest.raises(ValueError, match="must be at most 8784h"):
        parse_duration("9" * 5000 + "h")
    with pytest.raises(ValueError, match="must be at most 366 business days"):
        parse_business_days("9" * 5000 + " business days")
    assert parse_duration("8784h") == MAX_DURATION


# --- zones ---------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["America", "a" * 5000, "America/", "Etc"])
def test_zone_names_that_are_paths_or_too_long_are_unknown_zones(zone):
    """`zone = "America"` (IsADirectoryError) and a 5,000-character zone (OSError) are unknown zones."""
    problem = only(f'zone = "{zone}"')
    assert problem.path == "zone"
    assert problem.message.startswith("unknown IANA time zone")


# --- laws ------------------------------------------------------------------------------

VALID_SPANS = ("1s", "1m", "15m", "24h", "4392h", "8783h59m59s", "8784h")
OVER_SPANS = ("8784h1s", "200000000h", "99999999999999h")


@st.composite
def extreme_policies(draw):
    """Policy overrides with every duration drawn up to the limit, and at most one over it."""
    span = lambda: draw(st.sampled_from(VALID_SPANS))  # noqa: E731 - one draw per field
    cadence, quiet, review = span(), span(), span()
    first, second = span(), span()
    data = {
        "criteria": {"error_rate": {"longer_than": span()}, "p95_latency": {"longer_than": span()}},
        "detection": {
            "customer_reports_within": span(),
            "responses": [
                {"source": "automated_alert", "duty": "acknowledge", "within": span()},
                {"source": "customer_reports", "duty": "correlate", "within": span()},
            ],
        },
        "communication": {
            "update_cadence": dict.fromkeys(("SEV1", "SEV2", "SEV3"), cadence),
            "status_page": {"first_update_within": span()},
        },
        "resolution": {
            "quiet_period": dict.fromkeys(("SEV1", "SEV2", "SEV3"), quiet),
            "archive_channel_after": span(),
        },
        "post_incident": {
            "review_within": f"{draw(st.sampled_from((1, 5, MAX_BUSINESS_DAYS)))} business days",
            "document_within": f"{draw(st.sampled_from((1, 5, MAX_BUSINESS_DAYS)))} business days",
            "review": {
                "min_duration": review,
                "max_duration": review,
                "agenda": [{"topic": "All", "duration": review}],
            },
        },
        "escalation": {
            "levels": [{"who": "A", "window": first}, {"who": "B", "window": second}, {"who": "C"}]
        },
        "reminders": {"rules": [{"kind": "internal_update", "before": span(), "every": span()}]},
        "integrations": {"correlation": {"within": span()}},
    }
    over = (
        draw(st.sampled_from((*OVER_SPANS, "3000000 business days")))
        if draw(st.integers(0, 3)) == 0
        else None
    )
    if over is not None:
        key = "review_within" if over.endswith("days") else "archive_channel_after"
        data["post_incident" if key == "review_within" else "resolution"][key] = over
    return data, over


def walk(policy, start, *, resolve=True):
    """A SEV1 incident from detection to response (and resolution) under *policy*, from *start*."""
    minute = timedelta(minutes=1)
    incident = Incident.detect(
        id="INC-1", title="Errors", source=DetectionSource.AUTOMATED_ALERT, at=start, policy=policy
    )
    incident = incident.acknowledge(at=start + minute, by="ana")
    incident = incident.declare(
        at=start + 2 * minute, by="ana", declarer_role="on_call_engineer", severity=Severity.SEV1
    )
    incident = incident.start_response(at=start + 3 * minute)
    incident = incident.post_update(
        at=start + 3 * minute, status=UpdateStatus.INVESTIGATING, audience=Audience.INTERNAL
    )
    if not resolve:
        return incident
    quiet = policy.resolution.quiet_period[Severity.SEV1]
    return incident.resolve(at=start + 4 * minute + quiet, last_error_at=start + 4 * minute)


def judge(incident, now):
    """Everything that computes deadlines from the policy's durations, as of *now*."""
    obligations(incident, now)
    reminders(incident, now)
    next_change(incident, now)
    may_resolve_at(incident)
    audit_entries(incident, now)


END = datetime(LATEST_YEAR, 12, 31, 23, 59, 59, tzinfo=UTC)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extreme_policies())
def test_any_policy_that_loads_computes_every_deadline_to_the_end_of_the_accepted_years(drawn):
    """Either the policy is refused (a PolicyError naming the limit) or its deadlines are dates.

    Deadlines of an incident at the latest accepted time, and of one resolved
    after the longest quiet period, are computed without OverflowError (issue 19).
    """
    data, over = drawn
    text = tomli_w.dumps(data)
    if over is not None:
        with pytest.raises(PolicyError, match="must be at most"):
            loads_policy(text)
        return
    try:
        policy = loads_policy(text)
    except PolicyError as error:
        (problem,) = error.problems
        assert problem.path == "escalation.levels"  # two windows over the limit together
        return
    judge(walk(policy, END - timedelta(minutes=3), resolve=False), END)
    resolved = walk(policy, datetime(LATEST_YEAR - 2, 1, 1, tzinfo=UTC))
    judge(resolved, END)
    reviewing = resolved.start_post_incident(at=END - timedelta(minutes=1))
    due = reviewing.add_action_item("A-1", "Fix it", owner="ana", due=date(LATEST_YEAR, 12, 31), at=END)
    judge(due, END)


TOML_PIECES = st.sampled_from(
    [
        "a",
        ".",
        "=",
        "1",
        '"',
        "'",
        '"""',
        "[",
        "]",
        "{",
        "}",
        ",",
        "\n",
        " ",
        "#",
        "\\",
        "\ud800",
        "9" * 30,
        "é",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(TOML_PIECES, max_size=60).map("".join))
def test_any_text_is_a_table_or_a_policy_error(text):
    """parse_toml never raises anything but PolicyError, whatever the text."""
    with contextlib.suppress(PolicyError):
        assert isinstance(parse_toml(text), dict)
