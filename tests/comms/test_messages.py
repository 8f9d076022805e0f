"""The guide's messages: golden output per template and format, and the safety of typed text."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_process import (
    Incident,
    MessageError,
    Policy,
    render_declaration,
    render_resolution,
    render_update,
    slack_escape,
)
from incident_process.comms import SLACK_TEXT_LIMIT, MessageTemplates, markdown_escape

T0 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def declared(title="Checkout errors", policy=None):
    extra = {} if policy is None else {"policy": policy}
    incident = Incident.detect(id="INC-1", title=title, source="automated_alert", at=T0, **extra)
    return incident.declare(at=at(4), by="ana", declarer_role="on_call_engineer", severity="SEV2")


def resolved():
    incident = declared().record_milestone("customer_impact_started", at=at(5), occurred_at=at(-6))
    incident = incident.start_response(at=at(5)).post_update(at=at(12), status="identified")
    return incident.resolve(at=at(46), last_error_at=at(30))


IMPACT = "Checkout fails for 12% of EU customers"

# --- golden ----------------------------------------------------------------------

DECLARATION = """INCIDENT DECLARED - SEV2
Issue: Checkout errors
Impact: Checkout fails for 12% of EU customers
Detection: Automated alert
Current status: Investigation
Incident commander: @ana"""

UPDATE = """[2026-03-08 09:12 UTC] Update #1
Status: Identified
What we know: A bad deploy at 08:50
What we're doing: Rolling back
Next update: 2026-03-08 09:42 UTC"""

RESOLUTION = """INCIDENT RESOLVED - SEV2
Duration: 2026-03-08 08:54 UTC to 2026-03-08 09:46 UTC (52 minutes)
Root cause: A bad deploy
Fix applied: Rolled back
Customer impact: 12% of EU checkouts failed
Follow-up: post-incident review scheduled by 2026-03-11"""


@pytest.mark.parametrize("format", ["slack", "text"])
def test_declaration_matches_the_guide_line_by_line(format):
    """Guide, "Declaration message template"."""
    assert render_declaration(declared(), format=format, impact=IMPACT) == DECLARATION


def test_declaration_in_markdown_keeps_the_lines():
    """Markdown ends each line with a hard break and escapes the values."""
    expected = "\\\n".join(
        line for line in DECLARATION.replace("12%", "12\\%").replace("@ana", "\\@ana").split("\n")
    )
    assert render_declaration(declared(), format="markdown", impact=IMPACT) == expected


@pytest.mark.parametrize("format", ["slack", "text"])
def test_update_matches_the_guide_line_by_line(format):
    """Guide, "Update template": number, status and next update come from the events and the cadence."""
    incident = declared().start_response(at=at(5)).post_update(at=at(12), status="identified")
    text = render_update(
        incident, format=format, what_we_know="A bad deploy at 08:50", what_we_are_doing="Rolling back"
    )
    assert text == UPDATE


def test_update_at_a_given_time_in_the_policys_zone():
    """``at`` sets the time; times read in the policy's zone, with the SEV1 cadence."""
    incident = declared(policy=Policy(zone="America/New_York")).change_severity(1, at=at(6), reason="worse")
    text = render_update(
        incident,
        format="text",
        at=datetime(2026, 3, 8, 9, 20, tzinfo=UTC),
        number=2,
        status="Mitigating",
        what_we_know="x",
        what_we_are_doing="y",
    )
    assert text.splitlines()[0] == "[2026-03-08 05:20 EDT] Update #2"
    assert text.splitlines()[-1] == "Next update: 2026-03-08 05:35 EDT"


@pytest.mark.parametrize("format", ["slack", "text"])
def test_resolution_matches_the_guide_line_by_line(format):
    """Guide, "Resolution message template": duration from the events, post-incident deadline."""
    text = render_resolution(
        resolved(),
        format=format,
        root_cause="A bad deploy",
        fix_applied="Rolled back",
        customer_impact="12% of EU checkouts failed",
    )
    assert text == RESOLUTION


