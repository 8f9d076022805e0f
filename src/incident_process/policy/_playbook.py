"""The guide's playbook as policy data: roles, checklists, response priorities, decisions, on-call.

Guide, "2. Declaration" (who may declare, the declaration checklist), "3.
Response" (roles per severity, response priorities, decision framework), "4.
Resolution" (the quiet period, the resolution checklist) and "On-Call
Responsibilities" / "Tools and Access". The groups live in the
:class:`~incident_process.policy.Policy` like every other table of the guide;
the rules that read them are in :mod:`incident_process.lifecycle` (guards)
and :mod:`incident_process.response` (next steps and findings).

Checklist steps name the event that completes them by its record name
(``"update_posted"``) and, optionally, conditions on its fields
(``"audience=status_page"``); both are checked against the event classes
themselves (:mod:`incident_process.events`), and a step's deadline against
:class:`~incident_process.vocabulary.ObligationKind`.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from datetime import timedelta

import attrs

from incident_process.vocabulary import ObligationKind, Role, Severity

from ._checks import Checker
from ._per_severity import PerSeverity, each

__all__ = [
    "CHECKLISTS",
    "DECISION_FACTORS",
    "RESPONSE_PRIORITIES",
    "ChecklistStep",
    "Declaration",
    "OnCall",
    "ReadinessItem",
    "Resolution",
    "Response",
    "ResponsePriority",
    "RoleRequirements",
    "StepOfEvent",
    "conditions_hold",
    "step_matches",
    "steps_by_event",
]

#: The checklists, by name: the policy group that holds each.
CHECKLISTS = ("declaration", "resolution")

#: The commands before which a checklist step can be required.
_BEFORE = ("resolve", "close")

#: The timed duties a checklist step may take its deadline from.
_DEADLINES = tuple(kind.value for kind in ObligationKind)

_ALL = (Severity.SEV1, Severity.SEV2, Severity.SEV3)


@attrs.frozen(kw_only=True, cache_hash=True)  # hashed as a key of caches: once
class ChecklistStep:
    """One step of a checklist of the guide.

    Attributes:
        id: The step's name (``"create_channel"``).
        text: The guide's words for it.
        done_by: The event, by record name, that completes the step when it
            is recorded (``"declared"``); any step can also be completed with
            :meth:`Incident.complete_step <incident_process.lifecycle.Incident.complete_step>`.
        where: Conditions on that event's fields, as ``"field=value"``
            (``"audience=status_page"``); all must hold.
        deadline: The timed duty whose due time the step has (an
            :class:`~incident_process.vocabulary.ObligationKind` value), if any.
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
        fields: Mapping[str, tuple[str, ...] | None] | None = None  # the named event's, once known
        named = self.done_by is not None and check.text("done_by", self.done_by)
        if named and _guide_steps is not None and self not in _guide_steps:
            fields = _event_fields(check, str(self.done_by))
        for path, condition in check.items("where", self.where, non_empty=False):
            if not isinstance(condition, str) or condition.count("=") != 1 or not all(condition.split("=")):
                check.fail(path, f"expected 'field=value', got {condition!r}")
            elif self.done_by is None:
                check.fail(path, "a condition needs the event it is about, in done_by")
            elif fields is not None:
                self._check_condition(check, path, condition, fields)
        for field, allowed in (("deadline", _DEADLINES), ("before", _BEFORE)):
            value = getattr(self, field)
            if value is not None:
                check.one_of(field, value, allowed)
        check.members("severities", self.severities, Severity)
        check.done()

    def _check_condition(
        self, check: Checker, path: str, condition: str, fields: Mapping[str, tuple[str, ...] | None]
    ) -> None:
        field, _, value = condition.partition("=")
        if field not in fields:
            shown = ", ".join(fields) or "none"
            check.fail(path, f"{self.done_by} has no field {field!r} (its fields: {shown})")
            return
        allowed = fields[field]
        if allowed is not None and value not in allowed:
            listed = ", ".join(map(repr, allowed))
            check.fail(path, f"{self.done_by}.{field} is one of {listed}, got {value!r}")

    def applies_to(self, severity: Severity | None) -> bool:
        """Whether the step applies to an incident of *severity* (every step, before a severity is set)."""
        return severity is None or severity in self.severities


