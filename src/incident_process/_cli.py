"""The ``incident-process`` command line, for people and CI pipelines.

Exit codes: 0 clean, 1 findings (e.g. an invalid policy), 2 usage errors or
unreadable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from ._classification import classify_severity
from ._demo import EXAMPLE_IMPACTS, demo_text, example_incident
from ._errors import PolicyError, Problem
from ._findings import Finding
from ._lint import lint_external
from ._policy import DEFAULT_POLICY, Policy
from ._policy_file import dump_policy, load_policy, parse_toml, policy_from_dict, read_text

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
    commands.add_parser(
        "demo",
        parents=[common],
        help="show the effective policy as the guide's tables, then walk an example incident through it",
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
    return parser


def _base_policy(path: str | None) -> Policy:
    if path is None:
        return DEFAULT_POLICY
    try:
        return load_policy(path)
    except PolicyError as error:
        raise _Usage(str(error)) from None


def _demo(arguments: argparse.Namespace, out: TextIO) -> int:
    policy = _base_policy(arguments.policy)
    if arguments.format != "json":
        out.write(demo_text(policy))
        return CLEAN
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
    }
    json.dump(document, out, indent=2)
    out.write("\n")
    return CLEAN


def _plain(policy: Policy) -> object:
    from ._policy_file import policy_to_dict

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
    policy = _base_policy(arguments.policy)
    results: list[tuple[str, str | None, list[Finding]]] = []  # (file, error, findings)
    for name in arguments.files:
        shown = "<stdin>" if name == "-" else name
        try:
            text = _read_message(name)
        except PolicyError as error:
            results.append((shown, error.problems[0].message, []))
        else:
            results.append((shown, None, lint_external(text, policy)))
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    try:
        if arguments.command == "demo":
            return _demo(arguments, sys.stdout)
        if arguments.command == "lint":
            return _lint_external(arguments, sys.stdout)
        return _check(arguments, sys.stdout)
    except _Usage as error:
        print(f"incident-process: {error}", file=sys.stderr)  # noqa: T201 - the CLI's error channel
        return UNREADABLE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
