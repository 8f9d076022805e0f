"""Communication: the guide's messages, channel names, stakeholders, and what must not be said outside.

Guide, "2. Declaration" (the declaration message template, the channel
``#incident-YYYY-MM-DD-brief-name``), "Communication Guidelines" (the
update template, "Stakeholders to notify", "What to communicate externally"
and "What NOT to communicate externally") and "4. Resolution" (the
resolution message template). :func:`render_declaration`,
:func:`render_update` and :func:`render_resolution` render the templates for
Slack, Markdown or plain text; :func:`lint_external` reports what a text for
customers must not say, and what it should, as :class:`Finding` values (the
one finding type of every linter and validator of the library).
"""

from ._channels import SLACK_CHANNEL_LIMIT, Stakeholders, channel_name, channel_name_for, stakeholders
from ._findings import Finding
from ._lint import LINT_RULES, lint_external
from ._messages import (
    FORMATS,
    SLACK_TEXT_LIMIT,
    MessageTemplates,
    markdown_escape,
    render_declaration,
    render_resolution,
    render_update,
    slack_escape,
)

__all__ = [
    "FORMATS",
    "LINT_RULES",
    "SLACK_CHANNEL_LIMIT",
    "SLACK_TEXT_LIMIT",
    "Finding",
    "MessageTemplates",
    "Stakeholders",
    "channel_name",
    "channel_name_for",
    "lint_external",
    "markdown_escape",
    "render_declaration",
    "render_resolution",
    "render_update",
    "slack_escape",
    "stakeholders",
]
