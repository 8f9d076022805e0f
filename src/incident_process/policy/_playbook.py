"""The guide's playbook as policy data: checklists, response priorities, the decision framework, on-call.

Guide, "2. Declaration" (declaration checklist), "3. Response" (response
priorities, decision framework), "4. Resolution" (resolution checklist) and
"On-Call Responsibilities" / "Tools and Access". The groups live in the
:class:`~incident_process.Policy` like every other table of the guide; the
rules that read them are in the response module.

Checklist steps name the event that completes them by its record name
(``"update_posted"``) and, optionally, conditions on its fields
(``"audience=status_page"``). The policy is built at import, before the
event classes load, so the names are checked against :data:`EVENT_FIELDS`,
which a test keeps equal to the event classes' own fields.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import attrs

from ._checks import Checker
from ._vocabulary import DetectionSource, Role, Severity

__all__ = [
    "CHECKLISTS",
    "DECISION_FACTORS",
    "EVENT_FIELDS",
    "FIELD_VALUES",
    "OBLIGATION_KINDS",
    "RESPONSE_PRIORITIES",
    "ChecklistStep",
    "OnCall",
    "ReadinessItem",
    "Response",
    "ResponsePriority",
]

#: Every event's record name and its own fields (besides ``id``, ``at`` and
#: ``idempotency_key``): what a checklist step may name.
EVENT_FIELDS: Mapping[str, tuple[str, ...]] = {
    "detected": ("incident_id", "title", "source"),
    "acknowledged": ("by",),
    "declared": ("by", "declarer_role", "severity"),
    "response_started": (),
    "role_assigned": ("role", "person"),
    "severity_changed": ("severity", "reason"),
    "update_posted": ("status", "audience"),
    "milestone_recorded": ("milestone", "occurred_at"),
    "resolved": ("last_error_at",),
    "reopened": ("reason",),
    "post_incident_started": (),
    "closed": (),
    "dismissed": ("reason", "duplicate_of", "note"),
    "channel_archived": (),
    "review_held": ("facilitator",),
    "document_published": ("location",),
    "action_item_added": ("item_id", "action", "owner", "due"),
    "action_item_completed": ("item_id",),
    "action_taken": ("action", "by", "approved_by"),
    "root_cause_identified": ("key", "summary"),
    "checklist_step_completed": ("checklist", "step", "by", "note"),
    "escalated": ("to", "by", "reason"),
}

#: The values a condition may compare an event's enumerated field with
#: (``update_posted.audience`` is ``internal`` or ``status_page``); a test
#: keeps them equal to the enumerations.
FIELD_VALUES: Mapping[tuple[str, str], tuple[str, ...]] = {
    ("detected", "source"): tuple(member.value for member in DetectionSource),
    ("declared", "severity"): tuple(member.value for member in Severity),
    ("severity_changed", "severity"): tuple(member.value for member in Severity),
    ("role_assigned", "role"): tuple(member.value for member in Role),
    ("update_posted", "status"): ("investigating", "identified", "mitigating", "resolved"),
    ("update_posted", "audience"): ("internal", "status_page"),
    ("milestone_recorded", "milestone"): (
        "customer_impact_started",
        "investigating",
        "identified",
        "mitigating",
        "resolved",
    ),
    ("dismissed", "reason"): ("not_an_incident", "excluded", "duplicate", "false_alarm"),
}

#: The values of :class:`~incident_process.ObligationKind`: the timed duties a
#: checklist step may take its deadline from.
OBLIGATION_KINDS = (
    "acknowledge",
    "correlate",
    "declare",
    "escalate",
    "first_status_page_update",
    "internal_update",
    "status_page_update",
    "final_status_page_update",
    "resolution_quiet_period",
    "archive_channel",
    "post_incident_review",
    "post_incident_document",
    "action_item",
)

#: The checklists, by name: the policy group that holds each.
CHECKLISTS = ("declaration", "resolution")

#: The commands before which a checklist step can be required.
_BEFORE = ("resolve", "close")

_ALL = (Severity.SEV1, Severity.SEV2, Severity.SEV3)


@attrs.frozen(kw_only=True)
class ChecklistStep:
    """One step of a checklist of the guide.

    Attributes:
        id: The step's name (``"create_channel"``).
        text: The guide's words for it.
        done_by: The event, by record name, that completes the step when it
            is recorded (``"declared"``); any step can also be completed with
            :meth:`Incident.complete_step <incident_process.Incident.complete_step>`.
        where: Conditions on that event's fields, as ``"field=value"``
            (``"audience=status_page"``); all must hold.
        deadline: The timed duty whose due time the step has (an
            :class:`~incident_process.ObligationKind` value), if any.
        before: The command the step must be done before (``"resolve"`` or
            ``"close"``); ``None``: it is never required by a command.
        severities: The severities the step applies to.
    """

    id: str
    text: str
    done_by: str | None = None
    where: tuple[str, ...] = ()
    deadline: str | None = None
    before: str | None = None
    severities: tuple[Severity, ...] = _ALL

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.identifier("id", self.id)
        check.text("text", self.text)
        fields: tuple[str, ...] | None = None  # the named event's fields, once it is known
        if self.done_by is not None and check.text("done_by", self.done_by):
            if self.done_by in EVENT_FIELDS:
                fields = EVENT_FIELDS[self.done_by]
            else:
                known = ", ".join(EVENT_FIELDS)
                check.fail("done_by", f"unknown event {self.done_by!r}; expected one of {known}")
        for path, condition in check.items("where", self.where, non_empty=False):
            if not isinstance(condition, str) or condition.count("=") != 1 or not all(condition.split("=")):
                check.fail(path, f"expected 'field=value', got {condition!r}")
            elif self.done_by is None:
                check.fail(path, "a condition needs the event it is about, in done_by")
            elif fields is not None:
                self._check_condition(check, path, condition, fields)
        for field, allowed in (("deadline", OBLIGATION_KINDS), ("before", _BEFORE)):
            value = getattr(self, field)
            if value is not None and check.text(field, value) and value not in allowed:
                check.fail(field, f"expected one of {', '.join(map(repr, allowed))}, got {value!r}")
        check.members("severities", self.severities, Severity)
        check.done()

    def _check_condition(self, check: Checker, path: str, condition: str, fields: tuple[str, ...]) -> None:
        field, _, value = condition.partition("=")
        if field not in fields:
            shown = ", ".join(fields) or "none"
            check.fail(path, f"{self.done_by} has no field {field!r} (its fields: {shown})")
            return
        allowed = FIELD_VALUES.get((str(self.done_by), field))
        if allowed is not None and value not in allowed:
            listed = ", ".join(map(repr, allowed))
            check.fail(path, f"{self.done_by}.{field} is one of {listed}, got {value!r}")

    def applies_to(self, severity: Severity | None) -> bool:
        """Whether the step applies to an incident of *severity* (every step, before a severity is set)."""
        return severity is None or severity in self.severities


def _shown(value: object) -> str:
    """A field's value as a condition compares it: an enumeration by its value."""
    return str(getattr(value, "value", value))


