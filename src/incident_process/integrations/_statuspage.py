"""The guide's external updates as Atlassian Statuspage incident payloads.

Guide, "External Communication": "Status page updates: First update: Within
10 minutes of declaration; Subsequent updates: Match internal frequency;
Final update: When resolved, with summary", and "What NOT to communicate
externally". :func:`statuspage_incident` builds the body of Statuspage's
"create an incident" (``POST /v1/pages/{page_id}/incidents``) and "update an
incident" (``PATCH .../incidents/{incident_id}``) requests:

* ``status`` from where the incident is: the latest of its update statuses
  (Investigating, Identified, Mitigating) through the policy's
  ``integrations.statuspage`` mapping, ``"resolved"`` once resolved;
* ``impact_override`` from the severity (SEV1 ``critical``, SEV2 ``major``,
  SEV3 ``minor`` by default);
* ``components``: the affected endpoints' components (from the policy), at
  the severity's component status, ``operational`` once resolved;
* ``name`` and ``body``, which customers read: both pass
  :func:`~incident_process.lint_external` first, and any finding refuses the
  payload with :class:`~incident_process.ExternalTextError`.

The name is checked only for what must not be said; the final update, "with
summary", need not say that we are aware of the issue or when the next
update comes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from incident_process._arguments import check_type
from incident_process._limits import SURROGATE_PROBLEM, has_surrogate
from incident_process.comms import LINT_RULES, Finding, lint_external
from incident_process.errors import ExternalTextError, MessageError
from incident_process.events import Reopened, UpdatePosted
from incident_process.lifecycle import Incident
from incident_process.vocabulary import Phase, UpdateStatus

__all__ = ["STATUSPAGE_KINDS", "STATUSPAGE_LIMITS", "statuspage_incident"]

#: The messages :func:`statuspage_incident` builds.
STATUSPAGE_KINDS = ("declaration", "update", "resolution")
#: Statuspage's documented limits, in characters, of an incident's name and an update's body.
STATUSPAGE_LIMITS: Mapping[str, int] = {"name": 255, "body": 25_000}

_RESOLVED_PHASES = frozenset({Phase.RESOLVED, Phase.POST_INCIDENT, Phase.CLOSED})
# What a text need not say: a name says nothing of the kind; the final update
# is "with summary" (guide, "Status page updates"), so it need not say we are
# aware of the issue or when the next update comes.
_NOT_EXPECTED = {
    "name": frozenset(
        {"external.missing_acknowledgement", "external.missing_functionality", "external.missing_next_update"}
    ),
    "resolution": frozenset({"external.missing_acknowledgement", "external.missing_next_update"}),
}


def _findings(text: str, incident: Incident, ignored: frozenset[str]) -> tuple[Finding, ...]:
    return tuple(
        finding
        for finding in lint_external(text, incident.policy, people=incident.involved_people())
        if finding.rule not in ignored
    )


def _status(incident: Incident) -> str:
    """The latest update's status since the incident was last (re)opened, through the policy."""
    mapping = incident.policy.integrations.statuspage
    if incident.phase in _RESOLVED_PHASES:
        return "resolved"
    statuses = {
        UpdateStatus.INVESTIGATING: mapping.investigating,
        UpdateStatus.IDENTIFIED: mapping.identified,
        UpdateStatus.MITIGATING: mapping.mitigating,
    }
    for event in reversed(incident.timeline):
        if isinstance(event, Reopened):
            break
        if isinstance(event, UpdatePosted) and event.status in statuses:
            return statuses[event.status]
    return mapping.investigating


def _detected_endpoints(incident: Incident) -> tuple[str, ...]:
    """The endpoint the detection's labels name, if they name one."""
    endpoint = incident.policy.integrations.endpoint_of(incident.detection.labels)
    return () if endpoint is None else (endpoint,)


def _names(argument: str, value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str) or not all(isinstance(item, str) for item in value):
        msg = f"{argument}: expected a list of names, got {value!r}"
        raise MessageError(msg)
    return tuple(value)


