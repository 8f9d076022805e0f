"""Slack in: request signatures, slash commands and button clicks, on Slack's published examples."""

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from payload_examples import problems
from slack_sdk.models.blocks import Block

from incident_process import DEFAULT_POLICY, Incident, PayloadError
from incident_process.errors import CommandRefusedError, SignatureError
from incident_process.events import UpdatePosted
from incident_process.integrations import (
    SLACK_ACTIONS,
    SLACK_VERBS,
    parse_slack_action,
    parse_slack_command,
    slack_message,
    verify_slack_request,
)
from incident_process.policy import Integrations, SlackMapping, SlackUser
from incident_process.vocabulary import Phase

FIXTURES = Path(__file__).parents[1] / "fixtures" / "integrations"
SIGNED = json.loads((FIXTURES / "slack-signature.json").read_text())
SIGNED_AT = datetime.fromtimestamp(int(SIGNED["timestamp"]), tz=UTC)
#: Slack's published slash command (``/weather 94070`` by user U2147483697, "Steve").
COMMAND = (FIXTURES / "slack-slash-command.txt").read_text()
#: Slack's published block_actions payload (a "View" button clicked by UA8RXUSPL, "jtorrance").
ACTION = json.loads((FIXTURES / "slack-block-actions.json").read_text())
AT = datetime(2026, 8, 18, 12, 30, tzinfo=UTC)

POLICY = attrs.evolve(
    DEFAULT_POLICY,
    integrations=Integrations(
        slack=SlackMapping(
            command="/incident",
            users=(
                SlackUser(user_id="U2147483697", person="steve", declarer_role="on_call_engineer"),
                SlackUser(user_id="UA8RXUSPL", person="jack"),
            ),
        )
    ),
)


def _headers(timestamp=SIGNED["timestamp"], signature=SIGNED["signature"]):
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature}


# --- signatures ---------------------------------------------------------------------------------


def test_slacks_published_example_verifies_and_gives_the_signed_time():
    """The docs' secret, timestamp and body verify; the result is when Slack signed the request."""
    signed = verify_slack_request(
        SIGNED["body"], _headers(), signing_secret=SIGNED["signing_secret"], now=SIGNED_AT
    )
    assert signed == SIGNED_AT
    # bytes as received, and header names in any case
    lower = {name.lower(): value for name, value in _headers().items()}
    assert (
        verify_slack_request(
            SIGNED["body"].encode(), lower, signing_secret=SIGNED["signing_secret"], now=SIGNED_AT
        )
        == SIGNED_AT
    )


@pytest.mark.parametrize("seconds", [-300, 300])
def test_a_request_signed_within_five_minutes_is_accepted(seconds):
    """Slack's window is five minutes either way, both ends included."""
    now = SIGNED_AT + timedelta(seconds=seconds)
    assert verify_slack_request(SIGNED["body"], _headers(), signing_secret=SIGNED["signing_secret"], now=now)


@pytest.mark.parametrize("seconds", [-301, 301, 86400])
def test_a_replayed_old_timestamp_is_refused(seconds):
    """A request signed more than five minutes from now is a replay (or a wrong clock): refused, named."""
    now = SIGNED_AT + timedelta(seconds=seconds)
    with pytest.raises(SignatureError) as refused:
        verify_slack_request(SIGNED["body"], _headers(), signing_secret=SIGNED["signing_secret"], now=now)
    [(path, message)] = problems(refused)
    assert path == "X-Slack-Request-Timestamp"
    assert "more than five minutes" in message
    assert "replayed" in message


def test_a_known_secret_and_timestamp_sign_a_body_we_build():
    """A body signed with HMAC-SHA256 as Slack documents verifies; one changed byte does not."""
    secret, timestamp = "4c6f6e672d6c69766564207365637265", "1786060800"
    body = urlencode({"command": "/incident", "text": "ack", "user_id": "U1", "user_name": "ana"})
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    now = datetime.fromtimestamp(int(timestamp), tz=UTC)
    headers = _headers(timestamp, f"v0={digest}")
    assert verify_slack_request(body, headers, signing_secret=secret, now=now) == now
    with pytest.raises(SignatureError, match="X-Slack-Signature: does not match"):
        verify_slack_request(body.replace("ack", "acK"), headers, signing_secret=secret, now=now)
    with pytest.raises(SignatureError, match="X-Slack-Signature: does not match"):
        verify_slack_request(body, headers, signing_secret=secret + "0", now=now)


