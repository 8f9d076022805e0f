"""The ``incident-process`` command line, for people and CI pipelines.

Exit codes: 0 clean, 1 findings (e.g. an invalid policy), 2 usage errors or
unreadable input. Whatever it prints from its input is escaped for GitHub
Actions and for terminals, and a reader that leaves early never changes the
exit code (issue 19: :mod:`._output`, :mod:`._files`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime
from typing import TYPE_CHECKING, TextIO, cast

from incident_process._limits import EARLIEST_YEAR, LATEST_YEAR
from incident_process.errors import (
    MessageError,
    MissingExtraError,
    PolicyError,
    Problem,
    ReviewError,
)
from incident_process.policy import Policy, dump_policy
from incident_process.policy._file import parse_toml, policy_from_dict, policy_to_dict, read_text

from ._common import (
    CLEAN,
    FINDINGS,
    UNREADABLE,
    Usage,
    annotation,
    audit_entries,
    base_policy,
    judged_under,
    late,
    notice,
    now_from,
    progress,
    records,
    warn,
)
from ._files import TEXT_LIMIT, place_charts, read_standard_input
from ._output import Output, one_line, structured_text

if TYPE_CHECKING:
    from incident_process.comms import Finding
    from incident_process.lifecycle import Incident

__all__ = ["main"]


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
    stored = argparse.ArgumentParser(add_help=False)
    stored.add_argument(
        "--store",
        metavar="URL",
        help="read the incidents of a store: sqlite:///path/to/file.db or postgresql://user@host/database",
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
    diff = policy_commands.add_parser(
        "diff",
        parents=[common],
        help="what a policy change does to incident records",
        description=(
            "Audit every record under OLD and NEW and report what changes: duties newly missed or "
            "overdue, no longer owed, newly owed, due at another time; findings that appear or go. "
            "Exit 1 when any record gets worse under NEW."
        ),
    )
    diff.add_argument("old", metavar="OLD", help="the policy file before the change")
    diff.add_argument("new", metavar="NEW", help="the policy file after the change")
    diff.add_argument("files", metavar="RECORD", nargs="+", help="incident records (JSON)")
    diff.add_argument("--now", metavar="TIME", help="the moment to audit as of (RFC 3339; default: now)")
    _store_commands(commands)
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
        parents=[common, stored],
        help="replay incident records; report every obligation missed or overdue, and role requirements",
    )
    audit.add_argument(
        "files", metavar="RECORD", nargs="*", help="incident records (JSON); with --store, incident ids"
    )
    audit.add_argument("--now", metavar="TIME", help="the moment to audit as of (RFC 3339; default: now)")
    deadlines = commands.add_parser(
        "deadlines", parents=[common, stored], help="what an incident owes, and when"
    )
    deadlines.add_argument(
        "files", metavar="RECORD", nargs=1, help="an incident record (JSON); with --store, an incident id"
    )
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
    review = commands.add_parser(
        "review", parents=[common, stored], help="the quarterly review of incident records"
    )
    review.add_argument(
        "files", metavar="RECORD", nargs="*", help="incident records (JSON); with --store, incident ids"
    )
    review.add_argument("--quarter", required=True, help="the quarter, like 2026Q3")
    review.add_argument("--charts", metavar="DIR", help="also write the charts (needs the charts extra)")
    review.add_argument(
        "--force",
        action="store_true",
        help="with --charts, replace charts of the same names (never through a symbolic link)",
    )
    commands.add_parser("schema", help="print the JSON Schema of incident records")
    return parser


def _store_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``store import`` and ``store export``."""
    store = commands.add_parser("store", help="move incidents between record files and a store")
    store_commands = store.add_subparsers(dest="store_command", metavar="COMMAND", required=True)
    into = store_commands.add_parser(
        "import",
        help="add incident records to a store (or append what it does not hold of them)",
        description="Exit codes: 0 every record stored, 1 a record conflicts with the store, 2 unreadable.",
    )
    into.add_argument("files", metavar="RECORD", nargs="+", help="incident records (JSON)")
    out_of = store_commands.add_parser("export", help="write every incident of a store as a record file")
    out_of.add_argument("directory", metavar="DIR", help="the directory to write the records into")
    for command in (into, out_of):
        command.add_argument(
            "--store", metavar="URL", required=True, help="sqlite:///file.db or postgresql://..."
        )
        command.add_argument(
            "--policy", metavar="FILE", help="a policy TOML file overriding the guide's defaults"
        )


