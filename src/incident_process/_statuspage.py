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

The name is checked only for what must not be said (a name is not expected
to say when the next update comes); the final update is not expected to
announce a next update either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ._errors import ExternalTextError, MessageError
from ._events import Milestone
from ._findings import Finding
from ._incident import Incident
from ._rules import Phase

__all__ = ["STATUSPAGE_KINDS", "STATUSPAGE_LIMITS", "statuspage_incident"]

#: The messages :func:`statuspage_incident` builds.
STATUSPAGE_KINDS = ("declaration", "update", "resolution")
#: Statuspage's documented limits, in characters, of an incident's name and an update's body.
STATUSPAGE_LIMITS: Mapping[str, int] = {"name": 255, "body": 25_000}

_RESOLVED_PHASES = frozenset({Phase.RESOLVED, Phase.POST_INCIDENT, Phase.CLOSED})
_MISSING = "external.missing_"
_NEXT_UPDATE = "external.missing_next_update"


def _findings(
    text: str, incident: Incident, skip: frozenset[str] | None, allow: frozenset[str]
) -> tuple[Finding, ...]:
    from ._lint import lint_external

    found = lint_external(text, incident.policy)
    return tuple(
        finding
        for finding in found
        if finding.rule not in allow
        and not (skip is not None and any(finding.rule.startswith(s) for s in skip))
    )


def _status(incident: Incident) -> str:
    mapping = incident.policy.integrations.statuspage
    if incident.phase in _RESOLVED_PHASES:
        return "resolved"
    reached = incident.milestones()
    statuses = {
        Milestone.INVESTIGATING: mapping.investigating,
        Milestone.IDENTIFIED: mapping.identified,
        Milestone.MITIGATING: mapping.mitigating,
    }
    latest = max((m for m in statuses if m in reached), key=lambda m: reached[m], default=None)
    return mapping.investigating if latest is None else statuses[latest]


def statuspage_incident(  # noqa: PLR0913 - the payload's fields
    kind: str,
    incident: Incident,
    *,
    body: str,
    name: str | None = None,
    endpoints: Iterable[str] = (),
    deliver_notifications: bool = True,
    allow: Iterable[str] = (),
) -> dict[str, Any]:
    """The *kind* update (``"declaration"``, ``"update"``, ``"resolution"``) as a Statuspage request body.

    *body* is the update's text for customers; *name* the incident's public
    name (default: the incident's title); *endpoints* the affected endpoints,
    each mapped to its component by the policy's
    ``integrations.statuspage.components``. *allow* lists linter rules the
    sender has decided to accept (``"external.fix_timeline"`` once the team
    is confident of a fix time, as the guide allows).

    Raises:
        ExternalTextError: with the linter's findings by field (``name``,
            ``body``) when the text breaks the guide's rules.
        MessageError: for an unknown *kind*, an incident not yet declared
            (no severity), a resolution of an incident not resolved, an
            endpoint without a component, or an empty or too long name or
            body (:data:`STATUSPAGE_LIMITS`).
    """
    if kind not in STATUSPAGE_KINDS:
        msg = f"kind: expected one of {', '.join(map(repr, STATUSPAGE_KINDS))}, got {kind!r}"
        raise MessageError(msg)
    severity = incident.severity
    if severity is None:
        msg = f"{kind}: {incident.id} has no severity yet; declare it first"
        raise MessageError(msg)
    resolved = incident.phase in _RESOLVED_PHASES
    if kind == "resolution" and not resolved:
        msg = f"resolution: {incident.id} is not resolved (phase {incident.phase.value!r})"
        raise MessageError(msg)
    mapping = incident.policy.integrations.statuspage
    components: dict[str, str] = {}
    for endpoint in endpoints:
        component = mapping.component(endpoint)
        if component is None:
            known = ", ".join(repr(item.endpoint) for item in mapping.components) or "none"
            msg = (
                f"endpoints: no status-page component for {endpoint!r} in the policy's "
                f"integrations.statuspage.components (known: {known})"
            )
            raise MessageError(msg)
        components[component] = "operational" if resolved else mapping.component_status[severity]
    public_name = incident.title if name is None else name
    for field, text in (("name", public_name), ("body", body)):
        if not isinstance(text, str) or not text.strip():
            msg = f"{field}: expected text for customers, got {text!r}"
            raise MessageError(msg)
        if len(text) > STATUSPAGE_LIMITS[field]:
            msg = f"{field}: {len(text)} characters, over Statuspage's limit of {STATUSPAGE_LIMITS[field]:,}"
            raise MessageError(msg)
    allowed = frozenset(allow)
    body_skip = frozenset({_NEXT_UPDATE}) if kind == "resolution" else None
    found = {
        "name": _findings(public_name, incident, frozenset({_MISSING}), allowed),
        "body": _findings(body, incident, body_skip, allowed),
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
