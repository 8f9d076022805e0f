"""Slack in: signed requests, the slash command and the buttons of the bot's messages as commands.

Guide, "Communication Guidelines": the incident channel is where the
response is run, so responders declare, acknowledge, post updates and
resolve from Slack. Three pure functions, no network:

* :func:`verify_slack_request` checks a request's signature with the Slack
  SDK's own verifier (``slack_sdk.signature``, the ``slack`` extra) against
  a time the caller gives, and refuses a request signed more than five
  minutes from it (a replay);
* :func:`parse_slack_command` reads a slash command (``/incident declare
  SEV2 Checkout fails for 12% of users``) and :func:`parse_slack_action` a
  click on one of :func:`~incident_process.integrations.slack_message`'s
  buttons, each into a :class:`SlackCommand`: the incident's command, who
  gives it (the policy's ``integrations.slack.users`` map Slack users to
  people and declarer roles), when, and an idempotency key Slack's retries
  share;
* :meth:`SlackCommand.apply` runs it on the incident.

The slash command's words (after the command)::

    declare SEV1|SEV2|SEV3 [impact ...]
    ack
    update [internal|status_page] investigating|identified|mitigating|resolved text ...
    resolve
    role <role> <@user>
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import attrs

from incident_process._arguments import check_type
from incident_process._limits import SURROGATE_PROBLEM, has_surrogate
from incident_process.errors import MissingExtraError, PayloadError, Problem, SignatureError
from incident_process.lifecycle import Incident
from incident_process.policy import DEFAULT_POLICY, Policy
from incident_process.timing._moments import aware_problem
from incident_process.vocabulary import Audience, Role, UpdateStatus

from ._payloads import Reader, decoded
from ._slack import SLACK_ACTIONS

__all__ = [
    "SLACK_SIGNATURE_WINDOW",
    "SLACK_VERBS",
    "SlackCommand",
    "parse_slack_action",
    "parse_slack_command",
    "verify_slack_request",
]

#: How far from the time given a signed request may have been signed: Slack's five minutes.
SLACK_SIGNATURE_WINDOW = timedelta(minutes=5)

#: The slash command's first word, and the incident's command it gives.
SLACK_VERBS: Mapping[str, str] = {
    "declare": "declare",
    "ack": "acknowledge",
    "acknowledge": "acknowledge",
    "update": "post_update",
    "resolve": "resolve",
    "role": "assign_role",
}

_COMMAND_WHAT = "Slack slash command"
_ACTION_WHAT = "Slack block_actions payload"
_REQUEST_WHAT = "Slack request"
_TIMESTAMP = "X-Slack-Request-Timestamp"
_SIGNATURE = "X-Slack-Signature"
#: A user as Slack escapes a mention in a command's text: ``<@U012AB3CD|ana>`` or ``<@U012AB3CD>``.
_MENTION = re.compile(r"<@(?P<id>[A-Z0-9]+)(?:\|(?P<name>[^>]*))?>")
_SEVERITY = re.compile(r"(?:sev)?(?P<level>[1-3])", re.IGNORECASE)
_ACTION_TS = re.compile(r"[0-9]{1,11}(?:\.[0-9]{1,9})?")
#: Whole seconds since 1970, up to the year 5138: what a request's timestamp may be.
_SECONDS = re.compile(r"[0-9]{1,11}")


@attrs.frozen(kw_only=True)
class SlackCommand:
    """A command given in Slack, ready to run on the incident it is for.

    Attributes:
        command: The incident's command (``"declare"``, ``"acknowledge"``,
            ``"post_update"``, ``"resolve"``, ``"assign_role"``).
        at: When it was given: the time the caller gave a slash command
            (Slack sends none), a button's ``action_ts``.
        key: The idempotency key: Slack's ``trigger_id`` of the invocation,
            the same on Slack's retries.
        user_id: The Slack user who gave it.
        by: The person, as the policy's ``integrations.slack.users`` name
            them (else the Slack user name).
        incident_id: The incident a button is for (its ``value``); ``None``
            for a slash command, which is for the incident of its channel.
        channel_id: The Slack channel it was given in.
        arguments: The command's arguments as ``(name, value)`` pairs,
            ``by`` among them where the command takes one.
        missing: What the command needs that Slack did not send (a
            "Post update" button sends no text): pass them to :meth:`apply`,
            after asking (``trigger_id`` opens a modal).
        trigger_id: Slack's trigger id, for opening a modal.
        response_url: Where Slack takes replies to the command.
    """

    command: str
    at: datetime
    key: str
    user_id: str
    by: str
    incident_id: str | None = None
    channel_id: str | None = None
    arguments: tuple[tuple[str, object], ...] = ()
    missing: tuple[str, ...] = ()
    trigger_id: str | None = None
    response_url: str | None = None

    def apply(self, incident: Incident, **more: object) -> Incident:
        """*incident* after the command, with *more* arguments (what :attr:`missing` names).

        Idempotent as every command is: Slack retrying the request changes
        nothing the second time.

        Raises:
            CommandRefusedError: when the lifecycle refuses the command, as
                it refuses any command.
            PayloadError: when an argument :attr:`missing` names is not
                given, or the command is for another incident.
        """
        problems = []
        if self.incident_id is not None and incident.id != self.incident_id:
            problems.append(
                _problem("incident_id", f"the button is for {self.incident_id}, not {incident.id}")
            )
        absent = [name for name in self.missing if name not in more]
        if absent:
            message = (
                f"Slack sent no {', '.join(absent)}: ask for them (a modal, with trigger_id) and pass "
                f"apply(incident, {', '.join(f'{name}=...' for name in absent)})"
            )
            problems.append(_problem(self.command, message))
        if problems:
            raise PayloadError(problems, source=_COMMAND_WHAT)
        method: Callable[..., Incident] = getattr(incident, self.command)
        return method(at=self.at, idempotency_key=self.key, **dict(self.arguments), **more)


def verify_slack_request(
    body: bytes | str, headers: Mapping[str, str], *, signing_secret: str, now: datetime
) -> datetime:
    """Check that Slack signed *body*, within five minutes of *now*; the time it was signed.

    The signature (``X-Slack-Signature``, an HMAC-SHA256 of the version, the
    ``X-Slack-Request-Timestamp`` and the raw body) is checked by the Slack
    SDK's ``slack_sdk.signature.SignatureVerifier``, with *now* as its
    clock: the library keeps no clock of its own. A request signed more than
    :data:`SLACK_SIGNATURE_WINDOW` before or after *now* is refused, as
    Slack asks: it is a replay, or a clock is wrong. *body* is the request
    body exactly as received; header names are matched in any case.

    Returns:
        When the request was signed, in UTC, which is the ``at`` of a slash
        command.

    Raises:
        SignatureError: naming the header that is missing, malformed, stale
            or does not match.
        MissingExtraError: if ``slack_sdk`` is not installed (the ``slack``
            extra).
    """
    try:
        from slack_sdk.signature import Clock, SignatureVerifier
    except ImportError:
        msg = "verify_slack_request needs slack_sdk: pip install 'incident-process[slack]'"
        raise MissingExtraError(msg) from None
    problem = aware_problem(now)
    if problem is not None:
        raise SignatureError([_problem("now", problem)], source=_REQUEST_WHAT)
    if not isinstance(signing_secret, str) or not signing_secret.strip():
        raise SignatureError(
            [_problem("signing_secret", "expected the app's signing secret")], source=_REQUEST_WHAT
        )
    found = {name.lower(): value for name, value in headers.items()} if isinstance(headers, Mapping) else {}
    timestamp, signature = found.get(_TIMESTAMP.lower()), found.get(_SIGNATURE.lower())
    if not isinstance(timestamp, str) or not _SECONDS.fullmatch(timestamp):
        got = "missing" if timestamp is None else f"expected whole seconds since 1970, got {timestamp!r}"
        raise SignatureError([_problem(_TIMESTAMP, got)], source=_REQUEST_WHAT)
    if not isinstance(signature, str) or not signature.startswith("v0="):
        got = "missing" if signature is None else f"expected 'v0=' and a hex digest, got {signature!r}"
        raise SignatureError([_problem(_SIGNATURE, got)], source=_REQUEST_WHAT)
    signed = datetime.fromtimestamp(int(timestamp), tz=UTC)
    if abs(signed - now) > SLACK_SIGNATURE_WINDOW:
        late = f"signed at {timestamp} ({signed.isoformat()}), more than five minutes from {now.isoformat()}"
        raise SignatureError(
            [_problem(_TIMESTAMP, f"{late}: a replayed or delayed request")], source=_REQUEST_WHAT
        )

    class _Now(Clock):
        def now(self) -> float:
            return now.timestamp()

    if not SignatureVerifier(signing_secret, clock=_Now()).is_valid(body, timestamp, signature):
        message = "does not match the body and timestamp signed with the signing secret"
        raise SignatureError([_problem(_SIGNATURE, message)], source=_REQUEST_WHAT)
    return signed


def parse_slack_command(body: object, *, at: datetime, policy: Policy = DEFAULT_POLICY) -> SlackCommand:
    """The :class:`SlackCommand` a slash command gives; *at* is when it was given.

    *body* is the request body (form-encoded text or bytes) or its fields
    as a mapping. The command must be the policy's
    ``integrations.slack.command``; its text is read as the module's
    grammar shows. Slack sends no time with a slash command: *at* is the
    caller's (the signed timestamp :func:`verify_slack_request` returns).

    Raises:
        PayloadError: naming every missing field, a command that is not the
            policy's, and text that does not read (with the grammar).
        TypeError: if *policy* is not a Policy (issue 19, defect 10).
    """
    check_type("policy", policy, Policy, "a Policy")
    read = Reader(_COMMAND_WHAT)
    fields = _form(body, read)
    problem = aware_problem(at)
    if problem is not None:
        read.fail("at", problem)
    command = read.text(fields, "", "command", choices=(policy.integrations.slack.command,))
    user_id = read.text(fields, "", "user_id")
    user_name = read.text(fields, "", "user_name")
    trigger_id = read.text(fields, "", "trigger_id")
    channel_id = read.text(fields, "", "channel_id", required=False)
    response_url = read.text(fields, "", "response_url", required=False)
    text = fields.get("text", "")
    if not isinstance(text, str):
        read.fail("text", f"expected text, got {text!r}")
        text = ""
    read.done()
    assert command is not None  # noqa: S101 - read.done() raised otherwise
    assert user_id is not None  # noqa: S101
    assert user_name is not None  # noqa: S101
    assert trigger_id is not None  # noqa: S101
    by, arguments = _words(_unescaped(text), user_id, user_name, policy, read)
    read.done()
    name, _, _ = text.strip().partition(" ")
    return SlackCommand(
        command=SLACK_VERBS[name.lower()],
        at=at,
        key=f"slack:{trigger_id}",
        user_id=user_id,
        by=by,
        channel_id=channel_id,
        arguments=arguments,
        trigger_id=trigger_id,
        response_url=response_url,
    )


def parse_slack_action(body: object, *, policy: Policy = DEFAULT_POLICY) -> SlackCommand:
    """The :class:`SlackCommand` of a click on a button of a :func:`slack_message`.

    *body* is the request body (form-encoded, its ``payload`` field the
    JSON), the JSON text, or the parsed payload. The payload's ``type`` is
    ``block_actions``, with one action whose ``action_id`` is one of
    :data:`~incident_process.integrations.SLACK_ACTIONS` and whose ``value``
    is the incident's id; the click's time is its ``action_ts``. "Post
    update" gives a command with ``status`` and ``text`` :attr:`missing
    <SlackCommand.missing>`.

    Raises:
        PayloadError: naming every missing or mistyped field by its JSON
            path (``actions[0].action_id``), another payload type, or a
            button that is not the library's.
        TypeError: if *policy* is not a Policy (issue 19, defect 10).
    """
    check_type("policy", policy, Policy, "a Policy")
    read = Reader(_ACTION_WHAT)
    data: object = body
    if isinstance(body, str | bytes | bytearray):
        text = body.decode("utf-8", "replace") if isinstance(body, bytes | bytearray) else body
        if not text.lstrip().startswith("{"):
            fields = _form(text, read)
            read.done()
            data = fields.get("payload", "")
            if not data:
                read.fail("payload", "missing: a block_actions request carries its JSON in the payload field")
                read.done()
        data = decoded(data, _ACTION_WHAT)
    top = read.mapping(data, "")
    if top is None:
        read.done()
    assert top is not None  # noqa: S101 - read.done() raised otherwise
    read.text(top, "", "type", choices=("block_actions",))
    user = read.field_object(top, "", "user")
    user_id = read.text(user, "user", "id") if user is not None else None
    user_name = (
        (read.text(user, "user", "username", required="name" not in user) or user.get("name"))
        if user is not None
        else None
    )
    trigger_id = read.text(top, "", "trigger_id")
    response_url = read.text(top, "", "response_url", required=False)
    channel = read.field_object(top, "", "channel", required=False, nullable=True)
    channel_id = read.text(channel, "channel", "id") if channel is not None else None
    actions = read.array(top, "", "actions")
    action = None
    if actions is not None:
        if len(actions) != 1:
            read.fail("actions", f"expected the one action of a click, got {len(actions)}")
        else:
            action = read.mapping(actions[0], "actions[0]")
    action_id = incident_id = at = None
    if action is not None:
        action_id = read.text(action, "actions[0]", "action_id", choices=tuple(SLACK_ACTIONS))
        incident_id = read.text(action, "actions[0]", "value")
        at = _action_time(read, action)
    read.done()
    assert user_id is not None  # noqa: S101 - read.done() raised otherwise
    assert isinstance(user_name, str)  # noqa: S101
    assert trigger_id is not None  # noqa: S101
    assert action_id is not None  # noqa: S101
    assert at is not None  # noqa: S101
    command = SLACK_ACTIONS[action_id]
    known = policy.integrations.slack.user(user_id)
    by = known.person if known is not None else user_name
    arguments: tuple[tuple[str, object], ...] = (("by", by),) if command in _TAKES_BY else ()
    return SlackCommand(
        command=command,
        at=at,
        key=f"slack:{trigger_id}",
        user_id=user_id,
        by=by,
        incident_id=incident_id,
        channel_id=channel_id,
        arguments=arguments,
        missing=("status", "text") if command == "post_update" else (),
        trigger_id=trigger_id,
        response_url=response_url,
    )


#: The commands that take who gave them as ``by``.
_TAKES_BY = frozenset({"acknowledge", "declare", "post_update"})


def _problem(path: str, message: str) -> Problem:
    return Problem(path=path, message=message)


def _form(body: object, read: Reader) -> Mapping[str, Any]:
    """A form-encoded body's fields (each once), or a mapping as given."""
    if isinstance(body, Mapping):
        return body
    if isinstance(body, bytes | bytearray):
        try:
            body = bytes(body).decode("utf-8")
        except UnicodeDecodeError as error:
            read.fail("", f"not UTF-8 text: {error.reason} at byte {error.start}")
            return {}
    if not isinstance(body, str):
        read.fail("", f"expected the form-encoded request body, got {type(body).__name__}")
        return {}
    fields: dict[str, Any] = {}
    for name, values in parse_qs(body, keep_blank_values=True).items():
        if len(values) > 1:
            read.fail(name, f"given {len(values)} times")
        elif has_surrogate(values[0]):
            read.fail(name, SURROGATE_PROBLEM)
        else:
            fields[name] = values[0]
    return fields


def _unescaped(text: str) -> str:
    """*text* as typed: Slack escapes ``&``, ``<`` and ``>`` in a command's text."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _words(
    text: str, user_id: str, user_name: str, policy: Policy, read: Reader
) -> tuple[str, tuple[tuple[str, object], ...]]:
    """Who gives the command, and its arguments, from the slash command's *text*."""
    known = policy.integrations.slack.user(user_id)
    by = known.person if known is not None else user_name
    verb, _, rest = text.strip().partition(" ")
    command = SLACK_VERBS.get(verb.lower())
    rest = rest.strip()
    if command is None:
        usage = ", ".join(dict.fromkeys(SLACK_VERBS))
        read.fail(
            "text",
            f"expected one of {usage} first, got {verb!r}" if verb else f"empty: expected one of {usage}",
        )
        return by, ()
    if command == "declare":
        role = known.declarer_role if known is not None else None
        if role is None:
            read.fail(
                "user_id",
                f"Slack user {user_id} ({user_name}) has no declarer role: add them to the policy's "
                "integrations.slack.users with a declarer_role",
            )
        return by, _declare(rest, by, role, read)
    if command == "post_update":
        return by, _update(rest, by, read)
    if command == "assign_role":
        return by, _role(rest, policy, read)
    if rest:
        read.fail("text", f"{verb}: takes nothing more, got {rest!r}")
    return by, (("by", by),) if command in _TAKES_BY else ()


def _declare(rest: str, by: str, role: str | None, read: Reader) -> tuple[tuple[str, object], ...]:
    severity, _, impact = rest.partition(" ")
    level = _SEVERITY.fullmatch(severity)
    if level is None:
        read.fail("text", f"declare: expected a severity (SEV1, SEV2, SEV3) first, got {severity!r}")
    if level is None or role is None:
        return ()
    return (
        ("by", by),
        ("declarer_role", role),
        ("severity", f"SEV{level['level']}"),
        ("impact", impact.strip() or None),
    )


def _update(rest: str, by: str, read: Reader) -> tuple[tuple[str, object], ...]:
    words = rest.split(" ", 1)
    audience = Audience.INTERNAL.value
    if words[0].lower() in {member.value for member in Audience}:
        audience, rest = words[0].lower(), words[1] if len(words) > 1 else ""
    status, _, text = rest.strip().partition(" ")
    statuses = [member.value for member in UpdateStatus]
    if status.lower() not in statuses:
        read.fail("text", f"update: expected a status ({', '.join(statuses)}), got {status!r}")
        return ()
    if not text.strip():
        read.fail("text", f"update {status}: expected the update's text after the status")
        return ()
    return (("by", by), ("audience", audience), ("status", status.lower()), ("text", text.strip()))


def _role(rest: str, policy: Policy, read: Reader) -> tuple[tuple[str, object], ...]:
    role, _, who = rest.partition(" ")
    roles = [member.value for member in Role]
    if role.lower() not in roles:
        read.fail("text", f"role: expected a role ({', '.join(roles)}), got {role!r}")
        return ()
    who = who.strip()
    mention = _MENTION.fullmatch(who)
    if mention is not None:
        known = policy.integrations.slack.user(mention["id"])
        who = known.person if known is not None else (mention["name"] or mention["id"])
    elif who.startswith("@"):
        who = who[1:]
    if not who or " " in who:
        read.fail("text", f"role {role}: expected one person (@name), got {rest.partition(' ')[2].strip()!r}")
        return ()
    return (("role", role.lower()), ("person", who))


def _action_time(read: Reader, action: Mapping[str, Any]) -> datetime | None:
    """The click's time: its ``action_ts``, seconds since 1970 with a fraction, as Slack sends it."""
    stamp = action.get("action_ts")
    if not isinstance(stamp, str) or _ACTION_TS.fullmatch(stamp) is None:
        message = "missing" if stamp is None else f"expected seconds since 1970 as text, got {stamp!r}"
        read.fail("actions[0].action_ts", message)
        return None
    whole, _, fraction = stamp.partition(".")
    micro = int(fraction[:6].ljust(6, "0"))  # Slack sends microseconds; beyond them is cut
    return datetime.fromtimestamp(int(whole), tz=UTC) + timedelta(microseconds=micro)
