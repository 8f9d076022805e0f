"""The guide's messages as Slack Block Kit payloads for the incident channel.

Guide, "Declaration message template", "Update template", "Resolution
message template": :func:`slack_message` renders one of them (with the same
templates and fields as :func:`~incident_process.render_declaration` and its
siblings) into a ``chat.postMessage`` payload:

* a ``header`` block with the template's first line;
* ``section`` blocks with the other lines;
* an ``actions`` block with the buttons a responder needs now (unless
  ``buttons=False``): "Acknowledge" while the page is not acknowledged,
  "Post update" while the incident is declared or responding, "Resolve"
  (with a confirmation that quotes the quiet period) while responding.
  Each button's ``action_id`` is one of :data:`SLACK_ACTIONS` and its
  ``value`` the incident's id (an id beyond Slack's 2,000 characters gets
  no buttons): :func:`parse_slack_action` reads the click;
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
from zoneinfo import ZoneInfo

from incident_process._arguments import check_type
from incident_process._limits import has_surrogate
from incident_process.comms import MessageTemplates, render_declaration, render_resolution, render_update
from incident_process.errors import MessageError
from incident_process.timing import describe_duration
from incident_process.vocabulary import Phase

if TYPE_CHECKING:
    from incident_process.lifecycle import Incident

__all__ = ["SLACK_ACTIONS", "SLACK_LIMITS", "SLACK_MESSAGE_KINDS", "slack_message"]

#: Block Kit's limits that the payloads keep to: blocks in a message, characters
#: in a header's text, in a section's text, in a button's value and in a
#: confirmation's text.
SLACK_LIMITS: Mapping[str, int] = {
    "blocks": 50,
    "header_text": 150,
    "section_text": 3000,
    "button_value": 2000,
    "confirm_text": 300,
}

_RENDERERS: Mapping[str, Callable[..., str]] = {
    "declaration": render_declaration,
    "update": render_update,
    "resolution": render_resolution,
}
#: The messages :func:`slack_message` renders.
SLACK_MESSAGE_KINDS = tuple(_RENDERERS)
_ELLIPSIS = "…"

#: The buttons of the bot's messages: each ``action_id`` and the incident's command it asks for.
SLACK_ACTIONS: Mapping[str, str] = {
    "incident_process.acknowledge": "acknowledge",
    "incident_process.post_update": "post_update",
    "incident_process.resolve": "resolve",
}
#: Each button's label, and the phases in which its command is one a responder needs.
_BUTTONS: Mapping[str, tuple[str, frozenset[Phase]]] = {
    "acknowledge": ("Acknowledge", frozenset({Phase.DETECTED, Phase.DECLARED, Phase.RESPONDING})),
    "post_update": ("Post update", frozenset({Phase.DECLARED, Phase.RESPONDING})),
    "resolve": ("Resolve", frozenset({Phase.RESPONDING})),
}


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


def _sections(lines: list[str], room: int) -> list[dict[str, Any]]:
    """At most *room* section blocks for *lines*: the last one takes the lines beyond."""
    texts = [*lines[: room - 1], "\n".join(lines[room - 1 :])] if len(lines) > room else lines
    return [
        {"type": "section", "text": _plain(_within(text, SLACK_LIMITS["section_text"]))} for text in texts
    ]


def _actions(incident: Incident) -> dict[str, Any] | None:
    """The ``actions`` block of the buttons a responder needs now, if any (none for an id too long)."""
    if _units(incident.id) > SLACK_LIMITS["button_value"]:
        return None
    elements = []
    for action_id, command in SLACK_ACTIONS.items():
        label, phases = _BUTTONS[command]
        if incident.phase not in phases or (command == "acknowledge" and incident.acknowledged_at):
            continue
        button: dict[str, Any] = {
            "type": "button",
            "action_id": action_id,
            "text": _plain(label),
            "value": incident.id,
        }
        if command == "resolve":
            button["style"] = "primary"
            button["confirm"] = _confirm_resolve(incident)
        elements.append(button)
    return (
        {"type": "actions", "block_id": "incident_process.actions", "elements": elements}
        if elements
        else None
    )


def _confirm_resolve(incident: Incident) -> dict[str, Any]:
    """The confirmation of "Resolve": the guide's quiet period, and when it ends if the errors stopped."""
    quiet = incident.policy.resolution.quiet_period
    severity = incident.severity
    rule = "No new error reports" + (f" for {describe_duration(quiet[severity])}" if severity else "")
    until = incident.may_resolve_at()
    if until is not None:
        rule += (
            f" (the quiet period ends {until.astimezone(ZoneInfo(incident.policy.zone)):%Y-%m-%d %H:%M %Z})"
        )
    text = _within(f"{rule}: resolve {incident.id}?", SLACK_LIMITS["confirm_text"])
    return {
        "title": _plain("Resolve the incident?"),
        "text": _plain(text),
        "confirm": _plain("Resolve"),
        "deny": _plain("Not yet"),
    }


def slack_message(
    kind: str,
    incident: Incident,
    *,
    templates: MessageTemplates | None = None,
    buttons: bool = True,
    **fields: object,
) -> dict[str, Any]:
    """The *kind* message (``"declaration"``, ``"update"``, ``"resolution"``) as a Block Kit payload.

    *fields* are the template's fields, as for
    :func:`~incident_process.render_declaration`,
    :func:`~incident_process.render_update` or
    :func:`~incident_process.render_resolution`. Add ``channel`` to the
    result before posting it. *buttons* adds the buttons a responder needs
    now (see above).

    Raises:
        MessageError: for an unknown *kind*, text that is not valid Unicode
            (a lone surrogate), and as the renderers do: every missing or
            unknown field named.
        TypeError: for an argument of the wrong type, naming it (issue 19, defect 10).
    """
    check_type("buttons", buttons, bool, "true or false (bool)")
    render = _RENDERERS.get(kind) if isinstance(kind, str) else None
    if render is None:
        msg = f"kind: expected one of {', '.join(map(repr, SLACK_MESSAGE_KINDS))}, got {kind!r}"
        raise MessageError(msg)
    plain = render(incident, format="text", templates=templates, **fields)
    fallback = render(incident, format="slack", templates=templates, **fields)
    if has_surrogate(plain):
        msg = f"{kind}: the text holds a lone surrogate, which is not valid Unicode and cannot be sent"
        raise MessageError(msg)
    lines = [line for line in plain.split("\n") if line.strip()]
    if not lines:
        msg = f"{kind} template: rendered no text"
        raise MessageError(msg)
    header = {"type": "header", "text": _plain(_within(lines[0], SLACK_LIMITS["header_text"]))}
    actions = _actions(incident) if buttons else None
    room = SLACK_LIMITS["blocks"] - 1 - (actions is not None)  # after the header, before the buttons
    blocks = [header, *_sections(lines[1:], room)]
    return {"text": fallback, "blocks": [*blocks, actions] if actions else blocks}
