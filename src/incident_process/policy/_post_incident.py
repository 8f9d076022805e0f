"""Guide, "5. Post-Incident", "Post-Incident Review Process" and "Quarterly Review".

Which severities need the post-incident process, its business-day
deadlines, the review meeting (length, agenda, attendees, facilitator), the
post-incident document's required shape, and the quarterly review's metrics.
"""

from __future__ import annotations

from datetime import timedelta

import attrs

from incident_process.timing import BusinessDays
from incident_process.vocabulary import QuarterlyMetric, Role, Severity

from ._checks import Checker, show_span

__all__ = [
    "AgendaItem",
    "PostIncident",
    "PostIncidentDocument",
    "QuarterlyReview",
    "ReviewMeeting",
]


@attrs.frozen(kw_only=True)
class AgendaItem:
    """One item of the review meeting's agenda.

    Attributes:
        topic: What is discussed.
        duration: For how long.
    """

    topic: str
    duration: timedelta

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.text("topic", self.topic)
        check.duration("duration", self.duration)
        check.done()


@attrs.frozen(kw_only=True)
class ReviewMeeting:
    """Guide, "Post-Incident Review Process": Format and Agenda.

    Attributes:
        min_duration: "Duration: 30-60 minutes" (the low end).
        max_duration: ... (the high end); the agenda must fit in it.
        agenda: "Timeline reconstruction (10 min), Root cause analysis (15
            min), What went well (5 min), What could be improved (10 min),
            Action items (10 min)".
        required_attendees: "Attendees: IC, Technical Lead, ...".
        other_attendees: "... relevant engineers, support if involved".
        facilitator_uninvolved: "Facilitator: Rotating, not someone involved
            in incident".
    """

    min_duration: timedelta = timedelta(minutes=30)
    max_duration: timedelta = timedelta(minutes=60)
    agenda: tuple[AgendaItem, ...] = (
        AgendaItem(topic="Timeline reconstruction", duration=timedelta(minutes=10)),
        AgendaItem(topic="Root cause analysis", duration=timedelta(minutes=15)),
        AgendaItem(topic="What went well", duration=timedelta(minutes=5)),
        AgendaItem(topic="What could be improved", duration=timedelta(minutes=10)),
        AgendaItem(topic="Action items", duration=timedelta(minutes=10)),
    )
    required_attendees: tuple[Role, ...] = (Role.INCIDENT_COMMANDER, Role.TECHNICAL_LEAD)
    other_attendees: tuple[str, ...] = ("Relevant engineers", "Support, if involved")
    facilitator_uninvolved: bool = True

    def __attrs_post_init__(self) -> None:
        check = Checker()
        shortest = check.duration("min_duration", self.min_duration)
        longest = check.duration("max_duration", self.max_duration)
        if shortest and longest and self.min_duration > self.max_duration:
            check.fail("min_duration", "must not be longer than max_duration")
        before = len(check.problems)
        items = list(check.items_of("agenda", self.agenda, AgendaItem))
        total = sum((item.duration for _, item in items), timedelta(0))
        if longest and len(check.problems) == before and total > self.max_duration:
            check.fail(
                "agenda",
                f"takes {show_span(total)}, longer than max_duration ({show_span(self.max_duration)})",
            )
        check.members("required_attendees", self.required_attendees, Role, non_empty=False)
        check.texts("other_attendees", self.other_attendees, non_empty=False)
        check.flag("facilitator_uninvolved", self.facilitator_uninvolved)
        check.done()

    @property
    def agenda_duration(self) -> timedelta:
        """The agenda's total time."""
        return sum((item.duration for item in self.agenda), timedelta(0))


@attrs.frozen(kw_only=True)
class PostIncidentDocument:
    """Guide, "Post-Incident Document": its required shape.

    Attributes:
        sections: "Summary, Impact, Timeline, Root Cause, Resolution,
            Lessons Learned, Action Items", in this order.
        impact_fields: "Duration, Customers affected, Errors generated".
        optional_impact_fields: "Revenue impact: [if applicable]".
        lessons_learned: "What went well, What could be improved".
        action_item_columns: "Action | Owner | Due Date | Status".
    """

    sections: tuple[str, ...] = (
        "Summary",
        "Impact",
        "Timeline",
        "Root Cause",
        "Resolution",
        "Lessons Learned",
        "Action Items",
    )
    impact_fields: tuple[str, ...] = ("Duration", "Customers affected", "Errors generated")
    optional_impact_fields: tuple[str, ...] = ("Revenue impact",)
    lessons_learned: tuple[str, ...] = ("What went well", "What could be improved")
    action_item_columns: tuple[str, ...] = ("Action", "Owner", "Due Date", "Status")

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.texts("sections", self.sections)
        check.texts("impact_fields", self.impact_fields)
        check.texts("optional_impact_fields", self.optional_impact_fields, non_empty=False)
        check.texts("lessons_learned", self.lessons_learned, non_empty=False)
        check.texts("action_item_columns", self.action_item_columns)
        check.done()


@attrs.frozen(kw_only=True)
class PostIncident:
    """Guide, "5. Post-Incident".

    Attributes:
        required_for: "Required for all SEV1 and SEV2 incidents. Optional for SEV3."
        review_within: "Post-incident review: Within 3 business days".
        document_within: "Post-incident document: Within 5 business days".
        review: The review meeting.
        document: The document's required shape.
    """

    required_for: tuple[Severity, ...] = (Severity.SEV1, Severity.SEV2)
    review_within: BusinessDays = BusinessDays(3)
    document_within: BusinessDays = BusinessDays(5)
    review: ReviewMeeting = ReviewMeeting()
    document: PostIncidentDocument = PostIncidentDocument()

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.members("required_for", self.required_for, Severity, non_empty=False)
        check.business_days("review_within", self.review_within)
        check.business_days("document_within", self.document_within)
        check.instance("review", self.review, ReviewMeeting)
        check.instance("document", self.document, PostIncidentDocument)
        check.done()


@attrs.frozen(kw_only=True)
class QuarterlyReview:
    """Guide, "Quarterly Review": "Every quarter, review: ...".

    Attributes:
        metrics: The six metrics, in the guide's order.
    """

    metrics: tuple[QuarterlyMetric, ...] = tuple(QuarterlyMetric)

    def __attrs_post_init__(self) -> None:
        check = Checker()
        check.members("metrics", self.metrics, QuarterlyMetric)
        check.done()
