"""The guide's common scenarios and runbooks, as data.

Guide, "Common Incident Scenarios" (symptoms, immediate actions in order,
common causes) and "Runbooks for Specific Systems" (health check, metrics,
restart, rollback or emergency steps). :func:`match_scenarios` ranks the
scenarios by the symptoms seen; the runbook step that needs the Incident
Commander's approval (the database failover) is enforced when an incident
records it (:meth:`Incident.record_action <incident_process.Incident.record_action>`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import attrs

from incident_process._arguments import check_texts, check_type
from incident_process.vocabulary import Role

__all__ = [
    "RUNBOOKS",
    "SCENARIOS",
    "Runbook",
    "RunbookStep",
    "Scenario",
    "ScenarioMatch",
    "match_scenarios",
    "runbook_step",
]


@attrs.frozen(kw_only=True)
class Scenario:
    """One of the guide's "Common Incident Scenarios".

    Attributes:
        id: A short identifier (``"error_rate_spike"``).
        title: The guide's heading.
        symptoms: Its symptoms, in the guide's words; callers may pass them
            in any case and spacing (``"p95_latency_increasing"`` works too).
        immediate_actions: "Immediate actions", in order.
        common_causes: "Common causes".
    """

    id: str
    title: str
    symptoms: tuple[str, ...]
    immediate_actions: tuple[str, ...]
    common_causes: tuple[str, ...]


#: Guide, "Common Incident Scenarios".
SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        id="error_rate_spike",
        title="Error Rate Spike",
        symptoms=("5xx error rate increases suddenly", "PagerDuty alert fires"),
        immediate_actions=(
            "Check recent deployments (last 2 hours)",
            "Check dependency status (database, external APIs)",
            "Check for traffic anomaly (DDoS, traffic spike)",
            "Review error logs for pattern",
        ),
        common_causes=(
            "Bad deployment (rollback candidate)",
            "Database connection exhaustion",
            "Upstream service failure",
            "Rate limiting misconfiguration",
        ),
    ),
    Scenario(
        id="authentication_failures",
        title="Authentication Failures",
        symptoms=("401/403 spike", "Customer reports of login failures"),
        immediate_actions=(
            "Check auth service health",
            "Verify token validation is functioning",
            "Check for recent auth config changes",
            "Verify API key store is accessible",
        ),
        common_causes=(
            "Token signing key rotation issue",
            "Cache invalidation problem",
            "Auth service overloaded",
            "DNS issue affecting auth endpoints",
        ),
    ),
    Scenario(
        id="performance_degradation",
        title="Performance Degradation",
        symptoms=("P95 latency increasing", "Timeouts reported by customers"),
        immediate_actions=(
            "Check database query performance",
            "Check for connection pool exhaustion",
            "Review recent code changes for N+1 queries",
            "Check for resource contention (CPU, memory)",
        ),
        common_causes=(
            "Slow database query introduced",
            "Missing index on new query pattern",
            "Memory leak causing GC pressure",
            "Background task consuming resources",
        ),
    ),
    Scenario(
        id="dependency_failure",
        title="Dependency Failure",
        symptoms=("Specific functionality broken", "502/503 errors", "Timeouts on specific operations"),
        immediate_actions=(
            "Identify affected dependency",
            "Check dependency status page",
            "Verify circuit breaker status",
            "Assess impact scope",
        ),
        common_causes=(
            "Third-party service outage",
            "Network connectivity issue",
            "Certificate expiration",
            "Rate limiting by dependency",
        ),
    ),
)


@attrs.frozen(kw_only=True)
class ScenarioMatch:
    """A scenario and the symptoms that matched it.

    Attributes:
        scenario: The scenario.
        matched: The given symptoms it lists, in the scenario's order.
        score: The share of the scenario's symptoms that were seen (0 to 1).
    """

    scenario: Scenario
    matched: tuple[str, ...]
    score: float


_NOT_ID = re.compile(r"[^a-z0-9]+")


def _symptom_id(text: str) -> str:
    return _NOT_ID.sub("_", text.lower()).strip("_")


def match_scenarios(
    symptoms: Iterable[str], scenarios: Iterable[Scenario] = SCENARIOS
) -> list[ScenarioMatch]:
    """The scenarios that share a symptom with *symptoms*, best first.

    Symptoms are compared as identifiers (``"P95 latency increasing"`` is
    ``p95_latency_increasing``), so the guide's words match in any case and
    spacing. Ranked by the share of the scenario's
    symptoms seen, then by how many were seen, then in the guide's order; a
    scenario with no symptom seen is not listed.

    >>> [m.scenario.id for m in match_scenarios(["Timeouts reported by customers", "p95_latency_increasing"])]
    ['performance_degradation']

    Raises:
        TypeError: for an argument of the wrong type, naming it (issue 19, defect 10).
    """
    seen = {_symptom_id(symptom) for symptom in check_texts("symptoms", symptoms)}
    check_type("scenarios", scenarios, Iterable, "an iterable of Scenario values")
    matches = []
    for order, scenario in enumerate(scenarios):
        check_type(f"scenarios[{order}]", scenario, Scenario, "a Scenario")
        matched = tuple(symptom for symptom in scenario.symptoms if _symptom_id(symptom) in seen)
        if matched:
            score = len(matched) / len(scenario.symptoms)
            matches.append(
                (-score, -len(matched), order, ScenarioMatch(scenario=scenario, matched=matched, score=score))
            )
    return [match for *_, match in sorted(matches, key=lambda entry: entry[:3])]


@attrs.frozen(kw_only=True)
class RunbookStep:
    """One step of a runbook.

    Attributes:
        id: The step's identifier (``"failover_to_read_replica"``).
        kind: ``"health_check"``, ``"metrics"``, ``"restart"``, ``"rollback"``
            or ``"emergency"``.
        text: The guide's words.
        approval_by: The role whose approval the step needs, if any.
    """

    id: str
    kind: str
    text: str
    approval_by: Role | None = None


@attrs.frozen(kw_only=True)
class Runbook:
    """One of the guide's "Runbooks for Specific Systems".

    Attributes:
        id: ``"api_gateway"``, ``"database"`` or ``"background_workers"``.
        title: The guide's heading.
        steps: Its steps.
    """

    id: str
    title: str
    steps: tuple[RunbookStep, ...]


#: Guide, "Runbooks for Specific Systems".
RUNBOOKS: tuple[Runbook, ...] = (
    Runbook(
        id="api_gateway",
        title="API Gateway",
        steps=(
            RunbookStep(id="health_check", kind="health_check", text="GET /health returns 200"),
            RunbookStep(
                id="metrics", kind="metrics", text="Check api_gateway_error_rate and api_gateway_latency_p95"
            ),
            RunbookStep(id="rolling_restart", kind="restart", text="Rolling restart via deployment pipeline"),
            RunbookStep(id="rollback", kind="rollback", text="Revert to previous container image tag"),
        ),
    ),
    Runbook(
        id="database",
        title="Database",
        steps=(
            RunbookStep(
                id="health_check", kind="health_check", text="Connection test via monitoring endpoint"
            ),
            RunbookStep(
                id="metrics",
                kind="metrics",
                text="Check db_connection_pool_utilization and db_query_latency_p95",
            ),
            RunbookStep(
                id="failover_to_read_replica",
                kind="emergency",
                text="Failover to read replica (requires IC approval)",
                approval_by=Role.INCIDENT_COMMANDER,
            ),
            RunbookStep(id="restart", kind="restart", text="Coordinate with DBA on-call"),
        ),
    ),
    Runbook(
        id="background_workers",
        title="Background Workers",
        steps=(
            RunbookStep(id="health_check", kind="health_check", text="Queue depth and worker count"),
            RunbookStep(id="metrics", kind="metrics", text="Check queue_depth and job_failure_rate"),
            RunbookStep(id="restart", kind="restart", text="Scale down and up via orchestration platform"),
            RunbookStep(
                id="pause_job_processing", kind="emergency", text="Pause job processing if corrupting data"
            ),
        ),
    ),
)

_STEPS: Mapping[str, RunbookStep] = {
    **{_symptom_id(f"{runbook.id}.{step.id}"): step for runbook in RUNBOOKS for step in runbook.steps},
    **{_symptom_id(step.text): step for runbook in RUNBOOKS for step in runbook.steps},
}


def runbook_step(action: str) -> RunbookStep | None:
    """The runbook step an action names, if any.

    By its id (``"database.failover_to_read_replica"``) or the guide's words
    (``"Failover to read replica (requires IC approval)"``), in any case and
    spacing.
    """
    return _STEPS.get(_symptom_id(action))
