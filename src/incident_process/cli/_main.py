"""The ``incident-process`` command line, for people and CI pipelines.

Exit codes: 0 clean, 1 findings (e.g. an invalid policy), 2 usage errors or
unreadable input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TextIO

from incident_process.errors import (
    MessageError,
    MissingExtraError,
    PolicyError,
    Problem,
    RecordError,
    ReviewError,
)
from incident_process.policy import DEFAULT_POLICY, Policy, dump_policy, load_policy
from incident_process.policy._file import parse_toml, policy_from_dict, policy_to_dict, read_text
from incident_process.timing._moments import aware_problem, is_aware
from incident_process.vocabulary import ObligationStatus, RequirementLevel

if TYPE_CHECKING:
    from incident_process.comms import Finding
    from incident_process.lifecycle import Incident, Obligation

__all__ = ["main"]

CLEAN, FINDINGS, UNREADABLE = 0, 1, 2


class _Usage(Exception):  # noqa: N818 - private signal, not an error the library raises
    """Bad input on the command line itself: exit code 2."""


def _parser() -> argparse.ArgumentParser:
    from importlib.metadata import version

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--policy", metavar="FILE", help="a policy TOML file overriding the guide's defaults")
    common.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="output for people (text), programs (json) or GitHub Actions annotations (github)",
    )
    parser = argparse.ArgumentParser(
        prog="incident-process",
        description="The incident-response guide as executable policy.",
        epilog="Exit codes: 0 clean, 1 findings, 2 usage or unreadable input.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('incident-process')}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    demo = commands.add_parser(
        "demo",
        parents=[common],
        help="show the effective policy as the guide's tables, then walk an example incident through it",
    )
    demo.add_argument(
        "files",
        metavar="RECORD",
        nargs="*",
        help="incident records to audit after the walk-through, such as examples/records/*.json",
    )
    demo.add_argument(
        "--now", metavar="TIME", help="the moment to audit the records as of (RFC 3339; default: now)"
    )
    policy = commands.add_parser("policy", help="work with policy files")
    policy_commands = policy.add_subparsers(dest="policy_command", metavar="COMMAND", required=True)
    check = policy_commands.add_parser(
        "check",
        parents=[common],
        help="validate policy TOML files (each overriding --policy, or the guide)",
    )
    check.add_argument("files", metavar="FILE", nargs="+", help="policy TOML files to check")
    check.add_argument("--show", action="store_true", help="print each effective policy as TOML")
    lint = commands.add_parser("lint", help="lint messages and documents")
    lint_commands = lint.add_subparsers(dest="lint_command", metavar="COMMAND", required=True)
    external = lint_commands.add_parser(
        "external",
        parents=[common],
        help="find what must not be said outside (and what is missing) in customer-facing messages",
    )
    external.add_argument("files", metavar="FILE", nargs="+", help="message files, or - for standard input")
    postmortem = lint_commands.add_parser(
        "postmortem", parents=[common], help="validate post-incident documents (Markdown)"
    )
    postmortem.add_argument("files", metavar="FILE", nargs="+", help="post-incident documents")
    audit = commands.add_parser(
        "audit",
        parents=[common],
        help="replay incident records; report every obligation missed or overdue, and role requirements",
    )
    audit.add_argument("files", metavar="RECORD", nargs="+", help="incident records (JSON)")
    audit.add_argument("--now", metavar="TIME", help="the moment to audit as of (RFC 3339; default: now)")
    deadlines = commands.add_parser("deadlines", parents=[common], help="what an incident owes, and when")
    deadlines.add_argument("files", metavar="RECORD", nargs=1, help="an incident record (JSON)")
    deadlines.add_argument("--now", metavar="TIME", help="the moment to ask about (RFC 3339; default: now)")
    render = commands.add_parser("render", help="render the guide's messages for an incident record")
    render.add_argument("kind", choices=("declaration", "update", "resolution", "postmortem"))
    render.add_argument("record", metavar="RECORD", help="an incident record (JSON)")
    render.add_argument("--policy", metavar="FILE", help="a policy TOML file overriding the guide's defaults")
    render.add_argument("--format", choices=("slack", "markdown", "text"), default="slack")
    render.add_argument(
        "--field",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="a field of the message (repeatable)",
    )
    review = commands.add_parser("review", parents=[common], help="the quarterly review of incident records")
    review.add_argument("files", metavar="RECORD", nargs="+", help="incident records (JSON)")
    review.add_argument("--quarter", required=True, help="the quarter, like 2026Q3")
    review.add_argument("--charts", metavar="DIR", help="also write the charts (needs the charts extra)")
    commands.add_parser("schema", help="print the JSON Schema of incident records")
    return parser


def _base_policy(path: str | None) -> Policy:
    if path is None:
        return DEFAULT_POLICY
    try:
        return load_policy(path)
    except PolicyError as error:
        raise _Usage(str(error)) from None


def _demo(arguments: argparse.Namespace, out: TextIO) -> int:
    from incident_process.detection import classify_severity

    from ._demo import EXAMPLE_IMPACTS, demo_text, example_incident

    policy = _base_policy(arguments.policy)
    now = _now(arguments.now)
    audited, records = _audited(arguments.files, policy, now)
    # A demonstration shows findings without failing on them; only unreadable input is an error.
    code = UNREADABLE if audited == UNREADABLE else CLEAN
    if arguments.format != "json":
        out.write(demo_text(policy))
        if records:
            out.write(
                f"\n## Incident records, audited\n\n{len(records)} records, as of {now.isoformat()}:\n\n"
            )
            _write_report(records, "text", out, header=f"as of {now.isoformat()}")
        return code
    incident, story = example_incident(policy)
    examples = []
    for description, impact in EXAMPLE_IMPACTS:
        result = classify_severity(impact, policy)
        examples.append({"impact": description, "severity": result.severity.value, "reason": result.reason})
    document = {
        "policy": _plain(policy),
        "examples": examples,
        "incident": {
            "id": incident.id,
            "phase": incident.phase.value,
            "severity": incident.severity.value if incident.severity else None,
            "version": incident.version,
            "story": story,
        },
        "records": records,
    }
    json.dump(document, out, indent=2)
    out.write("\n")
    return code


def _plain(policy: Policy) -> object:
    return policy_to_dict(policy)


def _check(arguments: argparse.Namespace, out: TextIO) -> int:
    base = _base_policy(arguments.policy)
    reports: list[tuple[str, int, tuple[Problem, ...], Policy | None]] = []
    worst = CLEAN
    for name in arguments.files:
        policy = None
        try:
            data = parse_toml(read_text(name), source=name)
        except PolicyError as error:
            reports.append((name, UNREADABLE, error.problems, None))
            worst = max(worst, UNREADABLE)
            continue
        try:
            policy = policy_from_dict(data, base=base, source=name)
        except PolicyError as error:
            reports.append((name, FINDINGS, error.problems, None))
            worst = max(worst, FINDINGS)
            continue
        reports.append((name, CLEAN, (), policy))
    if arguments.format == "json":
        documents = [
            {
                "file": name,
                "valid": status == CLEAN,
                "readable": status != UNREADABLE,
                "problems": [{"path": p.path, "message": p.message, "line": p.line} for p in problems],
                **({"policy": _plain(policy)} if arguments.show and policy is not None else {}),
            }
            for name, status, problems, policy in reports
        ]
        json.dump(documents, out, indent=2)
        out.write("\n")
        return worst
    for name, status, problems, policy in reports:
        if arguments.format == "github":
            out.writelines(_annotation(name, problem) + "\n" for problem in problems)
        elif status == CLEAN:
            out.write(f"{name}: valid\n")
        else:
            out.write(f"{name}: {len(problems)} problem{'s' if len(problems) != 1 else ''}\n")
            out.writelines(f"  {problem}\n" for problem in problems)
        if arguments.show and policy is not None:
            out.write(dump_policy(policy))
    return worst


def _read_message(name: str) -> str:
    """A message file's text, or standard input for ``-``."""
    if name == "-":
        return sys.stdin.read()
    return read_text(name)


