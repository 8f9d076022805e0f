"""The post-incident document validator: a clean report, one hit per rule with its line, and properties."""

import datetime as dt
import re

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident_process import DEFAULT_POLICY, parse_action_items, validate_postmortem
from incident_process.postincident import POSTMORTEM_RULES, ParsedActionItem

#: A complete report, modelled on the guide's "Post-Incident Document" template.
EXAMPLE = """\
# Incident Report: Checkout API errors after connection pool change

## Summary
For 47 minutes on 2026-03-09, about 18% of checkout requests failed with HTTP 503
because a configuration change halved the database connection pool.

## Impact
- Duration: 47 minutes (14:02-14:49 UTC)
- Customers affected: about 2,300 customers in the EU region
- Errors generated: 41,870 HTTP 503 responses
- Revenue impact: an estimated 310 abandoned orders

## Timeline
- 13:55 UTC - Configuration change to the checkout service deployed
- 14:02 UTC - Error rate alert fires (5.4% on the API gateway)
- 14:06 UTC - On-call engineer acknowledges the page and declares a SEV2
- 14:15 UTC - Database connection pool found at 100% utilization
- 14:31 UTC - Configuration change rolled back
- 14:49 UTC - Error rate back below 0.1%; incident resolved

## Root Cause
The deployment template read the pool size from a shared default that had been
lowered from 40 to 20 for batch jobs. Under peak checkout load the pool was
exhausted, and requests waited past the gateway timeout.

## Resolution
We rolled back the configuration change, which restored the pool size to 40, and
confirmed that utilization stayed below 60% for an hour.

## Lessons Learned
- What went well: the alert fired within seven minutes and the rollback was quick.
- What could be improved: the pool size change was not visible in the deploy diff,
  and the runbook did not mention pool exhaustion.

## Action Items
| Action | Owner | Due Date | Status |
|--------|-------|----------|--------|
| Pin the checkout pool size in its own configuration | Priya Natarajan | 2026-03-20 | In progress |
| Add a pool panel to [API Overview](https://grafana.example.com/d/a) | Tom Becker | 2026-03-16 | Done |
| Show inherited defaults in the deploy diff | Priya Natarajan | 2026-04-03 | Open |
"""

#: The guide's template, as written in "Post-Incident Document".
SKELETON = """\
# Incident Report: [Brief Title]

## Summary
[1-2 sentence summary]

## Impact
- Duration: [time]
- Customers affected: [count/scope]
- Errors generated: [count]
- Revenue impact: [if applicable]

## Timeline
[Detailed timeline with timestamps]

## Root Cause
[Technical explanation]

## Resolution
[What we did to fix it]

## Lessons Learned
- What went well
- What could be improved

## Action Items
| Action | Owner | Due Date | Status |
|--------|-------|----------|--------|
"""


def line_number(text, fragment):
    """The 1-based line of the first occurrence of *fragment* in *text*."""
    return text.count("\n", 0, text.index(fragment)) + 1


def rules_of(findings):
    """The rule ids of *findings*, in order."""
    return [finding.rule for finding in findings]


def only(findings, rule):
    """The findings of one rule."""
    return [finding for finding in findings if finding.rule == rule]


def test_example_is_clean():
    """A complete, realistic report has no findings."""
    assert validate_postmortem(EXAMPLE) == []


def test_example_action_items():
    """The Action Items table is read row by row, with dates and lines."""
    items = parse_action_items(EXAMPLE)
    assert [
        ParsedActionItem(
            action="Pin the checkout pool size in its own configuration",
            owner="Priya Natarajan",
            due=dt.date(2026, 3, 20),
            status="In progress",
            line=line_number(EXAMPLE, "| Pin the"),
        ),
        ParsedActionItem(
            action="Add a pool panel to [API Overview](https://grafana.example.com/d/a)",
            owner="Tom Becker",
            due=dt.date(2026, 3, 16),
            status="Done",
            line=line_number(EXAMPLE, "| Add a pool"),
        ),
        ParsedActionItem(
            action="Show inherited defaults in the deploy diff",
            owner="Priya Natarajan",
            due=dt.date(2026, 4, 3),
            status="Open",
            line=line_number(EXAMPLE, "| Show inherited"),
        ),
    ] == items