@pytest.mark.parametrize(
    ("headers", "path", "message"),
    [
        ({}, "X-Slack-Request-Timestamp", "missing"),
        ({"X-Slack-Request-Timestamp": SIGNED["timestamp"]}, "X-Slack-Signature", "missing"),
        (_headers(timestamp="yesterday"), "X-Slack-Request-Timestamp", "expected whole seconds"),
        (_headers(timestamp="9" * 40), "X-Slack-Request-Timestamp", "expected whole seconds"),
        (_headers(timestamp="-1531420618"), "X-Slack-Request-Timestamp", "expected whole seconds"),
        (_headers(signature="a2114d57b4"), "X-Slack-Signature", "expected 'v0=' and a hex digest"),
        (_headers(signature="v0=00"), "X-Slack-Signature", "does not match"),
    ],
)
def test_bad_headers_are_named(headers, path, message):
    """Every missing or malformed header is a SignatureError naming it, never a ValueError from inside."""
    with pytest.raises(SignatureError) as refused:
        verify_slack_request(SIGNED["body"], headers, signing_secret=SIGNED["signing_secret"], now=SIGNED_AT)
    [(where, what)] = problems(refused)
    assert (where, message in what) == (path, True)
    assert isinstance(refused.value, PayloadError)


def test_a_naive_now_and_an_empty_secret_are_refused():
    """The caller's clock must be timezone-aware; the secret must be given."""
    with pytest.raises(SignatureError, match="now: "):
        verify_slack_request(
            SIGNED["body"],
            _headers(),
            signing_secret=SIGNED["signing_secret"],
            now=datetime(2018, 7, 12),  # noqa: DTZ001 - the naive time refused
        )
    with pytest.raises(SignatureError, match="signing_secret: expected"):
        verify_slack_request(SIGNED["body"], _headers(), signing_secret=" ", now=SIGNED_AT)  # noqa: S106 - a blank secret, refused


# --- slash commands ---------------------------------------------------------------------------


def _command(text, *, command="/incident", user_id=None):
    """Slack's published slash command, with another command and text (form-encoded as Slack sends it)."""
    fields = {name: values[0] for name, values in parse_qs(COMMAND, keep_blank_values=True).items()}
    fields.update(command=command, text=text)
    if user_id is not None:
        fields["user_id"] = user_id
    return urlencode(fields)


def test_slacks_published_slash_command_is_read_and_named_wrong():
    """``/weather 94070``: not the policy's command, and not a verb of the grammar."""
    with pytest.raises(PayloadError) as refused:
        parse_slack_command(COMMAND, at=AT, policy=POLICY)
    assert problems(refused) == [("command", "expected one of '/incident', got '/weather'")]
    weather = attrs.evolve(POLICY, integrations=Integrations(slack=SlackMapping(command="/weather")))
    with pytest.raises(PayloadError) as refused:
        parse_slack_command(COMMAND, at=AT, policy=weather)
    [(path, message)] = problems(refused)
    assert path == "text"
    assert message.startswith(
        "expected one of declare, ack, acknowledge, update, resolve, role first, got '94070'"
    )


def test_declare_from_slack_by_a_known_user():
    """``/incident declare SEV2 ...`` by a mapped user: their person and role, Slack's trigger as the key."""
    command = parse_slack_command(
        _command("declare sev2 Checkout fails for 12% of users"), at=AT, policy=POLICY
    )
    assert (command.command, command.by, command.user_id, command.channel_id) == (
        "declare",
        "steve",
        "U2147483697",
        "C2147483705",
    )
    assert command.key == "slack:13345224609.738474920.8088930838d88f008e0"
    assert command.response_url == "https://hooks.slack.com/commands/1234/5678"
    incident = Incident.detect(
        id="INC-1", title="Checkout", source="customer_reports", at=AT - timedelta(minutes=3)
    )
    after = command.apply(incident)
    assert after.phase is Phase.DECLARED
    assert (after.severity.value, after.impact, after.declared_at) == (
        "SEV2",
        "Checkout fails for 12% of users",
        AT,
    )
    assert after.role_holders()["incident_commander"] == "steve"
    assert command.apply(after) is after  # Slack retried the request: nothing more