def _event_fields(check: Checker, kind: str) -> Mapping[str, tuple[str, ...] | None] | None:
    """The own fields of the event named *kind*, with their values; ``None`` (and a problem) if unknown.

    Read from the event classes themselves, which load here the first time a
    step other than one of the guide's own names an event: reading or checking
    a policy whose checklists are the guide's loads no event class (see
    :data:`_guide_steps`).
    """
    from incident_process.events._events import EVENT_TYPES, field_choices

    if kind in EVENT_TYPES:
        return field_choices(kind)
    known = ", ".join(EVENT_TYPES)
    check.fail("done_by", f"unknown event {kind!r}; expected one of {known}")
    return None


def _shown(value: object) -> str:
    """A field's value as a condition compares it: an enumeration by its value."""
    return str(getattr(value, "value", value))


def step_matches(step: ChecklistStep, event: object) -> bool:
    """Whether *event* (an :class:`~incident_process.events.Event`) completes *step*."""
    if step.done_by is None or getattr(event, "kind", None) != step.done_by:
        return False
    return conditions_hold(_conditions(step.where), event)


def conditions_hold(conditions: tuple[tuple[str, str], ...], event: object) -> bool:
    """Whether every ``(field, value)`` condition holds of *event* (an enumeration compared by its value).

    A loop rather than :func:`_shown` per field: it runs for every event a replay applies.
    """
    for field, value in conditions:
        actual = getattr(event, field)
        if isinstance(actual, enum.Enum):
            actual = actual._value_
        if actual != value and str(actual) != value:
            return False
    return True


