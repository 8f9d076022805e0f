"""The record commands of ``incident-process``, run in a subprocess as CI pipelines run them.

audit, deadlines, render, review, schema and lint postmortem, on the shipped examples.
"""

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_cli import run

from incident_process import DEFAULT_POLICY, Incident, dump_record, loads_policy, loads_record
from incident_process.lifecycle import RECORD_SCHEMA, record_schema

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
POLICY = EXAMPLES / "policy.toml"
RECORDS = EXAMPLES / "records"
ON_TIME = RECORDS / "sev1-on-time.json"
LATE = RECORDS / "sev2-late.json"
CLOSED = RECORDS / "sev3-closed.json"
NOW = "2026-12-01T00:00:00Z"
EXAMPLE = loads_policy(POLICY.read_text())


def test_the_examples_are_what_the_generator_writes(tmp_path):
    """examples/make_examples.py reproduces the committed examples byte for byte."""
    copy = tmp_path / "examples"
    copy.mkdir()
    (copy / "make_examples.py").write_text((EXAMPLES / "make_examples.py").read_text())
    subprocess.run([sys.executable, copy / "make_examples.py"], check=True, timeout=60)  # noqa: S603
    for written in sorted(copy.rglob("*.*")):
        assert written.read_text() == (EXAMPLES / written.relative_to(copy)).read_text(), written.name


def test_audit_of_clean_records_exits_zero():
    """Records that met every obligation audit to 0 findings each, and the command exits 0."""
    result = run("audit", "--policy", POLICY, "--now", NOW, ON_TIME, CLOSED)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(
        "Audited as of 2026-12-01T00:00:00+00:00 under 'example-co-2026' "
        f"(fingerprint {EXAMPLE.fingerprint[:12]}).\n"
    )
    assert "INC-2026-101), in America/New_York: 0 findings" in result.stdout
    assert "INC-2026-123), in America/New_York: 0 findings" in result.stdout


def test_audit_reports_each_missed_obligation_with_its_rule():
    """Each missed duty is a finding under its policy rule, an open required step a warning; exit 1."""
    result = run("audit", "--policy", POLICY, "--now", NOW, LATE)
    assert result.returncode == 1
    assert "9 findings" in result.stdout
    assert (
        "detection.responses[0]: missed: acknowledge the page, due 2026-08-18T11:05:00-04:00" in result.stdout
    )
    assert "post_incident.review_within: missed: within 3 business days of resolution" in result.stdout
    assert (
        "warning checklist.required_steps: declaration.create_channel (Create incident channel: "
        "#incident-YYYY-MM-DD-brief-name) was open at resolve (2026-08-18T13:30:00-04:00): never done"
    ) in result.stdout


def test_audit_json_is_one_document_for_programs():
    """--format json is one document: the as-of time, then each record with its findings as data."""
    result = run("audit", "--policy", POLICY, "--now", NOW, "--format", "json", ON_TIME, LATE)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["as_of"] == "2026-12-01T00:00:00+00:00"
    assert [r["incident"] for r in report["records"]] == ["INC-2026-101", "INC-2026-117"]
    assert report["records"][0]["findings"] == []
    first = report["records"][1]["findings"][0]
    assert first["rule"] == "detection.responses[0]"
    assert first["status"] == "missed"
    assert first["due_at"] == "2026-08-18T11:05:00-04:00"


def test_audit_github_format_annotates_the_record():
    """--format github prints the policy as a notice, then one ::error annotation per finding."""
    result = run("audit", "--policy", POLICY, "--now", NOW, "--format", "github", LATE)
    assert result.returncode == 1
    notice, *lines = result.stdout.splitlines()
    assert notice.startswith("::notice title=incident-process::audited under 'example-co-2026'")
    assert len(lines) == 9
    assert lines[0].startswith(f"::error file={LATE},title=detection.responses[0]::missed: acknowledge")


def test_audit_under_another_policy_reads_in_the_records_zone_and_says_which_policy_judged():
    """A record written in New York is judged in New York under the guide; the output names both."""
    result = run("audit", "--now", NOW, ON_TIME)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"under the guide (fingerprint {DEFAULT_POLICY.fingerprint[:12]})" in result.stdout
    assert "INC-2026-101), in America/New_York: 0 findings" in result.stdout