def test_a_user_the_policy_does_not_know_cannot_declare():
    """An unmapped user acts under their Slack name, and cannot declare: the problem says what to add."""
    with pytest.raises(PayloadError) as refused:
        parse_slack_command(_command("declare SEV1 Down", user_id="U999"), at=AT, policy=POLICY)
    [(path, message)] = problems(refused)
    assert path == "user_id"
    assert "Slack user U999 (Steve) has no declarer role" in message
    ack = parse_slack_command(_command("ack", user_id="U999"), at=AT, policy=POLICY)
    assert (ack.command, ack.by, ack.arguments) == ("acknowledge", "Steve", (("by", "Steve"),))


@pytest.mark.parametrize(
    ("text", "command", "arguments"),
    [
        ("ack", "acknowledge", {"by": "steve"}),
        ("ACKNOWLEDGE", "acknowledge", {"by": "steve"}),
        ("resolve", "resolve", {}),
        (
            "update identified A bad deploy &amp; a cache &lt;3",
            "post_update",
            {
                "by": "steve",
                "audience": "internal",
                "status": "identified",
                "text": "A bad deploy & a cache <3",
            },
        ),
        (
            "update status_page Mitigating Recovering",
            "post_update",
            {"by": "steve", "audience": "status_page", "status": "mitigating", "text": "Recovering"},
        ),
        ("role scribe <@UA8RXUSPL|jtorrance>", "assign_role", {"role": "scribe", "person": "jack"}),
        ("role technical_lead <@U0NEW|dee>", "assign_role", {"role": "technical_lead", "person": "dee"}),
        ("role technical_lead @dee", "assign_role", {"role": "technical_lead", "person": "dee"}),
    ],
)
def test_every_verb_reads_into_its_command(text, command, arguments):
    """Each verb of the grammar gives its command; Slack's escaping of & < > is undone; mentions map."""
    given = parse_slack_command(_command(text), at=AT, policy=POLICY)
    assert (given.command, dict(given.arguments)) == (command, arguments)
    assert SLACK_VERBS[text.split()[0].lower()] == command


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty: expected one of declare, ack"),
        ("declare", "declare: expected a severity (SEV1, SEV2, SEV3) first, got ''"),
        ("declare SEV4 Down", "declare: expected a severity (SEV1, SEV2, SEV3) first, got 'SEV4'"),
        (
            "update fixed All good",
            "update: expected a status (investigating, identified, mitigating, resolved)",
        ),
        ("update identified", "update identified: expected the update's text after the status"),
        ("ack now please", "ack: takes nothing more, got 'now please'"),
        ("role captain @dee", "role: expected a role (incident_commander,"),
        ("role scribe", "role scribe: expected one person (@name), got ''"),
        ("role scribe ana bo", "role scribe: expected one person (@name), got 'ana bo'"),
    ],
)
def test_text_that_does_not_read_is_named(text, message):
    """A slash command's text that does not read is a PayloadError on ``text`` saying what was expected."""
    with pytest.raises(PayloadError) as refused:
        parse_slack_command(_command(text), at=AT, policy=POLICY)
    [(path, found)] = problems(refused)
    assert path == "text"
    assert found.startswith(message)


def test_a_bad_request_body_is_named_field_by_field():
    """Missing fields, a field given twice, bytes that are not UTF-8, a naive time: each named."""
    with pytest.raises(PayloadError) as refused:
        parse_slack_command("command=%2Fincident&text=ack", at=AT, policy=POLICY)
    assert problems(refused) == [("user_id", "missing"), ("user_name", "missing"), ("trigger_id", "missing")]
    with pytest.raises(PayloadError) as refused:
        parse_slack_command(_command("ack") + "&text=resolve", at=AT, policy=POLICY)
    assert ("text", "given 2 times") in problems(refused)
    with pytest.raises(PayloadError, match="not UTF-8 text"):
        parse_slack_command(b"text=\xff", at=AT, policy=POLICY)
    with pytest.raises(PayloadError, match="at: "):
        parse_slack_command(_command("ack"), at=datetime(2026, 8, 18, 12, 30), policy=POLICY)  # noqa: DTZ001 - refused
    with pytest.raises(PayloadError, match="expected the form-encoded request body, got int"):
        parse_slack_command(42, at=AT, policy=POLICY)


