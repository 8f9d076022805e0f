"""Guide, "1. Detection": how soon each detection source must be acted on.

"Automated alert: Acknowledge within 5 minutes. Customer reports: Correlate
within 15 minutes. Internal discovery: Declare immediately if criteria met",
and "Multiple tickets with same pattern within 30 minutes".
"""

from __future__ import annotations

from datetime import timedelta

import attrs

from incident_process.vocabulary import DetectionDuty, DetectionSource

from ._checks import Checker

__all__ = [
    "Detection",
    "DetectionResponse",
]


@attrs.frozen(kw_only=True)
class DetectionResponse:
    """One line of "Response time by detection source".

    Attributes:
        source: The detection source.
        duty: What must be done.
        within: How soon; zero means "immediately".
    """

    source: DetectionSource
    duty: DetectionDuty
    within: timedelta

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.member("source", self.source, DetectionSource)
        check.member("duty", self.duty, DetectionDuty)
        check.duration("within", self.within, allow_zero=True)
        check.done()


@attrs.frozen(kw_only=True)
class Detection:
    """Guide, "1. Detection".

    Attributes:
        responses: "Automated alert: Acknowledge within 5 minutes. Customer
            reports: Correlate within 15 minutes. Internal discovery: Declare
            immediately if criteria met." The guide sets no time for external
            notifications.
        customer_reports_within: "Multiple tickets with same pattern within
            30 minutes".
        customer_reports_at_least: How many tickets make "multiple".
    """

    responses: tuple[DetectionResponse, ...] = (
        DetectionResponse(
            source=DetectionSource.AUTOMATED_ALERT,
            duty=DetectionDuty.ACKNOWLEDGE,
            within=timedelta(minutes=5),
        ),
        DetectionResponse(
            source=DetectionSource.CUSTOMER_REPORTS,
            duty=DetectionDuty.CORRELATE,
            within=timedelta(minutes=15),
        ),
        DetectionResponse(
            source=DetectionSource.INTERNAL_DISCOVERY, duty=DetectionDuty.DECLARE, within=timedelta(0)
        ),
    )
    customer_reports_within: timedelta = timedelta(minutes=30)
    customer_reports_at_least: int = 2

    def __attrs_post_init__(self) -> None:
        check = Checker()
        seen: set[DetectionSource] = set()
        for path, response in check.items_of("responses", self.responses, DetectionResponse, non_empty=False):
            if response.source in seen:
                check.fail(f"{path}.source", f"{response.source.value!r} has two responses")
            seen.add(response.source)
        check.duration("customer_reports_within", self.customer_reports_within)
        check.count("customer_reports_at_least", self.customer_reports_at_least, at_least=2)
        check.done()

    def response_to(self, source: DetectionSource) -> DetectionResponse | None:
        """The response owed to *source*, or ``None`` if the policy sets none."""
        for response in self.responses:
            if response.source is source:
                return response
        return None
