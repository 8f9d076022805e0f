"""Policy files: partial overrides, exact round trips, and every kind of bad file."""

import json
import math
import re
import tomllib
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_process import DEFAULT_POLICY, PolicyError, Severity, dump_policy, load_policy, loads_policy
from incident_process.policy._file import policy_from_dict, policy_to_dict
from strategies import policies


def problems(text):
    with pytest.raises(PolicyError) as caught:
        loads_policy(text)
    return {problem.path: problem for problem in caught.value.problems}


# --- good files ----------------------------------------------------------------


def test_empty_file_is_the_default(tmp_path):
    """An empty file changes nothing."""
    path = tmp_path / "policy.toml"
    path.write_text("")
    assert load_policy(path) == DEFAULT_POLICY
    assert load_policy(str(path)) == DEFAULT_POLICY


def test_partial_file_overrides_only_its_keys():
    """Tables merge key by key: the rest stays the guide's."""
    policy = loads_policy(
        """
        zone = "America/New_York"
        [communication.update_cadence]
        SEV3 = "2h"
        [alerting.error_rate]
        critical = 0.08
        """
    )
    assert policy.zone == "America/New_York"
    assert policy.communication.update_cadence[Severity.SEV3] == timedelta(hours=2)
    assert policy.communication.update_cadence[Severity.SEV1] == timedelta(minutes=15)
    assert policy.alerting.error_rate.critical == 0.08
    assert policy.alerting.error_rate.warning == 0.01
    assert policy.resolution == DEFAULT_POLICY.resolution


def test_arrays_replace_the_default_whole():
    """An escalation path in a file is the whole path."""
    policy = loads_policy(
        """
        [[escalation.levels]]
        who = "Duty manager"
        window = "10m"
        [[escalation.levels]]
        who = "CTO"
        """
    )
    assert [level.who for level in policy.escalation.levels] == ["Duty manager", "CTO"]
    assert policy.escalation.levels[1].window is None


def test_integers_are_accepted_where_numbers_are_expected():
    """'above = 3' means 3.0."""
    policy = loads_policy("criteria.p95_latency.above = 4")
    assert policy.criteria.p95_latency.above == 4.0


def test_load_onto_another_base():
    """A file may override a company's base policy instead of the guide."""
    base = loads_policy('zone = "Europe/Berlin"')
    policy = loads_policy("exclusions.known_issue_with_workaround = false", base=base)
    assert policy.zone == "Europe/Berlin"
    assert policy.exclusions.known_issue_with_workaround is False


def test_default_dumps_and_loads_back_equal():
    """The guide's policy survives a TOML round trip."""
    text = dump_policy(DEFAULT_POLICY)
    assert loads_policy(text) == DEFAULT_POLICY
    assert tomllib.loads(text)["communication"]["update_cadence"] == {
        "SEV1": "15m",
        "SEV2": "30m",
        "SEV3": "1h",
    }


@given(policies)
def test_any_valid_policy_dumps_and_loads_back_equal(policy):
    """dump_policy then loads_policy is the identity on valid policies."""
    assert loads_policy(dump_policy(policy)) == policy


@given(policies)
def test_dump_is_complete(policy):
    """A dumped policy does not depend on the base it is loaded onto."""
    other_base = loads_policy('zone = "Asia/Tokyo"\ncommunication.status_page.first_update_within = "3m"')
    assert loads_policy(dump_policy(policy), base=other_base) == policy


# --- every single invalid value is reported with its key path --------------------


def _leaves(data, path=""):
    """Every value of plain policy data, with its key path and how to reach it."""
    if isinstance(data, dict):
        items = [(f"{path}.{key}" if path else key, key, value) for key, value in data.items()]
    elif isinstance(data, list):
        items = [(f"{path}[{index}]", index, value) for index, value in enumerate(data)]
    else:
        return
    for item_path, key, value in items:
        yield item_path, (key,), value
        for deeper_path, keys, deeper in _leaves(value, item_path):
            yield deeper_path, (key, *keys), deeper


def _replace(data, keys, value):
    if not keys:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[keys[0]] = _replace(data[keys[0]], keys[1:], value)
    return copy


def _invalid_for(value):
    """Values that are wrong for every field holding a value like *value*."""
    if isinstance(value, bool):
        return ["yes", 1, 0.0, []]
    if isinstance(value, int):
        return [-1, 2.5, "2", True]
    if isinstance(value, float):
        return [0.0, -1.0, math.nan, math.inf, -math.inf, "0.5", True, []]
    if isinstance(value, str):
        return ["", "   ", 7, [], {}]
    if isinstance(value, list):
        return ["not a list", 5, {}]
    return ["not a table", 5, []]


LEAVES = [(path, keys, value) for path, keys, value in _leaves(policy_to_dict(DEFAULT_POLICY))]


@st.composite
def single_invalid_values(draw):
    path, keys, value = draw(st.sampled_from(LEAVES))
    # A name may be empty (no name): it is wrong when it is not text on one line.
    bad = draw(st.sampled_from([7, [], {}, "two\nlines"] if path == "name" else _invalid_for(value)))
    return path, _replace(policy_to_dict(DEFAULT_POLICY), keys, bad), bad


@given(single_invalid_values())
def test_any_single_invalid_value_is_reported_with_its_key_path(case):
    """Replace one value anywhere with one that is wrong for it: the error names that path."""
    path, data, bad = case
    with pytest.raises(PolicyError) as caught:
        policy_from_dict(data)
    reported = [problem.path for problem in caught.value.problems]
    assert path in reported, (bad, reported)