def test_resolution_of_a_sev3_owes_no_review():
    """No follow-up is guessed for a severity without a required post-incident review."""
    sev3 = Incident.detect(id="I", title="t", source="internal_discovery", at=T0)
    sev3 = sev3.declare(at=T0, by="a", declarer_role="support_lead", severity=3).start_response(at=T0)
    sev3 = sev3.resolve(at=at(40), last_error_at=at(5))
    with pytest.raises(MessageError, match="missing fields follow_up"):
        render_resolution(sev3, root_cause="r", fix_applied="f", customer_impact="c")
    text = render_resolution(
        sev3, format="text", root_cause="r", fix_applied="f", customer_impact="c", follow_up="none"
    )
    assert text.splitlines()[1] == "Duration: 2026-03-08 09:00 UTC to 2026-03-08 09:40 UTC (40 minutes)"


# --- fields -------------------------------------------------------------------------


def test_every_missing_field_is_named():
    """StrictUndefined, and better: all missing fields at once, never a blank."""
    incident = Incident.detect(id="I", title="t", source="automated_alert", at=T0)
    with pytest.raises(MessageError) as caught:
        render_declaration(incident)
    assert str(caught.value) == (
        "declaration: missing fields impact, incident_commander, severity; pass them as keyword arguments"
    )


def test_unknown_fields_are_refused():
    """A misspelt field is an error, not silently dropped."""
    with pytest.raises(MessageError, match="unknown fields impcat"):
        render_declaration(declared(), impcat=IMPACT)


def test_fields_override_defaults():
    """Any default can be given instead."""
    text = render_declaration(
        declared(), format="text", impact=IMPACT, incident_commander="@bo", issue="Payments"
    )
    assert "Issue: Payments" in text
    assert text.endswith("Incident commander: @bo")


def test_unknown_format_is_refused():
    """slack, markdown or text."""
    with pytest.raises(MessageError, match="format: expected one of 'slack', 'markdown', 'text', got 'html'"):
        render_declaration(declared(), format="html", impact=IMPACT)


def test_update_at_must_be_aware():
    """No naive times."""
    with pytest.raises(MessageError, match="at: expected a timezone-aware datetime, got naive "):
        render_update(declared(), at=datetime(2026, 3, 8), what_we_know="x", what_we_are_doing="y")  # noqa: DTZ001


# --- safety --------------------------------------------------------------------------


def test_mentions_and_links_cannot_be_injected_into_slack():
    """<!here>, <!channel>, <@U123> and <http://evil|innocent> arrive as text."""
    title = "<!here> <!channel> <!everyone> <@U123> <http://evil|innocent> & co"
    text = render_declaration(declared(title), impact=IMPACT)
    issue = text.splitlines()[1]
    assert issue == (
        "Issue: &lt;!here&gt; &lt;!channel&gt; &lt;!everyone&gt; &lt;@U123&gt; "
        "&lt;http://evil|innocent&gt; &amp; co"
    )


def test_escaping_happens_exactly_once():
    """A person who typed '&lt;!here&gt;' sees exactly that."""
    text = render_declaration(declared("&lt;!here&gt;"), impact=IMPACT)
    assert text.splitlines()[1] == "Issue: &amp;lt;!here&amp;gt;"


def test_user_text_is_data_not_template():
    """{{7*7}} in a title renders literally."""
    text = render_declaration(declared("{{7*7}} {% raw %}"), format="text", impact="{{ impact }}")
    assert "Issue: {{7*7}} {% raw %}" in text
    assert "Impact: {{ impact }}" in text


def test_a_value_cannot_forge_a_line():
    """Line breaks in a value become spaces."""
    text = render_declaration(declared(), format="text", impact="bad\nIncident commander: @mallory\r\n")
    assert [line for line in text.splitlines() if line.startswith("Incident commander:")] == [
        "Incident commander: @ana"
    ]
    assert "Impact: bad Incident commander: @mallory" in text