def _lint_external(arguments: argparse.Namespace, out: TextIO) -> int:
    from incident_process.comms import lint_external

    policy = _base_policy(arguments.policy)
    return _lint_files(arguments, out, _read_message, lambda text: lint_external(text, policy))


def _lint_files(
    arguments: argparse.Namespace,
    out: TextIO,
    read: Callable[[str], str],
    lint: Callable[[str], list[Finding]],
) -> int:
    """Lint each file; an unreadable one is reported and the others still linted."""
    results: list[tuple[str, str | None, list[Finding]]] = []  # (file, error, findings)
    for name in _progress(arguments.files):
        shown = "<stdin>" if name == "-" else name
        try:
            text = read(name)
        except PolicyError as error:
            results.append((shown, error.problems[0].message, []))
        else:
            results.append((shown, None, lint(text)))
    _write_lint(results, arguments.format, out)
    if any(error is not None for _, error, _ in results):
        return UNREADABLE
    return FINDINGS if any(findings for _, _, findings in results) else CLEAN


def _write_lint(results: list[tuple[str, str | None, list[Finding]]], format: str, out: TextIO) -> None:  # noqa: A002
    if format == "json":
        documents = [
            {
                "file": name,
                "readable": error is None,
                **({"error": error} if error is not None else {}),
                "findings": [
                    {"rule": f.rule, "message": f.message, "line": f.line, "start": f.start, "end": f.end}
                    for f in findings
                ],
            }
            for name, error, findings in results
        ]
        json.dump(documents, out, indent=2)
        out.write("\n")
        return
    for name, error, findings in results:
        if format == "github":
            problems = [Problem(path="file", message=error)] if error is not None else []
            problems += [Problem(path=f.rule, message=f.message, line=f.line) for f in findings]
            out.writelines(_annotation(name, problem) + "\n" for problem in problems)
        elif error is not None:
            out.write(f"{name}: {error}\n")
        elif not findings:
            out.write(f"{name}: clean\n")
        else:
            out.writelines(f"{name}:{f.line}: {f.rule}: {f.message}\n" for f in findings)