@given(
    st.sampled_from([path for path, _, value in LEAVES if isinstance(value, dict)] + [""]),
    st.text(min_size=1),
)
def test_any_unknown_key_is_reported_with_its_path(table, key):
    """A key the policy does not have is an error at its path, never silently dropped."""
    data = policy_to_dict(DEFAULT_POLICY)
    target = data
    for part in filter(None, table.replace("[", ".[").split(".")):
        target = target[int(part[1:-1])] if part.startswith("[") else target[part]
    if key in target:
        return
    target[key] = 1
    with pytest.raises(PolicyError) as caught:
        policy_from_dict(data)
    written = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)
    expected = f"{table}.{written}" if table else written
    assert expected in [problem.path for problem in caught.value.problems]


# --- every kind of bad file --------------------------------------------------------


def test_broken_toml_names_its_line():
    """A syntax error is reported with the line it is on."""
    with pytest.raises(PolicyError) as caught:
        loads_policy('zone = "UTC"\n\n[communication\nSEV1 = "1m"\n', source="ours.toml")
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert problem.path == ""
    assert problem.message.startswith("not valid TOML")
    assert "ours.toml" in str(caught.value)


def test_duplicate_keys_are_broken_toml():
    """TOML forbids a key twice; the error says where."""
    with pytest.raises(PolicyError) as caught:
        loads_policy('zone = "UTC"\nzone = "UTC"\n')
    assert caught.value.problems[0].line == 2


def test_unusual_unknown_keys_are_quoted_in_the_path():
    """A key with dots or brackets is quoted, as TOML writes it, so the path stays exact."""
    found = problems('[criteria]\n"a.b" = 1\n"[0]" = 2\n')
    assert set(found) == {'criteria."a.b"', 'criteria."[0]"'}


def test_unknown_keys_are_named():
    """A typo is an error at its path, not silently ignored."""
    found = problems('zon = "UTC"\n[communication]\nupdate_cadance = {}\n[roles.SEV4]\nmust = []\n')
    assert found["zon"].message == "unknown key"
    assert found["communication.update_cadance"].message == "unknown key"
    assert "expected SEV1, SEV2, SEV3" in found["roles.SEV4"].message


def test_wrong_types_are_named():
    """A number where text belongs, text where a number belongs, a value where a table belongs."""
    found = problems(
        'zone = 5\ncriteria.error_rate.above = "5%"\nexclusions = true\nslos.error_rate.window = 1'
    )
    assert set(found) == {"zone", "criteria.error_rate.above", "exclusions", "slos.error_rate.window"}
    assert "expected one of 'daily', 'weekly', 'monthly'" in found["slos.error_rate.window"].message
    assert "expected a table" in found["exclusions"].message


@pytest.mark.parametrize("text", ['"0m"', '"-5m"', '"5 minutes"', '"5M"', "5", '""'])
def test_zero_negative_and_malformed_durations_are_named(text):
    """Durations must be positive and written like '15m'."""
    found = problems(f"resolution.quiet_period.SEV3 = {text}")
    assert list(found) == ["resolution.quiet_period.SEV3"]


@pytest.mark.parametrize("text", ["0", "-0.05", "nan", "inf", "1.5"])
def test_zero_negative_and_impossible_thresholds_are_named(text):
    """Thresholds must be finite, above zero, and fractions at most 1."""
    found = problems(f"criteria.error_rate.above = {text}")
    assert list(found) == ["criteria.error_rate.above"]


def test_sev1_cadence_longer_than_sev3_in_a_file():
    """The cadence order is checked in files too."""
    found = problems('communication.update_cadence.SEV1 = "2h"')
    assert "SEV2's (30m) and SEV3's (1h)" in found["communication.update_cadence.SEV1"].message


def test_warning_above_critical_in_a_file():
    """Warning thresholds above critical ones are named."""
    found = problems("alerting.db_connections.warning = 0.95")
    assert list(found) == ["alerting.db_connections.warning"]


def test_severity_without_incident_commander_in_a_file():
    """A severity whose roles do not require the IC is named."""
    found = problems('roles.SEV3.must = ["scribe"]')
    assert list(found) == ["roles.SEV3.must"]


def test_missing_required_keys_in_array_items_are_named():
    """An escalation level without 'who' is named at its index."""
    found = problems('[[escalation.levels]]\nwindow = "5m"\n')
    assert found["escalation.levels[0].who"].message == "missing"


def test_every_problem_is_reported_at_once():
    """Problems in several groups, and in a group and its parent, all come back together."""
    found = problems(
        """
        zone = "Nowhere/Special"
        [criteria]
        enterprise_customers_at_least = 1
        [criteria.error_rate]
        longer_than = "0m"
        [post_incident]
        review_within = "3 days"
        [post_incident.review]
        max_duration = "20m"
        """
    )
    assert set(found) == {
        "zone",
        "criteria.enterprise_customers_at_least",
        "criteria.error_rate.longer_than",
        "post_incident.review_within",
        "post_incident.review.min_duration",
        "post_incident.review.agenda",
    }


def test_missing_file_is_named(tmp_path):
    """A file that cannot be read is a PolicyError saying so, with the file name."""
    missing = tmp_path / "absent.toml"
    with pytest.raises(PolicyError) as caught:
        load_policy(missing)
    assert "cannot read the file" in str(caught.value)
    assert str(missing) in str(caught.value)


def test_directory_is_named(tmp_path):
    """A directory is not a policy file."""
    with pytest.raises(PolicyError, match="cannot read the file"):
        load_policy(tmp_path)


def test_non_utf8_file_is_named(tmp_path):
    """Policy files are UTF-8 text."""
    path = tmp_path / "latin1.toml"
    path.write_bytes('zone = "Zürich"'.encode("latin-1"))
    with pytest.raises(PolicyError, match="not UTF-8"):
        load_policy(path)
