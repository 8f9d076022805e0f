"""Guide, "Roles During Incident": which roles an incident's severity requires, and which are unmet.

"For SEV3: IC may handle all roles. For SEV2: Minimum IC + Technical Lead.
For SEV1: All roles should be filled." The requirements are the policy's
``roles`` table; "must" is a requirement (an audit finding when unmet),
"should" a recommendation (a warning). Neither refuses a command: roles are
filled during the response, and the check reports what is missing now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from incident_process._arguments import check_incident
from incident_process.vocabulary import Phase, RequirementLevel, Role

if TYPE_CHECKING:
    from ._incident import Incident

__all__ = ["UnmetRoleRequirement", "unmet_role_requirements"]


@attrs.frozen(kw_only=True)
class UnmetRoleRequirement:
    """A role requirement of the incident's severity that is not met now.

    Attributes:
        role: The role concerned.
        level: ``MUST`` or ``SHOULD``.
        reason: What is missing, in words.
    """

    role: Role
    level: RequirementLevel
    reason: str


def unmet_role_requirements(incident: Incident) -> tuple[UnmetRoleRequirement, ...]:
    """Every role requirement of *incident*'s current severity not met now, each with its level.

    Guide, "Roles During Incident": "For SEV3: IC may handle all roles.
    For SEV2: Minimum IC + Technical Lead. For SEV1: All roles should be
    filled." Where the policy asks for separate people, a person holding
    two required roles is unmet too (a "must" only if both roles are
    musts). An incident not yet declared, or closed, owes none.

    Raises:
        TypeError: if *incident* is not an Incident (issue 19, defect 10).
    """
    check_incident("incident", incident)
    severity = incident.severity
    if severity is None or incident.phase in {Phase.CLOSED, Phase.DISMISSED}:
        return ()
    required = incident.policy.roles[severity]
    holders = incident.role_holders()
    unmet = [
        UnmetRoleRequirement(
            role=role, level=level, reason=f"{severity.value} {level.value} fill {role.value}"
        )
        for roles, level in (
            (required.must, RequirementLevel.MUST),
            (required.should, RequirementLevel.SHOULD),
        )
        for role in roles
        if role not in holders
    ]
    if required.separate_people:
        seen: dict[str, Role] = {}
        for role in (*required.must, *required.should):
            person = holders.get(role)
            if person is None:
                continue
            other = seen.setdefault(person, role)
            if other is role:
                continue
            both_must = role in required.must and other in required.must
            level = RequirementLevel.MUST if both_must else RequirementLevel.SHOULD
            reason = f"{severity.value} {level.value} give {role.value} to someone other than {other.value}"
            unmet.append(UnmetRoleRequirement(role=role, level=level, reason=f"{reason} ({person})"))
    return tuple(unmet)