def _demo(arguments: argparse.Namespace, out: TextIO) -> int:
    from ._demo import classified_examples, demo_text, example_incident

    policy = base_policy(arguments.policy)
    now = now_from(arguments.now)
    audited, records = _audited(arguments.files, policy, now) if arguments.files else (CLEAN, [])
    # A demonstration shows findings without failing on them; only unreadable input is an error.
    code = UNREADABLE if audited == UNREADABLE else CLEAN
    if arguments.format != "json":
        out.write(demo_text(policy))
        if records:
            out.write(
                f"\n## Incident records, audited\n\n{len(records)} records, as of {now.isoformat()}:\n\n"
            )
            _write_report(records, "text", out, now=now, policy=policy)
        return code
    incident, story = example_incident(policy)
    # The examples as the policy classifies them: severity null where no rule matches (issue 19).
    examples = [
        {"impact": description, "severity": None if found is None else found.severity.value, "reason": reason}
        for description, found, reason in classified_examples(policy)
    ]
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
    base = base_policy(arguments.policy)
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
            out.writelines(annotation(name, problem) for problem in problems)
        elif status == CLEAN:
            out.write(f"{one_line(name)}: valid\n")
        else:
            out.write(f"{one_line(name)}: {len(problems)} problem{'s' if len(problems) != 1 else ''}\n")
            out.writelines(f"  {one_line(problem)}\n" for problem in problems)
        if arguments.show and policy is not None:
            out.write(structured_text(dump_policy(policy)))
    return worst


def _read_message(name: str) -> str:
    """A message file's text, or standard input for ``-`` (read by the same rules: :mod:`._files`)."""
    if name == "-":
        return read_standard_input()
    return _read_document(name)


def _read_document(name: str) -> str:
    """A file the lint commands read: a regular file of at most ``TEXT_LIMIT`` bytes of UTF-8."""
    return read_text(name, limit=TEXT_LIMIT)


def _lint_external(arguments: argparse.Namespace, out: TextIO) -> int:
    from incident_process.comms import lint_external

    policy = base_policy(arguments.policy)
    return _lint_files(arguments, out, _read_message, lambda text: lint_external(text, policy))


def _lint_files(
    arguments: argparse.Namespace,
    out: TextIO,
    read: Callable[[str], str],
    lint: Callable[[str], list[Finding]],
) -> int:
    """Lint each file; an unreadable one is reported and the others still linted."""
    results: list[tuple[str, str | None, list[Finding]]] = []  # (file, error, findings)
    for name in progress(arguments.files):
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
            out.writelines(annotation(name, problem) for problem in problems)
        elif error is not None:
            out.write(f"{one_line(name)}: {one_line(error)}\n")
        elif not findings:
            out.write(f"{one_line(name)}: clean\n")
        else:
            shown = one_line(name)
            out.writelines(f"{shown}:{f.line}: {f.rule}: {one_line(f.message)}\n" for f in findings)


def _lint_postmortem(arguments: argparse.Namespace, out: TextIO) -> int:
    from incident_process.postincident import validate_postmortem

    policy = base_policy(arguments.policy)
    return _lint_files(arguments, out, _read_document, lambda text: validate_postmortem(text, policy))


def _audit(arguments: argparse.Namespace, out: TextIO) -> int:
    policy = base_policy(arguments.policy)
    now = now_from(arguments.now)
    worst, documents = _audited(arguments.files, policy, now, store=arguments.store)
    _write_report(documents, arguments.format, out, now=now, policy=policy)
    return worst


