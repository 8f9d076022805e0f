"""The ``incident-process`` command line, for people and CI pipelines.

Exit codes: 0 clean, 1 findings (e.g. an invalid policy), 2 usage errors or
unreadable input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

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
)

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
    from incident_process.detection import classify_severity

    from ._demo import EXAMPLE_IMPACTS, demo_text, example_incident

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
            out.writelines(annotation(name, problem) + "\n" for problem in problems)
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
            out.writelines(annotation(name, problem) + "\n" for problem in problems)
        elif error is not None:
            out.write(f"{name}: {error}\n")
        elif not findings:
            out.write(f"{name}: clean\n")
        else:
            out.writelines(f"{name}:{f.line}: {f.rule}: {f.message}\n" for f in findings)


def _lint_postmortem(arguments: argparse.Namespace, out: TextIO) -> int:
    from incident_process.postincident import validate_postmortem

    policy = base_policy(arguments.policy)
    return _lint_files(arguments, out, read_text, lambda text: validate_postmortem(text, policy))


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
        out.write(f"Audited as of {now.isoformat()} under {policy.identity}.\n")
    for document in documents:
        name = str(document["file"])
        findings = document.get("findings") or []
        warnings = document.get("warnings") or []
        assert isinstance(findings, list)  # noqa: S101 - built above
        assert isinstance(warnings, list)  # noqa: S101
        if format == "github":
            if not document["readable"]:
                out.write(annotation(name, Problem(path="record", message=str(document["error"]))) + "\n")
            out.writelines(
                annotation(name, Problem(path=finding["rule"], message=finding["message"])) + "\n"
                for finding in findings
            )
            continue
        if not document["readable"]:
            out.write(f"{name}: {document['error']}\n")
            continue
        label = name if name == document["incident"] else f"{name} ({document['incident']})"
        out.write(f"{label}, in {document['zone']}: {len(findings)} findings\n")
        out.writelines(f"  {finding['rule']}: {finding['message']}\n" for finding in findings)
        out.writelines(f"  warning {warning['rule']}: {warning['message']}\n" for warning in warnings)


def _deadlines(arguments: argparse.Namespace, out: TextIO) -> int:
    policy = base_policy(arguments.policy)
    now = now_from(arguments.now)
    [(name, incident, error)] = records(arguments.files, policy, arguments.store)
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
            annotation(name, Problem(path=duty.rule, message=f"{duty.status.value}: {duty.detail}"))
            + f", due {duty.due_at.isoformat()}\n"
            for duty in late(duties)
        )
    else:
        out.write(
            f"{incident.id} as of {now.isoformat()}, under {policy.identity}, in {incident.policy.zone}:\n"
        )
        for duty in duties:
            met = f" at {duty.met_at.isoformat()}" if duty.met_at else ""
            out.write(
                f"  {duty.status.value}{met}: {duty.detail}, due {duty.due_at.isoformat()} ({duty.rule})\n"
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


def _review(arguments: argparse.Namespace, out: TextIO) -> int:
    from incident_process.postincident import quarterly_review, write_quarterly_charts

    policy = base_policy(arguments.policy)
    unreadable: list[str] = []

    def readable() -> Iterator[Incident]:
        """The records that read, streamed into the review; the others named as they come."""
        for name, incident, error in records(arguments.files, policy, arguments.store):
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
    """Run the command line; returns the exit code."""
    arguments = _parser().parse_args(argv)
    try:
        return _run(arguments, sys.stdout)
    except Usage as error:
        print(f"incident-process: {error}", file=sys.stderr)  # noqa: T201 - the CLI's error channel
        return UNREADABLE
    except BrokenPipeError:
        # The reader left early (``| head``): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return CLEAN


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
