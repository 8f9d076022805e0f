"""The ``incident-process`` console script, run as CI runs it: in a subprocess."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from incident_process import DEFAULT_POLICY, dump_policy, loads_policy

SCRIPT = Path(sys.executable).with_name("incident-process")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [shutil.which("incident-process") or "incident-process"]


def run(*arguments, cwd=None):
    return subprocess.run(  # noqa: S603 - our own console script
        [*COMMAND, *map(str, arguments)], capture_output=True, text=True, check=False, cwd=cwd, timeout=60
    )


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text('zone = "Europe/Berlin"\ncommunication.update_cadence.SEV3 = "2h"\n')
    bad = tmp_path / "bad.toml"
    bad.write_text('communication.update_cadence.SEV1 = "2h"\nalerting.error_rate.warning = 0.2\n')
    broken = tmp_path / "broken.toml"
    broken.write_text("[criteria\n")
    return {"good": good, "bad": bad, "broken": broken, "missing": tmp_path / "missing.toml"}


def test_demo_shows_the_guides_tables_and_classifies_examples():
    """The README's main job: the policy as tables, then example incidents classified."""
    result = run("demo")
    assert result.returncode == 0, result.stderr
    assert "| Error rate | >1% | >5% |" in result.stdout
    assert "| SEV1 | Critical | Complete outage or data breach |" in result.stdout
    assert "| 4 | VP Engineering | - | SEV1 |" in result.stdout
    assert "-> SEV2 Major: Significant functionality impaired (error rate 12% > 10%)" in result.stdout
    assert result.stderr == ""


def test_demo_walks_an_incident_through_the_lifecycle():
    """The demo's incident meets each guard of the guide on its way to closing."""
    out = run("demo").stdout
    assert "REFUSED (declaration.who_may_declare)" in out
    assert "REFUSED (resolution.quiet_period)" in out
    assert "REFUSED (post_incident.required)" in out
    assert "Wed 09:30 close: closed -> closed" in out
    assert "overdue" not in out.rsplit("What it owed", 1)[1]
    assert "Replaying its 18 events rebuilds the same incident: True." in out


def test_demo_with_a_policy_file(files):
    """--policy changes what the demo shows."""
    result = run("demo", "--policy", files["good"])
    assert result.returncode == 0
    assert "time zone Europe/Berlin" in result.stdout
    assert "| SEV3 | Incident Commander | - | no | 2 hours |" in result.stdout


def test_demo_json_is_the_policy_data():
    """--format json prints the effective policy as data, and the examples."""
    result = run("demo", "--format", "json")
    assert result.returncode == 0
    document = json.loads(result.stdout)
    assert document["policy"]["communication"]["update_cadence"]["SEV1"] == "15m"
    assert [example["severity"] for example in document["examples"]] == ["SEV1", "SEV2", "SEV3"]
    assert (document["incident"]["phase"], document["incident"]["version"]) == ("closed", 18)


def test_demo_with_an_invalid_policy_is_a_usage_error(files):
    """An invalid --policy is exit 2 with every problem on stderr."""
    result = run("demo", "--policy", files["bad"])
    assert result.returncode == 2
    assert "communication.update_cadence.SEV1" in result.stderr
    assert "alerting.error_rate.warning" in result.stderr
    assert result.stdout == ""


def test_policy_check_valid_file_exits_0(files):
    """A valid file: exit 0."""
    result = run("policy", "check", files["good"])
    assert result.returncode == 0
    assert result.stdout == f"{files['good']}: valid\n"


def test_policy_check_invalid_file_exits_1_listing_every_problem(files):
    """Invalid values are findings: exit 1, each with its key path."""
    result = run("policy", "check", files["good"], files["bad"])
    assert result.returncode == 1
    assert f"{files['bad']}: 2 problems" in result.stdout
    assert (
        "communication.update_cadence.SEV1: SEV1 cadence (2h) is longer than SEV2's (30m) and SEV3's (1h)"
        in result.stdout
    )


@pytest.mark.parametrize("name", ["broken", "missing"])
def test_policy_check_unreadable_file_exits_2(files, name):
    """Broken TOML or a missing file is unreadable input: exit 2."""
    result = run("policy", "check", files["good"], files[name])
    assert result.returncode == 2
    assert str(files[name]) in result.stdout


def test_policy_check_show_prints_the_effective_policy(files):
    """--show prints TOML that loads back to the effective policy."""
    result = run("policy", "check", files["good"], "--show")
    assert result.returncode == 0
    shown = result.stdout.split("\n", 1)[1]
    assert loads_policy(shown) == loads_policy(files["good"].read_text())
    assert loads_policy(shown) != DEFAULT_POLICY