def step_matches(step: ChecklistStep, event: object) -> bool:
    """Whether *event* (an :class:`~incident_process.Event`) completes *step*."""
    if step.done_by is None or getattr(event, "kind", None) != step.done_by:
        return False
    for condition in step.where:
        field, _, value = condition.partition("=")
        if _shown(getattr(event, field)) != value:
            return False
    return True


@functools.lru_cache(maxsize=32)
def steps_by_event(
    declaration: tuple[ChecklistStep, ...], resolution: tuple[ChecklistStep, ...]
) -> Mapping[str, tuple[tuple[str, ChecklistStep], ...]]:
    """The ``(checklist, step)`` pairs that an event of each kind may complete."""
    index: dict[str, list[tuple[str, ChecklistStep]]] = {}
    for name, steps in zip(CHECKLISTS, (declaration, resolution), strict=True):
        for step in steps:
            if step.done_by is not None:
                index.setdefault(step.done_by, []).append((name, step))
    return {kind: tuple(pairs) for kind, pairs in index.items()}


#: Guide, "Declaration checklist".
DECLARATION_CHECKLIST = (
    ChecklistStep(id="confirm_criteria", text="Confirm incident criteria are met", before="resolve"),
    ChecklistStep(
        id="assign_severity", text="Assign initial severity level", done_by="declared", before="resolve"
    ),
    ChecklistStep(
        id="create_channel", text="Create incident channel: #incident-YYYY-MM-DD-brief-name", before="resolve"
    ),
    ChecklistStep(
        id="page_on_call",
        text="Page on-call if not already engaged",
        done_by="acknowledged",
        deadline="acknowledge",
        before="resolve",
    ),
    ChecklistStep(
        id="post_status_page",
        text="Post initial status to status page",
        done_by="update_posted",
        where=("audience=status_page",),
        deadline="first_status_page_update",
        before="resolve",
    ),
    ChecklistStep(
        id="notify_stakeholders",
        text="Notify stakeholders via @incident-notify Slack group",
        before="resolve",
    ),
)

