"""The effective policy as the guide's own tables, in Markdown."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from incident_process._arguments import check_type
from incident_process.timing._durations import describe_duration
from incident_process.vocabulary import Direction, Role, Severity

from ._alerting import ALERT_METRICS, SLO_METRICS
from ._playbook import ChecklistStep
from ._policy import DEFAULT_POLICY, Policy

__all__ = ["render_policy"]


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return [line(header), line(["---"] * len(header)), *(line(row) for row in rows), ""]


def _percent(fraction: float) -> str:
    return f"{fraction * 100:g}%"


def _span(span: timedelta) -> str:
    """A span as the guide writes it: "immediately" for none ("Declare immediately"), else in words."""
    return "immediately" if span == timedelta(0) else describe_duration(span)


def _names(items: Iterable[object]) -> str:
    text = ", ".join(_name(item) for item in items)
    return text or "-"


def _name(item: object) -> str:
    if isinstance(item, Role):
        return item.value.replace("_", " ").title()
    if isinstance(item, Severity):
        return item.value
    return str(item)


def _yes(flag: bool) -> str:  # noqa: FBT001 - a formatting helper
    return "yes" if flag else "no"


def _checklist(title: str, steps: Sequence[ChecklistStep], *, enforced: bool) -> list[str]:
    """A checklist as a table: each step, what does it, what it must come before."""
    rule = "refused" if enforced else "reported"
    rows = [
        (
            f"{index}. {step.text}",
            step.done_by.replace("_", " ") if step.done_by else "completed by hand",
            f"{step.before} ({rule} if open)" if step.before else "-",
            _names(step.severities),
        )
        for index, step in enumerate(steps, start=1)
    ]
    return [f"{title}:", "", *_table(["Step", "Done by", "Before", "Severities"], rows)]


def _response(policy: Policy) -> list[str]:
    """Guide, "3. Response": the priorities in order, and how options are compared."""
    priorities = enumerate(policy.response.priorities, start=1)
    return [
        "## Response",
        "",
        *(f"{index}. {priority.title}: {priority.description}" for index, priority in priorities),
        "",
        f"Options are compared by {', '.join(policy.response.decision_factors)}, in that order.",
        "",
    ]


def _on_call(policy: Policy) -> list[str]:
    """Guide, "On-Call Responsibilities" and "Tools and Access"."""
    on_call = policy.on_call
    return [
        "## On call",
        "",
        *(f"- Before an incident: {item.text}" for item in on_call.before_incident),
        *(f"- Access: {item.text}" for item in on_call.required_access),
        f"- Shift hand-off in `{on_call.handoff_channel}`",
        "",
    ]


def render_policy(policy: Policy = DEFAULT_POLICY) -> str:
    """The effective policy as Markdown tables, grouped as the guide groups them."""
    check_type("policy", policy, Policy, "a Policy")  # issue 19, defect 10
    criteria, exclusions = policy.criteria, policy.exclusions
    lines = [
        f"# Incident policy (time zone {policy.zone})",
        "",
        f"This is {policy.identity}.",
        "",
        "## Incident criteria",
        "",
    ]
    lines += _table(
        ["Threshold", "Description"],
        [
            (
                "Availability",
                (
                    f"Error rate >{_percent(criteria.error_rate.above)} for any critical endpoint "
                    f"for >{_span(criteria.error_rate.longer_than)}"
                ),
            ),
            (
                "Latency",
                (
                    f"P95 latency >{criteria.p95_latency.above:g}x baseline "
                    f"for >{_span(criteria.p95_latency.longer_than)}"
                ),
            ),
            ("Data", "Any suspected data corruption or unauthorized access"),
            ("Security", "Active exploit or vulnerability disclosure affecting us"),
            ("Dependency", "Critical upstream service (database, auth provider) down"),
            (
                "Customer Impact",
                (
                    f"{criteria.enterprise_customers_at_least} or more enterprise customers report "
                    "same issue simultaneously"
                ),
            ),
        ],
    )
    lines += ["## What is not an incident", ""]
    lines += _table(
        ["Exclusion", "Applies"],
        [
            (
                "Single customer experiencing issues due to their configuration",
                _yes(exclusions.single_customer_configuration),
            ),
            (
                f"Sporadic 500 errors without pattern (<{_percent(exclusions.sporadic_error_rate_below)})",
                "yes",
            ),
            ("Known issues with documented workarounds", _yes(exclusions.known_issue_with_workaround)),
            (
                "Planned maintenance (unless it exceeds window)",
                _yes(exclusions.planned_maintenance_within_window),
            ),
            ("Performance degradation within acceptable bounds", _yes(exclusions.degradation_within_bounds)),
        ],
    )
    lines += ["## Severity levels", ""]
    lines += _table(
        ["Level", "Name", "Criteria", "Example"],
        [
            (severity.value, level.name, level.criteria, ", ".join(level.examples))
            for severity, level in policy.severities.items()
        ],
    )
    lines += _table(
        ["Classified as", "When any of", "Or error rate above"],
        [
            (
                rule.severity.value,
                _names(flag.value for flag in rule.when_any),
                "-" if rule.error_rate_above is None else _percent(rule.error_rate_above),
            )
            for rule in policy.classification
        ],
    )
    lines += ["## Detection", ""]
    lines += _table(
        ["Source", "Duty", "Within"],
        [
            (response.source.value, response.duty.value, _span(response.within))
            for response in policy.detection.responses
        ],
    )
    detection, declaration = policy.detection, policy.declaration
    lines += [
        (
            f"Customer reports: {detection.customer_reports_at_least} or more tickets with the "
            f"same pattern within {_span(detection.customer_reports_within)}."
        ),
        "",
        "## Declaration",
        "",
        (
            f"Who may declare: {', '.join(who.replace('_', ' ') for who in declaration.who_may_declare)}. "
            f"Channel: `{declaration.channel_prefix}YYYY-MM-DD-brief-name`. "
            f"Notify: `{declaration.notify_group}`."
        ),
        "",
        *_checklist("Declaration checklist", declaration.checklist, enforced=declaration.enforce_checklist),
        "## Roles, communication and resolution by severity",
        "",
    ]
    communication, resolution = policy.communication, policy.resolution
    lines += _table(
        [
            "Severity",
            "Roles (must)",
            "Roles (should)",
            "Separate people",
            "Update every",
            "Notify",
            "Quiet period",
            "Post-incident",
        ],
        [
            (
                severity.value,
                _names(roles.must),
                _names(roles.should),
                _yes(roles.separate_people),
                _span(communication.update_cadence[severity]),
                ", ".join(communication.stakeholders[severity]),
                _span(resolution.quiet_period[severity]),
                "required" if severity in policy.post_incident.required_for else "optional",
            )
            for severity, roles in policy.roles.items()
        ],
    )
    status_page, customers = communication.status_page, communication.customers
    lines += [
        (
            f"Status page: first update within {_span(status_page.first_update_within)} of "
            "declaration; subsequent updates match internal frequency: "
            f"{_yes(status_page.subsequent_match_internal)}; final update when resolved: "
            f"{_yes(status_page.final_update_on_resolve)}."
        ),
        "",
        (
            "Customers: direct email to affected enterprise customers for "
            f"{_names(customers.enterprise_email_for)}; status page for all customers for "
            f"{_names(customers.status_page_for_all_customers)}; direct outreach when the impact "
            f"scope is known: {_yes(customers.direct_outreach_when_scope_known)}."
        ),
        "",
        f"Incident channel archived {_span(resolution.archive_channel_after)} after it is closed.",
        "",
        *_checklist("Resolution checklist", resolution.checklist, enforced=resolution.enforce_checklist),
        "## Response",
        "",
        *(
            f"{index}. {p.title}: {p.description}"
            for index, p in enumerate(policy.response.priorities, start=1)
        ),
        "",
        f"Options are compared by {', '.join(policy.response.decision_factors)}, in that order.",
        "",
        "## Post-incident",
        "",
    ]
    post = policy.post_incident
    review = post.review
    attendees = [_name(role) for role in review.required_attendees]
    attendees += [other.lower() for other in review.other_attendees]
    facilitator = "; facilitator not involved in the incident" if review.facilitator_uninvolved else ""
    lines += [
        (
            f"Review within {post.review_within}; document within {post.document_within}. "
            f"Meeting: {_span(review.min_duration)} to {_span(review.max_duration)}; "
            f"attendees: {'; '.join(attendees)}{facilitator}."
        ),
        "",
    ]
    lines += _table(
        ["Agenda item", "Minutes"],
        [(item.topic, f"{item.duration.total_seconds() / 60:g}") for item in review.agenda],
    )
    lines += [f"Document sections: {', '.join(post.document.sections)}.", "", "## Escalation path", ""]
    lines += _table(
        ["Level", "Who", "Window", "Severities"],
        [
            (
                str(index),
                level.who,
                "-" if level.window is None else _span(level.window),
                _names(level.severities),
            )
            for index, level in enumerate(policy.escalation.levels, start=1)
        ],
    )
    lines += [*_on_call(policy), "## Alerting thresholds", ""]
    rows = []
    for name, metric in ALERT_METRICS.items():
        threshold = policy.alerting[name]
        sign = ">" if metric.direction is Direction.ABOVE else "<"
        if metric.unit == "x baseline":
            warning, critical = f"{threshold.warning:g}x baseline", f"{threshold.critical:g}x baseline"
        else:
            warning, critical = _percent(threshold.warning), _percent(threshold.critical)
        if metric.unit == "fraction of pool":
            warning, critical = f"{warning} pool", f"{critical} pool"
        rows.append((metric.title, f"{sign}{warning}", f"{sign}{critical}"))
    lines += _table(["Metric", "Warning", "Critical (Page)"], rows)
    lines += ["## SLOs", ""]
    slo_rows = []
    for name, slo_metric in SLO_METRICS.items():
        slo = getattr(policy.slos, name)
        target = f"{slo.target:g}ms" if slo_metric.unit == "ms" else _percent(slo.target)
        sign = "" if slo_metric.direction is Direction.ABOVE else "<"
        slo_rows.append((slo_metric.service, f"{sign}{target}", slo.window.value.title()))
    lines += _table(["Service", "Target", "Measurement Window"], slo_rows)
    lines += ["## Quarterly review", ""]
    metrics = enumerate(policy.quarterly_review.metrics, start=1)
    lines += [f"{index}. {metric.title}" for index, metric in metrics]
    return "\n".join(lines) + "\n"