def test_policy_check_json(files):
    """--format json gives one document per file."""
    result = run("policy", "check", files["good"], files["bad"], files["broken"], "--format", "json")
    assert result.returncode == 2
    good, bad, broken = json.loads(result.stdout)
    assert (good["valid"], bad["valid"], broken["valid"]) == (True, False, False)
    assert (bad["readable"], broken["readable"]) == (True, False)
    assert {p["path"] for p in bad["problems"]} == {
        "communication.update_cadence.SEV1",
        "alerting.error_rate.warning",
    }
    assert broken["problems"][0]["line"] == 1


def test_policy_check_github_annotations(files):
    """--format github writes workflow commands with file and line."""
    result = run("policy", "check", files["bad"], files["broken"], "--format", "github")
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"::error file={files['bad']},title=communication.update_cadence.SEV1::")
    assert lines[2].startswith(f"::error file={files['broken']},line=1,title=policy::not valid TOML")


def test_policy_check_against_a_base(tmp_path):
    """--policy is the base each checked file overrides."""
    base = tmp_path / "base.toml"
    base.write_text('communication.update_cadence = { SEV1 = "15m", SEV2 = "3h", SEV3 = "3h" }\n')
    override = tmp_path / "override.toml"
    override.write_text('communication.update_cadence.SEV1 = "2h"\n')
    assert run("policy", "check", override).returncode == 1
    assert run("policy", "check", override, "--policy", base).returncode == 0


def test_dumped_default_checks_clean(tmp_path):
    """What dump_policy writes, policy check accepts."""
    path = tmp_path / "full.toml"
    path.write_text(dump_policy(DEFAULT_POLICY))
    assert run("policy", "check", path).returncode == 0


@pytest.mark.parametrize(
    "arguments",
    [(), ("bogus",), ("policy",), ("policy", "check"), ("demo", "--format", "xml"), ("demo", "--nope")],
)
def test_usage_errors_exit_2(arguments):
    """Bad command lines are exit 2 with usage on stderr."""
    result = run(*arguments)
    assert result.returncode == 2
    assert "usage: incident-process" in result.stderr


def test_version_and_help():
    """--version prints the package version; --help exits 0."""
    from importlib.metadata import version

    assert run("--version").stdout.strip() == f"incident-process {version('incident-process')}"
    result = run("--help")
    assert result.returncode == 0
    assert "Exit codes: 0 clean, 1 findings, 2 usage or unreadable input." in result.stdout


def test_module_entry_point():
    """Python -m incident_process is the same command."""
    result = subprocess.run(
        [sys.executable, "-m", "incident_process", "policy", "check", "--help"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0
    assert "--show" in result.stdout


def test_lint_external_clean_findings_and_unreadable(tmp_path):
    """Exit 0 when clean, 1 with findings (each with its line and rule), 2 for an unreadable file."""
    clean = tmp_path / "clean.txt"
    clean.write_text("We are aware that checkout is failing for some customers.\nNext update at 15:30 UTC.\n")
    leaky = tmp_path / "leaky.txt"
    leaky.write_text("We are aware of errors in checkout.\nIt is on db-7.corp.\nNext update in 30 minutes.\n")
    assert run("lint", "external", clean).stdout == f"{clean}: clean\n"
    result = run("lint", "external", clean, leaky)
    assert result.returncode == 1
    assert f"{leaky}:2: external.internal_host: internal host name 'db-7.corp'" in result.stdout
    assert run("lint", "external", tmp_path / "missing.txt").returncode == 2
    document = json.loads(run("lint", "external", leaky, "--format", "json").stdout)
    assert document[0]["findings"][0]["rule"] == "external.internal_host"
    github = run("lint", "external", leaky, "--format", "github").stdout
    assert github.startswith(f"::error file={leaky},line=2,title=external.internal_host::")


def test_lint_external_reads_standard_input():
    """'-' reads the message from standard input."""
    result = subprocess.run(  # noqa: S603 - our own console script
        [*COMMAND, "lint", "external", "-"],
        input="We are aware that checkout is failing. Next update at 15:30 UTC.",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (0, "<stdin>: clean\n")


def test_demo_shows_every_time_in_the_policys_zone(files):
    """Who held which role, in the policy's zone (Berlin) as the rest of the walk-through."""
    result = run("demo", "--policy", files["good"])
    roles = result.stdout.split("Who held which role:\n", 1)[1].split("\n\n", 1)[0]
    assert roles.splitlines()[0] == "- incident_commander: ana from Sun 09:04 to Wed 09:30"
