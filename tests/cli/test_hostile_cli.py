"""The command line under hostile input (issue 19, defects 2, 5, 7 and 8), run as CI runs it.

What a record, a file name or a message holds never becomes a GitHub Actions
workflow command or a terminal control in any format; standard input is read
by the rules of a file; the charts never overwrite or follow a link; a reader
that leaves early never turns findings into a clean exit; times beyond the
accepted years are refused with exit 2.
"""

import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_cli import COMMAND, run

from incident_process.cli import main
from incident_process.cli._files import TEXT_LIMIT
from incident_process.cli._output import Command, Output, escape_data, escape_property, guard_line, one_line

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
POLICY = EXAMPLES / "policy.toml"
LATE = EXAMPLES / "records" / "sev2-late.json"
NOW = "2026-12-01T00:00:00Z"
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
HOSTILE = "\n::error file=x.py,line=1::pwned\n::stop-commands::t0k3n\r::add-mask::x\n##[error]v1\n"


def runner_lines(output):
    """The lines a GitHub runner reads (it splits on CR, LF and CRLF)."""
    return re.split(r"\r\n|\r|\n", output)


def commands(output):
    """The lines of *output* the runner would take as workflow commands (v2 ``::``, v1 ``##[``)."""
    return [line for line in runner_lines(output) if line.lstrip().startswith("::") or "##[" in line]


def unescape_data(text):
    """The runner's UnescapeData (actions/runner, ActionCommand.cs)."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text):
    """The runner's UnescapeProperty."""
    return unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def hostile_record(tmp_path, name="hostile.json"):
    """The late example with an unknown top-level key and an unknown event key full of commands."""
    record = json.loads(LATE.read_text())
    record[HOSTILE] = 1
    record["events"][0]["\x1b]0;title\x07 ##[warning]k"] = 1
    path = tmp_path / name
    path.write_text(json.dumps(record))
    return path


def test_unknown_record_keys_emit_no_workflow_command_in_text(tmp_path):
    """Defect 5: keys like "<LF>::error ..." and "::stop-commands::" are shown escaped, on their line."""
    result = run("audit", "--now", NOW, hostile_record(tmp_path))
    assert result.returncode == 2
    assert commands(result.stdout) == []
    assert commands(result.stderr) == []
    assert CONTROLS.search(result.stdout) is None
    [line] = [line for line in result.stdout.splitlines() if "unknown key" in line]
    assert "\\n::error file=x.py,line=1::pwned\\n::stop-commands::t0k3n" in line


def test_unknown_record_keys_in_github_format_are_escaped_data(tmp_path):
    """Defect 5: the only commands are the tool's own, and the message comes back whole as their data."""
    path = hostile_record(tmp_path)
    result = run("audit", "--now", NOW, "--format", "github", path)
    assert result.returncode == 2
    lines = [line for line in runner_lines(result.stdout) if line]
    assert len(lines) == 2
    assert lines[0].startswith("::notice title=incident-process::")
    assert lines[1].startswith(f"::error file={path},title=record::")
    data = unescape_data(lines[1].split("::", 2)[2])
    error = json.loads(run("audit", "--now", NOW, "--format", "json", path).stdout)["records"][0]["error"]
    assert data == re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", error)


def test_unknown_record_keys_in_json_keep_their_value(tmp_path):
    """Defect 5: JSON is data: the key reads back exactly, yet no line holds "##[" for the runner."""
    result = run("audit", "--now", NOW, "--format", "json", hostile_record(tmp_path))
    assert result.returncode == 2
    assert commands(result.stdout) == []
    error = json.loads(result.stdout)["records"][0]["error"]
    assert "stop-commands::t0k3n" in error


def test_a_hostile_file_name_is_escaped_in_every_format(tmp_path):
    """Defect 5: a file named like a command (the pre-commit hook passes names as they are)."""
    named = "::error::x%0A,y:z\n::stop-commands::n.txt"
    (tmp_path / named).write_text("We are aware of errors in checkout.\nIt is on db-7.corp.\n")
    text = run("lint", "external", named, cwd=tmp_path)
    assert text.returncode == 1
    assert commands(text.stdout) == []
    assert text.stdout.startswith("\\::error::x%0A,y:z\\n::stop-commands::n.txt:1: ")
    github = run("lint", "external", "--format", "github", named, cwd=tmp_path)
    annotation = github.stdout.splitlines()[0]
    assert all(line.startswith("::error file=") for line in runner_lines(github.stdout) if line)
    properties = annotation.split("::")[1]
    assert unescape_property(properties.split(",")[0].removeprefix("error file=")) == named
    document = json.loads(run("lint", "external", "--format", "json", named, cwd=tmp_path).stdout)
    assert document[0]["file"] == named


