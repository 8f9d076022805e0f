"""The guide as data: one frozen, typed :class:`Policy` holding every number and table.

The groups follow the guide's own sections, each in the module named after
it. Every field's default is the guide's value, so ``Policy()`` *is* the
guide and :data:`DEFAULT_POLICY` is that value. A company changes any number
with :func:`attrs.evolve` or a TOML file
(:func:`~incident_process.policy.load_policy`) without forking.

Every class checks its own fields when it is built and raises one
:class:`~incident_process.errors.PolicyError` listing every problem, each
with its key path, so an invalid policy cannot exist.

Two kinds of span are never mixed: elapsed durations are
:class:`datetime.timedelta` (exact seconds), business-day rules are
:class:`~incident_process.timing.BusinessDays`.

File-format note: optional (``None``) fields live only inside array items
(escalation levels, detection responses, classification rules). Arrays are
replaced whole when a file overrides them, so an omitted optional key always
means ``None`` and a dumped policy always loads back equal.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date, datetime

import attrs

from incident_process.errors import CalendarError
from incident_process.timing._calendar import BusinessCalendar, zone_problem

from ._alerting import Alerting, Slos
from ._checks import Checker
from ._communication import Communication
from ._criteria import (
    DEFAULT_CLASSIFICATION,
    DEFAULT_SEVERITIES,
    Exclusions,
    IncidentCriteria,
    SeverityDefinition,
    SeverityRule,
)
from ._detection import Detection
from ._escalation import Escalation
from ._identity import fingerprint_of
from ._integrations import Integrations
from ._per_severity import PerSeverity, each
from ._playbook import DEFAULT_ROLES, Declaration, OnCall, Resolution, Response, RoleRequirements
from ._post_incident import PostIncident, QuarterlyReview
from ._reminders import Reminders

__all__ = ["DEFAULT_POLICY", "CalendarSettings", "Policy"]


@attrs.frozen(kw_only=True)
class CalendarSettings:
    """Which days are business days, for "within N business days" (guide, "5. Post-Incident").

    The zone is the policy's ``zone``.

    Attributes:
        country: The `holidays` country code whose public holidays are closed
            (``None``: none; the guide names no country).
        subdivision: The state or region within the country, if any.
        weekdays: The working weekdays, 0 for Monday to 6 for Sunday.
        closed: Further closed dates.
    """

    country: str | None = None
    subdivision: str | None = None
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    closed: tuple[date, ...] = ()

    def __attrs_post_init__(self) -> None:
        check = Checker()
        for path, day in check.items("weekdays", self.weekdays):
            if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
                check.fail(path, f"expected a weekday number, 0 (Monday) to 6 (Sunday), got {day!r}")
        for path, day in check.items("closed", self.closed, non_empty=False):
            if isinstance(day, datetime) or not isinstance(day, date):
                check.fail(path, f"expected a date like 2026-12-24, got {day!r}")
        if self.subdivision is not None and self.country is None:
            check.fail("subdivision", "needs a country")
        elif self.country is not None and check.text("country", self.country):
            try:
                BusinessCalendar("UTC", country=self.country, subdivision=self.subdivision)
            except CalendarError as error:
                where, _, message = str(error).partition(": ")
                check.fail(where, message)
        check.done()


# --- The policy --------------------------------------------------------------


@attrs.frozen(kw_only=True, cache_hash=True)  # hashed as a key of caches: once
class Policy:
    """Every number and table of the incident-response guide, as one value.

    ``Policy()`` is the guide exactly (:data:`DEFAULT_POLICY`). Change a
    number with :func:`attrs.evolve` or a TOML file read by
    :func:`~incident_process.policy.load_policy`.

    Attributes:
        name: What the company calls this policy (``"acme-2026-11"``), shown
            with its :attr:`fingerprint` wherever a record or an audit says
            which policy it was written or judged under; empty for none.
        zone: The IANA time zone in which local dates and business days are
            reckoned (the guide names none; the default is ``"UTC"``).
        criteria: "Incident Criteria".
        exclusions: "What Is NOT an Incident".
        severities: "Incident Severity Levels", one row per severity.
        classification: The rules that assign a severity to impact facts,
            from the severity table's criteria and examples.
        roles: "Roles During Incident": requirements per severity.
        declaration: "2. Declaration".
        detection: "1. Detection".
        communication: "Communication Guidelines".
        resolution: "4. Resolution".
        post_incident: "5. Post-Incident" and "Post-Incident Review Process".
        escalation: "Escalation Path".
        alerting: "Alerting Thresholds".
        slos: "SLOs".
        quarterly_review: "Quarterly Review".
        calendar: What counts as a business day, in ``zone``.
        integrations: How alerts, metrics and status pages of other tools map
            onto the guide's terms (the guide names no formats).
        response: "3. Response": response priorities and decision framework.
        on_call: "On-Call Responsibilities" and "Tools and Access".
        reminders: When to remind whom of a duty (the guide sets the
            duties; a bot reminds of them).
    """

    name: str = ""
    zone: str = "UTC"
    criteria: IncidentCriteria = IncidentCriteria()
    exclusions: Exclusions = Exclusions()
    severities: PerSeverity[SeverityDefinition] = DEFAULT_SEVERITIES
    classification: tuple[SeverityRule, ...] = DEFAULT_CLASSIFICATION
    roles: PerSeverity[RoleRequirements] = DEFAULT_ROLES
    declaration: Declaration = Declaration()
    detection: Detection = Detection()
    communication: Communication = Communication()
    resolution: Resolution = Resolution()
    post_incident: PostIncident = PostIncident()
    escalation: Escalation = Escalation()
    alerting: Alerting = Alerting()
    slos: Slos = Slos()
    quarterly_review: QuarterlyReview = QuarterlyReview()
    calendar: CalendarSettings = CalendarSettings()
    integrations: Integrations = Integrations()
    response: Response = Response()
    on_call: OnCall = OnCall()
    reminders: Reminders = Reminders()

    def __attrs_post_init__(self) -> None:
        check = Checker()
        if not isinstance(self.name, str) or not self.name.isprintable():
            check.fail("name", f"expected text on one line (empty for none), got {self.name!r}")
        if check.text("zone", self.zone):
            problem = zone_problem(self.zone)
            if problem is not None:
                check.fail("zone", problem)
        for name, kind in _GROUPS.items():
            check.instance(name, getattr(self, name), kind)
        for field, kind in (("severities", SeverityDefinition), ("roles", RoleRequirements)):
            values = getattr(self, field)
            if check.instance(field, values, PerSeverity):
                for path, _, value in each(field, values):
                    check.instance(path, value, kind)
        for path, rule in check.items("classification", self.classification):
            check.instance(path, rule, SeverityRule)
        check.done()

    @property
    def fingerprint(self) -> str:
        """The SHA-256 of what the policy says (everything but its name), as 64 hexadecimal digits.

        Equal policies have equal fingerprints, whatever file or defaults they
        came from, in every process and Python version.
        """
        return fingerprint_of(self)

    @property
    def identity(self) -> str:
        """How records and audits name the policy, by its name (or "unnamed") and its fingerprint's start.

        >>> DEFAULT_POLICY.identity
        'the guide (fingerprint ...)'
        """
        if not self.name and self.fingerprint == _guide_fingerprint():
            return f"the guide (fingerprint {self.fingerprint[:12]})"
        name = repr(self.name) if self.name else "unnamed policy"
        return f"{name} (fingerprint {self.fingerprint[:12]})"

    def business_calendar(self) -> BusinessCalendar:
        """The business calendar of this policy: its zone and its calendar settings."""
        return _business_calendar(self.zone, self.calendar)


#: The policy's plain groups, by field name (the per-severity tables and the
#: classification rules are checked on their own above).
_GROUPS: Mapping[str, type] = {
    field.name: field.type
    for field in attrs.fields(attrs.resolve_types(Policy))
    if isinstance(field.type, type) and attrs.has(field.type)
}


@functools.lru_cache(maxsize=64)
def _business_calendar(zone: str, settings: CalendarSettings) -> BusinessCalendar:
    return BusinessCalendar(
        zone,
        country=settings.country,
        subdivision=settings.subdivision,
        weekdays=settings.weekdays,
        closed=settings.closed,
    )


#: The guide, exactly.
DEFAULT_POLICY = Policy()

#: The guide's fingerprint, computed on first use.
_GUIDE_FINGERPRINT: list[str] = []


def _guide_fingerprint() -> str:
    if not _GUIDE_FINGERPRINT:
        _GUIDE_FINGERPRINT.append(DEFAULT_POLICY.fingerprint)
    return _GUIDE_FINGERPRINT[0]