def _conditions(where: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """A step's ``where`` as ``(field, value)`` pairs."""
    return tuple((field, value) for field, _, value in (condition.partition("=") for condition in where))


#: A step an event may complete: its checklist, the step, and the step's conditions as pairs.
StepOfEvent = tuple[str, ChecklistStep, tuple[tuple[str, str], ...]]


@functools.lru_cache(maxsize=32)
def steps_by_event(
    declaration: tuple[ChecklistStep, ...], resolution: tuple[ChecklistStep, ...]
) -> Mapping[str, tuple[StepOfEvent, ...]]:
    """The steps an event of each kind may complete: ``(checklist, step, conditions)``, read once."""
    index: dict[str, list[StepOfEvent]] = {}
    for name, steps in zip(CHECKLISTS, (declaration, resolution), strict=True):
        for step in steps:
            if step.done_by is not None:
                index.setdefault(step.done_by, []).append((name, step, _conditions(step.where)))
    return {kind: tuple(found) for kind, found in index.items()}


#: The guide's own steps, whose events and conditions the tests check against
#: the event classes, so that building one (at import, or as a policy file is
#: read) loads no event class; ``None`` while they are built below. A tuple:
#: a step is looked up by equality, since a step with a wrong field may not hash.
_guide_steps: tuple[ChecklistStep, ...] | None = None

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

_guide_steps = DECLARATION_CHECKLIST + RESOLUTION_CHECKLIST


# --- Roles, declaration and resolution ------------------------------------------


@attrs.frozen(kw_only=True)
class RoleRequirements:
    """Which roles a severity requires; "must" is a requirement, "should" a recommendation.

    Guide, "Roles During Incident": "For SEV3: IC may handle all roles. For
    SEV2: Minimum IC + Technical Lead. For SEV1: All roles should be filled."
    The Incident Commander is a "must" at every severity: the declarer
    assumes the role until it is handed off (guide, "On-Call
    Responsibilities").

    Attributes:
        must: Roles that must be filled.
        should: Roles that should be filled.
        separate_people: Whether the required roles must be held by
            different people (``False``: the IC may hold them all).
    """

    must: tuple[Role, ...]
    should: tuple[Role, ...] = ()
    separate_people: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.members("must", self.must, Role)
        check.members("should", self.should, Role, non_empty=False)
        check.flag("separate_people", self.separate_people)
        if isinstance(self.must, tuple) and Role.INCIDENT_COMMANDER not in self.must:
            check.fail("must", "every severity must require the incident_commander role")
        if isinstance(self.must, tuple) and isinstance(self.should, tuple):
            for index, role in enumerate(self.should):
                if role in self.must:
                    check.fail(f"should[{index}]", f"{role.value!r} is already a 'must'")
        check.done()


_ALL_ROLES_BUT_IC = (Role.TECHNICAL_LEAD, Role.COMMUNICATIONS_LEAD, Role.SCRIBE)


DEFAULT_ROLES = PerSeverity(
    sev1=RoleRequirements(must=(Role.INCIDENT_COMMANDER,), should=_ALL_ROLES_BUT_IC, separate_people=True),
    sev2=RoleRequirements(must=(Role.INCIDENT_COMMANDER, Role.TECHNICAL_LEAD), separate_people=True),
    sev3=RoleRequirements(must=(Role.INCIDENT_COMMANDER,)),
)


@attrs.frozen(kw_only=True)
class Declaration:
    """Guide, "2. Declaration".

    Attributes:
        who_may_declare: "Any on-call engineer, any support lead, any
            engineering manager", as identifiers.
        channel_prefix: "Create incident channel:
            ``#incident-YYYY-MM-DD-brief-name``": the part before the date.
        notify_group: "Notify stakeholders via ``@incident-notify`` Slack group".
        checklist: "Declaration checklist", its six steps in order.
        enforce_checklist: Whether resolving is refused while a step
            required before it is open (``False``: the open steps are
            reported by audits; the guide says what to do, not what to refuse).
    """

    who_may_declare: tuple[str, ...] = ("on_call_engineer", "support_lead", "engineering_manager")
    channel_prefix: str = "#incident-"
    notify_group: str = "@incident-notify"
    checklist: tuple[ChecklistStep, ...] = DECLARATION_CHECKLIST
    enforce_checklist: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        for path, who in check.items("who_may_declare", self.who_may_declare):
            check.identifier(path, who)
        check.text("channel_prefix", self.channel_prefix)
        check.text("notify_group", self.notify_group)
        check.keyed("checklist", self.checklist, ChecklistStep, "id")
        check.flag("enforce_checklist", self.enforce_checklist)
        check.done()


@attrs.frozen(kw_only=True)
class Resolution:
    """Guide, "4. Resolution".

    Attributes:
        quiet_period: "No new error reports for 15 minutes (SEV1/2) or 30
            minutes (SEV3)".
        archive_channel_after: "Close incident channel (archive after 24h)".
        checklist: "Resolution checklist", its five steps in order.
        enforce_checklist: Whether closing is refused while a step required
            before it is open (``False``: reported by audits).
    """

    quiet_period: PerSeverity[timedelta] = PerSeverity(
        sev1=timedelta(minutes=15), sev2=timedelta(minutes=15), sev3=timedelta(minutes=30)
    )
    archive_channel_after: timedelta = timedelta(hours=24)
    checklist: tuple[ChecklistStep, ...] = RESOLUTION_CHECKLIST
    enforce_checklist: bool = False

    def __attrs_post_init__(self) -> None:
        check = Checker()
        if check.instance("quiet_period", self.quiet_period, PerSeverity):
            for path, _, value in each("quiet_period", self.quiet_period):
                check.duration(path, value)
        check.duration("archive_channel_after", self.archive_channel_after)
        check.keyed("checklist", self.checklist, ChecklistStep, "id")
        check.flag("enforce_checklist", self.enforce_checklist)
        check.done()


# --- Response priorities and the decision framework ------------------------------

#: The response priorities the library knows how to follow, in the guide's order.
RESPONSE_PRIORITIES = ("mitigate", "communicate", "investigate", "fix", "verify")

#: The decision framework's factors, by the name :func:`~incident_process.response.choose_option` uses.
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
            :func:`~incident_process.response.choose_option` compares options, each of
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