#: Guide, "Resolution checklist".
RESOLUTION_CHECKLIST = (
    ChecklistStep(
        id="confirm_metrics_stable", text="Confirm metrics are stable", done_by="resolved", before="close"
    ),
    ChecklistStep(
        id="communicate_resolution",
        text="Communicate resolution to stakeholders",
        done_by="update_posted",
        where=("status=resolved", "audience=internal"),
        before="close",
    ),
    ChecklistStep(
        id="status_page_resolved",
        text='Update status page to "Resolved"',
        done_by="update_posted",
        where=("status=resolved", "audience=status_page"),
        deadline="final_status_page_update",
        before="close",
    ),
    ChecklistStep(
        id="archive_channel",
        text="Close incident channel (archive after 24h)",
        done_by="channel_archived",
        deadline="archive_channel",
    ),
    ChecklistStep(
        id="schedule_review",
        text="Schedule post-incident review",
        done_by="post_incident_started",
        before="close",
        severities=(Severity.SEV1, Severity.SEV2),
    ),
)


# --- Response priorities and the decision framework ------------------------------

#: The response priorities the library knows how to follow, in the guide's order.
RESPONSE_PRIORITIES = ("mitigate", "communicate", "investigate", "fix", "verify")

#: The decision framework's factors, by the name :func:`~incident_process.choose_option` uses.
DECISION_FACTORS = ("data", "reversibility", "risk", "speed")


@attrs.frozen(kw_only=True)
class ResponsePriority:
    """One of the guide's "Response Priorities".

    Attributes:
        id: ``"mitigate"``, ``"communicate"``, ``"investigate"``, ``"fix"`` or ``"verify"``.
        title: The guide's word (``"Mitigate"``).
        description: The guide's words for it (``"Stop the bleeding (rollback, disable feature, scale up)"``).
    """

    id: str
    title: str
    description: str

    def __attrs_post_init__(self) -> None:
        check = Checker()
        if check.text("id", self.id) and self.id not in RESPONSE_PRIORITIES:
            check.fail("id", f"expected one of {', '.join(map(repr, RESPONSE_PRIORITIES))}, got {self.id!r}")
        check.text("title", self.title)
        check.text("description", self.description)
        check.done()


