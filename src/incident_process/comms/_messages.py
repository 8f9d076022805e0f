"""The guide's messages: declaration, update and resolution, for Slack, Markdown or plain text.

Guide, "Declaration message template", "Update template" and "Resolution
message template". The templates are Jinja2 files shipped with the package
(``templates/*.j2``) whose lines are the guide's lines; an organisation can
override any of them from a directory. Every template, shipped or not, runs in
Jinja2's sandbox with ``StrictUndefined``.

Safety of what people typed:

* Values are data, never template source: ``{{7*7}}`` in a title stays
  ``{{7*7}}``.
* Each value is escaped once, for the target, where the template outputs it:
  Slack mrkdwn escapes ``&``, ``<`` and ``>`` (so no ``<!here>``,
  ``<@U123>`` or ``<http://evil|innocent>`` can be injected); Markdown
  backslash-escapes every ASCII punctuation character and entity-escapes ``<``
  and ``&`` (so no link, image, HTML or emphasis); plain text drops control
  characters.
* A value is one line: line breaks and runs of white space become one space,
  so a value cannot forge a line of the template.
* A Slack message is cut to Slack's 3,000-character limit without splitting an
  escape entity, and says it was cut.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from incident_process._arguments import check_incident, check_type
from incident_process._limits import printable
from incident_process.errors import MessageError
from incident_process.events import MilestoneRecorded, Reopened, UpdatePosted
from incident_process.timing import describe_duration
from incident_process.timing._calendar import resolve_zone
from incident_process.timing._moments import aware, utc
from incident_process.vocabulary import Audience, DetectionSource, Milestone, Phase, Role

from ._sandbox import check_shape, failure, render_bounded, sandbox

if TYPE_CHECKING:
    from incident_process.lifecycle import Incident

__all__ = [
    "FORMATS",
    "SLACK_TEXT_LIMIT",
    "MessageTemplates",
    "markdown_escape",
    "render_declaration",
    "render_resolution",
    "render_update",
    "slack_escape",
]

Format = Literal["slack", "markdown", "text"]

#: The output formats.
FORMATS: tuple[Format, ...] = ("slack", "markdown", "text")

#: Slack's limit for the ``text`` of a message.
SLACK_TEXT_LIMIT = 3000

_CUT = " … (cut at Slack's 3,000-character limit)"
_SPACE = re.compile(r"\s+")
_MARKDOWN_SPECIAL = re.compile(r"""[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]""")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}

_SOURCE_WORDS: Mapping[DetectionSource, str] = {
    DetectionSource.AUTOMATED_ALERT: "Automated alert",
    DetectionSource.CUSTOMER_REPORTS: "Customer reports",
    DetectionSource.INTERNAL_DISCOVERY: "Internal discovery",
    DetectionSource.EXTERNAL_NOTIFICATION: "External notification",
}

_PHASE_STATUS: Mapping[Phase, str] = {
    Phase.DETECTED: "Investigation",
    Phase.DECLARED: "Investigation",
    Phase.RESPONDING: "Investigation",
    Phase.RESOLVED: "Resolved",
    Phase.POST_INCIDENT: "Resolved",
    Phase.CLOSED: "Resolved",
    Phase.DISMISSED: "Dismissed",
}

_MILESTONE_STATUS: Mapping[Milestone, str] = {
    Milestone.INVESTIGATING: "Investigation",
    Milestone.IDENTIFIED: "Identified",
    Milestone.MITIGATING: "Mitigation",
}


def slack_escape(text: str) -> str:
    """Escape *text* for Slack mrkdwn: ``&``, ``<`` and ``>``, nothing else.

    >>> slack_escape("<!here> & <@U123>")
    '&lt;!here&gt; &amp; &lt;@U123&gt;'
    """
    check_type("text", text, str, "text (str)")
    return _slack_escape(text)


def _slack_escape(text: str) -> str:
    if "&" not in text and "<" not in text and ">" not in text:
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markdown_escape(text: str) -> str:
    r"""Escape *text* so Markdown shows it literally: no link, image, HTML or emphasis.

    >>> markdown_escape("![x](http://e.vil) <b>")
    '\\!\\[x\\]\\(http\\:\\/\\/e\\.vil\\) &lt;b&gt;'
    """
    check_type("text", text, str, "text (str)")
    return _markdown_escape(text)


def _markdown_escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(lambda match: _ENTITIES.get(match.group(), "\\" + match.group()), text)


_ESCAPES: Mapping[Format, Callable[[str], str]] = {
    "slack": _slack_escape,
    "markdown": _markdown_escape,
    "text": lambda text: text,
}


def _finalizer(format: Format) -> Callable[[object], str]:  # noqa: A002 - the format's own name
    escape = _ESCAPES[format]

    def finalize(value: object) -> str:
        text = value if type(value) is str else str(value)
        if text.isprintable() and "  " not in text:  # the common case: already one clean line
            return escape(text.strip())
        return escape(_SPACE.sub(" ", printable(text)).strip())

    return finalize


def _cut_for_slack(text: str) -> str:
    """At most 3,000 characters, never splitting an ``&...;`` entity."""
    if len(text) <= SLACK_TEXT_LIMIT:
        return text
    cut = SLACK_TEXT_LIMIT - len(_CUT)
    head = text[:cut]
    amp = head.rfind("&")
    if amp != -1 and ";" not in head[amp:]:
        head = head[:amp]
    return head + _CUT


class MessageTemplates:
    """The message templates: the shipped ones, or a directory's that override them.

    A directory may hold any of ``declaration.j2``, ``update.j2`` and
    ``resolution.j2``; the others come from the package. Templates are compiled
    once per format and kept.

    Raises:
        MessageError: if the directory does not exist.
        TypeError: if *directory* is not a path.
    """

    def __init__(self, directory: str | PathLike[str] | None = None) -> None:
        check_type(
            "directory", directory, (str, PathLike, type(None)), "a directory path (str or path) or None"
        )
        self.directory = None if directory is None else Path(directory)
        if self.directory is not None and not self.directory.is_dir():
            msg = f"templates: {self.directory} is not a directory"
            raise MessageError(msg)
        self._environments: dict[Format, Any] = {}
        self._fields: dict[str, frozenset[str]] = {}
        self._compiled: dict[tuple[str, str], Any] = {}

    def _environment(self, format: Format) -> Any:  # noqa: A002, ANN401 - jinja2 is imported lazily
        environment = self._environments.get(format)
        if environment is None:
            environment = sandbox(self.directory, _finalizer(format))
            self._environments[format] = environment
        return environment

    def fields(self, kind: str) -> frozenset[str]:
        """The fields the *kind* template uses (read once).

        Raises:
            MessageError: if the template cannot be read or parsed, naming it and the line.
        """
        check_type("kind", kind, str, "a template kind (str)")
        known = self._fields.get(kind)
        if known is None:
            from jinja2 import meta

            environment = self._environment("text")
            name = f"{kind}.j2"
            try:
                source, filename, _ = environment.loader.get_source(environment, name)
                tree = environment.parse(source, name, filename)
                check_shape(tree, name, filename)
                known = frozenset(meta.find_undeclared_variables(tree))
            except MessageError:
                raise
            except Exception as error:  # noqa: BLE001 - every failure of a template is a MessageError (issue 19)
                raise failure(kind, name, error) from None
            self._fields[kind] = known
        return known

    def render(self, kind: str, format: str, values: Mapping[str, object]) -> str:  # noqa: A002
        """Render template *kind* for *format* with *values*.

        The template runs in a bounded sandbox (limits in the Limits page of
        the docs): a template that fails in any way, or goes past a limit, is
        a :class:`MessageError` naming the template and the line.
        """
        if (
            type(kind) is not str or type(format) is not str or type(values) is not dict
        ):  # the usual call, quickly
            check_type("kind", kind, str, "a template kind (str)")
            check_type("format", format, str, "a format name (str)")
            check_type("values", values, Mapping, "a mapping of field names to values")
        if format not in FORMATS:
            msg = f"format: expected one of {', '.join(map(repr, FORMATS))}, got {format!r}"
            raise MessageError(msg)
        name = f"{kind}.j2"
        try:
            compiled = self._compiled.get((kind, format))
            if compiled is None:
                template = self._environment(format).get_template(name)
                compiled = (template, dict(template.globals))
                self._compiled[kind, format] = compiled
            template, template_globals = compiled
            # Template.render merges the template's globals (a ChainMap) into a new
            # context on every call; merging a plain copy of them is half the cost.
            context = template.new_context({**template_globals, **values}, shared=True)
            text = render_bounded(template, context)
        except MessageError:
            raise
        except Exception as error:  # noqa: BLE001 - every failure of a template is a MessageError (issue 19)
            raise failure(kind, name, error) from None
        if format == "markdown":
            text = "\\\n".join(text.split("\n"))
        if format == "slack":
            text = _cut_for_slack(text)
        return text


@functools.cache
def _shipped() -> MessageTemplates:
    return MessageTemplates()


def _local(moment: datetime, incident: Incident) -> str:
    local = moment.astimezone(resolve_zone(incident.policy.zone))
    return f"{local.date().isoformat()} {local.hour:02d}:{local.minute:02d} {local.tzname()}"


def _render(
    kind: str,
    format: str,  # noqa: A002 - the contract's name
    defaults: Mapping[str, object],
    fields: Mapping[str, object],
    templates: MessageTemplates | None,
) -> str:
    if format not in FORMATS:
        msg = f"format: expected one of {', '.join(map(repr, FORMATS))}, got {format!r}"
        raise MessageError(msg)
    chosen = templates if templates is not None else _shipped()
    wanted = chosen.fields(kind)
    unknown = sorted(set(fields) - wanted)
    if unknown:
        msg = f"{kind}: unknown fields {', '.join(unknown)}; the template uses {', '.join(sorted(wanted))}"
        raise MessageError(msg)
    values = {name: value for name, value in {**defaults, **fields}.items() if value is not None}
    missing = sorted(wanted - values.keys())
    if missing:
        msg = f"{kind}: missing fields {', '.join(missing)}; pass them as keyword arguments"
        raise MessageError(msg)
    return chosen.render(kind, format, values)


def _check_arguments(incident: object, format: object, templates: object) -> None:  # noqa: A002 - the contract's name
    """The types of a render function's arguments (issue 19, defect 10)."""
    check_incident("incident", incident)
    check_type("format", format, str, "a format name (str)")
    check_type("templates", templates, (MessageTemplates, type(None)), "MessageTemplates or None")


