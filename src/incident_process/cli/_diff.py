"""``incident-process policy diff``: what a policy change does to incident records.

A policy change under review in CI is judged by its effect: each record is
audited under the old policy and under the new one, as of the same moment,
and the differences are reported. A duty is matched by its kind and what it
is (``internal_update``, ``"update 2"``); a finding by its rule and message.
A record gets *worse* when a duty becomes missed or overdue, a new duty is
already late, or a new finding appears; the command then exits with 1.
Reading a record never re-judges it (records read under either policy), so
the comparison is of judgments, not of what was accepted.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

import attrs

from incident_process.errors import Problem, RecordError
from incident_process.lifecycle import load_record
from incident_process.vocabulary import ObligationStatus

from ._common import (
    CLEAN,
    FINDINGS,
    UNREADABLE,
    annotation,
    audit_entries,
    base_policy,
    judged_under,
    notice,
    now_from,
    progress,
)
from ._output import one_line

if TYPE_CHECKING:
    from incident_process.lifecycle import Incident, Obligation
    from incident_process.policy import Policy

__all__ = ["Change", "compare", "policy_diff"]

_LATE = frozenset({ObligationStatus.OVERDUE, ObligationStatus.MISSED})


@attrs.frozen(kw_only=True)
class Change:
    """One difference a policy change makes to one record.

    Attributes:
        change: What changed: ``"newly missed"``, ``"newly overdue"``,
            ``"no longer missed"``, ``"newly owed"``, ``"no longer owed"``,
            ``"due moved"``, ``"new finding"``, ``"finding gone"``, ...
        worse: Whether the record is worse for it.
        rule: The policy key or rule id concerned, under the new policy
            where there is one.
        message: The change in words.
    """

    change: str
    worse: bool
    rule: str
    message: str


def _duties(incident: Incident, now: datetime) -> dict[tuple[str, str], Obligation]:
    """The duties by kind and what they are; a kind owed once is matched by its kind alone.

    So that "within 3 business days" and "within 2 business days" are one duty whose due time moved.
    """
    duties = incident.obligations(now)
    once = {kind for kind in {duty.kind for duty in duties} if sum(duty.kind is kind for duty in duties) == 1}
    return {(duty.kind.value, "" if duty.kind in once else duty.detail): duty for duty in duties}


def _matched(before: Obligation, after: Obligation) -> Change | None:
    """How one duty changed: its status (worse when it became late) or its due time."""
    was_late, is_late = before.status in _LATE, after.status in _LATE
    moved = before if before.due_at != after.due_at else None
    if is_late and (not was_late or before.status is not after.status):
        change = f"newly {after.status.value}"
        return Change(change=change, worse=True, rule=after.rule, message=_said(change, after, moved))
    if was_late and not is_late:
        change = f"no longer {before.status.value}"
        return Change(change=change, worse=False, rule=after.rule, message=_said(change, after, moved))
    if moved is not None:
        return Change(
            change="due moved", worse=False, rule=after.rule, message=_said("due moved", after, moved)
        )
    return None


def _said(change: str, duty: Obligation, was: Obligation | None = None) -> str:
    moved = f" (was {was.due_at.isoformat()})" if was is not None else ""
    return f"{change}: {duty.detail}, due {duty.due_at.isoformat()}{moved} ({duty.rule})"


def compare(before: Incident, after: Incident, now: datetime) -> list[Change]:
    """What differs between the audit of *before* (under the old policy) and *after* (the new), at *now*."""
    changes: list[Change] = []
    old, new = _duties(before, now), _duties(after, now)
    for key, duty in new.items():
        earlier = old.get(key)
        if earlier is None:
            late = duty.status in _LATE
            change = f"newly owed, {duty.status.value}"
            changes.append(
                Change(change="newly owed", worse=late, rule=duty.rule, message=_said(change, duty))
            )
            continue
        changed = _matched(earlier, duty)
        if changed is not None:
            changes.append(changed)
    for key, duty in old.items():
        if key not in new:
            message = _said("no longer owed", duty)
            changes.append(Change(change="no longer owed", worse=False, rule=duty.rule, message=message))
    changes += _finding_changes(before, after, now)
    return changes


def _finding_changes(before: Incident, after: Incident, now: datetime) -> Iterator[Change]:
    """Findings (the "Do NOT" list, roles) that appear or go; late duties are compared above."""

    def entries(incident: Incident) -> Mapping[tuple[str, str], bool]:
        findings, warnings = audit_entries(incident, now)
        found = {
            (str(entry["rule"]), str(entry["message"])): True for entry in findings if "status" not in entry
        }
        found.update({(str(entry["rule"]), str(entry["message"])): False for entry in warnings})
        return found

    old, new = entries(before), entries(after)
    for (rule, message), is_finding in new.items():
        if (rule, message) not in old:
            change = "new finding" if is_finding else "new warning"
            yield Change(change=change, worse=is_finding, rule=rule, message=f"{change}: {message}")
    for (rule, message), is_finding in old.items():
        if (rule, message) not in new:
            change = "finding gone" if is_finding else "warning gone"
            yield Change(change=change, worse=False, rule=rule, message=f"{change}: {message}")


def _read(name: str, policy: Policy) -> tuple[Incident | None, str | None]:
    try:
        return load_record(name, policy=policy), None
    except RecordError as error:
        return None, "; ".join(str(problem) for problem in error.problems)


def policy_diff(arguments: argparse.Namespace, out: TextIO) -> int:
    """Run ``policy diff OLD NEW RECORD...``."""
    old, new = base_policy(arguments.old), base_policy(arguments.new)
    now = now_from(arguments.now)
    documents: list[dict[str, object]] = []
    worst = CLEAN
    for name in progress(arguments.files):
        before, error = _read(name, old)
        after, error_after = _read(name, new) if before is not None else (None, None)
        if before is None or after is None:
            worst = UNREADABLE
            documents.append({"file": name, "readable": False, "error": error or error_after, "changes": []})
            continue
        changes = compare(before, after, now)
        worse = any(change.worse for change in changes)
        if worse and worst == CLEAN:
            worst = FINDINGS
        documents.append(
            {
                "file": name,
                "readable": True,
                "incident": after.id,
                "zone": after.policy.zone,
                "worse": worse,
                "changes": [attrs.asdict(change) for change in changes],
            }
        )
    _write(documents, arguments.format, out, old=old, new=new, now=now)
    return worst


def _write(  # noqa: PLR0913 - the report and what it is about
    documents: list[dict[str, object]],
    format: str,  # noqa: A002 - the option's name
    out: TextIO,
    *,
    old: Policy,
    new: Policy,
    now: datetime,
) -> None:
    if format == "json":
        report = {
            "as_of": now.isoformat(),
            "old": judged_under(old),
            "new": judged_under(new),
            "records": documents,
        }
        json.dump(report, out, indent=2)
        out.write("\n")
        return
    if format == "github":
        out.write(notice(new, f"compared with {old.identity}, judged"))
        for document in documents:
            out.writelines(_annotations(document))
        return
    out.write(f"From {one_line(old.identity)} to {one_line(new.identity)}, as of {now.isoformat()}:\n")
    for document in documents:
        if not document["readable"]:
            out.write(f"{one_line(document['file'])}: {one_line(document['error'])}\n")
            continue
        changes = document["changes"]
        assert isinstance(changes, list)  # noqa: S101 - built above
        verdict = "worse" if document["worse"] else ("changed" if changes else "unchanged")
        out.write(f"{one_line(document['file'])} ({one_line(document['incident'])}): {verdict}\n")
        out.writelines(
            f"  {'worse ' if change['worse'] else ''}{one_line(change['message'])}\n" for change in changes
        )


def _annotations(document: Mapping[str, object]) -> Iterator[str]:
    name = str(document["file"])
    if not document["readable"]:
        yield annotation(name, Problem(path="record", message=str(document["error"])))
        return
    changes = document["changes"]
    assert isinstance(changes, list)  # noqa: S101 - built by policy_diff
    for change in changes:
        if change["worse"]:
            problem = Problem(path=str(change["rule"]), message=str(change["message"]))
            yield annotation(name, problem)