def test_controls_are_dropped_from_text_output(tmp_path):
    """Defect 5: ESC, BEL, NUL, CR and C1 (U+009B) in a record never reach the terminal."""
    record = json.loads(LATE.read_text())
    record["title"] = "API\x1b[31m down\x07\x00\r\x9b2J"
    record["events"][0]["title"] = record["title"]
    path = tmp_path / "controls.json"
    path.write_text(json.dumps(record))
    for kind, options in [("postmortem", []), ("declaration", ["--format", "text"])]:
        fields = ["current_status=x", "detection=y", "impact=z", "incident_commander=w", "severity=SEV2"]
        extra = [item for field in fields for item in ("--field", field)] if kind == "declaration" else []
        extra += ["--field", "issue=\x1b[2J\x9b2J::error::x"] if kind == "declaration" else []
        result = run("render", kind, path, *options, *extra)
        assert result.returncode == 0, result.stderr
        assert CONTROLS.search(result.stdout) is None, repr(result.stdout)
        assert commands(result.stdout) == []


def test_a_usage_error_keeps_its_problems_on_lines_of_their_own(tmp_path):
    """A policy error on standard error lists each problem on its own line, each line guarded as output is."""
    policy = tmp_path / "bad.toml"
    policy.write_text('zone = "America"\n[communication.update_cadence]\nSEV1 = "200000000h"\n')
    result = run("demo", "--policy", policy)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("incident-process: invalid policy in ")
    assert "  zone: unknown IANA time zone 'America'" in lines
    assert "\\n" not in result.stderr


