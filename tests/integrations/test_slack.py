"""Slack Block Kit messages (slack_message): the guide's messages as blocks, within Slack's limits."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from payload_examples import declared, resolved

from incident_process import MessageError
from incident_process.comms import MessageTemplates
from incident_process.integrations import SLACK_LIMITS, slack_message


def _texts(message):
    return [block["text"] for block in message["blocks"] if block["type"] != "actions"]


def test_a_declaration_as_blocks_is_the_guide_line_by_line():
    """A declaration is the guide's template as blocks, a header then one section a line, and as text."""
    message = slack_message("declaration", declared(), impact="Checkout fails for 12% of EU customers")
    assert [text["text"] for text in _texts(message)] == [
        "INCIDENT DECLARED - SEV2",
        "Issue: Checkout errors",
        "Impact: Checkout fails for 12% of EU customers",
        "Detection: Automated alert",
        "Current status: Investigation",
        "Incident commander: @ana",
    ]
    assert [block["type"] for block in message["blocks"]] == ["header"] + ["section"] * 5 + ["actions"]
    assert message["text"].startswith("INCIDENT DECLARED - SEV2\nIssue: Checkout errors\n")


def test_update_and_resolution_as_blocks():
    """An update is headed by its time and number; a resolution by its severity, then its duration."""
    incident = resolved()
    update = slack_message("update", incident, what_we_know="A bad deploy", what_we_are_doing="Rolling back")
    assert _texts(update)[0]["text"] == "[2026-08-18 12:12 UTC] Update #1"
    resolution = slack_message(
        "resolution", incident, root_cause="A bad deploy", fix_applied="Rolled back", customer_impact="Some"
    )
    assert _texts(resolution)[0]["text"] == "INCIDENT RESOLVED - SEV2"
    assert (
        _texts(resolution)[1]["text"] == "Duration: 2026-08-18 12:00 UTC to 2026-08-18 13:00 UTC (60 minutes)"
    )


def test_people_text_stays_plain_and_the_fallback_is_escaped():
    """People's text stays plain in blocks (no mentions, emoji or markup) and is escaped in the fallback."""
    message = slack_message(
        "declaration", declared(title="<!channel> :fire: *bold*"), impact="<https://e.vil|click>"
    )
    assert _texts(message)[1] == {
        "type": "plain_text",
        "text": "Issue: <!channel> :fire: *bold*",
        "emoji": False,
    }
    assert "&lt;!channel&gt;" in message["text"]
    assert "<!channel>" not in message["text"]


def test_slack_message_errors_are_the_renderers():
    """slack_message refuses what the message renderers refuse: another kind, bad text, missing fields."""
    with pytest.raises(MessageError, match="kind: expected one of 'declaration', 'update', 'resolution'"):
        slack_message("postmortem", declared())
    with pytest.raises(MessageError, match="kind: expected one of"):
        slack_message([], declared())
    with pytest.raises(MessageError, match="declaration: the text holds a lone surrogate"):
        slack_message("declaration", declared(), impact="a\ud800")
    with pytest.raises(MessageError, match="missing fields impact"):
        slack_message("declaration", declared())


def test_a_template_with_more_lines_than_blocks_keeps_within_the_limit(tmp_path):
    """A template of more lines than Slack's block limit keeps to it: the last block holds the rest."""
    lines = ["INCIDENT DECLARED - {{ severity }}"] + [f"Line {n}: {{{{ impact }}}}" for n in range(80)]
    (tmp_path / "declaration.j2").write_text("\n".join(lines))
    message = slack_message("declaration", declared(), templates=MessageTemplates(tmp_path), impact="x")
    assert len(message["blocks"]) == SLACK_LIMITS["blocks"]
    assert _texts(message)[-1]["text"].endswith("Line 79: x")


def test_an_empty_template_is_refused(tmp_path):
    """A template that renders no text is refused."""
    (tmp_path / "declaration.j2").write_text("{{ impact }}")
    with pytest.raises(MessageError, match="rendered no text"):
        slack_message("declaration", declared(), templates=MessageTemplates(tmp_path), impact="   ")


def _units(text):
    return len(text.encode("utf-16-le")) // 2


people_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=4000).filter(str.strip)


@given(title=people_text, impact=people_text)
def test_any_block_kit_payload_stays_within_the_limits_and_keeps_typed_text_plain(title, impact):
    """Any title and impact keep within Slack's limits, as plain text, shown whole or cut with an ellipsis."""
    message = slack_message("declaration", declared(title=title), impact=impact)
    blocks = message["blocks"]
    assert 1 <= len(blocks) <= SLACK_LIMITS["blocks"]
    assert blocks[-1]["type"] == "actions"
    for block in blocks[:-1]:
        text = block["text"]
        assert text["type"] == "plain_text"
        assert text["emoji"] is False
        limit = SLACK_LIMITS["header_text" if block["type"] == "header" else "section_text"]
        assert 1 <= _units(text["text"]) <= limit
    # What the renderers do to a value: control characters dropped, white space runs one space.
    one_line = re.sub(r"\s+", " ", re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", impact)).strip()
    impact_block = next(
        block["text"]["text"] for block in blocks if block["text"]["text"].startswith("Impact: ")
    )
    shown = impact_block.removeprefix("Impact: ")
    assert shown == one_line or (shown.endswith("…") and one_line.startswith(shown[:-1]))
    assert len(message["text"]) <= 3000