def _check_arguments(kind: str, incident: Incident, allow: tuple[str, ...], deliver: object) -> None:
    if not isinstance(kind, str) or kind not in STATUSPAGE_KINDS:
        msg = f"kind: expected one of {', '.join(map(repr, STATUSPAGE_KINDS))}, got {kind!r}"
        raise MessageError(msg)
    unknown = [rule for rule in allow if rule not in LINT_RULES]
    if unknown:
        msg = f"allow: unknown linter rules {', '.join(map(repr, unknown))}; see LINT_RULES"
        raise MessageError(msg)
    if not isinstance(deliver, bool):
        msg = f"deliver_notifications: expected true or false, got {deliver!r}"
        raise MessageError(msg)
    if incident.severity is None:
        msg = f"{kind}: {incident.id} has no severity yet; declare it first"
        raise MessageError(msg)
    resolved = incident.phase in _RESOLVED_PHASES
    if kind == "resolution" and not resolved:
        msg = f"resolution: {incident.id} is not resolved (phase {incident.phase.value!r})"
        raise MessageError(msg)
    if kind != "resolution" and resolved:
        msg = f"{kind}: {incident.id} is resolved; its final update is the 'resolution'"
        raise MessageError(msg)


def statuspage_incident(  # noqa: PLR0913 - the payload's fields
    kind: str,
    incident: Incident,
    *,
    body: str,
    name: str | None = None,
    endpoints: Iterable[str] | None = None,
    deliver_notifications: bool = True,
    allow: Iterable[str] = (),
) -> dict[str, Any]:
    """The *kind* update (``"declaration"``, ``"update"``, ``"resolution"``) as a Statuspage request body.

    The declaration is the body of the "create an incident" request, an
    update and the resolution the body of "update an incident" (the same
    fields). *body* is the update's text for customers; *name* the
    incident's public name (default: the incident's title); *endpoints* the
    affected endpoints, each mapped to its component by the policy's
    ``integrations.statuspage.components`` (default: the endpoint the
    detection's labels name, through the policy's
    ``integrations.endpoint_labels``, if they name one; ``()`` for none).
    *allow* lists linter rules
    (:data:`~incident_process.comms.LINT_RULES`) the sender has decided to accept
    (``"external.fix_timeline"`` once the team is confident of a fix time,
    as the guide allows).

    Raises:
        ExternalTextError: with the linter's findings by field (``name``,
            ``body``) when the text breaks the guide's rules.
        MessageError: for an unknown *kind* or linter rule, an incident not
            yet declared (no severity), a declaration or update of a resolved
            incident, a resolution of one not resolved, an endpoint without a
            component, a name or body that is empty, not valid Unicode or
            too long (:data:`STATUSPAGE_LIMITS`).
        TypeError: if *incident* is not an Incident, *endpoints* or *allow*
            not iterable (issue 19, defect 10).
    """
    check_type("incident", incident, Incident, "an Incident")
    check_type("endpoints", endpoints, (Iterable, type(None)), "an iterable of endpoint names, or None")
    check_type("allow", allow, Iterable, "an iterable of linter rules (str)")
    allowed = _names("allow", allow)
    affected = _names("endpoints", _detected_endpoints(incident) if endpoints is None else endpoints)
    _check_arguments(kind, incident, allowed, deliver_notifications)
    severity = incident.severity
    assert severity is not None  # noqa: S101 - checked above
    mapping = incident.policy.integrations.statuspage
    components: dict[str, str] = {}
    for endpoint in affected:
        component = mapping.component(endpoint)
        if component is None:
            known = ", ".join(repr(item.endpoint) for item in mapping.components) or "none"
            given = (
                ""
                if endpoints is not None
                else " (named by the detection's labels; pass endpoints=() for none)"
            )
            msg = (
                f"endpoints: no status-page component for {endpoint!r} in the policy's "
                f"integrations.statuspage.components (known: {known}){given}"
            )
            raise MessageError(msg)
        components[component] = "operational" if kind == "resolution" else mapping.component_status[severity]
    public_name = incident.title if name is None else name
    for field, text in (("name", public_name), ("body", body)):
        if not isinstance(text, str) or not text.strip():
            msg = f"{field}: expected text for customers, got {text!r}"
            raise MessageError(msg)
        if has_surrogate(text):
            msg = f"{field}: {SURROGATE_PROBLEM}"
            raise MessageError(msg)
        if len(text) > STATUSPAGE_LIMITS[field]:
            msg = f"{field}: {len(text)} characters, over Statuspage's limit of {STATUSPAGE_LIMITS[field]:,}"
            raise MessageError(msg)
    found = {
        "name": _findings(public_name, incident, _NOT_EXPECTED["name"] | set(allowed)),
        "body": _findings(body, incident, _NOT_EXPECTED.get(kind, frozenset()) | set(allowed)),
    }
    if any(found.values()):
        raise ExternalTextError({field: findings for field, findings in found.items() if findings})
    return {
        "incident": {
            "name": public_name,
            "status": _status(incident),
            "impact_override": mapping.impact[severity],
            "body": body,
            "component_ids": list(components),
            "components": components,
            "deliver_notifications": deliver_notifications,
        }
    }