def test_parse_action_items_without_section_or_table():
    """No Action Items section, or no table in it, gives no items."""
    assert parse_action_items("# Incident Report: x\n") == []
    assert parse_action_items("## Action Items\nNone.\n") == []


def test_parse_action_items_bad_date_and_column_order():
    """Columns are found by name; a date that is not ISO reads as None."""
    text = "## Action Items\n| Owner | Action | Status | Due Date |\n|-|-|-|-|\n| Ana | Fix | Open | soon |\n"
    assert [ParsedActionItem(action="Fix", owner="Ana", due=None, status="Open", line=4)] == (
        parse_action_items(text)
    )


def test_title_missing():
    """Without an H1 heading, the finding is at the start of the text."""
    text = EXAMPLE.replace("# Incident Report: Checkout API errors after connection pool change\n", "")
    findings = validate_postmortem(text)
    assert rules_of(findings) == ["postmortem.title"]
    assert (findings[0].start, findings[0].end, findings[0].line) == (0, 0, 1)


def test_title_wrong_form():
    """An H1 that is not "Incident Report: <title>" is reported on its line."""
    text = EXAMPLE.replace("# Incident Report: Checkout", "# Checkout")
    findings = validate_postmortem(text)
    assert rules_of(findings) == ["postmortem.title"]
    assert findings[0].line == 1
    assert text.splitlines()[0] == text[findings[0].start : findings[0].end]


def test_title_without_a_title():
    """A title heading "Incident Report:" with nothing after it is reported."""
    text = EXAMPLE.replace(": Checkout API errors after connection pool change", ":")
    assert rules_of(validate_postmortem(text)) == ["postmortem.title"]


def test_missing_section():
    """A missing section is reported, empty, at the next required section present."""
    text = re.sub(r"## Root Cause\n.*?\n\n", "", EXAMPLE, flags=re.DOTALL)
    findings = validate_postmortem(text)
    assert rules_of(findings) == ["postmortem.missing_section"]
    assert findings[0].start == findings[0].end == text.index("## Resolution")
    assert line_number(text, "## Resolution") == findings[0].line
    assert "Root Cause" in findings[0].message


def test_missing_last_section_is_at_the_end():
    """A missing last section is reported at the end of the text."""
    text = EXAMPLE[: EXAMPLE.index("## Action Items")]
    findings = validate_postmortem(text)
    assert rules_of(findings) == ["postmortem.missing_section"]
    assert findings[0].start == len(text)


def test_section_order():
    """A section that comes after one that should follow it is out of order."""
    resolution = re.search(r"## Resolution\n.*?\n\n", EXAMPLE, flags=re.DOTALL).group()
    text = EXAMPLE.replace(resolution, "").replace("## Timeline", resolution + "## Timeline")
    findings = validate_postmortem(text)
    assert rules_of(findings) == ["postmortem.section_order", "postmortem.section_order"]
    assert [line_number(text, "## Timeline"), line_number(text, "## Root Cause")] == [
        finding.line for finding in findings
    ]


def test_section_names_ignore_case_and_colon():
    """A heading matches its section whatever its case, emphasis or trailing colon."""
    text = EXAMPLE.replace("## Root Cause", "## **root cause:**")
    assert validate_postmortem(text) == []


def test_impact_field_missing():
    """A missing required Impact field is reported at the section's heading."""
    text = EXAMPLE.replace("- Errors generated: 41,870 HTTP 503 responses\n", "")
    findings = validate_postmortem(text)
    assert rules_of(findings) == ["postmortem.impact_field"]
    assert line_number(text, "## Impact") == findings[0].line
    assert "Errors generated" in findings[0].message


def test_impact_field_empty():
    """An empty required Impact field is reported at its bullet."""
    text = EXAMPLE.replace("- Duration: 47 minutes (14:02-14:49 UTC)", "- **Duration:**")
    findings = validate_postmortem(text)
    assert rules_of(findings) == ["postmortem.impact_field"]
    assert line_number(text, "- **Duration:**") == findings[0].line


