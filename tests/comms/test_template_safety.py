"""An organisation's templates: every failure is a MessageError naming the template and the line (issue 19).

Defect 6: a template's syntax, assertion, undefined, security, arithmetic,
recursion and encoding errors escaped raw, and nested ``range(100000)`` loops
ran unbounded. Now every failure is a :class:`MessageError` that names the
template file and the line, and a template's work is bounded: ``range()``,
the characters it makes (output and computed text), and the steps it runs.
"""

import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guards import no_hang
from incident_process import Incident, MessageError, render_declaration
from incident_process._limits import (
    MAX_TEMPLATE_BYTES,
    MAX_TEMPLATE_CHARACTERS,
    MAX_TEMPLATE_RANGE,
    MAX_TEMPLATE_STEPS,
)
from incident_process.comms import MessageTemplates

T0 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)
VALUES = {"severity": "SEV2", "issue": "Checkout errors", "impact": "EU checkouts fail"}


def declared():
    incident = Incident.detect(id="INC-1", title="Checkout errors", source="automated_alert", at=T0)
    return incident.declare(
        at=T0 + timedelta(minutes=4), by="ana", declarer_role="on_call_engineer", severity="SEV2"
    )


def organisation(directory, source, name="declaration.j2"):
    path = Path(directory) / name
    path.write_bytes(source if isinstance(source, bytes) else source.encode())
    return MessageTemplates(directory)


def render(directory, source):
    """Render *source* as the organisation's declaration template; a hang (not a slow run) fails."""
    templates = organisation(directory, source)
    with no_hang():
        return templates.render("declaration", "text", VALUES)


# --- every failure is a MessageError naming the template and the line ------------------------

FAILURES = {
    "TemplateSyntaxError": ("ok\n{% if %}", 2, "Expected an expression"),
    "TemplateAssertionError": ("ok\n{{ severity|no_such_filter }}", 2, "No filter named 'no_such_filter'"),
    "UndefinedError": ("ok\n\n{{ severity.nothing.deeper }}", 3, "has no attribute 'nothing'"),
    "SecurityError": ("{{ severity }}\n{{ severity.__class__.__mro__ }}", 2, "unsafe"),
    "ZeroDivisionError": ("{{ severity }}\n{{ 1 // 0 }}", 2, "ZeroDivisionError"),
    "OverflowError": ("{{ severity }}\n\n{{ 2.0 ** 100000 }}", 3, "OverflowError"),
    "RecursionError": ("{% macro f() %}\n{{ f() }}{% endmacro %}{{ f() }}", 2, "nested too deep"),
    "UnicodeDecodeError": (b"{{ severity }}\n\xff\xfe", 2, "not UTF-8"),
    "huge output (MemoryError)": ("{{ severity }}\n{{ 'x' * 10 ** 10 }}", 2, "limited to 1,000,000"),
    "TypeError": ("{{ severity }}\n{{ 1 + severity }}", 2, "TypeError"),
    "ValueError": ("{{ severity }}\n{% set a, b = severity %}", 2, "ValueError"),
    "TemplateNotFound": ("{{ severity }}\n{% include 'no-such.j2' %}", 2, "no template named 'no-such.j2'"),
    "parser recursion": ("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}", 1, "nested too deep"),
    "nested too deep": ("{{ severity }}\n{{ " + "[" * 60 + "]" * 60 + " }}", 2, "nested more than"),
}


@pytest.mark.parametrize("case", FAILURES, ids=list(FAILURES))
def test_every_template_failure_is_a_message_error_with_template_and_line(tmp_path, case):
    """Issue 19, defect 6: every exception class a template raises is a MessageError naming file and line."""
    source, line, words = FAILURES[case]
    with pytest.raises(MessageError) as raised:
        render(tmp_path, source)
    message = str(raised.value)
    assert str(tmp_path / "declaration.j2") in message
    assert f"line {line}:" in message
    assert words in message


@pytest.mark.parametrize("case", ["TemplateSyntaxError", "UnicodeDecodeError", "parser recursion"])
def test_the_public_render_reports_template_failures_the_same_way(tmp_path, case):
    """render_declaration reads the template's fields first: a failure there is the same MessageError."""
    source, line, _ = FAILURES[case]
    templates = organisation(tmp_path, source)
    with pytest.raises(MessageError, match=rf"declaration\.j2, line {line}:"):
        render_declaration(declared(), templates=templates)