@pytest.mark.parametrize("format", ["text", "markdown", "slack"])
def test_control_characters_are_dropped(format):
    """C0 and C1 controls in a value (ESC, BEL, NUL, the C1 CSI U+009B) never reach any format (issue 19)."""
    text = render_declaration(declared("a\x1b[31m\x07\x00\u009b2Jb"), format=format, impact="x\u0085y")
    assert not any((0x00 <= ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in text)


def test_markdown_neutralises_links_images_and_html():
    """Every ASCII punctuation is escaped; & and < become entities."""
    assert markdown_escape("![x](http://e.vil) <b>hi</b> *a* [l](u)") == (
        r"\!\[x\]\(http\:\/\/e\.vil\) &lt;b&gt;hi&lt;\/b&gt; \*a\* \[l\]\(u\)"
    )


def test_slack_message_is_cut_without_splitting_an_entity():
    """At most 3,000 characters, ending on a whole entity."""
    text = render_declaration(declared(), impact="&" * 5000)
    assert len(text) <= SLACK_TEXT_LIMIT
    body = text.removesuffix(" … (cut at Slack's 3,000-character limit)")
    assert body != text
    assert body.endswith("&amp;")


@given(st.text(max_size=4000))
def test_typed_text_never_reaches_slack_unescaped(typed):
    """No '<' or bare '&' of the typed text, hence no mention token, in the Slack message."""
    text = render_declaration(declared(), impact=typed)
    impact = text.splitlines()[2].removeprefix("Impact: ")
    assert "<" not in impact
    assert ">" not in impact
    assert re.search(r"&(?!amp;|lt;|gt;)", impact) is None
    assert len(text) <= SLACK_TEXT_LIMIT
    for token in ("<!here>", "<!channel>", "<!everyone>", "<@"):
        assert token not in text


@given(st.text())
def test_slack_escape_is_reversible(typed):
    """Escaping loses nothing: unescaping gives the text back."""
    escaped = slack_escape(typed)
    assert escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == typed


# --- organisations' templates -----------------------------------------------------------


def test_a_directory_overrides_a_template(tmp_path):
    """An organisation's declaration.j2 replaces the shipped one; the others stay."""
    (tmp_path / "declaration.j2").write_text("{{ severity }} :: {{ issue }} :: {{ impact }}\n")
    templates = MessageTemplates(tmp_path)
    assert render_declaration(declared("<b>"), templates=templates, impact="x") == "SEV2 :: &lt;b&gt; :: x"
    update = render_update(
        declared(),
        templates=templates,
        at=at(9),
        what_we_know="a",
        what_we_are_doing="b",
        number=1,
        status="Investigating",
    )
    assert update.startswith("[2026-03-08 09:09 UTC] Update #1")


def test_organisation_templates_are_sandboxed(tmp_path):
    """A template cannot reach Python internals."""
    (tmp_path / "declaration.j2").write_text("{{ issue.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(MessageError, match="declaration template"):
        render_declaration(declared(), templates=MessageTemplates(tmp_path))


def test_a_missing_template_directory_is_named(tmp_path):
    """The directory must exist."""
    with pytest.raises(MessageError, match="is not a directory"):
        MessageTemplates(tmp_path / "nope")


def test_dates_follow_the_policy_zone_across_midnight():
    """A declaration at 02:00 UTC shows the New York date (the day before)."""
    policy = Policy(zone="America/New_York")
    incident = Incident.detect(
        id="I", title="t", source="automated_alert", at=datetime(2026, 3, 8, 2, 0, tzinfo=UTC), policy=policy
    )
    incident = incident.declare(
        at=datetime(2026, 3, 8, 2, 5, tzinfo=UTC), by="a", declarer_role="support_lead", severity=2
    )
    incident = incident.post_update(at=datetime(2026, 3, 8, 2, 10, tzinfo=UTC), status="investigating")
    text = render_update(incident, format="text", what_we_know="x", what_we_are_doing="y")
    assert text.startswith("[2026-03-07 21:10 EST] Update #1")


def test_the_current_status_is_the_latest_not_the_first_reached():
    """Going back to investigating, or reopening, shows in the declaration's current status."""
    incident = declared().start_response(at=at(5)).post_update(at=at(6), status="mitigating")
    incident = incident.post_update(at=at(7), status="investigating")
    assert "Current status: Investigation" in render_declaration(incident, impact="x")
    reopened = incident.resolve(at=at(40), last_error_at=at(20)).reopen(at=at(41), reason="back")
    assert "Current status: Investigation" in render_declaration(reopened, impact="x")
    mitigating = reopened.record_milestone("mitigating", at=at(42))
    assert "Current status: Mitigation" in render_declaration(mitigating, impact="x")


# --- what the events hold ----------------------------------------------------------


def test_the_declaration_takes_the_impact_the_declaration_recorded():
    """An impact given to declare() is the message's Impact line; a field given still overrides it."""
    incident = Incident.detect(id="INC-1", title="Checkout errors", source="automated_alert", at=T0)
    incident = incident.declare(
        at=at(4), by="ana", declarer_role="on_call_engineer", severity=2, impact=IMPACT
    )
    assert render_declaration(incident, format="text") == DECLARATION
    assert "Impact: all of it" in render_declaration(incident, impact="all of it")


def test_the_resolution_takes_the_root_cause_and_impact_the_events_hold():
    """Root cause from its summary, customer impact from the declaration; only the fix must be given."""
    incident = Incident.detect(id="INC-1", title="Checkout errors", source="automated_alert", at=T0)
    incident = incident.declare(
        at=at(4), by="ana", declarer_role="on_call_engineer", severity=2, impact="12% of EU checkouts failed"
    )
    incident = incident.record_milestone("customer_impact_started", at=at(5), occurred_at=at(-6))
    incident = incident.start_response(at=at(5)).identify_root_cause(
        "bad-deploy", at=at(20), summary="A bad deploy"
    )
    incident = incident.resolve(at=at(46), last_error_at=at(30))
    assert render_resolution(incident, format="text", fix_applied="Rolled back") == RESOLUTION
    with pytest.raises(MessageError, match="missing fields fix_applied"):
        render_resolution(incident)


# --- the update's facts (issue 17's bugs) -----------------------------------------------------


def test_the_update_counts_internal_updates_only():
    """A status-page update is not the internal "Update #n": the number is the obligations' own."""
    incident = declared().start_response(at=at(5))
    incident = incident.post_update(at=at(9), status="investigating", audience="status_page")
    incident = incident.post_update(at=at(12), status="identified")
    text = render_update(incident, format="text", what_we_know="x", what_we_are_doing="y")
    assert text.startswith("[2026-03-08 09:12 UTC] Update #1\nStatus: Identified")
    duties = [duty.id for duty in incident.obligations(at(13)) if duty.met_at == at(12)]
    assert duties == ["internal_update:1"]


def test_a_resolved_incident_owes_no_next_update():
    """After resolve, the update says no update is owed rather than a time."""
    text = render_update(resolved(), format="text", what_we_know="x", what_we_are_doing="y")
    assert text.endswith("Next update: none, the incident is resolved")


def test_an_update_before_any_update_says_so():
    """Before any update: not a list of missing fields, but that no update was posted yet."""
    with pytest.raises(MessageError, match="no update has been posted yet"):
        render_update(declared(), what_we_know="x", what_we_are_doing="y")
    from incident_process.integrations import slack_message

    with pytest.raises(MessageError, match="no update has been posted yet"):
        slack_message("update", declared(), what_we_know="x", what_we_are_doing="y")