def _severity(incident: Incident) -> str | None:
    return incident.severity.value if incident.severity else None


def render_declaration(
    incident: Incident,
    *,
    format: str = "slack",  # noqa: A002 - the contract's name
    templates: MessageTemplates | None = None,
    **fields: object,
) -> str:
    """The guide's "Declaration message template" for a declared incident.

    Known from the incident: ``severity``, ``issue`` (the title), ``detection``
    (the source), ``impact`` (as declared) and ``incident_commander`` (``@``
    and the holder's name; for a closed incident, which holds no role, the
    last holder). ``current_status`` defaults to the latest status
    (Investigation, Identified, Mitigation). ``impact`` must be given when
    the declaration did not say it. Any field may be given to override its
    default.

    Raises:
        MessageError: naming every missing or unknown field, or a bad format.
        TypeError: for an argument of the wrong type, naming it.
    """
    _check_arguments(incident, format, templates)
    # Who holds the role now; for a closed incident (which holds none), who held it last.
    commanders = [held.person for held in incident.role_tenures() if held.role is Role.INCIDENT_COMMANDER]
    commander = incident.role_holders().get(Role.INCIDENT_COMMANDER, commanders[-1] if commanders else None)
    defaults = {
        "severity": _severity(incident),
        "issue": incident.title,
        "impact": incident.impact,
        "detection": _SOURCE_WORDS[incident.source],
        "current_status": _current_status(incident),
        "incident_commander": None if commander is None else f"@{commander}",
    }
    return _render("declaration", format, defaults, fields, templates)