def test_a_template_that_is_not_a_regular_file_is_refused_without_blocking(tmp_path):
    """A FIFO named declaration.j2 is refused at once, not read (it would block forever)."""
    os.mkfifo(tmp_path / "declaration.j2")
    with pytest.raises(MessageError, match="not a regular file"):
        MessageTemplates(tmp_path).render("declaration", "text", VALUES)


def test_a_template_file_over_the_size_limit_is_refused(tmp_path):
    """A template file is at most MAX_TEMPLATE_BYTES."""
    templates = organisation(tmp_path, "x" * (MAX_TEMPLATE_BYTES + 1))
    with pytest.raises(MessageError, match="over the limit"):
        templates.render("declaration", "text", VALUES)


# --- what a template may do is bounded -------------------------------------------------------

HOSTILE = {
    "nested range(100000) loops": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        f"at most {MAX_TEMPLATE_RANGE:,}",
    ),
    "nested range loops within the range limit": (
        "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
        f"over {MAX_TEMPLATE_STEPS:,} steps",
    ),
    "nested loops writing output": (
        "{% for i in range(10000) %}{% for j in range(10000) %}{{ i }}{% endfor %}{% endfor %}",
        "over",
    ),
    "a loop body of many ifs": (
        "{% for i in range(10000) %}" + "{% if i %}{% endif %}" * 600 + "{% endfor %}",
        "steps",
    ),
    "exponential macro calls": (
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}",
        "steps",
    ),
    "many calls in a loop": (
        "{% macro f() %}{% endmacro %}{% for i in range(10000) %}" + "{{ f() }}" * 50 + "{% endfor %}",
        "steps",
    ),
    "recursive loop": (
        (
            "{% for x in range(10000) recursive %}{% if loop.depth < 4 %}{{ loop(range(10000)) }}{% endif %}"
            "{% endfor %}"
        ),
        "steps",
    ),
    "text repetition": ("{{ 'x' * 10 ** 9 }}", "repeating would make about 1,000,000,000 characters"),
    "list repetition": ("{{ [1, 2] * 10 ** 9 }}", "repeating"),
    "a huge power": ("{{ 2 ** 1000000000 }}", "exponent"),
    "squaring in a namespace": (
        "{% set ns = namespace(x=3) %}{% for i in range(64) %}{% set ns.x = ns.x * ns.x %}{% endfor %}",
        "bits",
    ),
    "doubling text with ~": (
        "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "characters",
    ),
    "doubling text with +": (
        "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
        "characters",
    ),
    "doubling a list with extend": (
        "{% set ns = namespace(l=[1]) %}{% for i in range(64) %}{% set _ = ns.l.extend(ns.l) %}{% endfor %}",
        "over",
    ),
    "a shared list shown": (
        (
            "{% set ns = namespace(l=['xxxx']) %}{% for i in range(60) %}{% set ns.l = [ns.l, ns.l] %}"
            "{% endfor %}{{ ns.l }}"
        ),
        "characters",
    ),
    "shared lists compared": (
        (
            "{% set ns = namespace(l=['x'], m=['x']) %}{% for i in range(60) %}{% set ns.l = [ns.l, ns.l] %}"
            "{% set ns.m = [ns.m, ns.m] %}{% endfor %}{{ ns.l == ns.m }}"
        ),
        "characters",
    ),
    "center filter": ("{{ 'x'|center(10 ** 9) }}", "center filter"),
    "str.ljust": ("{{ 'x'.ljust(10 ** 9) }}", "str.ljust"),
    "str.format width": ("{{ '{:1000000000}'.format(1) }}", "str.format"),
    "str.format repeated field": ("{{ ('{0}' * 300000).format('x' * 1000) }}", "characters"),
    "% width": ("{{ '%1000000000d' % 1 }}", "% format"),
    "format filter width": ("{{ '%1000000000d'|format(1) }}", "format filter"),
    "replace": ("{{ ('a' * 100000).replace('a', 'b' * 100000) }}", "str.replace"),
    "join filter": ("{{ range(10000)|join('x' * 100000) }}", "join filter"),
    "indent filter": ("{{ ('a\n' * 400000)|indent(1000000) }}", "characters"),
    "slice filter": ("{{ [1]|slice(10 ** 9) }}", "slice filter"),
    "sum of lists": ("{{ range(3000)|map('string')|map('list')|sum(start=[]) }}", "numbers only"),
    "a searched text in a loop": (
        "{% set s = 'ab' * 400000 %}{% for i in range(10000) %}{% if 'abc' in s %}{% endif %}{% endfor %}",
        "characters",
    ),
    "literal text in a loop, kept": (
        "{% set x %}{% for i in range(10000) %}" + "y" * 15000 + "{% endfor %}{% endset %}",
        "characters",
    ),
    "a macro's output in a loop": (
        "{% macro f() %}"
        + "y" * 15000
        + "{% endmacro %}{% for i in range(10000) %}{% set z = f() %}{% endfor %}",
        "characters",
    ),
    "including itself": ("{% include 'declaration.j2' %}{% include 'declaration.j2' %}", "nested too deep"),
    "loops nested too deep": ("{% for a in range(2) %}" * 12 + "{% endfor %}" * 12, "nested more than"),
    "a long chain of comparisons": ("{{ x" + "<x" * 4000 + " }}", "more than 2,000 expressions"),
    "a long chain of ~": ("{{ x" + "~x" * 4000 + " }}", "more than 2,000 expressions"),
    "lipsum is left out": ("{{ lipsum(1000000) }}", "'lipsum' is undefined"),
    "striptags is left out": ("{{ ('<>' * 400000)|striptags }}", "No filter named 'striptags'"),
    "encode is refused": ("{{ ('a' * 100000).encode('punycode') }}", "unsafe"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_template_is_stopped_quickly_with_a_message_error(tmp_path, case):
    """Issue 19, defect 6: range, output, computed text, numbers and steps are bounded; the line is named."""
    source, words = HOSTILE[case]
    with pytest.raises(MessageError, match=r"declaration\.j2, line \d+:") as raised:
        render(tmp_path, source)
    assert words in str(raised.value)


def test_output_just_under_the_limit_renders(tmp_path):
    """The limits are generous for real messages: half the character budget of output renders."""
    half = MAX_TEMPLATE_CHARACTERS // 2
    assert render(tmp_path, "{{ 'x' * " + str(half) + " }}") == "x" * half


def test_an_ordinary_organisation_template_still_works(tmp_path):
    """Loops, macros, filters, methods and includes of the shipped templates all still work."""
    source = (
        "{% macro tag(word) %}[{{ word|upper }}]{% endmacro %}"
        "{% for word in issue.split() %}{{ tag(word) }}{% if not loop.last %} {% endif %}{% endfor %}\n"
        "{{ '%s: %s'|format(severity, impact) }} ({{ impact|length }} characters, {{ range(3)|sum }})"
    )
    assert render(tmp_path, source) == "[CHECKOUT] [ERRORS]\nSEV2: EU checkouts fail (17 characters, 3)"


# --- anything typed as a template: a string or a MessageError --------------------------------

FRAGMENTS = [
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "for x in range(3)",
    "for x in range(100000)",
    "endfor",
    "if x",
    "else",
    "endif",
    "severity",
    "issue",
    "impact",
    "|upper",
    "|center(1000000000)",
    "|join(',')",
    "*",
    "**",
    "~",
    "//",
    "%",
    "(",
    ")",
    "[",
    "]",
    "'",
    '"',
    "macro f()",
    "endmacro",
    "f()",
    "set",
    "=",
    "x",
    "1",
    "0",
    "99999999",
    "namespace(",
    "loop.",
    "caller()",
    "include 'declaration.j2'",
    "recursive",
    "loop(",
    "\n",
    " ",
    "é",
    "\x00",
    ".__class__",
    "lipsum",
    "range",
    ".format(",
    "{:999999999}",
]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), max_size=30).map("".join))
def test_any_template_text_gives_a_string_or_a_message_error(source):
    """A property: whatever the template says, the answer is text or a MessageError, never anything else."""
    with tempfile.TemporaryDirectory() as directory:
        try:
            result = render(directory, source)
        except MessageError as error:
            result = error
    assert isinstance(result, str) or "declaration" in str(result)