def test_every_audit_output_names_the_policy_that_judged():
    """Text, JSON and GitHub annotations each say the policy's name and fingerprint."""
    as_json = json.loads(run("audit", "--policy", POLICY, "--now", NOW, "--format", "json", LATE).stdout)
    assert as_json["policy"] == {"name": "example-co-2026", "fingerprint": EXAMPLE.fingerprint}
    assert as_json["records"][0]["zone"] == "America/New_York"
    github = run("audit", "--policy", POLICY, "--now", NOW, "--format", "github", LATE).stdout
    assert github.startswith("::notice title=incident-process::audited under 'example-co-2026' (fingerprint ")
    deadlines = run("deadlines", "--policy", POLICY, "--now", NOW, "--format", "json", LATE).stdout
    assert json.loads(deadlines)["policy"]["fingerprint"] == EXAMPLE.fingerprint
    text = run("deadlines", "--policy", POLICY, "--now", NOW, LATE).stdout
    assert "under 'example-co-2026' (fingerprint" in text.splitlines()[0]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{", "line 1: not valid JSON"),
        ('{"schema": "incident-process/record/v0"}', "schema"),
        ("[]", "expected"),
    ],
)
def test_audit_of_an_unreadable_record_exits_two(tmp_path, content, expected):
    """A record that is not JSON, not an object or of an unknown schema exits 2, naming the file."""
    record = tmp_path / "bad.json"
    record.write_text(content)
    result = run("audit", "--now", NOW, record)
    assert result.returncode == 2
    output = result.stdout + result.stderr
    assert "bad.json" in output
    assert expected in output
    assert "Traceback" not in output


def test_audit_of_a_missing_file_exits_two(tmp_path):
    """A record file that does not exist exits 2: the file cannot be read."""
    result = run("audit", tmp_path / "nope.json")
    assert result.returncode == 2
    assert "nope.json: cannot read the file" in result.stdout + result.stderr


def test_a_bad_now_is_a_usage_error():
    """A --now that is not an RFC 3339 time is a usage error (exit 2), not a traceback."""
    result = run("deadlines", "--policy", POLICY, LATE, "--now", "nonsense")
    assert result.returncode == 2
    assert "--now: expected an RFC 3339 time" in result.stderr
    assert "Traceback" not in result.stderr


def test_deadlines_shows_met_missed_and_pending_duties():
    """``deadlines`` shows each duty as met, overdue or pending at --now, and exits 1 when one is late."""
    result = run("deadlines", "--policy", POLICY, LATE, "--now", "2026-08-18T16:00:00Z")
    assert result.returncode == 1
    out = result.stdout
    assert out.startswith(
        "INC-2026-117 as of 2026-08-18T16:00:00+00:00, under 'example-co-2026' (fingerprint "
        f"{EXAMPLE.fingerprint[:12]}), in America/New_York:"
    )
    assert "met at 2026-08-18T11:09:00-04:00: escalate to On-call Lead" in out
    assert "overdue: update 1, due 2026-08-18T11:42:00-04:00 (communication.update_cadence.SEV2)" in out
    assert "pending: update 1, due 2026-08-18T12:00:00-04:00" in out


