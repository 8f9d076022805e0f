"""render_postmortem keeps every value inside its section, and no control character in it (issue 19, 5).

A title from a webhook, a summary typed in Slack: each is data. Read back by
a CommonMark parser (markdown-it-py, as validate_postmortem reads it), the
report has the skeleton's headings and blocks whatever the values hold.
"""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from incident_process import Incident, Role, render_postmortem, validate_postmortem

T0 = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
HEADINGS = [
    ("h1", None),
    ("h2", "Summary"),
    ("h2", "Impact"),
    ("h2", "Timeline"),
    ("h2", "Root Cause"),
    ("h2", "Resolution"),
    ("h2", "Lessons Learned"),
    ("h2", "Action Items"),
]
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Block constructs a value must not make: headings beyond the skeleton's, rules, fences, quotes, code.
FORBIDDEN_BLOCKS = {"hr", "fence", "code_block", "blockquote_open", "html_block", "ordered_list_open"}


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def incident(title="Checkout errors", summary="A deploy shrank the connection pool", person="bo"):
    done = Incident.detect(id="INC-9", title=title, source="automated_alert", at=T0)
    done = done.acknowledge(at=at(2), by="ana").declare(
        at=at(3), by="ana", declarer_role="on_call_engineer", severity=2
    )
    done = done.start_response(at=at(4)).assign_role(Role.TECHNICAL_LEAD, person, at=at(5))
    done = done.resolve(at=at(46), last_error_at=at(30))
    done = done.identify_root_cause("pool-size", at=at(50), summary=summary)
    done = done.start_post_incident(at=at(60))
    return done.add_action_item("A1", "Alert on pool use", owner=person, due=date(2026, 3, 20), at=at(61))


def structure(text):
    """The headings (tag, text) and the kinds of block of *text* read as CommonMark with tables."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    headings = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            content = tokens[index + 1].content
            headings.append((token.tag, None if token.tag == "h1" else content))
    return headings, {token.type for token in tokens}


def assert_contained(text):
    """*text* has the skeleton's headings, no forbidden block, and no control character."""
    headings, kinds = structure(text)
    assert headings == HEADINGS, text
    assert not kinds & FORBIDDEN_BLOCKS, text
    assert CONTROLS.search(text) is None, repr(text)


@pytest.mark.parametrize(
    "value",
    [
        "## Root Cause",
        "# Incident Report: forged",
        "Fine.\n## Root Cause\nforged",
        "Fine.\r\n# forged",
        "---",
        "***",
        "___",
        "===",
        "```\ncode",
        "~~~",
        "> quoted",
        "- item",
        "+ item",
        "1. item",
        "1) item",
        "    indented code",
        "<div>html</div>",
        "Fine.\n\n---\n\n## Action Items",
    ],
)
def test_a_value_that_looks_like_markdown_blocks_stays_text_in_its_section(value):
    """summary="## Root Cause" (and every block construct) is the value's text, not a heading or a rule."""
    text = render_postmortem(
        incident(), summary=value, root_cause=value, resolution=value, went_well=value, title=value
    )
    assert_contained(text)
    lines = text.splitlines()
    assert lines[lines.index("## Summary") + 2] == ""  # the value is one line, then the section ends


def test_the_values_text_survives_the_escaping():
    """What a reader sees of an escaped value is what was typed (the backslashes are Markdown's escapes)."""
    text = render_postmortem(incident(), summary="## Root Cause", resolution="1. roll back")
    tokens = MarkdownIt("commonmark").parse(text)
    paragraphs = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "paragraph_open"]
    assert "\\## Root Cause" in paragraphs
    assert "1\\. roll back" in paragraphs


def test_escape_bell_and_nul_from_a_webhook_title_are_dropped():
    """A title, a person and a root cause with ESC, BEL, NUL and C1 (U+009B) render without them."""
    hostile = "API\x1b[31m down\x07\x00 now\x9b2J"
    text = render_postmortem(incident(title=hostile, summary=hostile, person="b\x1bo"))
    assert_contained(text)
    assert text.splitlines()[0] == "# Incident Report: API\\[31m down now2J"
    assert "b\x1bo" not in text
    assert "bo took the technical lead role" in text


def test_the_checker_sees_the_skeletons_sections_only():
    """validate_postmortem finds no section a value forged: its findings are those of the plain skeleton."""
    plain = {finding.rule for finding in validate_postmortem(render_postmortem(incident()))}
    forged = render_postmortem(incident(), summary="## Root Cause", resolution="## Summary")
    assert {finding.rule for finding in validate_postmortem(forged)} == plain


@given(
    st.dictionaries(
        st.sampled_from(["title", "summary", "root_cause", "resolution", "went_well", "could_improve"]),
        st.text(max_size=40),
    )
)
def test_no_value_leaves_its_section(fields):
    """Property: for any text in any field, the report's headings and blocks are the skeleton's."""
    assert_contained(render_postmortem(incident(), **fields))