def test_standard_input_closed_is_a_usage_error():
    """Defect 7: ``lint external - <&-`` exits 2 with a message, not AttributeError."""
    script = f"{' '.join(COMMAND)} lint external - <&-"
    result = subprocess.run(  # noqa: S603 - bash running our own console script
        ["/bin/bash", "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 2
    assert "standard input is closed" in result.stdout
    assert "Traceback" not in result.stderr


def test_invalid_utf8_on_standard_input_is_refused_like_a_file(tmp_path):
    """Defect 7: one rule for both: the same bytes give exit 2 and the same message."""
    data = b"We are aware \xff\xfe of it.\n"
    file = tmp_path / "bad.txt"
    file.write_bytes(data)
    from_file = run("lint", "external", file)
    from_stdin = subprocess.run(  # noqa: S603 - our own console script
        [*COMMAND, "lint", "external", "-"], input=data, capture_output=True, check=False, timeout=60
    )
    assert (from_file.returncode, from_stdin.returncode) == (2, 2)
    assert from_file.stdout.split(": ", 1)[1] == from_stdin.stdout.decode().split(": ", 1)[1]


def test_standard_input_is_read_up_to_the_limit_only(tmp_path):
    """Defect 7: /dev/zero on standard input is refused at the limit, as a file over it is: exit 2."""
    zero_device = Path("/dev/zero")
    if not zero_device.exists():
        pytest.skip("no /dev/zero")
    with zero_device.open("rb") as zero:
        result = subprocess.run(  # noqa: S603 - our own console script
            [*COMMAND, "lint", "external", "-"],
            stdin=zero,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"more than {TEXT_LIMIT:,} bytes, over the limit" in result.stdout
    large = tmp_path / "large.txt"
    large.write_bytes(b"a" * (TEXT_LIMIT + 1))
    result = run("lint", "external", large)
    assert result.returncode == 2
    assert "over the limit" in result.stdout


@pytest.fixture
def charts(capsys):
    """``review --charts DIR [OPTIONS]`` on the late example, as a function of DIR and the options.

    In this process (matplotlib loads once, not in every run): the exit code and standard error.
    """
    pytest.importorskip("matplotlib")

    def review(directory, *options):
        arguments = [
            "review",
            "--policy",
            POLICY,
            LATE,
            "--quarter",
            "2026Q3",
            "--charts",
            directory,
            *options,
        ]
        code = main([str(argument) for argument in arguments])
        return code, capsys.readouterr().err

    return review


def test_charts_are_not_overwritten_without_force(tmp_path, charts):
    """Defect 7: a second run refuses (exit 2, files untouched); --force replaces them."""
    directory = tmp_path / "charts"
    assert charts(directory)[0] == 0
    written = sorted(directory.iterdir())
    assert len(written) == 3
    for path in written:
        path.write_text("mine")
    code, said = charts(directory)
    assert code == 2
    assert "not overwritten without --force" in said
    assert all(path.read_text() == "mine" for path in written)
    assert charts(directory, "--force")[0] == 0
    assert all(path.read_text().startswith("<?xml") for path in written)
    assert sorted(directory.iterdir()) == written  # no temporary file left behind


def test_charts_never_follow_a_symbolic_link(tmp_path, charts):
    """Defect 7: a chart's name taken by a link (even a dangling one) is refused, even with --force."""
    directory = tmp_path / "charts"
    directory.mkdir()
    victim = tmp_path / "victim"
    victim.write_text("secret")
    (directory / "2026Q3-mttr.svg").symlink_to(victim)
    (directory / "2026Q3-on-call-burden.svg").symlink_to(tmp_path / "nowhere")
    for options in [(), ("--force",)]:
        code, said = charts(directory, *options)
        assert code == 2
        assert "is a symbolic link" in said
    assert victim.read_text() == "secret"
    assert not (tmp_path / "nowhere").exists()
    assert sorted(path.name for path in directory.iterdir()) == [
        "2026Q3-mttr.svg",
        "2026Q3-on-call-burden.svg",
    ]


def test_a_charts_path_that_cannot_hold_charts_is_a_usage_error(tmp_path, charts):
    """Defect 7: a file, a path under a file, a misplaced --force: exit 2 with a message, no traceback."""
    file = tmp_path / "file"
    file.write_text("")
    for directory, expected in [(file, "is not a directory"), (file / "sub", "cannot make the directory")]:
        code, said = charts(directory)
        assert code == 2
        assert expected in said
    result = run("review", LATE, "--quarter", "2026Q3", "--force")
    assert result.returncode == 2
    assert "--force: only with --charts" in result.stderr


def test_a_closed_pipe_keeps_the_findings_exit_code():
    """Defect 8: ``audit ... | head -1`` under ``set -o pipefail`` exits 1 (findings), not 0."""
    records = " ".join([f"'{LATE}'"] * 40)  # about 150 KB of JSON: more than a pipe holds
    script = (
        f"set -o pipefail; {' '.join(COMMAND)} audit --policy '{POLICY}' --now {NOW} --format json "
        f"{records} | head -1"
    )
    result = subprocess.run(  # noqa: S603 - bash running our own console script
        ["/bin/bash", "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert (result.returncode, result.stdout) == (1, "{\n")
    assert "Traceback" not in result.stderr
    assert "Exception ignored" not in result.stderr


def test_a_reader_that_leaves_after_one_line_does_not_change_the_exit_code():
    """Defect 8: a reader that closes the pipe after one line; the command still exits 1 for findings."""
    with subprocess.Popen(  # noqa: S603 - our own console script
        [*COMMAND, "audit", "--policy", POLICY, "--now", NOW, "--format", "json", *[LATE] * 40],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout.readline() == b"{\n"
        process.stdout.close()
        assert process.wait(timeout=60) == 1
        assert b"Traceback" not in process.stderr.read()


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (
            ("audit", LATE, "--now", "9999-12-31T23:59:59-14:00"),
            "--now: 9999-12-31T23:59:59-14:00 is outside",
        ),
        (("deadlines", LATE, "--now", "0001-01-01T00:00:00+01:00"), "--now: 0001-01-01T00:00:00+01:00 is"),
        (("review", LATE, "--quarter", "9999Q4"), "--quarter: '9999Q4' is outside the accepted years"),
        (("review", LATE, "--quarter", "0001Q1"), "--quarter: '0001Q1' is outside the accepted years"),
    ],
)
def test_times_beyond_the_accepted_years_are_usage_errors(arguments, said):
    """Defect 2, the command line's side: exit 2 and the accepted range, never OverflowError."""
    result = run(*arguments)
    assert result.returncode == 2
    assert said in result.stderr
    assert "1900 to 2999" in result.stderr
    assert "Traceback" not in result.stderr


def written(writes, *, structured=False):
    """What :class:`Output` writes of *writes*, to a string."""
    target = io.StringIO()
    output = Output(target, structured=structured)
    for text in writes:
        output.write(text)
    output.flush()
    return target.getvalue()


@given(st.lists(st.text(max_size=30), max_size=8))
def test_no_text_written_is_a_workflow_command_or_holds_a_control(writes):
    """Property: whatever pieces are written as text, no line starts a command and no control is left."""
    output = written(writes)
    assert commands(output) == []
    assert CONTROLS.search(output) is None


@given(st.text(max_size=40))
def test_escaped_values_come_back_whole_from_the_runner(text):
    """Property: the runner's unescaping gives back the value (its controls but CR and LF dropped)."""
    kept = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", text.replace("\t", " "))
    assert unescape_data(escape_data(text)) == kept
    assert unescape_property(escape_property(text)) == kept
    line = f"::error file={escape_property(text)},title=t::{escape_data(text)}"
    assert len(runner_lines(line)) == 1
    end = line.index("::", 2)  # as the runner's TryParseV2 reads the line
    name, _, properties = line[2:end].partition(" ")
    pairs = dict(pair.split("=", 1) for pair in properties.split(",") if pair)
    assert name == "error"
    assert pairs["title"] == "t"
    assert unescape_property(pairs["file"]) == kept
    assert unescape_data(line[end + 2 :]) == kept


@given(st.text(max_size=40))
def test_json_keeps_every_value(text):
    """Property: JSON written through the guard reads back the same, with no "##[" for the runner."""
    output = written([json.dumps({"value": "##[" + text}, indent=2), "\n"], structured=True)
    assert json.loads(output) == {"value": "##[" + text}
    assert commands(output) == []


def test_the_tools_own_commands_pass_and_values_are_one_line():
    """A Command is written as it is; one_line shows line breaks; guard_line escapes "::" and "##[" alone."""
    assert written([Command("::error file=a::b\n")]) == "::error file=a::b\n"
    assert written(["::error file=a::b\n"]) == "\\::error file=a::b\n"
    assert one_line("a\r\nb\tc\x1b") == "a\\nb c"
    assert guard_line("\u2003\u200b::x ##[y]") == "\u2003\u200b\\::x ##\\[y]"