def _current_status(incident: Incident) -> str:
    """The latest status reached since the incident was last (re)opened, or the phase's word."""
    if incident.phase in {Phase.DECLARED, Phase.RESPONDING}:
        for event in reversed(incident.timeline):
            if isinstance(event, Reopened):
                break
            milestone = _status_milestone(event)
            if milestone is not None and milestone in _MILESTONE_STATUS:
                return _MILESTONE_STATUS[milestone]
    return _PHASE_STATUS[incident.phase]


def _status_milestone(event: object) -> Milestone | None:
    if isinstance(event, UpdatePosted):
        return Milestone(event.status.value)
    return event.milestone if isinstance(event, MilestoneRecorded) else None


def render_update(
    incident: Incident,
    *,
    format: str = "slack",  # noqa: A002 - the contract's name
    templates: MessageTemplates | None = None,
    **fields: object,
) -> str:
    """The guide's "Update template", for the incident's latest update.

    The guide's update is the internal one ("Internal Communication"):
    ``time`` is the given ``at`` (a datetime) or the latest internal
    update's time, ``number`` counts the internal updates posted so far (as
    the obligations number them: ``update 2`` is the second), ``status`` is
    the latest internal update's status, and ``next_update`` is ``time``
    plus the severity's cadence, or none once the incident is resolved (no
    update is owed then); all in the policy's zone. ``what_we_know`` and
    ``what_we_are_doing`` must be given.

    Raises:
        MessageError: naming every missing or unknown field, or a bad
            format; before any internal update, saying so.
        TypeError: for an argument of the wrong type, naming it.
    """
    _check_arguments(incident, format, templates)
    at = fields.pop("at", None)
    if at is not None:
        aware(at, "at", MessageError)
    updates = [
        event
        for event in incident.timeline
        if isinstance(event, UpdatePosted) and event.audience is Audience.INTERNAL
    ]
    latest = updates[-1] if updates else None
    if latest is None and not {"number", "status"} <= fields.keys():
        msg = (
            "update: no update has been posted yet: the message is the latest update's, so post one "
            "(post_update) first, or give number and status"
        )
        raise MessageError(msg)
    moment = at if isinstance(at, datetime) else (latest.at if latest is not None else None)
    severity = incident.severity
    defaults: dict[str, object] = {
        "number": len(updates) or None,
        "status": latest.status.value.capitalize() if latest is not None else None,
    }
    if moment is not None:
        defaults["time"] = _local(moment, incident)
        if incident.phase not in {Phase.DECLARED, Phase.RESPONDING}:
            defaults["next_update"] = "none, the incident is resolved"
        elif severity is not None:
            cadence = incident.policy.communication.update_cadence[severity]
            defaults["next_update"] = _local(utc(moment) + cadence, incident)
    return _render("update", format, defaults, fields, templates)