def _audited(
    files: Sequence[str], policy: Policy, now: datetime, *, store: str | None = None
) -> tuple[int, list[dict[str, object]]]:
    """The exit code and one report per record (or stored incident): its late duties, unmet roles."""
    worst = CLEAN
    documents: list[dict[str, object]] = []
    for name, incident, error in records(files, policy, store):
        if incident is None:
            worst = UNREADABLE
            documents.append(
                {"file": name, "readable": False, "error": error, "findings": [], "warnings": []}
            )
            continue
        findings, warnings = audit_entries(incident, now)
        if findings:
            worst = max(worst, FINDINGS)
        documents.append(
            {
                "file": name,
                "readable": True,
                "incident": incident.id,
                "zone": incident.policy.zone,
                "findings": findings,
                "warnings": warnings,
            }
        )
    return worst, documents


def _write_report(
    documents: list[dict[str, object]],
    format: str,  # noqa: A002 - the option's name
    out: TextIO,
    *,
    now: datetime,
    policy: Policy,
) -> None:
    """The audit of each record, saying which policy judged them (record zones are per record)."""
    if format == "json":
        report = {"as_of": now.isoformat(), "policy": judged_under(policy), "records": documents}
        json.dump(report, out, indent=2)
        out.write("\n")
        return
    if format == "github":
        out.write(notice(policy, "audited"))
    else:
        out.write(f"Audited as of {now.isoformat()} under {one_line(policy.identity)}.\n")
    for document in documents:
        name = str(document["file"])
        findings = document.get("findings") or []
        warnings = document.get("warnings") or []
        assert isinstance(findings, list)  # noqa: S101 - built above
        assert isinstance(warnings, list)  # noqa: S101
        if format == "github":
            if not document["readable"]:
                out.write(annotation(name, Problem(path="record", message=str(document["error"]))))
            out.writelines(
                annotation(name, Problem(path=finding["rule"], message=finding["message"]))
                for finding in findings
            )
            continue
        if not document["readable"]:
            out.write(f"{one_line(name)}: {one_line(document['error'])}\n")
            continue
        incident = one_line(document["incident"])
        label = one_line(name) if name == document["incident"] else f"{one_line(name)} ({incident})"
        out.write(f"{label}, in {one_line(document['zone'])}: {len(findings)} findings\n")
        out.writelines(f"  {finding['rule']}: {one_line(finding['message'])}\n" for finding in findings)
        out.writelines(
            f"  warning {warning['rule']}: {one_line(warning['message'])}\n" for warning in warnings
        )


def _deadlines(arguments: argparse.Namespace, out: TextIO) -> int:
    policy = base_policy(arguments.policy)
    now = now_from(arguments.now)
    [(name, incident, error)] = records(arguments.files, policy, arguments.store)
    if incident is None:
        if arguments.format == "github":
            out.write(annotation(name, Problem(path="record", message=str(error))))
        elif arguments.format == "json":
            json.dump({"file": name, "readable": False, "error": error}, out, indent=2)
            out.write("\n")
        else:
            out.write(f"{one_line(name)}: {one_line(error)}\n")
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
        document = {
            "incident": incident.id,
            "as_of": now.isoformat(),
            "policy": judged_under(policy),
            "zone": incident.policy.zone,
            "obligations": rows,
        }
        json.dump(document, out, indent=2)
        out.write("\n")
    elif arguments.format == "github":  # an annotation for each duty missed or overdue
        out.write(notice(policy, f"{incident.id} judged"))
        out.writelines(
            annotation(
                name,
                Problem(path=duty.rule, message=f"{duty.status.value}: {duty.detail}"),
                suffix=f", due {duty.due_at.isoformat()}",
            )
            for duty in late(duties)
        )
    else:
        out.write(
            f"{one_line(incident.id)} as of {now.isoformat()}, under {one_line(policy.identity)}, "
            f"in {one_line(incident.policy.zone)}:\n"
        )
        for duty in duties:
            met = f" at {duty.met_at.isoformat()}" if duty.met_at else ""
            out.write(
                f"  {duty.status.value}{met}: {one_line(duty.detail)}, due {duty.due_at.isoformat()} "
                f"({duty.rule})\n"
            )
    return FINDINGS if late(duties) else CLEAN


