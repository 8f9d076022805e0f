"""What the record commands share: reading records, auditing one, exit codes, GitHub annotations.

Every value from input in an annotation is escaped by GitHub's rules, and
every line of text passes :mod:`._output`'s guard (issue 19, defect 5).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from incident_process._limits import time_problem
from incident_process.errors import MissingExtraError, PolicyError, Problem, RecordError, StoreError
from incident_process.policy import DEFAULT_POLICY, Policy, load_policy
from incident_process.timing._moments import aware_problem, is_aware
from incident_process.vocabulary import ObligationStatus, RequirementLevel

from ._output import Command, Output, escape_data, escape_property, guard_line, one_line

if TYPE_CHECKING:
    from incident_process.lifecycle import Incident, Obligation

__all__ = [
    "CLEAN",
    "FINDINGS",
    "UNREADABLE",
    "Entry",
    "Usage",
    "annotation",
    "audit_entries",
    "base_policy",
    "escape_data",
    "escape_property",
    "judged_under",
    "late",
    "notice",
    "now_from",
    "progress",
    "records",
    "warn",
]

#: Progress is shown on a terminal from this many files on.
_PROGRESS_FROM = 20


CLEAN, FINDINGS, UNREADABLE = 0, 1, 2


class Usage(Exception):  # noqa: N818 - private signal, not an error the library raises
    """Bad input on the command line itself: exit code 2."""


def base_policy(path: str | None) -> Policy:
    if path is None:
        return DEFAULT_POLICY
    try:
        return load_policy(path)
    except PolicyError as error:
        raise Usage(str(error)) from None


def progress(names: Sequence[str]) -> Iterator[str]:
    """*names* one by one, counted on a terminal's standard error as each is taken.

    Only for many files on a terminal: quiet in CI and for a few files.
    """
    counting = len(names) >= _PROGRESS_FROM and sys.stderr.isatty()
    for number, name in enumerate(names, start=1):
        if counting:
            sys.stderr.write(f"\r{number}/{len(names)} {one_line(name)[-50:]:<50}")
            sys.stderr.flush()
        yield name
    if counting:
        sys.stderr.write("\n")


#: From how many files on a terminal the record and lint commands show their progress.


def now_from(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        msg = f"--now: expected an RFC 3339 time like 2026-03-08T09:00:00+00:00, got {text!r}"
        raise Usage(msg) from None
    if not is_aware(moment):
        msg = f"--now: {aware_problem(moment)}; add its UTC offset, like +00:00"
        raise Usage(msg)
    problem = time_problem(moment)  # issue 19, defect 2: the calendar's ends are not times to audit at
    if problem is not None:
        msg = f"--now: {problem}"
        raise Usage(msg)
    return moment


def warn(message: str) -> None:
    """*message* on standard error, from the command line, each of its lines guarded as output is.

    A library error lists its problems on lines of their own, which stay so;
    no line can act on a terminal or a CI runner (see :func:`guard_line`).
    """
    lines = f"incident-process: {message}".splitlines() or [""]
    try:
        sys.stderr.write("".join(guard_line(line) + "\n" for line in lines))
        sys.stderr.flush()
    except BrokenPipeError:  # nobody reads the errors (``2>&1 | head``): the exit code still says it
        Output(sys.stderr).flush()


def records(
    names: Sequence[str], policy: Policy, store: str | None = None
) -> Iterator[tuple[str, Incident | None, str | None]]:
    """Each record file read and replayed, or the reason it could not be, one at a time.

    With *store* (a store URL), the incidents of that store instead: those
    whose ids *names* gives, or every one. One at a time, so that a command
    over many records holds only the one it is on.
    """
    if store is not None:
        yield from _stored(names, policy, store)
        return
    if not names:
        msg = "give incident records, or a store with --store URL"
        raise Usage(msg)
    from incident_process.lifecycle import load_record

    for name in progress(names):
        try:
            yield name, load_record(name, policy=policy), None
        except RecordError as error:
            yield name, None, "; ".join(str(problem) for problem in error.problems)


def _stored(
    ids: Sequence[str], policy: Policy, url: str
) -> Iterator[tuple[str, Incident | None, str | None]]:
    """The incidents of the store at *url*: those of *ids*, or all of them."""
    from incident_process.store import open_store

    try:
        store = open_store(url, policy=policy)
    except (StoreError, MissingExtraError) as error:
        raise Usage(str(error)) from None
    try:
        if not ids:
            yield from ((incident.id, incident, None) for incident in store.incidents())
            return
        for incident_id in ids:
            try:
                yield incident_id, store.get(incident_id), None
            except StoreError as error:
                yield incident_id, None, str(error)
    except StoreError as error:
        raise Usage(str(error)) from None
    finally:
        store.close()


def judged_under(policy: Policy) -> dict[str, str]:
    """Which policy judged: its name and fingerprint, as the outputs show it."""
    return {"name": policy.name, "fingerprint": policy.fingerprint}


def notice(policy: Policy, what: str) -> Command:
    """A GitHub Actions ``::notice`` saying which policy *what* (``"audited"``) was judged under."""
    return Command(f"::notice title=incident-process::{escape_data(f'{what} under {policy.identity}')}\n")


Entry = dict[str, str | None]


def audit_entries(incident: Incident, now: datetime) -> tuple[list[Entry], list[Entry]]:
    """What an audit reports of one incident: its findings and its warnings.

    Findings: late duties, the response's "Do NOT"s, unmet "must" roles.
    Warnings: checklist steps open when required, unmet "should" roles.
    """
    from incident_process.lifecycle import obligations, unmet_role_requirements
    from incident_process.response import response_findings

    findings: list[Entry] = [
        {
            "rule": duty.rule,
            "kind": duty.kind.value,
            "status": duty.status.value,
            "due_at": duty.due_at.isoformat(),
            "met_at": duty.met_at.isoformat() if duty.met_at else None,
            "message": f"{duty.status.value}: {duty.detail}, due {duty.due_at.isoformat()}",
        }
        for duty in late(obligations(incident, now))
    ]
    warnings: list[Entry] = []
    # The "Do NOT" list (going dark is the missed updates above already) as findings; open checklist
    # steps as warnings: the guide lists them without a rule that refuses (a policy that enforces a
    # checklist refuses them, so its records never have them).
    for finding in response_findings(incident, now):
        if finding.rule == "response.went_dark":
            continue
        entry: Entry = {
            "rule": finding.rule,
            "at": finding.at.isoformat() if finding.at else None,
            "event_id": finding.event_id,
            "message": finding.message,
        }
        (warnings if finding.rule == "checklist.required_steps" else findings).append(entry)
    for unmet in unmet_role_requirements(incident):
        role: Entry = {"rule": f"roles.{unmet.level.value}", "message": unmet.reason}
        (findings if unmet.level is RequirementLevel.MUST else warnings).append(role)
    return findings, warnings


def late(duties: Iterable[Obligation]) -> list[Obligation]:
    """The duties missed or overdue: what the record commands report as findings."""
    return [duty for duty in duties if duty.status in {ObligationStatus.OVERDUE, ObligationStatus.MISSED}]


def annotation(name: str, problem: Problem, *, suffix: str = "") -> Command:
    """A GitHub Actions ``::error`` workflow command for one problem, ending in a newline.

    The file name and the title are escaped as properties, the message (and
    *suffix*, added to it) as data: GitHub's rules, :mod:`._output`.
    """
    properties = f"file={escape_property(name)}"
    if problem.line is not None:
        properties += f",line={problem.line}"
    title = escape_property(problem.path or "policy")
    return Command(f"::error {properties},title={title}::{escape_data(problem.message + suffix)}\n")