def render_resolution(
    incident: Incident,
    *,
    format: str = "slack",  # noqa: A002 - the contract's name
    templates: MessageTemplates | None = None,
    **fields: object,
) -> str:
    """The guide's "Resolution message template" for a resolved incident.

    ``start`` is when customer impact started (or the detection, if unknown),
    ``end`` the resolution, ``total_minutes`` the minutes between them, all
    from the events; ``follow_up`` names the post-incident review's deadline
    for a severity that requires one; ``root_cause`` is the summary of the
    root cause identified, and ``customer_impact`` the impact declared, when
    the events hold them. ``fix_applied`` must be given, and the others when
    the events do not hold them.

    Raises:
        MessageError: naming every missing or unknown field, or a bad format.
        TypeError: for an argument of the wrong type, naming it.
    """
    _check_arguments(incident, format, templates)
    started = incident.milestones().get(Milestone.CUSTOMER_IMPACT_STARTED, incident.detected_at)
    ended = incident.resolved_at
    defaults: dict[str, object] = {"severity": _severity(incident), "start": _local(started, incident)}
    cause = incident.root_cause
    defaults["root_cause"] = cause.summary if cause is not None and cause.summary else None
    defaults["customer_impact"] = incident.impact
    if ended is not None:
        defaults["end"] = _local(ended, incident)
        defaults["total_minutes"] = describe_duration(ended - started, unit="minute")
        post = incident.policy.post_incident
        if incident.severity in post.required_for:
            due = incident.policy.business_calendar().deadline(ended, post.review_within.days)
            defaults["follow_up"] = f"post-incident review scheduled by {due:%Y-%m-%d}"
    return _render("resolution", format, defaults, fields, templates)
