"""After the incident: the report, its checker, the review meeting, action items, the quarterly review.

Guide, "5. Post-Incident" (required for SEV1 and SEV2; review within 3
business days, document within 5; action items tracked until completion),
"Post-Incident Review Process" (format, agenda, an uninvolved facilitator,
the document's required sections: :func:`render_postmortem`,
:func:`review_plan`, :func:`validate_postmortem`, :func:`parse_action_items`)
and "Quarterly Review" (:func:`quarterly_review`, with its Markdown report
and optional charts).
"""

from ._quarterly import (
    MonthSummary,
    OnCallBurden,
    QuarterlyReport,
    RepeatRootCause,
    parse_quarter,
    quarterly_review,
    render_quarterly_report,
    write_quarterly_charts,
)
from ._report import render_postmortem
from ._review import ReviewPlan, review_plan
from ._validation import POSTMORTEM_RULES, ParsedActionItem, parse_action_items, validate_postmortem

__all__ = [
    "POSTMORTEM_RULES",
    "MonthSummary",
    "OnCallBurden",
    "ParsedActionItem",
    "QuarterlyReport",
    "RepeatRootCause",
    "ReviewPlan",
    "parse_action_items",
    "parse_quarter",
    "quarterly_review",
    "render_postmortem",
    "render_quarterly_report",
    "review_plan",
    "validate_postmortem",
    "write_quarterly_charts",
]
