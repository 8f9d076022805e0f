"""The command line with a store: import, export, and audit, deadlines and review with --store."""

import json
import subprocess
import sys
from pathlib import Path

from store_examples import opened

EXAMPLES = Path(__file__).parents[2] / "examples"
POLICY = EXAMPLES / "policy.toml"
RECORDS = sorted((EXAMPLES / "records").glob("*.json"))
NOW = "2026-12-01T00:00:00Z"


def run(*arguments):
    return subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "incident_process", *map(str, arguments)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_import_adds_records_and_a_second_import_changes_nothing(store_url):
    """Each record is added once; importing again reports each unchanged; exit 0."""
    first = run("store", "import", "--store", store_url, "--policy", POLICY, *RECORDS)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "INC-2026-101 added (30 events)" in first.stdout
    again = run("store", "import", "--store", store_url, "--policy", POLICY, *RECORDS)
    assert again.returncode == 0
    assert again.stdout.count("unchanged") == 3
    with opened(store_url) as store:
        assert sorted(incident.id for incident in store.incidents()) == [
            "INC-2026-101",
            "INC-2026-117",
            "INC-2026-123",
        ]


def test_import_appends_what_the_store_does_not_hold_and_names_a_conflict(store_url, tmp_path):
    """A longer record of a stored incident appends; another history of it is a conflict, exit 1."""
    record = json.loads(RECORDS[0].read_text())
    shorter = tmp_path / "shorter.json"
    shorter.write_text(json.dumps({**record, "events": record["events"][:10]}))
    assert run("store", "import", "--store", store_url, "--policy", POLICY, shorter).returncode == 0
    longer = run("store", "import", "--store", store_url, "--policy", POLICY, RECORDS[0])
    assert "INC-2026-101 appended 20 events" in longer.stdout
    other = dict(record)
    other["events"] = [
        *record["events"][:2],
        {**record["events"][2], "by": "someone else"},
        *record["events"][3:],
    ]
    conflicting = tmp_path / "other.json"
    conflicting.write_text(json.dumps(other))
    result = run("store", "import", "--store", store_url, "--policy", POLICY, conflicting)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "INC-2026-101 conflicts: the store holds another history of it" in result.stdout


def test_export_writes_records_that_read_back(store_url, tmp_path):
    """Every stored incident as a record file named after its id; equal to the imported record."""
    run("store", "import", "--store", store_url, "--policy", POLICY, *RECORDS)
    result = run("store", "export", "--store", store_url, "--policy", POLICY, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    written = sorted((tmp_path / "out").glob("*.json"))
    assert [path.name for path in written] == ["INC-2026-101.json", "INC-2026-117.json", "INC-2026-123.json"]
    assert json.loads(written[0].read_text()) == json.loads(RECORDS[0].read_text())


def test_audit_deadlines_and_review_read_a_store(store_url):
    """--store instead of record files: the same audit, the deadlines of one incident, the review."""
    run("store", "import", "--store", store_url, "--policy", POLICY, *RECORDS)
    audit = run("audit", "--store", store_url, "--policy", POLICY, "--now", NOW)
    assert audit.returncode == 1
    assert "INC-2026-117, in America/New_York: 9 findings" in audit.stdout
    assert "INC-2026-101, in America/New_York: 0 findings" in audit.stdout
    only = run("audit", "--store", store_url, "--policy", POLICY, "--now", NOW, "INC-2026-101")
    assert only.returncode == 0
    assert "INC-2026-117" not in only.stdout
    deadlines = run("deadlines", "--store", store_url, "--policy", POLICY, "--now", NOW, "INC-2026-117")
    assert deadlines.stdout.startswith("INC-2026-117 as of 2026-12-01T00:00:00+00:00")
    review = run(
        "review", "--store", store_url, "--policy", POLICY, "--quarter", "2026Q3", "--format", "json"
    )
    assert json.loads(review.stdout)["total"] == 3


def test_an_unknown_incident_or_store_exits_two(store_url, tmp_path):
    """An id the store does not have, a store that cannot be opened, or no input at all: exit 2."""
    missing = run("deadlines", "--store", store_url, "--now", NOW, "INC-9")
    assert missing.returncode == 2
    assert "no incident 'INC-9'" in missing.stdout
    nowhere = run("audit", "--store", f"sqlite:///{tmp_path}/no/such/dir.db")
    assert nowhere.returncode == 2
    assert "cannot open it as an incident store" in nowhere.stderr
    bad = run("audit", "--store", "mysql://db")
    assert "expected sqlite:///path/to/file.db or postgresql://" in bad.stderr
    nothing = run("audit")
    assert nothing.returncode == 2
    assert "give incident records, or a store with --store URL" in nothing.stderr