# --- buttons -----------------------------------------------------------------------------------


def _click(action_id, value, *, user_id=None):
    """Slack's published block_actions payload, with one of our buttons clicked."""
    payload = json.loads(json.dumps(ACTION))
    payload["actions"][0].update(action_id=action_id, value=value)
    if user_id is not None:
        payload["user"]["id"] = user_id
    return payload


def test_slacks_published_click_is_not_one_of_our_buttons():
    """The docs' "View" button (action_id WaXA) is named as not the library's."""
    with pytest.raises(PayloadError) as refused:
        parse_slack_action(ACTION, policy=POLICY)
    [(path, message)] = problems(refused)
    assert path == "actions[0].action_id"
    assert message.startswith("expected one of 'incident_process.acknowledge'")


def test_an_acknowledge_click_acknowledges_at_the_clicks_time():
    """The click's action_ts is its time, to the microsecond; the mapped person acknowledges; once."""
    click = parse_slack_action(_click("incident_process.acknowledge", "INC-1"), policy=POLICY)
    assert click.at == datetime(2019, 1, 25, 14, 26, 57, 840180, tzinfo=UTC)
    assert (click.command, click.by, click.incident_id, click.channel_id) == (
        "acknowledge",
        "jack",
        "INC-1",
        "CBR2V3XEX",
    )
    assert click.key == "slack:12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3"
    incident = Incident.detect(
        id="INC-1", title="x", source="automated_alert", at=click.at - timedelta(minutes=2)
    )
    after = click.apply(incident)
    assert after.acknowledged_at == click.at
    assert click.apply(after) is after


def test_the_form_encoded_request_and_the_json_text_read_the_same():
    """Slack posts ``payload=<json>`` form-encoded; the JSON text and the parsed payload read the same."""
    payload = _click("incident_process.resolve", "INC-1")
    parsed = parse_slack_action(payload, policy=POLICY)
    assert parse_slack_action(json.dumps(payload), policy=POLICY) == parsed
    assert parse_slack_action(urlencode({"payload": json.dumps(payload)}).encode(), policy=POLICY) == parsed
    assert (parsed.command, parsed.arguments) == ("resolve", ())


def test_post_update_asks_for_what_the_button_cannot_send():
    """The "Post update" click names the status and text it needs, and says how to give them."""
    click = parse_slack_action(_click("incident_process.post_update", "INC-1"), policy=POLICY)
    assert click.missing == ("status", "text")
    assert click.trigger_id == "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3"
    incident = Incident.detect(
        id="INC-1", title="x", source="automated_alert", at=click.at - timedelta(minutes=9)
    )
    incident = incident.declare(
        at=click.at - timedelta(minutes=5), by="ana", declarer_role="on_call_engineer", severity=2
    )
    with pytest.raises(PayloadError) as refused:
        click.apply(incident)
    [(path, message)] = problems(refused)
    assert path == "post_update"
    assert "apply(incident, status=..., text=...)" in message
    after = click.apply(incident, status="investigating", text="Looking into checkout errors.")
    [update] = [event for event in after.events if isinstance(event, UpdatePosted)]
    assert (update.by, update.text, update.at) == ("jack", "Looking into checkout errors.", click.at)


def test_a_click_for_another_incident_and_a_refused_command():
    """A button of another incident is named; a command the lifecycle refuses is refused as any is."""
    click = parse_slack_action(_click("incident_process.resolve", "INC-1"), policy=POLICY)
    other = Incident.detect(
        id="INC-2", title="x", source="automated_alert", at=click.at - timedelta(minutes=9)
    )
    with pytest.raises(PayloadError, match="the button is for INC-1, not INC-2"):
        click.apply(other)
    mine = Incident.detect(
        id="INC-1", title="x", source="automated_alert", at=click.at - timedelta(minutes=9)
    )
    with pytest.raises(CommandRefusedError, match="resolve refused in phase 'detected'"):
        click.apply(mine)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda p: p.update(type="view_submission"), "type"),
        (lambda p: p.pop("user"), "user"),
        (lambda p: p["actions"].append(p["actions"][0]), "actions"),
        (lambda p: p["actions"][0].update(action_ts=1548426417.84), "actions[0].action_ts"),
        (lambda p: p["actions"][0].update(action_ts="9" * 30), "actions[0].action_ts"),
        (lambda p: p["actions"][0].pop("value"), "actions[0].value"),
        (lambda p: p.pop("trigger_id"), "trigger_id"),
    ],
)
def test_a_bad_click_payload_is_named_by_its_path(change, path):
    """Every missing or mistyped field of a click is named by its JSON path."""
    payload = _click("incident_process.acknowledge", "INC-1")
    change(payload)
    with pytest.raises(PayloadError) as refused:
        parse_slack_action(payload, policy=POLICY)
    assert path in [where for where, _ in problems(refused)]


