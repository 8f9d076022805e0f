"""The quarterly review: the guide's six metrics over one quarter's incidents, in one pass.

Guide, "Quarterly Review": "Every quarter, review: 1. Incident count by
severity 2. Mean time to detect (MTTD) 3. Mean time to resolve (MTTR)
4. Repeat incidents (same root cause) 5. Action item completion rate
6. On-call burden distribution. Use findings to improve processes and tooling."

:func:`quarterly_review` streams over any iterable of incidents and keeps only
tallies (per severity, per month, per root-cause key, per person), never the
incidents themselves, so a year of records fits in little memory. The
definitions the guide leaves open are chosen here and printed with every
report (``DEFINITIONS`` (in the report)).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from os import PathLike
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

from incident_process._arguments import check_incident, check_type
from incident_process._limits import EARLIEST_YEAR, LATEST_YEAR
from incident_process.errors import MissingExtraError, ReviewError
from incident_process.events import Acknowledged
from incident_process.policy import DEFAULT_POLICY, Policy
from incident_process.timing import describe_duration
from incident_process.timing._calendar import resolve_zone
from incident_process.timing._moments import aware, utc
from incident_process.vocabulary import Phase, QuarterlyMetric, Severity

if TYPE_CHECKING:
    from incident_process.lifecycle import Incident

__all__ = [
    "DEFINITIONS",
    "MonthSummary",
    "OnCallBurden",
    "QuarterlyReport",
    "RepeatRootCause",
    "parse_quarter",
    "quarterly_review",
    "render_quarterly_report",
    "write_quarterly_charts",
]

_QUARTER = re.compile(r"(?P<year>[0-9]{4})Q(?P<number>[1-4])")
_ZERO = timedelta(0)
_HOUR = timedelta(hours=1)

#: How each metric is computed: the choices made where the guide says only its name.
DEFINITIONS: Mapping[QuarterlyMetric, str] = MappingProxyType(
    {
        QuarterlyMetric.INCIDENT_COUNT_BY_SEVERITY: (
            "An incident belongs to the quarter when the local date of its detection, in the "
            "policy's zone, falls in it (Q1 January-March, Q2 April-June, Q3 July-September, "
            "Q4 October-December). Declared incidents are counted by their current (last) "
            "severity; incidents never declared and dismissed incidents are counted separately. "
            "The counts add up to the total."
        ),
        QuarterlyMetric.MEAN_TIME_TO_DETECT: (
            "Mean of customer impact start to detection, over the quarter's incidents that are not "
            "dismissed and whose customer impact start was recorded (the count is shown)."
        ),
        QuarterlyMetric.MEAN_TIME_TO_RESOLVE: (
            "Mean of detection to the last resolution, over the quarter's incidents that are not "
            "dismissed and are resolved (at or before `now`, when given). A reopened incident "
            "that is not resolved again is not counted."
        ),
        QuarterlyMetric.REPEAT_INCIDENTS: (
            "Root-cause keys identified for more than one of the quarter's incidents, with how "
            "many and which; an incident counts under its latest root cause."
        ),
        QuarterlyMetric.ACTION_ITEM_COMPLETION_RATE: (
            "Completed over all action items of the quarter's incidents, whenever they were added; "
            "with `now`, items added after `now` are left out and only items completed at or "
            "before `now` count as completed."
        ),
        QuarterlyMetric.ON_CALL_BURDEN: (
            "Per person, over the quarter's incidents (dismissed ones too): pages acknowledged "
            "(acknowledgements by them) and incident hours, the sum of their role tenures (two "
            "roles held at once count twice). An open tenure ends at the incident's resolution, "
            "or else at the quarter's end (or `now`, if earlier)."
        ),
    }
)


@attrs.frozen(kw_only=True)
class RepeatRootCause:
    """A root cause of more than one incident of the quarter (guide: "Repeat incidents (same root cause)").

    Attributes:
        key: The root-cause key (:meth:`Incident.identify_root_cause`).
        count: How many of the quarter's incidents it caused (at least 2).
        incident_ids: Their ids, in the order they were reviewed.
    """

    key: str
    count: int
    incident_ids: tuple[str, ...]


@attrs.frozen(kw_only=True)
class OnCallBurden:
    """One person's share of the on-call work (guide: "On-call burden distribution").

    Attributes:
        person: Who.
        pages_acknowledged: How many pages of the quarter's incidents they acknowledged.
        incident_time: The sum of their role tenures in the quarter's incidents.
    """

    person: str
    pages_acknowledged: int
    incident_time: timedelta

    @property
    def incident_hours(self) -> float:
        """:attr:`incident_time` in hours."""
        return self.incident_time / _HOUR


@attrs.frozen(kw_only=True)
class MonthSummary:
    """One month of the quarter, for the trend charts.

    Attributes:
        month: ``"YYYY-MM"``.
        by_severity: Declared incidents detected that month, by current severity.
        undeclared: Incidents detected that month and never declared (nor dismissed).
        dismissed: Incidents detected that month and dismissed.
        resolved: How many of them count towards the month's MTTR.
        mttr: Their mean time to resolve; ``None`` if none.
    """

    month: str
    by_severity: Mapping[Severity, int]
    undeclared: int
    dismissed: int
    resolved: int
    mttr: timedelta | None


@attrs.frozen(kw_only=True)
class QuarterlyReport:
    """The guide's quarterly review of one quarter; every definition is in ``DEFINITIONS`` (in the report).

    Attributes:
        quarter: ``"2026Q3"``.
        zone: The policy's zone, which decides the quarter's (and months') bounds.
        start: The quarter's first instant (local midnight), inclusive.
        end: The next quarter's first instant, exclusive.
        now: The moment the review is as of; ``None``: as the events record.
        total: How many incidents belong to the quarter.
        by_severity: Declared, not dismissed incidents by current severity, SEV1 first.
        undeclared: Incidents never declared nor dismissed.
        dismissed: Dismissed incidents.
        mttd: Mean time to detect; ``None`` if no impact start was recorded.
        mttd_count: How many incidents the MTTD is over.
        mttr: Mean time to resolve; ``None`` if none was resolved.
        mttr_count: How many incidents the MTTR is over.
        repeats: The repeated root causes, most frequent first.
        action_items: How many action items the quarter's incidents have.
        action_items_completed: How many of them are completed.
        burden: Each person's burden, most incident time first.
        months: The quarter's three months.
    """

    quarter: str
    zone: str
    start: datetime
    end: datetime
    now: datetime | None
    total: int
    by_severity: Mapping[Severity, int]
    undeclared: int
    dismissed: int
    mttd: timedelta | None
    mttd_count: int
    mttr: timedelta | None
    mttr_count: int
    repeats: tuple[RepeatRootCause, ...]
    action_items: int
    action_items_completed: int
    burden: tuple[OnCallBurden, ...]
    months: tuple[MonthSummary, ...]

    @property
    def action_item_completion_rate(self) -> float | None:
        """Completed over all action items; ``None`` when there are none."""
        return None if not self.action_items else self.action_items_completed / self.action_items

    def to_markdown(self) -> str:
        """The report as Markdown (:func:`render_quarterly_report`)."""
        return render_quarterly_report(self)


def parse_quarter(quarter: str) -> tuple[int, int]:
    """The year and the quarter's number (1-4) of ``"YYYYQn"``, e.g. ``"2026Q3"``.

    >>> parse_quarter("2026Q3")
    (2026, 3)

    Raises:
        ReviewError: for anything else (``"2026q3"``, ``"2026-Q3"``, ``"2026Q5"``), and for a
            year outside the accepted years (1900 to 2999: ``"9999Q4"``).
    """
    match = _QUARTER.fullmatch(quarter) if isinstance(quarter, str) else None
    if match is None or int(match["year"]) < 1:
        msg = f"quarter: expected 'YYYYQn' with n from 1 to 4 (like '2026Q3'), got {quarter!r}"
        raise ReviewError(msg)
    year = int(match["year"])
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:  # issue 19: every quarter's end is a real date
        msg = f"quarter: {quarter!r} is outside the accepted years {EARLIEST_YEAR} to {LATEST_YEAR}"
        raise ReviewError(msg)
    return year, int(match["number"])


class _Month:
    """The running tallies of one month (mutable; frozen into a MonthSummary)."""

    __slots__ = ("by_severity", "dismissed", "resolve_total", "resolved", "undeclared")

    def __init__(self) -> None:
        self.by_severity = dict.fromkeys(Severity, 0)
        self.undeclared = 0
        self.dismissed = 0
        self.resolved = 0
        self.resolve_total = _ZERO


def _mean(total: timedelta, count: int) -> timedelta | None:
    return total / count if count else None


def quarterly_review(  # noqa: C901, PLR0912, PLR0915 - one pass, one tally per metric
    incidents: Iterable[Incident],
    *,
    quarter: str,
    policy: Policy = DEFAULT_POLICY,
    now: datetime | None = None,
) -> QuarterlyReport:
    """Review one quarter's incidents (guide, "Quarterly Review"); see ``DEFINITIONS`` (in the report).

    *incidents* may hold any incidents: those detected outside *quarter* (by
    the local date in ``policy.zone``) are skipped. It is read once, and only
    tallies are kept: memory grows with the number of people, months and
    distinct root-cause keys (and the ids of the incidents that share one), not
    with the number of incidents.

    Args:
        incidents: The incidents, in any order; an iterator is fine.
        quarter: ``"YYYYQn"``: Q1 January-March, Q2 April-June, Q3
            July-September, Q4 October-December.
        policy: Gives the zone.
        now: Review as of this moment (resolutions, action items and open
            tenures after it are not counted); ``None``: as the events record.

    Raises:
        ReviewError: for a malformed quarter or a naive *now*.
        CalendarError: if the policy's zone is unknown.
        TypeError: for an argument of the wrong type, naming it (an incident
            by its index: ``incidents[3]``).
    """
    check_type("incidents", incidents, Iterable, "an iterable of Incident values")  # issue 19, defect 10
    check_type("policy", policy, Policy, "a Policy")
    year, number = parse_quarter(quarter)
    if now is not None:
        aware(now, "now", ReviewError)
    zone = resolve_zone(policy.zone)
    first_month = 3 * (number - 1) + 1
    bounds = [
        datetime(year + (first_month + i - 1) // 12, (first_month + i - 1) % 12 + 1, 1, tzinfo=zone)
        for i in range(4)
    ]
    start, end = bounds[0], bounds[3]
    edges = [utc(bound) for bound in bounds]
    cut = None if now is None else utc(now)
    open_end = edges[3] if cut is None else min(edges[3], cut)

    months = [_Month() for _ in range(3)]
    total = 0
    detect_total, detect_count = _ZERO, 0
    root_causes: dict[str, list[str]] = {}
    items = items_done = 0
    pages: dict[str, int] = {}
    hours: dict[str, timedelta] = {}

    for index, incident in enumerate(incidents):
        check_incident(f"incidents[{index}]", incident)
        detected = incident.detected_at
        if not edges[0] <= detected < edges[3]:
            continue
        month = months[0 if detected < edges[1] else 1 if detected < edges[2] else 2]
        total += 1
        dismissed = incident.phase is Phase.DISMISSED
        severity = incident.severity
        if dismissed:
            month.dismissed += 1
        elif severity is None:
            month.undeclared += 1
        else:
            month.by_severity[severity] += 1
        resolved = incident.resolved_at
        if resolved is not None and cut is not None and resolved > cut:
            resolved = None
        if not dismissed:
            to_detect = incident.time_to_detect()
            if to_detect is not None:
                detect_total += to_detect
                detect_count += 1
            if resolved is not None:
                month.resolve_total += resolved - detected
                month.resolved += 1
            root_cause = incident.root_cause
            if root_cause is not None and (cut is None or utc(root_cause.at) <= cut):
                root_causes.setdefault(root_cause.key, []).append(incident.id)
        for item in incident.action_items():
            if cut is not None and item.added_at > cut:
                continue
            items += 1
            if item.completed_at is not None and (cut is None or item.completed_at <= cut):
                items_done += 1
        for event in incident.events:
            if type(event) is Acknowledged and (cut is None or utc(event.at) <= cut):
                pages[event.by] = pages.get(event.by, 0) + 1
        for tenure in incident.role_tenures():
            if cut is not None and tenure.since > cut:
                continue
            until = tenure.until
            if until is None or (cut is not None and until > cut):
                until = resolved if resolved is not None and resolved >= tenure.since else open_end
            held = max(until - tenure.since, _ZERO)
            hours[tenure.person] = hours.get(tenure.person, _ZERO) + held

    resolve_total = sum((m.resolve_total for m in months), _ZERO)
    resolve_count = sum(m.resolved for m in months)
    by_severity = {s: sum(m.by_severity[s] for m in months) for s in Severity}
    people = pages.keys() | hours.keys()
    burden = sorted(
        (
            OnCallBurden(
                person=person, pages_acknowledged=pages.get(person, 0), incident_time=hours.get(person, _ZERO)
            )
            for person in people
        ),
        key=lambda b: (-b.incident_time, -b.pages_acknowledged, b.person),
    )
    repeats = sorted(
        (
            RepeatRootCause(key=key, count=len(ids), incident_ids=tuple(ids))
            for key, ids in root_causes.items()
            if len(ids) > 1
        ),
        key=lambda r: (-r.count, r.key),
    )
    return QuarterlyReport(
        quarter=f"{year}Q{number}",
        zone=policy.zone,
        start=start,
        end=end,
        now=now,
        total=total,
        by_severity=MappingProxyType(by_severity),
        undeclared=sum(m.undeclared for m in months),
        dismissed=sum(m.dismissed for m in months),
        mttd=_mean(detect_total, detect_count),
        mttd_count=detect_count,
        mttr=_mean(resolve_total, resolve_count),
        mttr_count=resolve_count,
        repeats=tuple(repeats),
        action_items=items,
        action_items_completed=items_done,
        burden=tuple(burden),
        months=tuple(
            MonthSummary(
                month=f"{bound:%Y-%m}",
                by_severity=MappingProxyType(m.by_severity),
                undeclared=m.undeclared,
                dismissed=m.dismissed,
                resolved=m.resolved,
                mttr=_mean(m.resolve_total, m.resolved),
            )
            for bound, m in zip(bounds, months, strict=False)
        ),
    )


def _duration(value: timedelta | None) -> str:
    """A mean in words (``"2 hours 5 minutes"``); ``"-"`` for none."""
    return "-" if value is None else describe_duration(value)


def render_quarterly_report(report: QuarterlyReport) -> str:
    """The report as Markdown: each of the guide's metrics with its value and definition.

    Raises:
        TypeError: if *report* is not a :class:`QuarterlyReport` (issue 19, defect 10).
    """
    check_type("report", report, QuarterlyReport, "a QuarterlyReport")
    titles = {metric: metric.title for metric in QuarterlyMetric}
    scope = f"as of {report.now.isoformat()}" if report.now is not None else "as the events record"
    lines = [
        f"# Quarterly review {report.quarter}",
        "",
        (
            f"{report.total} incidents detected from {report.start:%Y-%m-%d} to before "
            f"{report.end:%Y-%m-%d} ({report.zone}), {scope}."
        ),
        "",
        f"## {titles[QuarterlyMetric.INCIDENT_COUNT_BY_SEVERITY]}",
        "",
        "| severity | " + " | ".join(m.month for m in report.months) + " | quarter |",
        "| --- | " + " | ".join("---:" for _ in report.months) + " | ---: |",
    ]
    rows: list[tuple[str, list[int], int]] = [
        (s.value, [m.by_severity[s] for m in report.months], report.by_severity[s]) for s in Severity
    ]
    rows.append(("never declared", [m.undeclared for m in report.months], report.undeclared))
    rows.append(("dismissed", [m.dismissed for m in report.months], report.dismissed))
    rows.append(
        (
            "**total**",
            [sum(m.by_severity.values()) + m.undeclared + m.dismissed for m in report.months],
            report.total,
        )
    )
    lines += [f"| {name} | " + " | ".join(map(str, values)) + f" | {whole} |" for name, values, whole in rows]
    lines += ["", DEFINITIONS[QuarterlyMetric.INCIDENT_COUNT_BY_SEVERITY], ""]
    lines += [
        f"## {titles[QuarterlyMetric.MEAN_TIME_TO_DETECT]}",
        "",
        f"**{_duration(report.mttd)}** over {report.mttd_count} incidents.",
        "",
        DEFINITIONS[QuarterlyMetric.MEAN_TIME_TO_DETECT],
        "",
        f"## {titles[QuarterlyMetric.MEAN_TIME_TO_RESOLVE]}",
        "",
        f"**{_duration(report.mttr)}** over {report.mttr_count} incidents.",
        "",
        "| month | resolved | MTTR |",
        "| --- | ---: | ---: |",
        *(f"| {m.month} | {m.resolved} | {_duration(m.mttr)} |" for m in report.months),
        "",
        DEFINITIONS[QuarterlyMetric.MEAN_TIME_TO_RESOLVE],
        "",
        f"## {titles[QuarterlyMetric.REPEAT_INCIDENTS]}",
        "",
    ]
    if report.repeats:
        lines += ["| root cause | incidents | ids |", "| --- | ---: | --- |"]
        lines += [f"| `{r.key}` | {r.count} | {', '.join(r.incident_ids)} |" for r in report.repeats]
    else:
        lines.append("None.")
    rate = report.action_item_completion_rate
    shown = "-" if rate is None else f"{rate:.0%}"
    lines += [
        "",
        DEFINITIONS[QuarterlyMetric.REPEAT_INCIDENTS],
        "",
        f"## {titles[QuarterlyMetric.ACTION_ITEM_COMPLETION_RATE]}",
        "",
        f"**{shown}**: {report.action_items_completed} of {report.action_items} action items completed.",
        "",
        DEFINITIONS[QuarterlyMetric.ACTION_ITEM_COMPLETION_RATE],
        "",
        f"## {titles[QuarterlyMetric.ON_CALL_BURDEN]}",
        "",
    ]
    if report.burden:
        lines += ["| person | pages acknowledged | incident hours |", "| --- | ---: | ---: |"]
        lines += [f"| {b.person} | {b.pages_acknowledged} | {b.incident_hours:.1f} |" for b in report.burden]
    else:
        lines.append("Nobody.")
    lines += ["", DEFINITIONS[QuarterlyMetric.ON_CALL_BURDEN], ""]
    return "\n".join(lines)


def write_quarterly_charts(
    report: QuarterlyReport,
    directory: str | Path,
    *,
    format: str = "svg",  # noqa: A002 - matplotlib's own name for it
) -> tuple[Path, ...]:
    """Write the review's three charts into *directory* and return their paths.

    ``<quarter>-incidents-by-severity.<format>`` (incidents per severity per
    month, stacked), ``<quarter>-mttr.<format>`` (MTTR per month, in hours) and
    ``<quarter>-on-call-burden.<format>`` (incident hours and pages per person).
    Needs matplotlib (the ``charts`` extra); it is imported here only, with the
    non-interactive "Agg" backend.

    Raises:
        MissingExtraError: if matplotlib is not installed.
        ReviewError: if matplotlib cannot write *format*.
        TypeError: for an argument of the wrong type, naming it (issue 19, defect 10).
    """
    check_type("report", report, QuarterlyReport, "a QuarterlyReport")
    check_type("directory", directory, (str, PathLike), "a directory's path (str or os.PathLike)")
    check_type("format", format, str, "a file format's name (str)")
    try:
        import matplotlib as mpl
    except ImportError:
        msg = (
            "write_quarterly_charts needs matplotlib: install the 'charts' extra "
            "(pip install 'incident-process[charts]')"
        )
        raise MissingExtraError(msg) from None
    mpl.use("Agg")
    from matplotlib.figure import Figure

    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    supported = Figure().canvas.get_supported_filetypes()
    if format not in supported:
        msg = f"format: expected one of {', '.join(sorted(supported))}, got {format!r}"
        raise ReviewError(msg)
    months = [m.month for m in report.months]
    written: list[Path] = []

    figure = Figure(figsize=(6, 4))
    axes = figure.subplots()
    bottom = [0] * len(months)
    series = [(s.value, [m.by_severity[s] for m in report.months]) for s in Severity]
    series += [
        ("never declared", [m.undeclared for m in report.months]),
        ("dismissed", [m.dismissed for m in report.months]),
    ]
    for label, values in series:
        axes.bar(months, values, bottom=bottom, label=label)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set(title=f"Incidents per severity per month, {report.quarter}", ylabel="incidents")
    axes.legend()
    written.append(folder / f"{report.quarter}-incidents-by-severity.{format}")
    figure.savefig(written[-1], format=format)

    figure = Figure(figsize=(6, 4))
    axes = figure.subplots()
    mttr = [float("nan") if m.mttr is None else m.mttr / _HOUR for m in report.months]
    axes.plot(months, mttr, marker="o")
    axes.set(title=f"MTTR per month, {report.quarter}", ylabel="hours", ylim=(0, None))
    written.append(folder / f"{report.quarter}-mttr.{format}")
    figure.savefig(written[-1], format=format)

    figure = Figure(figsize=(6, max(2.5, 0.3 * len(report.burden) + 1.5)))
    hours_axes, pages_axes = figure.subplots(1, 2, sharey=True)
    people = [b.person for b in report.burden]
    hours_axes.barh(people, [b.incident_hours for b in report.burden])
    hours_axes.set(xlabel="incident hours")
    hours_axes.invert_yaxis()
    pages_axes.barh(people, [b.pages_acknowledged for b in report.burden])
    pages_axes.set(xlabel="pages acknowledged")
    figure.suptitle(f"On-call burden, {report.quarter}")
    figure.tight_layout()
    written.append(folder / f"{report.quarter}-on-call-burden.{format}")
    figure.savefig(written[-1], format=format)
    return tuple(written)
