"""The example incident of ``incident-process demo``, walked from detection to closing under any policy.

Issue 19, defect 9: the demonstration walks its example (detection,
declaration, response, resolution, post-incident) under whatever valid policy
it is given. Every time of the walk-through comes from the policy's own
numbers (the acknowledgement window, the first status-page window, the update
cadence, the quiet period, the business-day deadlines, in the policy's
calendar), and every measured value from its thresholds (the example's error
rate is just above the SEV2 threshold: 12% above the guide's 10%). Under the
guide's policy the times are the guide's example: acknowledged at 3 minutes,
resolved 16 minutes after the last error, reviewed on the second business day.
A step the policy makes impossible is said in the output, never a traceback:
an example impact the policy does not classify is shown unclassified, and
when no impact is SEV2 under the policy the example takes a severity the
policy does classify, and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from incident_process.detection import Classification, Impact, classify_severity
from incident_process.errors import CommandRefusedError, SeverityError
from incident_process.lifecycle import Incident, unmet_role_requirements
from incident_process.policy import Policy
from incident_process.response import checklist
from incident_process.timing import describe_duration
from incident_process.vocabulary import (
    Audience,
    DetectionDuty,
    DetectionSource,
    ImpactFlag,
    Milestone,
    Role,
    Severity,
    UpdateStatus,
)

__all__ = [
    "EXAMPLE_IMPACTS",
    "MINUTE",
    "Plan",
    "Scenario",
    "Walk",
    "acknowledged_after",
    "classified_examples",
    "clock",
    "declarers",
    "example_impacts",
    "example_incident",
    "percent",
    "plan_for",
    "prefix",
    "required_steps",
    "walk_through",
]

#: The guide's example impacts (the default policy's); :func:`example_impacts` adapts them to a policy.
EXAMPLE_IMPACTS = (
    ("All API requests failing", Impact(flags=frozenset({ImpactFlag.COMPLETE_OUTAGE}))),
    ("Checkout endpoint returning errors to 12% of requests", Impact(error_rate=0.12)),
    ("Export to CSV slow for large accounts; a workaround exists", Impact(flags={ImpactFlag.LIMITED_IMPACT})),
)

#: The example's severity, then the others in the order the example falls back to them.
_SEVERITIES = (Severity.SEV2, Severity.SEV1, Severity.SEV3)

#: The walked incident's impact in words, as declared and as resolved, when a flag classifies it.
_FLAG_WORDS = {
    ImpactFlag.COMPLETE_OUTAGE: ("Every API request fails", "every API request failed"),
    ImpactFlag.DATA_BREACH: ("Customer data may be exposed", "customer data may have been exposed"),
    ImpactFlag.CRITICAL_ENDPOINT_DOWN: ("The checkout endpoint is down", "the checkout endpoint was down"),
    ImpactFlag.SIGNIFICANT_FUNCTIONALITY_IMPAIRED: (
        "Customers cannot complete checkout",
        "customers could not complete checkout",
    ),
    ImpactFlag.LIMITED_IMPACT: ("Checkout fails for some customers", "checkout failed for some customers"),
}

#: The example's unit of time; its times are the guide's, each at most a share of the policy's window.
MINUTE = timedelta(minutes=1)
_SECOND = timedelta(seconds=1)


def _share(window: timedelta, numerator: int, denominator: int, cap: timedelta) -> timedelta:
    """*numerator*/*denominator* of *window*, in whole seconds, at most *cap* (3/5 of 5 minutes: 3)."""
    part = (window * numerator) // denominator
    return min(cap, timedelta(seconds=part // _SECOND))


def percent(fraction: float) -> str:
    """A fraction as the classification writes it: 0.12 is ``12%``."""
    return f"{fraction * 100:g}%"


def _rate_above(low: float, high: float) -> float | None:
    """A round error rate above *low* and at most *high*: 2 points above (12% for 10%) if it fits."""
    if not low < high:
        return None
    wanted = low + 0.02 if low + 0.02 <= high else (low + high) / 2
    for digits in range(2, 12):
        rounded = round(wanted, digits)
        if low < rounded <= high:
            return rounded
    return wanted if low < wanted <= high else high


def _classified(impact: Impact, policy: Policy) -> Classification | None:
    try:
        return classify_severity(impact, policy)
    except SeverityError:
        return None


def _impact_of(policy: Policy, severity: Severity) -> tuple[Impact, Classification] | None:
    """An impact the policy classifies as *severity*: an error rate above its threshold, else a flag."""
    rules = [rule for rule in policy.classification if rule.severity is severity]
    graver = [
        rule.error_rate_above
        for rule in policy.classification
        if rule.severity > severity and rule.error_rate_above is not None
    ]
    candidates = []
    for threshold in sorted(rule.error_rate_above for rule in rules if rule.error_rate_above is not None):
        rate = _rate_above(threshold, min([1.0, *graver]))
        if rate is not None:
            candidates.append(Impact(error_rate=rate))
    candidates += [Impact(flags=frozenset({flag})) for rule in rules for flag in rule.when_any]
    for impact in candidates:
        found = _classified(impact, policy)
        if found is not None and found.severity is severity:
            return impact, found
    return None


class Scenario(NamedTuple):
    """The walked incident's severity and impact under a policy, and what was adapted, if anything."""

    severity: Severity
    impact: Impact | None
    words: str
    past: str
    note: str | None


def _scenario(policy: Policy) -> Scenario:
    """The example's SEV2 checkout errors, or the nearest the policy classifies (said in ``note``)."""
    for severity in _SEVERITIES:
        found = _impact_of(policy, severity)
        if found is None:
            continue
        impact, classification = found
        rate = impact.error_rate
        if rate is None:
            words, past = _FLAG_WORDS[min(impact.flags, key=list(ImpactFlag).index)]
        else:
            words, past = (
                f"Checkout fails for {percent(rate)} of requests",
                f"{percent(rate)} of checkouts failed",
            )
        note = None
        if severity is not Severity.SEV2:
            note = (
                f"This policy classifies no impact as SEV2, the example's severity; the example is "
                f"walked as {classification.reason}."
            )
        elif rate is None:
            note = (
                f"No error rate is SEV2 under this policy; the example's impact is {classification.reason}."
            )
        return Scenario(severity, impact, words, past, note)
    note = (
        "This policy's classification matches no impact (every rule needs an error rate above 100%); "
        "ana declares the example SEV2 without a classification."
    )
    return Scenario(Severity.SEV2, None, "Checkout fails for some requests", "some checkouts failed", note)


def example_impacts(policy: Policy) -> tuple[tuple[str, Impact], ...]:
    """The guide's example impacts, the error rate just above the policy's SEV2 threshold (12% for 10%)."""
    scenario = _scenario(policy)
    rate = scenario.impact.error_rate if scenario.impact is not None else None
    if rate is None:
        return EXAMPLE_IMPACTS
    described = f"Checkout endpoint returning errors to {percent(rate)} of requests"
    return (EXAMPLE_IMPACTS[0], (described, Impact(error_rate=rate)), EXAMPLE_IMPACTS[2])


def classified_examples(policy: Policy) -> tuple[tuple[str, Classification | None, str], ...]:
    """Each example impact, its classification under *policy* (``None``: no rule matches) and why."""
    examples = []
    for description, impact in example_impacts(policy):
        found = _classified(impact, policy)
        if found is None:
            facts = [flag.value for flag in sorted(impact.flags, key=list(ImpactFlag).index)]
            facts += [] if impact.error_rate is None else [f"error rate {percent(impact.error_rate)}"]
            reason = f"not classified: no severity rule of this policy matches it ({', '.join(facts)})"
        else:
            reason = found.reason
        examples.append((description, found, reason))
    return tuple(examples)


class Plan(NamedTuple):
    """The policy's numbers the walk-through is timed by, for the example's severity."""

    acknowledge_within: timedelta | None
    first_update_within: timedelta
    cadence: timedelta
    quiet: timedelta


def plan_for(policy: Policy, severity: Severity) -> Plan:
    """*policy*'s windows for an automated alert's incident of *severity* (no acknowledgement duty: None)."""
    acknowledge = next(
        (
            response.within
            for response in policy.detection.responses
            if response.source is DetectionSource.AUTOMATED_ALERT
            and response.duty is DetectionDuty.ACKNOWLEDGE
        ),
        None,
    )
    return Plan(
        acknowledge_within=acknowledge,
        first_update_within=policy.communication.status_page.first_update_within,
        cadence=policy.communication.update_cadence[severity],
        quiet=policy.resolution.quiet_period[severity],
    )


def acknowledged_after(plan: Plan, fifths: int, cap: timedelta) -> timedelta:
    """*fifths* fifths into the policy's acknowledgement window, at most *cap* (3 of 5 minutes: 3)."""
    window = plan.acknowledge_within
    return cap if window is None else _share(window, fifths, 5, cap)


def _at_local(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """*day* at wall-clock *wall* in *zone*; a time DST skips moves forward by the gap."""
    return datetime.combine(day, wall, tzinfo=zone).astimezone(UTC).astimezone(zone)


def clock(moment: datetime, start: datetime) -> str:
    """*moment* in *start*'s zone as ``Tue 10:00``, with its date too when it is a week or more from *start*.

    A policy's long windows (a quiet period of weeks) take the walk-through
    past the week the weekday names tell apart.
    """
    local = moment.astimezone(start.tzinfo)
    near = abs((local.date() - start.date()).days) < 7
    return f"{local:%a %H:%M}" if near else f"{local:%a %Y-%m-%d %H:%M}"


def _after_last_error(span: timedelta) -> str:
    return "at the last error" if span < _SECOND else f"{describe_duration(span)} after the last error"


#: A step of the walk-through: when, what in words, the command, and a name to find it again by ("").
Step = tuple[datetime, str, Callable[[Incident, datetime], Incident], str]


class Walk(NamedTuple):
    """The walked incident, its story, and its number of events after each named step."""

    incident: Incident
    story: list[str]
    marks: dict[str, int]
    scenario: Scenario


def _doing(name: str, step_id: str) -> Callable[[Incident, datetime], Incident]:
    return lambda incident, at: incident.complete_step(name, step_id, at=at, by="ana")


def required_steps(incident: Incident, command: str, at: datetime) -> list[Step]:
    """The checklist steps a policy that enforces its checklists requires before *command*, done by ana."""
    steps: list[Step] = []
    for name in ("declaration", "resolution"):
        if getattr(incident.policy, name).enforce_checklist:
            steps += [
                (
                    at,
                    f"ana does {name}.{item.step.id}, required before {command}",
                    _doing(name, item.step.id),
                    "",
                )
                for item in checklist(incident, name).items
                if item.applies and not item.done and item.step.before == command
            ]
    return steps


class _Walker:
    """Runs steps in order, each at its time but never before the step before it; refusals are told."""

    def __init__(self, incident: Incident) -> None:
        self.incident = incident
        self.clock = self.start = incident.events[-1].at
        self.story: list[str] = []
        self.marks: dict[str, int] = {}

    def run(self, steps: list[Step]) -> datetime:
        """Run *steps*; the time of the last one that was accepted."""
        for when, what, command, mark in steps:
            moment = max(when, self.clock)
            try:
                self.incident = command(self.incident, moment)
            except CommandRefusedError as refusal:
                self.story.append(f"- {what}: REFUSED ({refusal.rule}): {refusal.reason}")
                continue
            self.clock = moment
            incident, event = self.incident, self.incident.events[-1]
            unmet = "; ".join(f"{u.level.value}: {u.reason}" for u in unmet_role_requirements(incident))
            note = f" [roles {unmet}]" if unmet else ""
            shown = clock(event.at, self.start)
            self.story.append(f"- {shown} {what}: {event.kind} -> {incident.phase.value}{note}")
            if mark:
                self.marks[mark] = incident.version
        return self.clock


def declarers(policy: Policy) -> tuple[str, str]:
    """Who may not declare (an intern, unless the policy lets interns), and who declares (on call)."""
    allowed = policy.declaration.who_may_declare
    refused = next(role for n in range(len(allowed) + 1) if (role := f"intern{n or ''}") not in allowed)
    declarer = "on_call_engineer" if "on_call_engineer" in allowed else allowed[0]
    return refused, declarer


def walk_through(policy: Policy) -> Walk:
    """The example incident, timed by the policy (see the module docstring), with its story."""
    scenario = _scenario(policy)
    severity, plan = scenario.severity, plan_for(policy, scenario.severity)
    zone = ZoneInfo(policy.zone)
    start = datetime(2026, 3, 8, 9, 0, tzinfo=zone)
    walker = _Walker(
        Incident.detect(
            id="INC-2026-0042",
            title="Checkout returning 5xx errors",
            source=DetectionSource.AUTOMATED_ALERT,
            at=start,
            policy=policy,
        )
    )
    acknowledged = start + acknowledged_after(plan, 3, 3 * MINUTE)
    declared = acknowledged + MINUTE
    refused, declarer = declarers(policy)
    who = "an intern" if refused == "intern" else f"sam, as {refused},"
    by_whom = "ana, on call," if declarer == "on_call_engineer" else f"ana, as {declarer},"
    walker.run(
        [
            (
                start + min(MINUTE, acknowledged - start),
                "impact began 6 minutes before the alert",
                lambda i, at: i.record_milestone(
                    Milestone.CUSTOMER_IMPACT_STARTED, at=at, occurred_at=start - 6 * MINUTE
                ),
                "",
            ),
            (acknowledged, "ana acknowledges the page", lambda i, at: i.acknowledge(at=at, by="ana"), ""),
            (
                declared,
                f"{who} tries to declare",
                lambda i, at: i.declare(at=at, by="sam", declarer_role=refused, severity=severity),
                "",
            ),
            (
                declared,
                f"{by_whom} declares it",
                lambda i, at: i.declare(at=at, by="ana", declarer_role=declarer, severity=severity),
                "",
            ),
        ]
    )
    # Each update within its window; the response starts and its lead is named before the first.
    posted = _share(plan.first_update_within, 1, 2, 5 * MINUTE)
    identified = _share(plan.cadence, 8, 15, 16 * MINUTE)
    first = min(posted, identified)
    response: list[Step] = [
        (
            declared + min(MINUTE, first),
            "the response starts",
            lambda i, at: i.start_response(at=at),
            "declared",
        ),
        (
            declared + min(2 * MINUTE, first),
            "bo becomes Technical Lead",
            lambda i, at: i.assign_role(Role.TECHNICAL_LEAD, "bo", at=at),
            "",
        ),
        (
            declared + posted,
            "first status-page update",
            lambda i, at: i.post_update(
                at=at, status=UpdateStatus.INVESTIGATING, audience=Audience.STATUS_PAGE
            ),
            "first update",
        ),
        (
            declared + identified,
            "bad deploy identified",
            lambda i, at: i.post_update(at=at, status=UpdateStatus.IDENTIFIED),
            "",
        ),
        (
            declared + _share(plan.cadence, 2, 3, 20 * MINUTE),
            "rollback under way",
            lambda i, at: i.post_update(at=at, status=UpdateStatus.MITIGATING),
            "",
        ),
    ]
    mitigated = walker.run(sorted(response, key=lambda step: step[0]))
    last_error = mitigated + 6 * MINUTE
    # Resolving too early (5 minutes early, or a third of a shorter quiet period), then in time.
    early = plan.quiet - max(_SECOND, _share(plan.quiet, 1, 3, 5 * MINUTE))
    walker.run(required_steps(walker.incident, "resolve", last_error))
    walker.run(
        [
            (
                last_error + early,
                f"resolve {_after_last_error(early)}",
                lambda i, at: i.resolve(at=at, last_error_at=last_error),
                "resolved",
            ),
            (
                last_error + plan.quiet + MINUTE,
                f"resolve {_after_last_error(plan.quiet + MINUTE)}",
                lambda i, at: i.resolve(at=at, last_error_at=last_error),
                "resolved",
            ),
        ]
    )
    _post_incident(walker, plan, severity, zone)
    return Walk(walker.incident, walker.story, walker.marks, scenario)


def _post_incident(walker: _Walker, plan: Plan, severity: Severity, zone: ZoneInfo) -> None:
    """From resolution to the last action item, on the policy's business days (the guide's: Tue, Wed, Fri)."""
    policy = walker.incident.policy
    post = policy.post_incident
    calendar = policy.business_calendar()
    resolved = walker.clock
    final = resolved + _share(plan.first_update_within, 2, 5, 4 * MINUTE)
    started = final + 10 * MINUTE
    # The review at 10:00 on the business day before its deadline, or on the second business day if
    # the policy gives longer; the document the business day after; the action item due with the
    # document (the guide's fifth business day at most), and after the incident closes.
    review_day = calendar.deadline(resolved, max(1, min(post.review_within.days - 1, 2))).date()
    review = _at_local(review_day, time(10), zone)
    item_added = max(review, started) + timedelta(hours=1)
    published = _at_local(calendar.deadline(item_added, 1).date(), time(9), zone)
    if published > calendar.deadline(resolved, post.document_within.days) >= item_added + timedelta(hours=1):
        published = item_added + timedelta(hours=1)  # the next business day is too late for the document
    closing = max(published, item_added) + 30 * MINUTE
    due = max(
        calendar.deadline(resolved, min(post.document_within.days, 5)).date(),
        calendar.deadline(closing, 1).date(),
    )
    steps: list[Step] = []
    if severity in post.required_for:
        steps.append((final, "close straight away", lambda i, at: i.close(at=at), ""))
    else:
        walker.story.append(
            f"- close straight away: allowed, as this policy makes the post-incident process optional for "
            f"{severity.value}; the team holds it anyway"
        )
    steps += [
        (
            final,
            "final status-page update",
            lambda i, at: i.post_update(at=at, status=UpdateStatus.RESOLVED, audience=Audience.STATUS_PAGE),
            "",
        ),
        (started, "start the post-incident process", lambda i, at: i.start_post_incident(at=at), ""),
        (review, "the review, facilitated by eve", lambda i, at: i.hold_review(at=at, facilitator="eve"), ""),
        (
            item_added,
            "an action item for bo",
            lambda i, at: i.add_action_item(
                "A1", "Alert on checkout error rate per deploy", owner="bo", due=due, at=at
            ),
            "",
        ),
        (
            published,
            "the document is published",
            lambda i, at: i.publish_document(at=at, location="postmortems/INC-2026-0042.md"),
            "",
        ),
    ]
    walker.run(steps)
    walker.run(required_steps(walker.incident, "close", closing))
    closed = walker.run([(closing, "close", lambda i, at: i.close(at=at), "")])
    follow_ups: list[Step] = [
        (
            closed + timedelta(hours=23, minutes=30),
            "archive the channel",
            lambda i, at: i.archive_channel(at=at),
            "",
        ),
        (
            _at_local(due, time(15), zone),
            "bo completes the action item",
            lambda i, at: i.complete_action_item("A1", at=at),
            "",
        ),
    ]
    walker.run(sorted(follow_ups, key=lambda step: step[0]))


def example_incident(policy: Policy) -> tuple[Incident, list[str]]:
    """A checkout outage walked from detection to closing, and what happened on the way.

    Timed by *policy*'s numbers and of a severity it classifies (issue 19); the
    story's lines say what each step recorded or why the guide refused it.
    """
    walk = walk_through(policy)
    return walk.incident, walk.story


def prefix(walk: Walk, mark: str) -> Incident:
    """The walked incident as it was just after its step named *mark*."""
    events = walk.incident.events[: walk.marks.get(mark, walk.marks["declared"])]
    return Incident.from_events(events, policy=walk.incident.policy)
