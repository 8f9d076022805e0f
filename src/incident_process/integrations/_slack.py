"""The guide's messages as Slack Block Kit payloads for the incident channel.

Guide, "Declaration message template", "Update template", "Resolution
message template": :func:`slack_message` renders one of them (with the same
templates and fields as :func:`~incident_process.render_declaration` and its
siblings) into a ``chat.postMessage`` payload:

* a ``header`` block with the template's first line;
* ``section`` blocks with the other lines;
* ``text``, the notification fallback: the message as Slack mrkdwn, escaped
  (:func:`~incident_process.slack_escape`) and within 3,000 characters.

Every text object of the blocks is ``plain_text`` with ``emoji`` off, so what
people typed (a title, "what we know") is shown as typed: no mention, link or
formatting can be injected, and ``:fire:`` stays ``:fire:``. Every block stays
within Block Kit's documented limits (:data:`SLACK_LIMITS`), counted in UTF-16
code units, which is never fewer than characters: a longer line is cut and
ends with an ellipsis, and lines beyond the last section Slack allows are
joined into it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from incident_process.comms import MessageTemplates, render_declaration, render_resolution, render_update
from incident_process.errors import MessageError

from ._payloads import is_unicode

if TYPE_CHECKING:
    from incident_process.lifecycle import Incident

__all__ = ["SLACK_LIMITS", "SLACK_MESSAGE_KINDS", "slack_message"]

#: Block Kit's limits that the payloads keep to: blocks in a message, characters
#: in a header's text and in a section's text.
SLACK_LIMITS: Mapping[str, int] = {"blocks": 50, "header_text": 150, "section_text": 3000}

_RENDERERS: Mapping[str, Callable[..., str]] = {
    "declaration": render_declaration,
    "update": render_update,
    "resolution": render_resolution,
}
#: The messages :func:`slack_message` renders.
SLACK_MESSAGE_KINDS = tuple(_RENDERERS)
_ELLIPSIS = "…"


def _units(text: str) -> int:
    """Length in UTF-16 code units (a character beyond the BMP counts twice)."""
    return len(text) + sum(1 for character in text if ord(character) > 0xFFFF)


def _within(text: str, limit: int) -> str:
    """*text*, cut to at most *limit* UTF-16 code units with an ellipsis if it is longer."""
    if _units(text) <= limit:
        return text
    room = limit - 1  # the ellipsis is one unit
    kept, used = [], 0
    for character in text:
        size = 2 if ord(character) > 0xFFFF else 1
        if used + size > room:
            break
        kept.append(character)
        used += size
    return "".join(kept).rstrip() + _ELLIPSIS


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": False}


def _sections(lines: list[str]) -> list[dict[str, Any]]:
    room = SLACK_LIMITS["blocks"] - 1  # after the header
    texts = [*lines[: room - 1], "\n".join(lines[room - 1 :])] if len(lines) > room else lines
    return [
        {"type": "section", "text": _plain(_within(text, SLACK_LIMITS["section_text"]))} for text in texts
    ]


def slack_message(
    kind: str, incident: Incident, *, templates: MessageTemplates | None = None, **fields: object
) -> dict[str, Any]:
    """The *kind* message (``"declaration"``, ``"update"``, ``"resolution"``) as a Block Kit payload.

    *fields* are the template's fields, as for
    :func:`~incident_process.render_declaration`,
    :func:`~incident_process.render_update` or
    :func:`~incident_process.render_resolution`. Add ``channel`` to the
    result before posting it.

    Raises:
        MessageError: for an unknown *kind*, text that is not valid Unicode
            (a lone surrogate), and as the renderers do: every missing or
            unknown field named.
    """
    render = _RENDERERS.get(kind) if isinstance(kind, str) else None
    if render is None:
        msg = f"kind: expected one of {', '.join(map(repr, SLACK_MESSAGE_KINDS))}, got {kind!r}"
        raise MessageError(msg)
    plain = render(incident, format="text", templates=templates, **fields)
    fallback = render(incident, format="slack", templates=templates, **fields)
    if not is_unicode(plain):
        msg = f"{kind}: the text holds a lone surrogate, which is not valid Unicode and cannot be sent"
        raise MessageError(msg)
    lines = [line for line in plain.split("\n") if line.strip()]
    if not lines:
        msg = f"{kind} template: rendered no text"
        raise MessageError(msg)
    header = {"type": "header", "text": _plain(_within(lines[0], SLACK_LIMITS["header_text"]))}
    return {"text": fallback, "blocks": [header, *_sections(lines[1:])]}