def test_impact_revenue_is_optional():
    """Guide: "Revenue impact: [if applicable]": it may be left out."""
    text = EXAMPLE.replace("- Revenue impact: an estimated 310 abandoned orders\n", "")
    assert validate_postmortem(text) == []


def test_lessons_missing_improved():
    """Lessons Learned without "What could be improved" is reported at its heading."""
    text = EXAMPLE.replace("- What could be improved:", "- Also:")
    findings = validate_postmortem(text)
    assert rules_of(findings) == ["postmortem.lessons"]
    assert line_number(text, "## Lessons Learned") == findings[0].line
    assert "What could be improved" in findings[0].message


def test_lessons_as_headings():
    """The lessons may be sub-headings, in any case."""
    text = EXAMPLE.replace("- What went well:", "### WHAT WENT WELL\n").replace(
        "- What could be improved:", "### what could be improved\n"
    )
    assert validate_postmortem(text) == []


@pytest.mark.parametrize("placeholder", ["[time]", "[Brief Title]", "[count/scope]", "TODO", "TBD", "FIXME"])
def test_placeholder(placeholder):
    """Template text and unfinished markers are reported with their exact span."""
    text = EXAMPLE.replace("47 minutes (14:02-14:49 UTC)", f"{placeholder} minutes")
    findings = validate_postmortem(text)
    assert rules_of(findings) == ["postmortem.placeholder"]
    assert placeholder == text[findings[0].start : findings[0].end]
    assert line_number(text, placeholder) == findings[0].line


@pytest.mark.parametrize(
    "fine",
    [
        "[runbook](https://wiki.example.com/x)",
        "[runbook][1]",
        "[ ]",
        "[x]",
        "[14:05]",
        "`[time]`",
        "todo list",
    ],
)
def test_not_a_placeholder(fine):
    """Links, link references, task boxes, brackets without letters, code and prose are fine."""
    text = EXAMPLE.replace("47 minutes (14:02-14:49 UTC)", f"47 minutes {fine}")
    if "[1]" in fine:
        text += "\n[1]: https://wiki.example.com/x\n"
    assert validate_postmortem(text) == []


@pytest.mark.parametrize(
    ("front", "where"),
    [
        ('+++\ntitle = "Postmortem"\nauthors = ["Ana and Bo"]\n\n[extra]\nteam = "Infra"\n+++\n', "TOML"),
        ("---\ntitle: Postmortem\ntags: [outage, TODO]\n---\n", "YAML"),
        ("---\ntitle: Postmortem\n...\n", "YAML ended by ..."),
    ],
)
def test_front_matter_is_metadata_not_the_document(front, where):
    """Front matter a static-site generator reads (TOML or YAML) is no template text, and no heading."""
    text = front + EXAMPLE
    assert validate_postmortem(text) == [], where
    assert [f.line for f in validate_postmortem(text.replace("47 minutes (14", "TBD (14"))] == [
        line_number(text, "Duration:")
    ]


def test_a_front_matter_fence_later_in_the_text_is_a_rule():
    """Only at the very start is ``---`` front matter; a leading blank line makes it Markdown."""
    text = "\n---\ntitle: [Brief Title]\n---\n" + EXAMPLE
    assert "postmortem.placeholder" in rules_of(validate_postmortem(text))


def test_reference_links_and_footnotes_are_not_placeholders():
    """A ``[name]`` defined elsewhere is a link, as markdown-it reads it; ``[^n]`` is a footnote."""
    text = EXAMPLE.replace(
        "47 minutes (14:02-14:49 UTC)", "47 minutes (14:02-14:49 UTC), see [Pool  Sizing] and [Ops team][^1]"
    )
    text += (
        "\n[pool sizing]: https://wiki.example.com/pool\n[ops TEAM]: https://example.com/ops\n[^1]: A note.\n"
    )
    assert validate_postmortem(text) == []
    undefined = EXAMPLE.replace("47 minutes (14:02-14:49 UTC)", "47 minutes [Pool Sizing]")
    assert rules_of(validate_postmortem(undefined)) == ["postmortem.placeholder"]