def test_a_form_without_its_payload_is_named():
    """A form-encoded body without its ``payload`` field says where the JSON should be."""
    with pytest.raises(PayloadError, match="payload: missing"):
        parse_slack_action("token=x", policy=POLICY)


# --- the buttons of the messages, read back ----------------------------------------------------


def _incident(phase):
    start = AT - timedelta(hours=1)
    incident = Incident.detect(id="INC-1", title="Checkout", source="automated_alert", at=start)
    if phase is Phase.DETECTED:
        return incident
    incident = incident.declare(
        at=start + timedelta(minutes=2), by="ana", declarer_role="on_call_engineer", severity=2
    )
    if phase is Phase.DECLARED:
        return incident
    incident = incident.start_response(at=start + timedelta(minutes=3))
    incident = incident.record_errors_stopped(at=start + timedelta(minutes=20))
    if phase is Phase.RESPONDING:
        return incident
    return incident.resolve(at=start + timedelta(minutes=40))


EXPECTED_BUTTONS = {
    Phase.DECLARED: ["incident_process.acknowledge", "incident_process.post_update"],
    Phase.RESPONDING: [
        "incident_process.acknowledge",
        "incident_process.post_update",
        "incident_process.resolve",
    ],
    Phase.RESOLVED: [],
}


@pytest.mark.parametrize("phase", list(EXPECTED_BUTTONS))
def test_the_buttons_a_responder_needs_now(phase):
    """Acknowledge until acknowledged, Post update while declared or responding, Resolve while responding."""
    message = slack_message("declaration", _incident(phase), impact="Checkout fails")
    found = [
        (element["action_id"], element["value"])
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert found == [(action_id, "INC-1") for action_id in EXPECTED_BUTTONS[phase]]


def test_an_acknowledged_page_has_no_acknowledge_button_and_resolve_asks_first():
    """Once acknowledged the button goes; "Resolve" confirms, quoting the quiet period and its end."""
    incident = _incident(Phase.RESPONDING).acknowledge(at=AT - timedelta(minutes=58), by="ana")
    message = slack_message("declaration", incident, impact="Checkout fails")
    [actions] = [block for block in message["blocks"] if block["type"] == "actions"]
    assert [element["action_id"] for element in actions["elements"]] == [
        "incident_process.post_update",
        "incident_process.resolve",
    ]
    confirm = actions["elements"][-1]["confirm"]
    assert confirm["text"]["text"] == (
        "No new error reports for 15 minutes (the quiet period ends 2026-08-18 12:05 UTC): resolve INC-1?"
    )
    assert "actions" not in [
        b["type"] for b in slack_message("declaration", incident, impact="x", buttons=False)["blocks"]
    ]


def test_the_buttons_are_valid_block_kit_by_slacks_own_models():
    """slack_sdk's Block Kit models parse our actions block back to the same payload and find it valid."""
    incident = _incident(Phase.RESPONDING)
    message = slack_message("declaration", incident, impact="Checkout fails")
    for block in message["blocks"]:
        parsed = Block.parse(block)
        parsed.validate_json()
        assert parsed.to_dict() == block


@given(st.sampled_from(sorted(SLACK_ACTIONS)), st.text(min_size=1, max_size=40).filter(str.strip))
def test_every_button_reads_back_as_its_command(action_id, incident_id):
    """A click on any of the library's buttons reads back as its command, for the incident in its value."""
    click = parse_slack_action(_click(action_id, incident_id), policy=POLICY)
    assert (click.command, click.incident_id) == (SLACK_ACTIONS[action_id], incident_id)
    assert click.by == "jack"