def test_render_update_fills_facts_from_the_record_and_fields_from_the_command_line():
    """``render`` takes the facts (status, next update) from the record, and people's text from --field."""
    result = run(
        "render", "update", LATE, "--policy", POLICY, "--format", "text",
        "--field", "what_we_know=Checkout fails for EU cards",
        "--field", "what_we_are_doing=Rolling back the payment gateway",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Status: Identified" in result.stdout
    assert "What we know: Checkout fails for EU cards" in result.stdout
    assert "Next update: none, the incident is resolved" in result.stdout  # no update is owed any more


def test_render_names_the_missing_fields_and_how_to_pass_them():
    """``render`` without the template's fields exits 2, naming each one and the --field option."""
    result = run("render", "update", LATE, "--policy", POLICY)
    assert result.returncode == 2
    assert result.stderr == (
        "incident-process: update: missing fields what_we_are_doing, what_we_know; "
        "pass them with --field NAME=VALUE\n"
    )


@pytest.mark.parametrize("field", ["no_equals_sign", "=value"])
def test_render_refuses_a_malformed_field(field):
    """A --field that is not NAME=VALUE, with no '=' or no name, is a usage error."""
    result = run("render", "update", LATE, "--policy", POLICY, "--field", field)
    assert result.returncode == 2
    assert f"--field: expected NAME=VALUE, got {field!r}" in result.stderr


def test_render_postmortem_is_a_document_the_linter_knows_is_unfinished(tmp_path):
    """``render postmortem`` writes a Markdown draft whose placeholders the postmortem linter flags."""
    result = run("render", "postmortem", LATE, "--policy", POLICY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# ")
    draft = tmp_path / "draft.md"
    draft.write_text(result.stdout)
    linted = run("lint", "postmortem", draft)
    assert linted.returncode == 1
    assert "postmortem.placeholder" in linted.stdout


def test_lint_postmortem_passes_a_finished_document_and_reports_a_broken_one():
    """``lint postmortem`` passes a finished postmortem (exit 0) and reports a missing section (exit 1)."""
    result = run("lint", "postmortem", EXAMPLES / "postmortems" / "INC-2026-101.md")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("INC-2026-101.md: clean")
    result = run("lint", "postmortem", EXAMPLES / "postmortems" / "INC-2026-117-draft.md")
    assert result.returncode == 1
    assert "postmortem.missing_section: no '## Root Cause' section" in result.stdout


def test_review_writes_the_quarterly_report():
    """``review`` writes the quarter's Markdown report from the records, with its totals per severity."""
    result = run("review", "--policy", POLICY, "--quarter", "2026Q3", *sorted(RECORDS.glob("*.json")))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Quarterly review 2026Q3")
    assert "| **total** | 1 | 1 | 1 | 3 |" in result.stdout


def test_review_refuses_a_bad_quarter():
    """A --quarter that is not YYYYQn is a usage error (exit 2)."""
    result = run("review", "--policy", POLICY, "--quarter", "2026-Q9", ON_TIME)
    assert result.returncode == 2
    assert "quarter: expected 'YYYYQn'" in result.stderr


def test_schema_prints_the_shipped_schema():
    """``schema`` prints the JSON schema shipped with the package: version 2 of the record format."""
    result = run("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout) == json.loads(record_schema())
    assert json.loads(record_schema())["$id"].endswith(":v2")
    assert RECORD_SCHEMA.startswith("incident-process/record/")


def test_the_example_records_read_back_under_their_policy():
    """Every example record loads under the example policy it was written under."""
    policy = loads_policy(POLICY.read_text())
    for record in RECORDS.glob("*.json"):
        incident = loads_record(record.read_text(), policy=policy)
        assert incident.id.startswith("INC-2026-")


def test_the_readme_main_job_audits_the_examples_after_the_walk_through():
    """``incident-process demo`` with records shows their findings without failing on them."""
    result = run("demo", "--policy", POLICY, "--now", NOW, *sorted(RECORDS.glob("*.json")))
    assert result.returncode == 0, result.stderr
    audited = result.stdout.split("## Incident records, audited", 1)[1]
    assert "3 records, as of 2026-12-01T00:00:00+00:00:" in audited
    assert "sev2-late.json (INC-2026-117), in America/New_York: 9 findings" in audited
    assert "sev1-on-time.json (INC-2026-101), in America/New_York: 0 findings" in audited


def test_the_demo_exits_two_on_an_unreadable_record(tmp_path):
    """``demo`` exits 2 on a record that is not valid JSON, naming the file and the line."""
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    result = run("demo", broken)
    assert result.returncode == 2
    assert "broken.json: line 1: not valid JSON" in result.stdout


def _example(**changes):
    """The SEV3 example record as data, with *changes* applied by a function of it."""
    data = json.loads(CLOSED.read_text())
    for change in changes.values():
        change(data)
    return data


def _set(path, value):
    def change(data):
        *parents, last = path
        for key in parents:
            data = data[key]
        data[last] = value

    return change


def _swap_times(data):
    """The declaration (events[2]) now dated before a checklist step recorded before it."""
    events = data["events"]
    events[1]["at"], events[2]["at"] = events[2]["at"], events[1]["at"]


def _huge(data):
    """About 10 MB: the valid record followed by many copies of one update, the last one naive."""
    update = data["events"][3]
    closing = data["events"][4:]
    copies = []
    for number in range(80_000):
        copy = dict(update, id=f"INC-2026-123:x{number}")
        copies.append(copy)
    copies[-1]["at"] = "2026-09-02T18:15:00"
    data["events"] = data["events"][:4] + copies + closing


MALFORMED = {
    "truncated JSON": (lambda: CLOSED.read_text()[:500], "not valid JSON"),
    "a wrong type": (lambda: _example(c=_set(("events", 1, "severity"), 3)), "events[1].severity"),
    "a naive time": (
        lambda: _example(c=_set(("events", 2, "at"), "2026-09-02T18:11:00")),
        "events[2].at: expected a timezone-aware datetime, got naive",
    ),
    "a decision out of order": (lambda: _example(c=_swap_times), "events[2]: declare refused"),
    "an unknown event type": (
        lambda: _example(c=_set(("events", 2, "type"), "teleported")),
        "events[2].type",
    ),
    "an unknown schema version": (
        lambda: _example(c=_set(("schema",), "incident-process/record/v9")),
        "incident-process/record/v9",
    ),
    "a 10 MB record with one bad time": (
        lambda: _example(c=_huge),
        "events[80003].at: expected a timezone-aware datetime, got naive",
    ),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_record_exits_two_with_one_line_naming_the_path(tmp_path, case):
    """A malformed record, even a 10 MB one, exits 2 with one line naming the file and the problem."""
    make, expected = MALFORMED[case]
    content = make()
    record = tmp_path / "record.json"
    record.write_text(content if isinstance(content, str) else json.dumps(content))
    result = run("audit", "--policy", POLICY, "--now", NOW, record)
    assert result.returncode == 2, result.stdout
    header, *lines = result.stdout.splitlines()
    assert header.startswith("Audited as of 2026-12-01T00:00:00+00:00 under 'example-co-2026'")
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{record}: ")
    assert expected in lines[0]
    assert "Traceback" not in result.stderr


def test_deadlines_as_json_lists_every_duty():
    """``deadlines --format json`` gives each duty's kind, rule, times, status and detail as data."""
    result = run("deadlines", "--policy", POLICY, LATE, "--now", "2026-08-18T16:00:00Z", "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["incident"] == "INC-2026-117"
    first = report["obligations"][0]
    assert first == {
        "kind": "acknowledge",
        "rule": "detection.responses[0]",
        "owed_from": "2026-08-18T11:00:00-04:00",
        "due_at": "2026-08-18T11:05:00-04:00",
        "status": "missed",
        "met_at": "2026-08-18T11:09:00-04:00",
        "detail": "acknowledge the page",
    }


def test_deadlines_as_github_annotations_only_the_late_duties():
    """``deadlines --format github`` annotates only the missed and overdue duties, not met or pending."""
    result = run("deadlines", "--policy", POLICY, LATE, "--now", "2026-08-18T16:00:00Z", "--format", "github")
    assert result.returncode == 1
    notice, *lines = result.stdout.splitlines()
    assert notice.startswith("::notice title=incident-process::INC-2026-117 judged under 'example-co-2026'")
    assert lines[0] == (
        f"::error file={LATE},title=detection.responses[0]::missed: acknowledge the page, "
        "due 2026-08-18T11:05:00-04:00"
    )
    assert all("::missed: " in line or "::overdue: " in line for line in lines)


def test_review_as_json_gives_the_figures():
    """``review --format json`` gives the quarter's figures: the total and the count per severity."""
    records = sorted(RECORDS.glob("*.json"))
    result = run("review", "--policy", POLICY, "--quarter", "2026Q3", "--format", "json", *records)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["quarter"] == "2026Q3"
    assert report["total"] == 3
    assert report["by_severity"] == {"SEV1": 1, "SEV2": 1, "SEV3": 1}


def test_review_names_an_unreadable_record_and_reviews_the_rest(tmp_path):
    """``review`` names an unreadable record and exits 2, but still reports on the other records."""
    broken = tmp_path / "broken.json"
    broken.write_text("[]")
    result = run("review", "--policy", POLICY, "--quarter", "2026Q3", ON_TIME, broken, LATE)
    assert result.returncode == 2
    assert result.stderr.startswith(f"incident-process: {broken}: ")
    assert "| **total** | 1 | 1 | 0 | 2 |" in result.stdout


def test_render_declaration_of_a_closed_incident_names_its_last_commander():
    """A closed incident holds no role; its declaration still names who was in command."""
    result = run(
        "render", "declaration", ON_TIME, "--policy", POLICY, "--format", "text",
        "--field", "impact=All API calls fail",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "INCIDENT DECLARED - SEV1" in result.stdout
    assert "Incident commander: @ana" in result.stdout


# --- policy diff ------------------------------------------------------------------------


STRICTER = """\
name = "stricter"
zone = "America/New_York"
[calendar]
country = "US"
[communication.update_cadence]
SEV1 = "10m"
SEV3 = "45m"
[resolution.quiet_period]
SEV2 = "30m"
[post_incident]
review_within = "2 business days"
"""


def test_policy_diff_reports_what_a_change_does_to_each_record(tmp_path):
    """A 10-minute SEV1 cadence makes the on-time SEV1 late: worse, exit 1; each change named."""
    new = tmp_path / "new.toml"
    new.write_text(STRICTER)
    result = run("policy", "diff", POLICY, new, *sorted(RECORDS.glob("*.json")), "--now", NOW)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("From 'example-co-2026' (fingerprint ")
    assert "to 'stricter' (fingerprint " in lines[0]
    assert "examples/records/sev1-on-time.json (INC-2026-101): worse" in result.stdout
    assert (
        "  worse newly missed: update 1, due 2026-07-14T09:13:00-04:00 (was 2026-07-14T09:18:00-04:00) "
        "(communication.update_cadence.SEV1)"
    ) in lines
    assert (
        "  due moved: within 2 business days of resolution, due 2026-07-16T23:59:59.999999-04:00 "
        "(was 2026-07-17T23:59:59.999999-04:00) (post_incident.review_within)"
    ) in lines
    assert "examples/records/sev2-late.json (INC-2026-117): changed" in result.stdout
    assert "examples/records/sev3-closed.json (INC-2026-123): unchanged" in result.stdout


def test_policy_diff_of_the_same_policy_changes_nothing_and_exits_zero():
    """The same policy on both sides: every record unchanged."""
    result = run("policy", "diff", POLICY, POLICY, *sorted(RECORDS.glob("*.json")), "--now", NOW)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": unchanged") == 3


def test_policy_diff_for_programs_and_for_github(tmp_path):
    """JSON says both policies and each change; GitHub gets an error annotation per worse change."""
    new = tmp_path / "new.toml"
    new.write_text(STRICTER)
    document = json.loads(
        run("policy", "diff", POLICY, new, ON_TIME, "--now", NOW, "--format", "json").stdout
    )
    assert document["old"] == {"name": "example-co-2026", "fingerprint": EXAMPLE.fingerprint}
    assert document["new"]["name"] == "stricter"
    (record,) = document["records"]
    assert record["worse"] is True
    assert {change["change"] for change in record["changes"]} == {"newly missed", "due moved"}
    github = run(
        "policy", "diff", POLICY, new, ON_TIME, "--now", NOW, "--format", "github"
    ).stdout.splitlines()
    assert github[0].startswith("::notice title=incident-process::compared with 'example-co-2026'")
    assert len(github) == 1 + sum(change["worse"] for change in record["changes"])
    assert all(line.startswith("::error file=") for line in github[1:])


def test_policy_diff_of_an_unreadable_record_or_policy_exits_two(tmp_path):
    """A record that does not read, or a policy that is invalid, is named; exit 2."""
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    result = run("policy", "diff", POLICY, POLICY, broken, "--now", NOW)
    assert result.returncode == 2
    assert "broken.json: line 1: not valid JSON" in result.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text("zone = 5")
    result = run("policy", "diff", POLICY, bad, ON_TIME, "--now", NOW)
    assert result.returncode == 2
    assert "zone: expected" in result.stderr


def test_a_record_resolved_under_a_shorter_quiet_period_reads_and_its_audit_names_the_policy(tmp_path):
    """Written under a 15-minute SEV2 quiet period, read under 30: it loads, and the audit says who judged."""
    start = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
    incident = Incident.detect(id="INC-3", title="Slow API", source="automated_alert", at=start)
    incident = incident.declare(at=start, by="ana", declarer_role="on_call_engineer", severity="SEV2")
    incident = incident.start_response(at=start + timedelta(minutes=1))
    incident = incident.resolve(at=start + timedelta(minutes=40), last_error_at=start + timedelta(minutes=25))
    record = tmp_path / "INC-3.json"
    record.write_text(dump_record(incident))
    thirty = tmp_path / "thirty.toml"
    thirty.write_text('name = "thirty"\n[resolution.quiet_period]\nSEV2 = "30m"\n')
    result = run("audit", "--policy", thirty, "--now", NOW, record)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "under 'thirty' (fingerprint " in result.stdout
    assert "resolution.quiet_period.SEV2: missed: no new error reports before resolving" in result.stdout
