"""The guide's fixed vocabulary: severities, roles and detection sources.

Guide, "Incident Severity Levels", "Roles During Incident" and
"1. Detection".
"""

from __future__ import annotations

import enum

from ._errors import SeverityError

__all__ = ["DetectionSource", "ImpactFlag", "Role", "Severity"]


class Severity(enum.Enum):
    """An incident severity; ``SEV1`` is the most severe.

    Guide, "Incident Severity Levels": SEV1 Critical, SEV2 Major, SEV3 Minor.

    Severities compare by how severe they are: ``Severity.SEV1 >
    Severity.SEV3``, so ``max()`` of several severities is the most severe and
    ``sorted()`` lists the least severe first. :attr:`level` is the guide's
    number (1 for SEV1).
    """

    SEV1 = "SEV1"
    SEV2 = "SEV2"
    SEV3 = "SEV3"

    @property
    def level(self) -> int:
        """The number in the guide's name, 1 for SEV1 and 3 for SEV3."""
        return int(self.value[3:])

    @classmethod
    def parse(cls, value: object) -> Severity:
        """Read a severity from ``"SEV1"``, ``"sev1"``, ``1`` or a :class:`Severity`.

        >>> Severity.parse("sev2")
        <Severity.SEV2: 'SEV2'>
        >>> Severity.parse(1)
        <Severity.SEV1: 'SEV1'>

        Raises:
            SeverityError: for anything else, naming the value and the
                accepted forms.
        """
        if isinstance(value, Severity):
            return value
        if isinstance(value, str):
            key = value.upper()
            if key in cls.__members__:
                return cls[key]
        elif isinstance(value, int) and not isinstance(value, bool):
            for member in cls:
                if member.level == value:
                    return member
        accepted = ", ".join(f'"{m.value}"' for m in cls)
        levels = ", ".join(str(m.level) for m in cls)
        msg = f"not a severity: {value!r}; expected one of {accepted} (any case) or {levels}"
        raise SeverityError(msg)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.level > other.level

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.level >= other.level

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.level < other.level

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.level <= other.level


class Role(enum.Enum):
    """A role during an incident (guide, "Roles During Incident")."""

    #: Owns resolution, coordinates efforts, makes decisions.
    INCIDENT_COMMANDER = "incident_commander"
    #: Drives investigation and implementation of fixes.
    TECHNICAL_LEAD = "technical_lead"
    #: Updates status page, stakeholders, and customers.
    COMMUNICATIONS_LEAD = "communications_lead"
    #: Documents timeline, decisions, and actions in incident channel.
    SCRIBE = "scribe"


class DetectionSource(enum.Enum):
    """How an incident was detected (guide, "1. Detection")."""

    #: PagerDuty alerts on error rate, latency, availability.
    AUTOMATED_ALERT = "automated_alert"
    #: Multiple tickets with same pattern within 30 minutes.
    CUSTOMER_REPORTS = "customer_reports"
    #: Engineer notices issue during deployment or testing.
    INTERNAL_DISCOVERY = "internal_discovery"
    #: Security researcher, vendor, or partner report.
    EXTERNAL_NOTIFICATION = "external_notification"


class ImpactFlag(enum.Enum):
    """A fact about an incident's impact that the severity criteria test.

    Guide, "Incident Severity Levels" (criteria and examples).
    """

    #: "Complete outage" (SEV1), e.g. all API requests failing.
    COMPLETE_OUTAGE = "complete_outage"
    #: "Data breach" (SEV1), e.g. auth system compromised.
    DATA_BREACH = "data_breach"
    #: "One critical endpoint down" (SEV2).
    CRITICAL_ENDPOINT_DOWN = "critical_endpoint_down"
    #: "Significant functionality impaired" (SEV2).
    SIGNIFICANT_FUNCTIONALITY_IMPAIRED = "significant_functionality_impaired"
    #: "Limited impact with workaround" (SEV3), such as a non-critical
    #: feature degraded or a specific edge case.
    LIMITED_IMPACT = "limited_impact"