def _render(arguments: argparse.Namespace, out: TextIO) -> int:
    from incident_process.comms import render_declaration, render_resolution, render_update
    from incident_process.postincident import render_postmortem

    policy = base_policy(arguments.policy)
    [(name, incident, error)] = records([arguments.record], policy)
    if incident is None:
        msg = f"{name}: {error}"
        raise Usage(msg)
    fields: dict[str, object] = {}
    for field in arguments.field:
        key, separator, value = field.partition("=")
        if not separator or not key:
            msg = f"--field: expected NAME=VALUE, got {field!r}"
            raise Usage(msg)
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
        raise Usage(msg) from None
    out.write(text if text.endswith("\n") else text + "\n")
    return CLEAN


def _quarter(quarter: str) -> str:
    """*quarter* if it names a quarter within the accepted years (issue 19, defect 2), else a usage error."""
    from incident_process.postincident import parse_quarter

    try:
        year, _ = parse_quarter(quarter)
    except ReviewError as error:
        msg = f"--{error}"
        raise Usage(msg) from None
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        msg = f"--quarter: {quarter!r} is outside the accepted years {EARLIEST_YEAR} to {LATEST_YEAR}"
        raise Usage(msg)
    return quarter


def _review(arguments: argparse.Namespace, out: TextIO) -> int:
    from incident_process.postincident import quarterly_review, write_quarterly_charts

    policy = base_policy(arguments.policy)
    quarter = _quarter(arguments.quarter)
    if arguments.force and not arguments.charts:
        msg = "--force: only with --charts DIR (it lets the charts replace files of their names)"
        raise Usage(msg)
    unreadable: list[str] = []

    def readable() -> Iterator[Incident]:
        """The records that read, streamed into the review; the others named as they come."""
        for name, incident, error in records(arguments.files, policy, arguments.store):
            if incident is None:
                unreadable.append(name)
                warn(f"{one_line(name)}: {error}")
            else:
                yield incident

    incidents = readable()
    try:
        report = quarterly_review(incidents, quarter=quarter, policy=policy)
        if arguments.charts:
            place_charts(
                lambda scratch: write_quarterly_charts(report, scratch),
                arguments.charts,
                force=arguments.force,
            )
    except (ReviewError, MissingExtraError) as error:
        raise Usage(str(error)) from None
    if arguments.format == "json":
        summary = {
            "quarter": report.quarter,
            "policy": judged_under(policy),
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


def _run(arguments: argparse.Namespace, out: TextIO) -> int:
    """Run the command *arguments* name."""
    if arguments.command == "demo":
        return _demo(arguments, out)
    if arguments.command == "lint":
        if arguments.lint_command == "postmortem":
            return _lint_postmortem(arguments, out)
        return _lint_external(arguments, out)
    if arguments.command == "store":
        from ._store import export_records, import_records

        return (import_records if arguments.store_command == "import" else export_records)(arguments, out)
    if arguments.command == "policy" and arguments.policy_command == "diff":
        from ._diff import policy_diff

        return policy_diff(arguments, out)
    command = _RECORD_COMMANDS.get(arguments.command, _check)
    return command(arguments, out)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Everything goes to standard output through ``Output``: lines
    guarded, and a closed pipe (``| head -1``) ends the writing but not the
    command, whose exit code stays the one it computed (issue 19, defect 8).
    """
    # argparse writes help and its errors (which quote the arguments) itself: through the guard too.
    said, errors = Output(sys.stdout), Output(sys.stderr)
    try:
        with redirect_stdout(cast("TextIO", said)), redirect_stderr(cast("TextIO", errors)):
            arguments = _parser().parse_args(argv)
    finally:  # --help | head -1: the pipe may be closed
        said.flush()
        errors.flush()
    structured = arguments.command == "schema" or getattr(arguments, "format", None) == "json"
    out = Output(sys.stdout, structured=structured)
    try:
        code = _run(arguments, cast("TextIO", out))
    except Usage as error:
        out.flush()
        warn(str(error))
        return UNREADABLE
    out.flush()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
