"""Guide, "Post-Incident Review Process": the review meeting, laid out from the policy.

:func:`review_plan` gives its length ("Duration: 30-60 minutes"), the agenda
with minutes, who must attend (by name, from the role tenures: "Attendees:
IC, Technical Lead, relevant engineers, support if involved"), the
business-day deadlines ("5. Post-Incident": review within 3, document within
5) and whether the facilitator may facilitate ("Facilitator: Rotating, not
someone involved in incident").
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from incident_process._arguments import check_incident, check_type
from incident_process.vocabulary import Role

if TYPE_CHECKING:
    from incident_process.lifecycle import Incident

__all__ = ["ReviewPlan", "review_plan"]


@attrs.frozen(kw_only=True)
class ReviewPlan:
    """The post-incident review meeting, laid out from the policy.

    Attributes:
        incident_id: The incident.
        min_duration: "Duration: 30-60 minutes" (the low end).
        max_duration: ... (the high end).
        agenda: Each agenda item with its length, in order.
        required_attendees: Each required role, with everyone who held it
            during the incident.
        other_attendees: "relevant engineers, support if involved".
        review_due: The review's deadline, if the severity requires one.
        document_due: The document's deadline, if the severity requires one.
        facilitator: The facilitator proposed, if any.
        facilitator_problem: Why they may not facilitate, if they may not.
    """

    incident_id: str
    min_duration: timedelta
    max_duration: timedelta
    agenda: tuple[tuple[str, timedelta], ...]
    required_attendees: tuple[tuple[Role, tuple[str, ...]], ...]
    other_attendees: tuple[str, ...]
    review_due: datetime | None
    document_due: datetime | None
    facilitator: str | None = None
    facilitator_problem: str | None = None


def review_plan(incident: Incident, *, facilitator: str | None = None) -> ReviewPlan:
    """The review meeting for *incident*: length, agenda, attendees by name, deadlines, facilitator.

    Guide: "Attendees: IC, Technical Lead, relevant engineers, support if
    involved. Facilitator: Rotating, not someone involved in incident." The
    deadlines are "within 3 business days" and "within 5 business days" of
    the (last) resolution, for the severities that require a post-incident
    process.

    Raises:
        TypeError: for an argument of the wrong type, naming it (issue 19, defect 10).
    """
    check_incident("incident", incident)
    check_type("facilitator", facilitator, (str, type(None)), "a person (str) or None")
    policy = incident.policy
    review, post = policy.post_incident.review, policy.post_incident
    holders = incident.role_tenures()
    attendees = tuple(
        (role, tuple(dict.fromkeys(t.person for t in holders if t.role is role)))
        for role in review.required_attendees
    )
    review_due = document_due = None
    if incident.resolved_at is not None and incident.severity in post.required_for:
        calendar = policy.business_calendar()
        review_due = calendar.deadline(incident.resolved_at, post.review_within.days)
        document_due = calendar.deadline(incident.resolved_at, post.document_within.days)
    problem = None
    if (
        facilitator is not None
        and review.facilitator_uninvolved
        and facilitator in incident.involved_people()
    ):
        problem = f"{facilitator} was involved in the incident; the guide wants a facilitator who was not"
    return ReviewPlan(
        incident_id=incident.id,
        min_duration=review.min_duration,
        max_duration=review.max_duration,
        agenda=tuple((item.topic, item.duration) for item in review.agenda),
        required_attendees=attendees,
        other_attendees=review.other_attendees,
        review_due=review_due,
        document_due=document_due,
        facilitator=facilitator,
        facilitator_problem=problem,
    )