def _lint_postmortem(arguments: argparse.Namespace, out: TextIO) -> int:
    from incident_process.postincident import validate_postmortem

    policy = _base_policy(arguments.policy)
    return _lint_files(arguments, out, read_text, lambda text: validate_postmortem(text, policy))


def _progress(names: Sequence[str]) -> Iterator[str]:
    """*names* one by one, counted on a terminal's standard error as each is taken.

    Only for many files on a terminal: quiet in CI and for a few files.
    """
    counting = len(names) >= _PROGRESS_FROM and sys.stderr.isatty()
    for number, name in enumerate(names, start=1):
        if counting:
            sys.stderr.write(f"\r{number}/{len(names)} {name[-50:]:<50}")
            sys.stderr.flush()
        yield name
    if counting:
        sys.stderr.write("\n")


#: From how many files on a terminal the record and lint commands show their progress.
_PROGRESS_FROM = 20


def _now(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        msg = f"--now: expected an RFC 3339 time like 2026-03-08T09:00:00+00:00, got {text!r}"
        raise _Usage(msg) from None
    if not is_aware(moment):
        msg = f"--now: {aware_problem(moment)}; add its UTC offset, like +00:00"
        raise _Usage(msg)
    return moment


def _records(names: Sequence[str], policy: Policy) -> Iterator[tuple[str, Incident | None, str | None]]:
    """Each record file read and replayed, or the reason it could not be, one at a time.

    One at a time, so that a command over many records holds only the one it is on.
    """
    from incident_process.lifecycle import load_record

    for name in _progress(names):
        try:
            yield name, load_record(name, policy=policy), None
        except RecordError as error:
            yield name, None, "; ".join(str(problem) for problem in error.problems)


def _audit(arguments: argparse.Namespace, out: TextIO) -> int:
    policy = _base_policy(arguments.policy)
    now = _now(arguments.now)
    worst, documents = _audited(arguments.files, policy, now)
    _write_report(documents, arguments.format, out, header=f"as of {now.isoformat()}")
    return worst


def _audited(files: Sequence[str], policy: Policy, now: datetime) -> tuple[int, list[dict[str, object]]]:
    """The exit code and one report per record: its missed and overdue duties, unmet roles."""
    worst = CLEAN
    documents: list[dict[str, object]] = []
    for name, incident, error in _records(files, policy):
        if incident is None:
            worst = UNREADABLE
            documents.append(
                {"file": name, "readable": False, "error": error, "findings": [], "warnings": []}
            )
            continue
        findings, warnings = _audit_entries(incident, now)
        if findings:
            worst = max(worst, FINDINGS)
        documents.append(
            {
                "file": name,
                "readable": True,
                "incident": incident.id,
                "findings": findings,
                "warnings": warnings,
            }
        )
    return worst, documents


_Entry = dict[str, str | None]


def _audit_entries(incident: Incident, now: datetime) -> tuple[list[_Entry], list[_Entry]]:
    """What an audit reports of one incident: its findings and its warnings.

    Findings: late duties, the response's "Do NOT"s, unmet "must" roles.
    Warnings: checklist steps open when required, unmet "should" roles.
    """
    from incident_process.lifecycle import obligations, unmet_role_requirements
    from incident_process.response import response_findings

    findings: list[_Entry] = [
        {
            "rule": duty.rule,
            "kind": duty.kind.value,
            "status": duty.status.value,
            "due_at": duty.due_at.isoformat(),
            "met_at": duty.met_at.isoformat() if duty.met_at else None,
            "message": f"{duty.status.value}: {duty.detail}, due {duty.due_at.isoformat()}",
        }
        for duty in _late(obligations(incident, now))
    ]
    warnings: list[_Entry] = []
    # The "Do NOT" list (going dark is the missed updates above already) as findings; open checklist
    # steps as warnings: the guide lists them without a rule that refuses (a policy that enforces a
    # checklist refuses them, so its records never have them).
    for finding in response_findings(incident, now):
        if finding.rule == "response.went_dark":
            continue
        entry: _Entry = {
            "rule": finding.rule,
            "at": finding.at.isoformat() if finding.at else None,
            "event_id": finding.event_id,
            "message": finding.message,
        }
        (warnings if finding.rule == "checklist.required_steps" else findings).append(entry)
    for unmet in unmet_role_requirements(incident):
        role: _Entry = {"rule": f"roles.{unmet.level.value}", "message": unmet.reason}
        (findings if unmet.level is RequirementLevel.MUST else warnings).append(role)
    return findings, warnings


def _late(duties: Iterable[Obligation]) -> list[Obligation]:
    """The duties missed or overdue: what the record commands report as findings."""
    return [duty for duty in duties if duty.status in {ObligationStatus.OVERDUE, ObligationStatus.MISSED}]


def _write_report(documents: list[dict[str, object]], format: str, out: TextIO, *, header: str) -> None:  # noqa: A002
    if format == "json":
        json.dump({"as_of": header.removeprefix("as of "), "records": documents}, out, indent=2)
        out.write("\n")
        return
    for document in documents:
        name = str(document["file"])
        findings = document.get("findings") or []
        warnings = document.get("warnings") or []
        assert isinstance(findings, list)  # noqa: S101 - built above
        assert isinstance(warnings, list)  # noqa: S101
        if format == "github":
            if not document["readable"]:
                out.write(_annotation(name, Problem(path="record", message=str(document["error"]))) + "\n")
            out.writelines(
                _annotation(name, Problem(path=finding["rule"], message=finding["message"])) + "\n"
                for finding in findings
            )
            continue
        if not document["readable"]:
            out.write(f"{name}: {document['error']}\n")
            continue
        out.write(f"{name} ({document['incident']}), {header}: {len(findings)} findings\n")
        out.writelines(f"  {finding['rule']}: {finding['message']}\n" for finding in findings)
        out.writelines(f"  warning {warning['rule']}: {warning['message']}\n" for warning in warnings)


def _deadlines(arguments: argparse.Namespace, out: TextIO) -> int:
    policy = _base_policy(arguments.policy)
    now = _now(arguments.now)
    [(name, incident, error)] = _records(arguments.files, policy)
    if incident is None:
        out.write(f"{name}: {error}\n")
        return UNREADABLE
    duties = incident.obligations(now)
    if arguments.format == "json":
        rows = [
            {
                "kind": duty.kind.value,
                "rule": duty.rule,
                "owed_from": duty.owed_from.isoformat(),
                "due_at": duty.due_at.isoformat(),
                "status": duty.status.value,
                "met_at": duty.met_at.isoformat() if duty.met_at else None,
                "detail": duty.detail,
            }
            for duty in duties
        ]
        json.dump({"incident": incident.id, "as_of": now.isoformat(), "obligations": rows}, out, indent=2)
        out.write("\n")
    elif arguments.format == "github":  # an annotation for each duty missed or overdue
        out.writelines(
            _annotation(name, Problem(path=duty.rule, message=f"{duty.status.value}: {duty.detail}"))
            + f", due {duty.due_at.isoformat()}\n"
            for duty in _late(duties)
        )
    else:
        out.write(f"{incident.id} as of {now.isoformat()}:\n")
        for duty in duties:
            met = f" at {duty.met_at.isoformat()}" if duty.met_at else ""
            out.write(
                f"  {duty.status.value}{met}: {duty.detail}, due {duty.due_at.isoformat()} ({duty.rule})\n"
            )
    return FINDINGS if _late(duties) else CLEAN


def _render(arguments: argparse.Namespace, out: TextIO) -> int:
    from incident_process.comms import render_declaration, render_resolution, render_update
    from incident_process.postincident import render_postmortem

    policy = _base_policy(arguments.policy)
    [(name, incident, error)] = _records([arguments.record], policy)
    if incident is None:
        msg = f"{name}: {error}"
        raise _Usage(msg)
    fields: dict[str, object] = {}
    for field in arguments.field:
        key, separator, value = field.partition("=")
        if not separator or not key:
            msg = f"--field: expected NAME=VALUE, got {field!r}"
            raise _Usage(msg)
        fields[key] = value
    try:
        if arguments.kind == "postmortem":
            text = render_postmortem(incident, **fields)
        else:
            renderer = {
                "declaration": render_declaration,
                "update": render_update,
                "resolution": render_resolution,
            }
            text = renderer[arguments.kind](incident, format=arguments.format, **fields)  # type: ignore[arg-type]
    except MessageError as error:
        # The library speaks to callers of its functions; here the caller is a shell.
        msg = str(error).replace("as keyword arguments", "with --field NAME=VALUE")
        raise _Usage(msg) from None
    out.write(text if text.endswith("\n") else text + "\n")
    return CLEAN


def _review(arguments: argparse.Namespace, out: TextIO) -> int:
    from incident_process.postincident import quarterly_review, write_quarterly_charts

    policy = _base_policy(arguments.policy)
    unreadable: list[str] = []

    def readable() -> Iterator[Incident]:
        """The records that read, streamed into the review; the others named as they come."""
        for name, incident, error in _records(arguments.files, policy):
            if incident is None:
                unreadable.append(name)
                sys.stderr.write(f"incident-process: {name}: {error}\n")
            else:
                yield incident

    incidents = readable()
    try:
        report = quarterly_review(incidents, quarter=arguments.quarter, policy=policy)
        if arguments.charts:
            write_quarterly_charts(report, arguments.charts)
    except (ReviewError, MissingExtraError) as error:
        raise _Usage(str(error)) from None
    if arguments.format == "json":
        summary = {
            "quarter": report.quarter,
            "total": report.total,
            "by_severity": {severity.value: count for severity, count in report.by_severity.items()},
            "mttd_seconds": report.mttd.total_seconds() if report.mttd else None,
            "mttr_seconds": report.mttr.total_seconds() if report.mttr else None,
            "repeats": [
                {"key": r.key, "count": r.count, "incidents": list(r.incident_ids)} for r in report.repeats
            ],
            "action_item_completion_rate": report.action_item_completion_rate,
        }
        json.dump(summary, out, indent=2)
        out.write("\n")
    else:
        out.write(report.to_markdown())
    return UNREADABLE if unreadable else CLEAN


def _schema(_: argparse.Namespace, out: TextIO) -> int:
    from incident_process.lifecycle import record_schema

    out.write(record_schema())
    return CLEAN


_RECORD_COMMANDS = {
    "audit": _audit,
    "deadlines": _deadlines,
    "render": _render,
    "review": _review,
    "schema": _schema,
}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(name: str, problem: Problem) -> str:
    """A GitHub Actions ``::error`` workflow command for one problem."""
    properties = f"file={_escape_property(name)}"
    if problem.line is not None:
        properties += f",line={problem.line}"
    title = _escape_property(problem.path or "policy")
    return f"::error {properties},title={title}::{_escape_data(problem.message)}"


def _run(arguments: argparse.Namespace, out: TextIO) -> int:
    """Run the command *arguments* name."""
    if arguments.command == "demo":
        return _demo(arguments, out)
    if arguments.command == "lint":
        if arguments.lint_command == "postmortem":
            return _lint_postmortem(arguments, out)
        return _lint_external(arguments, out)
    command = _RECORD_COMMANDS.get(arguments.command, _check)
    return command(arguments, out)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = _parser().parse_args(argv)
    try:
        return _run(arguments, sys.stdout)
    except _Usage as error:
        print(f"incident-process: {error}", file=sys.stderr)  # noqa: T201 - the CLI's error channel
        return UNREADABLE
    except BrokenPipeError:
        # The reader left early (``| head``): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return CLEAN


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
