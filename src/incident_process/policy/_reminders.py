"""Reminders: when to remind someone of a duty, and whom (the guide sets the duties, not the reminders).

Guide, "Internal Communication": "SEV1: Every 15 minutes minimum ...";
"External Communication": "Subsequent updates: Match internal frequency".
A bot that keeps an incident's cadence reminds the people who post the
updates when one falls due, and again while it is overdue. Each rule says,
for one kind of duty, how long before its due time the first reminder goes
out, how often it repeats while the duty is overdue, and whom to remind (the
holders of roles, the first roles first). The defaults fit the guide: the
update duties remind the Communications Lead and the Incident Commander at
the due time, and again every cadence of the incident's severity while
overdue.
"""

from __future__ import annotations

from datetime import timedelta

import attrs

from incident_process.vocabulary import ObligationKind, Role

from ._checks import Checker

__all__ = ["ReminderRule", "Reminders"]


@attrs.frozen(kw_only=True)
class ReminderRule:
    """When to remind whom of one kind of duty.

    Attributes:
        kind: The kind of duty (``internal_update``, ...).
        before: How long before the duty's due time the first reminder goes
            out (``0s``: at the due time).
        repeat: Whether to remind again while the duty is overdue.
        every: How often to remind again while overdue; ``None``: at the
            update cadence of the incident's severity.
        remind: The roles whose holders are reminded, in order.
    """

    kind: ObligationKind
    before: timedelta = timedelta(0)
    repeat: bool = True
    every: timedelta | None = None
    remind: tuple[Role, ...] = (Role.COMMUNICATIONS_LEAD, Role.INCIDENT_COMMANDER)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.member("kind", self.kind, ObligationKind)
        check.duration("before", self.before, allow_zero=True)
        check.flag("repeat", self.repeat)
        if self.every is not None:
            check.duration("every", self.every)
        check.members("remind", self.remind, Role)
        check.done()


_UPDATES = (
    ObligationKind.FIRST_STATUS_PAGE_UPDATE,
    ObligationKind.INTERNAL_UPDATE,
    ObligationKind.STATUS_PAGE_UPDATE,
    ObligationKind.FINAL_STATUS_PAGE_UPDATE,
)


@attrs.frozen(kw_only=True)
class Reminders:
    """Reminders of duties, one rule per kind of duty; a kind without a rule reminds nobody.

    Attributes:
        rules: The rules; by default the update duties, at their due time,
            again every cadence while overdue, to the Communications Lead
            and the Incident Commander.
    """

    rules: tuple[ReminderRule, ...] = tuple(ReminderRule(kind=kind) for kind in _UPDATES)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        seen: dict[object, str] = {}
        for path, rule in check.items_of("rules", self.rules, ReminderRule, non_empty=False):
            if rule.kind in seen:
                check.fail(f"{path}.kind", f"{rule.kind.value} has a rule already ({seen[rule.kind]})")
            seen[rule.kind] = path
        check.done()

    def rule_for(self, kind: ObligationKind) -> ReminderRule | None:
        """The rule for *kind*, if there is one."""
        return next((rule for rule in self.rules if rule.kind is kind), None)