@attrs.frozen(kw_only=True)
class Response:
    """Guide, "3. Response": the response priorities and the decision framework.

    Attributes:
        priorities: "1. Mitigate - Stop the bleeding (rollback, disable
            feature, scale up); 2. Communicate - Keep stakeholders informed;
            3. Investigate - Find root cause; 4. Fix - Implement proper
            solution; 5. Verify - Confirm resolution", in the order they
            come: each of the five once.
        decision_factors: The order in which
            :func:`~incident_process.choose_option` compares options, each of
            the guide's four factors once: ``"data"`` ("Are we risking data
            loss or corruption?"), ``"reversibility"`` ("Can we undo this if
            it doesn't work?"), ``"risk"`` ("What could go wrong with each
            option?") and ``"speed"`` ("Which option restores service
            fastest?"). The default reads "When in doubt: Choose the safest
            reversible option that stops customer impact": safety first,
            then reversibility, then speed.
    """

    priorities: tuple[ResponsePriority, ...] = (
        ResponsePriority(
            id="mitigate",
            title="Mitigate",
            description="Stop the bleeding (rollback, disable feature, scale up)",
        ),
        ResponsePriority(id="communicate", title="Communicate", description="Keep stakeholders informed"),
        ResponsePriority(id="investigate", title="Investigate", description="Find root cause"),
        ResponsePriority(id="fix", title="Fix", description="Implement proper solution"),
        ResponsePriority(id="verify", title="Verify", description="Confirm resolution"),
    )
    decision_factors: tuple[str, ...] = DECISION_FACTORS

    def __attrs_post_init__(self) -> None:
        check = Checker()
        ids = [priority.id for _, priority in check.items_of("priorities", self.priorities, ResponsePriority)]
        if sorted(ids) != sorted(RESPONSE_PRIORITIES) and not check.problems:
            check.fail(
                "priorities", f"expected each of {', '.join(RESPONSE_PRIORITIES)} once, got {', '.join(ids)}"
            )
        before = len(check.problems)
        for path, factor in check.items("decision_factors", self.decision_factors):
            if factor not in DECISION_FACTORS:
                check.fail(path, f"expected one of {', '.join(map(repr, DECISION_FACTORS))}, got {factor!r}")
        # Each factor a known name, none twice (or it was said above): then are all four there?
        if len(check.problems) == before and set(self.decision_factors) != set(DECISION_FACTORS):
            check.fail("decision_factors", f"expected each of {', '.join(DECISION_FACTORS)} once")
        check.done()

    def priority(self, id: str) -> ResponsePriority:  # noqa: A002 - the priority's own name
        """The priority named *id*."""
        return next(priority for priority in self.priorities if priority.id == id)


# --- On call ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ReadinessItem:
    """Something an on-call engineer must have or know.

    Attributes:
        id: Its name (``"status_page_admin"``).
        text: The guide's words for it.
    """

    id: str
    text: str

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.identifier("id", self.id)
        check.text("text", self.text)
        check.done()


@attrs.frozen(kw_only=True)
class OnCall:
    """Guide, "On-Call Responsibilities" and "Tools and Access".

    Attributes:
        before_incident: "Before Incident: Ensure PagerDuty profile is
            current; Have laptop and internet access available; Know how to
            access runbooks and dashboards; Be familiar with recent
            deployments".
        required_access: "Required Access for On-Call": the six accesses.
        handoff_channel: "#oncall-handoff: Shift change notes".
    """

    before_incident: tuple[ReadinessItem, ...] = (
        ReadinessItem(id="paging_profile_current", text="Ensure PagerDuty profile is current"),
        ReadinessItem(id="laptop_and_internet", text="Have laptop and internet access available"),
        ReadinessItem(id="runbooks_and_dashboards", text="Know how to access runbooks and dashboards"),
        ReadinessItem(id="recent_deployments", text="Be familiar with recent deployments"),
    )
    required_access: tuple[ReadinessItem, ...] = (
        ReadinessItem(id="pagerduty", text="PagerDuty account with on-call rotation"),
        ReadinessItem(id="slack", text="Slack with access to incident channels"),
        ReadinessItem(id="dashboards", text="Dashboard access (Grafana, Datadog, etc.)"),
        ReadinessItem(id="production_read_only", text="Production read-only access"),
        ReadinessItem(id="deployment_pipeline", text="Deployment pipeline access"),
        ReadinessItem(id="status_page_admin", text="Status page admin access"),
    )
    handoff_channel: str = "#oncall-handoff"

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.keyed("before_incident", self.before_incident, ReadinessItem, "id")
        check.keyed("required_access", self.required_access, ReadinessItem, "id")
        check.text("handoff_channel", self.handoff_channel)
        check.done()
