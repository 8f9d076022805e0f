"""Time arithmetic: timezone-aware moments, durations, and business days in a real calendar.

Guide, "5. Post-Incident" ("Post-incident review: Within 3 business days.
Post-incident document: Within 5 business days") and every duration of the
guide ("Acknowledge within 5 minutes", "SEV1: Every 15 minutes minimum",
"archive after 24h"). The policy is written in these units, so this namespace
sits below it: :class:`BusinessDays` and the durations are what a policy file
says, :class:`BusinessCalendar` is how its business days are counted (in its
zone, with the public holidays of the `holidays` package).

What an incident owes at a moment, in these units, is
:func:`incident_process.lifecycle.obligations`.
"""

from ._calendar import BusinessCalendar
from ._durations import BusinessDays, describe_duration, format_duration, parse_business_days, parse_duration

__all__ = [
    "BusinessCalendar",
    "BusinessDays",
    "describe_duration",
    "format_duration",
    "parse_business_days",
    "parse_duration",
]