@pytest.mark.parametrize("unfilled", ["HH:mm", "2026-03-09 HH:mm", "YYYY-MM-DD", "hh:mm:ss"])
def test_an_unfilled_time_format_is_a_placeholder(unfilled):
    """A template's time or date format left in a timeline is unfinished text."""
    text = EXAMPLE.replace("- 13:55 UTC - Configuration", f"- {unfilled} - Configuration")
    findings = validate_postmortem(text)
    assert rules_of(findings) == ["postmortem.placeholder"]
    assert text[findings[0].start : findings[0].end] in unfilled


def test_placeholder_in_code_block_is_fine():
    """Text in a fenced code block is quoted, not template text."""
    text = EXAMPLE.replace("## Resolution\n", "## Resolution\n```\nlog: [time] TODO\n```\n")
    assert validate_postmortem(text) == []


def test_skeleton_reports_every_placeholder():
    """The guide's template, unfilled, is full of template text."""
    findings = validate_postmortem(SKELETON)
    assert {"postmortem.placeholder"} == set(rules_of(findings))
    assert [finding.line for finding in findings] == [1, 4, 7, 8, 9, 10, 13, 16, 19]


def test_empty_timeline():
    """A Timeline section with nothing in it is reported at its heading."""
    text = re.sub(r"(## Timeline\n).*?\n\n", r"\1\n", EXAMPLE, flags=re.DOTALL)
    findings = validate_postmortem(text)
    assert rules_of(findings) == ["postmortem.empty_timeline"]
    assert line_number(text, "## Timeline") == findings[0].line


def test_action_items_without_table():
    """Action Items without a table is reported at its heading."""
    text = EXAMPLE[: EXAMPLE.index("| Action")] + "Nothing yet.\n"
    findings = validate_postmortem(text)
    assert rules_of(findings) == ["postmortem.action_items_table"]
    assert line_number(text, "## Action Items") == findings[0].line


def test_action_items_wrong_columns():
    """A table without exactly the policy's columns is reported at its header."""
    text = EXAMPLE.replace("| Action | Owner | Due Date | Status |", "| Action | Owner | Due | Status |")
    findings = validate_postmortem(text)
    assert rules_of(findings) == ["postmortem.action_items_table"]
    assert line_number(text, "| Action | Owner") == findings[0].line


def test_action_items_columns_from_policy():
    """The columns are the policy's."""
    document = attrs.evolve(
        DEFAULT_POLICY.post_incident.document, action_item_columns=("Action", "Owner", "Due Date")
    )
    policy = attrs.evolve(
        DEFAULT_POLICY, post_incident=attrs.evolve(DEFAULT_POLICY.post_incident, document=document)
    )
    assert rules_of(validate_postmortem(EXAMPLE, policy)) == ["postmortem.action_items_table"]


def test_action_item_owner():
    """A row with no owner is reported on its line."""
    text = EXAMPLE.replace("| Tom Becker |", "|  |")
    findings = validate_postmortem(text)
    assert rules_of(findings) == ["postmortem.action_item_owner"]
    assert line_number(text, "| Add a pool") == findings[0].line
    assert text[findings[0].start : findings[0].end].startswith("| Add a pool")


@pytest.mark.parametrize("due", ["next week", "2026-3-20", "2026-02-30", "20/03/2026", ""])
def test_action_item_date(due):
    """A Due Date that is not a valid ISO date YYYY-MM-DD is reported on its row's line."""
    text = EXAMPLE.replace("| 2026-03-20 |", f"| {due} |")
    findings = validate_postmortem(text)
    assert rules_of(findings) == ["postmortem.action_item_date"]
    assert line_number(text, "| Pin the") == findings[0].line


@pytest.mark.parametrize(
    ("sentence", "blamed"),
    [
        ("The outage was caused by Tom Becker.", "caused by Tom Becker"),
        ("It was Bob's mistake.", "Bob's mistake"),
        ("This was human error by the deployer.", "human error"),
        ("The pool was shrunk due to an engineer.", "due to an engineer"),
        ("Then @sam accidentally removed the override.", "@sam accidentally"),
        ("Priya Natarajan forgot the batch jobs.", "Priya Natarajan forgot"),
        ("The developer creating the change misjudged its reach.", "developer creating the change misjudged"),
        ("Why did the developer forget to check the pool?", "developer forget"),
        ("I skipped the review in an act of laziness.", "laziness"),
        ("Human error in not knowing the pool size.", "Human error"),
    ],
)
def test_blame(sentence, blamed):
    """A blame phrase, or a person named as the cause, is reported with its span."""
    text = EXAMPLE.replace("Under peak checkout load", f"{sentence} Under peak checkout load")
    findings = validate_postmortem(text)
    assert rules_of(findings) == ["postmortem.blame"]
    assert blamed == text[findings[0].start : findings[0].end]
    assert line_number(text, sentence) == findings[0].line


@pytest.mark.parametrize(
    "sentence",
    [
        "Operator error is never a root cause.",
        "Human error was not the cause.",
        "This is not a process for assigning blame.",
        "Any operator error is a symptom of a missing mechanism.",
        "No human error was involved.",
    ],
)
def test_blame_denied_or_in_general_is_not_blame(sentence):
    """A sentence that denies blame, or speaks of it in general, blames no one."""
    text = EXAMPLE.replace("Under peak checkout load", f"{sentence} Under peak checkout load")
    assert validate_postmortem(text) == []


def test_a_cause_that_is_not_a_person_is_fine():
    """A technical cause is what a review is for."""
    text = EXAMPLE.replace("Under peak", "The errors were caused by the shared default. Under peak")
    assert validate_postmortem(text) == []


def test_rules_are_listed():
    """Every rule a finding can carry is in POSTMORTEM_RULES."""
    assert len(POSTMORTEM_RULES) == 11
    assert all(rule.startswith("postmortem.") for rule in POSTMORTEM_RULES)


def test_crlf_offsets():
    """Lines and offsets are right with Windows line ends."""
    text = EXAMPLE.replace("TBD", "").replace("\n", "\r\n").replace("Duration: 47", "Duration: TBD 47")
    findings = validate_postmortem(text)
    assert rules_of(findings) == ["postmortem.placeholder"]
    assert text[findings[0].start : findings[0].end] == "TBD"
    assert line_number(text, "TBD") == findings[0].line


@given(st.text())
def test_never_raises_and_spans_are_sorted(text):
    """For any text: no exception; spans lie within the text and are sorted by start."""
    findings = validate_postmortem(text)
    assert all(0 <= f.start <= f.end <= len(text) for f in findings)
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    assert all(
        f.line
        == text.count("\n", 0, f.start) + text.count("\r", 0, f.start) - text.count("\r\n", 0, f.start) + 1
        for f in findings
    )
    assert all(f.rule in POSTMORTEM_RULES for f in findings)


@given(st.data())
def test_parse_action_items_never_raises(data):
    """Any text around an Action Items heading parses without an exception."""
    text = "## Action Items\n" + data.draw(st.text())
    assert all(isinstance(item, ParsedActionItem) for item in parse_action_items(text))


#: Words from consonants only: never a blame word, a pronoun, a placeholder or a section name.
WORDS = st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=1, max_size=8)
SENTENCES = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)
DATES = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


@given(st.data())
def test_filled_skeleton_is_clean(data):
    """The guide's template, every placeholder filled with plain words, validates clean."""
    text = re.sub(r"\[[^\]]*\]", lambda _: data.draw(SENTENCES), SKELETON)
    text = text.replace("- What went well", "- What went well: " + data.draw(SENTENCES))
    rows = data.draw(st.lists(st.tuples(SENTENCES, SENTENCES, DATES, SENTENCES), max_size=5))
    text += "".join(f"| {a} | {o} | {d.isoformat()} | {s} |\n" for a, o, d, s in rows)
    assert validate_postmortem(text) == []
    assert [(a, o, d, s) for a, o, d, s in rows] == [
        (item.action, item.owner, item.due, item.status) for item in parse_action_items(text)
    ]
