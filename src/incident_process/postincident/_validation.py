"""The post-incident document validator: the guide's "Post-Incident Document" template, checked.

Guide, "Post-Incident Review Process", "Post-Incident Document": "Required
sections: # Incident Report: [Brief Title]; ## Summary; ## Impact (Duration,
Customers affected, Errors generated, Revenue impact: [if applicable]);
## Timeline; ## Root Cause; ## Resolution; ## Lessons Learned (What went well,
What could be improved); ## Action Items (| Action | Owner | Due Date | Status |)."
Its "Goals": "NO blame, only learning".

:func:`validate_postmortem` parses the Markdown with markdown-it-py (CommonMark
and tables) and reports each problem as a :class:`~incident_process.comms.Finding`;
:data:`POSTMORTEM_RULES` lists the rules. The required shape is the policy's
(``policy.post_incident.document``, :class:`PostIncidentDocument`), and the
blame words are the external linter's (``policy.communication.external``):
the logic only reads them. :func:`parse_action_items` reads the Action Items
table into :class:`ParsedActionItem` values.

markdown-it-py is imported on first use, so importing the package stays quick.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from incident_process._arguments import check_type
from incident_process._folding import fold, fold_phrase
from incident_process.comms import Finding
from incident_process.comms._blame import blame_spans, cause_names, with_people
from incident_process.comms._phrases import compiled_phrases
from incident_process.policy import DEFAULT_POLICY, Policy, PostIncidentDocument

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = ["POSTMORTEM_RULES", "ParsedActionItem", "parse_action_items", "validate_postmortem"]

_TEMPLATE = 'Guide, "Post-Incident Document", required sections'
_TITLE = f'{_TEMPLATE}: "# Incident Report: [Brief Title]"'
_NO_BLAME = 'Guide, "Post-Incident Review Process", "Goals": "NO blame, only learning"'
#: What an H1 title must say before the incident's own title.
_TITLE_PREFIX = "incident report:"

#: Every rule of :func:`validate_postmortem`, by id, with what it reports.
POSTMORTEM_RULES: Mapping[str, str] = {
    "postmortem.title": 'no "# Incident Report: <title>" heading',
    "postmortem.missing_section": "a required section (H2 heading) is missing",
    "postmortem.section_order": "a required section comes before one that should precede it",
    "postmortem.impact_field": "a required Impact field is missing or empty",
    "postmortem.lessons": 'Lessons Learned lacks "What went well" or "What could be improved"',
    "postmortem.placeholder": "template text left in: [bracketed text], TODO, TBD or FIXME",
    "postmortem.empty_timeline": "the Timeline section is empty",
    "postmortem.action_items_table": "Action Items has no table, or not the policy's columns",
    "postmortem.action_item_owner": "an action item has no owner",
    "postmortem.action_item_date": "an action item's Due Date is not an ISO date (YYYY-MM-DD)",
    "postmortem.blame": "blameful language: a blame phrase, or a person named as the cause",
}

# Bracketed template text: "[Brief Title]", "[time]", "[count/scope]". Not a link
# ("[text](url)", "[text][ref]", "[ref]: url", the "[ref]" of "[text][ref]"), an
# image, an escaped bracket, a task box ("[ ]", "[x]"), nor brackets without a
# letter ("[14:05]", "[1]").
_BRACKETED = re.compile(r"(?<![\\\]])\[([^\[\]\n]{1,200})\](?![(\[:])")
_LETTER = re.compile(r"[^\W\d_]")
_TASK_BOXES = frozenset({" ", "x", "X"})
# Words that mark unfinished text; upper case only, so prose ("a todo list") is not one. A
# template's time or date format left unfilled ("HH:mm", "YYYY-MM-DD") is one too.
_UNFINISHED = re.compile(
    r"(?<![\w-])(?:TODO|TBD|FIXME|YYYY-MM-DD(?:[ T]HH:mm(?::ss)?)?|HH:mm(?::ss)?|hh:mm(?::ss)?)(?![\w-])"
)
# Front matter, as static-site generators read it: YAML between "---" lines, TOML between
# "+++" lines, at the very start of the file. It is metadata, not the document's prose.
_FRONT_MATTER = re.compile(
    r"\A\ufeff?"
    r"(?:---[ \t]*\r?\n(?:.*?\r?\n)??(?:---|\.\.\.)"  # YAML
    r"|\+\+\+[ \t]*\r?\n(?:.*?\r?\n)??\+\+\+)"  # TOML
    r"[ \t]*(?:\r?\n|\Z)",
    re.DOTALL,
)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1)[^\n])*?\1")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NEWLINE = re.compile(r"\r\n?|\n")
_MARKUP = str.maketrans("", "", "*_`")
#: Separators between several owners in one cell: "Ana, Bo", "Ana / Bo", "Ana & Bo", "Ana and Bo".
_OWNER_SEPARATORS = re.compile(r"\s*(?:[,;/&+]|\band\b)\s*")
_WORD_CHAR = re.compile(r"\w")
#: Clause breaks, and the cells of a table: a cause and its person are in one.
_CLAUSE_END = re.compile(r"[.,;:!?\n|]")


@attrs.frozen(kw_only=True)
class ParsedActionItem:
    """One row of the Action Items table.

    Guide, "Post-Incident Document": the table ``| Action | Owner | Due Date
    | Status |`` under "## Action Items".

    Attributes:
        action: The "Action" cell, as written (inline Markdown kept).
        owner: The "Owner" cell ("" if empty).
        due: The "Due Date" cell as a date, or ``None`` if it is not a valid
            ISO date (YYYY-MM-DD).
        status: The "Status" cell.
        line: The 1-based line of the row.
    """

    action: str
    owner: str
    due: dt.date | None
    status: str
    line: int


# --- the document, parsed ------------------------------------------------------------------


@attrs.frozen
class _Heading:
    """A heading: its level, its text (inline Markdown), the index of its token, its first line."""

    level: int
    text: str
    index: int
    line: int  # 0-based


@attrs.frozen
class _Row:
    """A table row: its cells' text and its 0-based line."""

    cells: tuple[str, ...]
    line: int


@attrs.frozen
class _Table:
    """A table: its header cells, its rows, and its first 0-based line."""

    header: tuple[str, ...]
    rows: tuple[_Row, ...]
    line: int


class _Document:
    """A Markdown text, its tokens, its link references, and the way from lines to offsets.

    Front matter (YAML between ``---`` lines, TOML between ``+++`` lines, at
    the start) is metadata: the parser sees blank lines in its place, so
    lines and offsets stay those of the text, and no check reads it.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        front = _FRONT_MATTER.match(text)
        self.front_matter_end = front.end() if front is not None else 0
        hidden = _NEWLINE.sub("\n", text[: self.front_matter_end])
        body = "\n" * hidden.count("\n") + text[self.front_matter_end :]
        env: dict[str, Any] = {}
        self.tokens = _markdown().parse(body, env)
        #: The link reference labels the document defines (normalized as CommonMark matches them).
        self.references = frozenset(env.get("references", {}))
        # markdown-it-py counts "\r\n", "\r" and "\n" as line ends: so do the offsets.
        self.line_starts = [0, *(match.end() for match in _NEWLINE.finditer(text))]
        self.headings = [
            _Heading(int(token.tag[1:]), self.tokens[k + 1].content, k, _first_line(token))
            for k, token in enumerate(self.tokens)
            if token.type == "heading_open"
        ]
        self.sections = self._sections()

    def is_reference(self, label: str) -> bool:
        """Whether ``[label]`` is a link: the document defines *label* as a link reference."""
        if not self.references:
            return False
        from markdown_it.common.utils import normalizeReference

        return normalizeReference(label) in self.references

    def _sections(self) -> dict[str, tuple[_Heading, int]]:
        """Each H2 section by folded name (the first of a name wins): its heading and end token."""
        sections: dict[str, tuple[_Heading, int]] = {}
        top = [heading for heading in self.headings if heading.level <= 2]
        for k, heading in enumerate(top):
            if heading.level == 2:
                end = top[k + 1].index if k + 1 < len(top) else len(self.tokens)
                sections.setdefault(_section_name(heading.text), (heading, end))
        return sections

    def offset(self, line: int) -> int:
        """The offset where the 0-based *line* starts (the text's end past the last line)."""
        return self.line_starts[line] if line < len(self.line_starts) else len(self.text)

    def line_end(self, line: int) -> int:
        """The offset just past the 0-based *line*'s content (before its line break)."""
        if line + 1 >= len(self.line_starts):
            return len(self.text)
        end = self.line_starts[line + 1]
        return end - 2 if self.text.startswith("\r\n", end - 2) else end - 1

    def line_of(self, offset: int) -> int:
        """The 1-based line of *offset*."""
        return bisect_right(self.line_starts, offset)

    def section_tokens(self, name: str) -> list[Token] | None:
        """The tokens of the section called *name* (after its heading), or ``None`` if it is absent."""
        found = self.sections.get(fold_phrase(name))
        if found is None:
            return None
        heading, end = found
        return self.tokens[heading.index + 3 : end]

    def tables(self, tokens: Sequence[Token]) -> Iterator[_Table]:
        """The tables among *tokens*."""
        header: list[str] = []
        rows: list[_Row] = []
        cells: list[str] = []
        first = row_line = 0
        in_head = False
        for token in tokens:
            kind = token.type
            if kind == "table_open":
                header, rows, first = [], [], _first_line(token)
            elif kind == "thead_open":
                in_head = True
            elif kind == "thead_close":
                in_head = False
            elif kind == "tr_open":
                cells, row_line = [], _first_line(token)
            elif kind == "inline" and (token.map is None or token.map[0] >= first):
                cells.append(token.content.strip())
            elif kind == "tr_close":
                if in_head:
                    header = cells
                else:
                    rows.append(_Row(tuple(cells), row_line))
            elif kind == "table_close":
                yield _Table(tuple(header), tuple(rows), first)


@functools.cache
def _markdown() -> MarkdownIt:
    """The parser: CommonMark with tables, made on first use."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def _first_line(token: Token) -> int:
    """The 0-based first line of a block token."""
    return token.map[0] if token.map else 0


def _section_name(heading: str) -> str:
    """A heading's text as a section name: folded, without emphasis, a trailing colon or spaces."""
    return fold_phrase(" ".join(heading.translate(_MARKUP).split()).rstrip(":").strip())


def _plain(text: str) -> str:
    """Inline text without emphasis marks, spaces collapsed, folded."""
    return fold_phrase(" ".join(text.translate(_MARKUP).split()))


# --- the checks --------------------------------------------------------------------------------


class _Check:
    """One validation pass; findings collect as (start, end, rule, message)."""

    def __init__(self, document: _Document, shape: PostIncidentDocument) -> None:
        self.doc = document
        self.shape = shape
        self.found: list[tuple[int, int, str, str]] = []

    def add(self, start: int, end: int, rule: str, message: str) -> None:
        """Record a finding."""
        self.found.append((start, end, rule, message))

    def add_line(self, line: int, rule: str, message: str) -> None:
        """Record a finding about the whole 0-based *line*."""
        start = self.doc.offset(line)
        self.add(start, max(start, self.doc.line_end(line)), rule, message)

    def title(self) -> None:
        """Guide: "# Incident Report: [Brief Title]": an H1 heading with a title after the colon.

        The first H1 heading is looked at; without any, the finding is at
        the start of the text.
        """
        first = next((heading for heading in self.doc.headings if heading.level == 1), None)
        if first is None:
            self.add(0, 0, "postmortem.title", f"no title heading: {_TITLE}")
            return
        text = _plain(first.text)
        if not text.startswith(_TITLE_PREFIX) or not text[len(_TITLE_PREFIX) :].strip():
            self.add_line(
                first.line, "postmortem.title", f"the title is not 'Incident Report: <title>': {_TITLE}"
            )

    def sections(self) -> None:
        """Guide: "Required sections", in the template's order.

        A missing section is reported, with an empty span, where it belongs:
        at the heading of the next required section that is present, or at
        the end of the text. A present section that comes after one that
        should follow it is out of order.
        """
        required = [fold_phrase(name) for name in self.shape.sections]
        present = self.doc.sections
        for k, name in enumerate(self.shape.sections):
            if required[k] in present:
                continue
            later = [present[key][0] for key in required[k + 1 :] if key in present]
            where = self.doc.offset(later[0].line) if later else len(self.doc.text)
            message = f"no '## {name}' section: {_TEMPLATE}, '## {name}'"
            self.add(where, where, "postmortem.missing_section", message)
        order = {name: k for k, name in enumerate(required)}
        latest = -1
        latest_name = ""
        for key, (heading, _) in present.items():  # in the document's order
            if key not in order:
                continue
            if order[key] < latest:
                message = (
                    f"'## {self.shape.sections[order[key]]}' comes after '## {latest_name}': "
                    f"{_TEMPLATE} are, in order, {', '.join(self.shape.sections)}"
                )
                self.add_line(heading.line, "postmortem.section_order", message)
            elif order[key] > latest:
                latest, latest_name = order[key], self.shape.sections[order[key]]

    def impact(self) -> None:
        """Guide: "## Impact - Duration: [time] - Customers affected: [count/scope] - Errors ...".

        Each required field is a bullet "Field: value" (emphasis allowed,
        "**Duration:** 3 hours"); a missing field is reported at the
        section's heading, an empty one at its bullet. The optional fields
        ("Revenue impact: [if applicable]") may be absent or empty.
        """
        name = "Impact"
        tokens = self.doc.section_tokens(name) if name in self.shape.sections else None
        if tokens is None:
            return
        heading = self.doc.sections[fold_phrase(name)][0]
        values: dict[str, tuple[str, int]] = {}
        depth = 0
        for k, token in enumerate(tokens):
            if token.type == "list_item_open":
                depth += 1
                if depth == 1 and k + 2 < len(tokens) and tokens[k + 2].type == "inline":
                    field, _, value = _plain(tokens[k + 2].content).partition(":")
                    values.setdefault(field.strip(), (value.strip(), _first_line(token)))
            elif token.type == "list_item_close":
                depth -= 1
        for field in self.shape.impact_fields:
            found = values.get(fold_phrase(field))
            quote = f"{_TEMPLATE}: '## {name}' lists '- {field}: ...'"
            if found is None:
                self.add_line(heading.line, "postmortem.impact_field", f"no '{field}' in Impact: {quote}")
            elif not found[0]:
                self.add_line(found[1], "postmortem.impact_field", f"'{field}' is empty: {quote}")

    def lessons(self) -> None:
        """Guide: "## Lessons Learned - What went well - What could be improved".

        Each phrase must start a heading or a bullet of the section (case
        and emphasis ignored: "### What went well", "- **What could be
        improved:** ..."); a missing one is reported at the section's heading.
        """
        name = "Lessons Learned"
        tokens = self.doc.section_tokens(name) if name in self.shape.sections else None
        if tokens is None:
            return
        heading = self.doc.sections[fold_phrase(name)][0]
        texts = [
            _plain(tokens[k + 1].content)
            for k, token in enumerate(tokens[:-1])
            if token.type in {"heading_open", "paragraph_open"}
            and (token.type == "heading_open" or (k > 0 and tokens[k - 1].type == "list_item_open"))
        ]
        for phrase in self.shape.lessons_learned:
            wanted = fold_phrase(phrase)
            if not any(text.startswith(wanted) for text in texts):
                message = (
                    f"Lessons Learned does not say '{phrase}' (as a heading or bullet): "
                    f"{_TEMPLATE}: '## {name}' lists {', '.join(self.shape.lessons_learned)}"
                )
                self.add_line(heading.line, "postmortem.lessons", message)

    def timeline(self) -> None:
        """Guide: "## Timeline [Detailed timeline with timestamps]": the section has content."""
        name = "Timeline"
        tokens = self.doc.section_tokens(name) if name in self.shape.sections else None
        if tokens is None or any(token.map is not None for token in tokens):
            return
        heading = self.doc.sections[fold_phrase(name)][0]
        message = f"the Timeline is empty: {_TEMPLATE}: '## Timeline [Detailed timeline with timestamps]'"
        self.add_line(heading.line, "postmortem.empty_timeline", message)

    def action_items(self) -> list[_Row]:
        """Guide: "## Action Items | Action | Owner | Due Date | Status |": the table and its rows.

        The section's first table must have exactly the policy's columns,
        in order (case and spaces ignored). Then every row needs an owner
        (the second column) and a Due Date (the third) that is an ISO date,
        YYYY-MM-DD. Returns the rows checked.
        """
        name = "Action Items"
        tokens = self.doc.section_tokens(name) if name in self.shape.sections else None
        if tokens is None:
            return []
        columns = self.shape.action_item_columns
        heading = self.doc.sections[fold_phrase(name)][0]
        quote = f"{_TEMPLATE}: '## {name} | {' | '.join(columns)} |'"
        table = next(self.doc.tables(tokens), None)
        if table is None:
            self.add_line(heading.line, "postmortem.action_items_table", f"no table in Action Items: {quote}")
            return []
        if [_plain(cell) for cell in table.header] != [fold_phrase(column) for column in columns]:
            message = f"the Action Items columns are {' | '.join(table.header)!r}, not the guide's: {quote}"
            self.add_line(table.line, "postmortem.action_items_table", message)
            return []
        for row in table.rows:
            cells = (*row.cells, *[""] * len(columns))
            if len(columns) > 1 and not cells[1]:
                message = f"an action item with no {columns[1]}: {quote}"
                self.add_line(row.line, "postmortem.action_item_owner", message)
            if len(columns) > 2 and _iso_date(cells[2]) is None:
                message = f"{columns[2]} {cells[2]!r} is not a date YYYY-MM-DD: {quote}"
                self.add_line(row.line, "postmortem.action_item_date", message)
        return list(table.rows)

    def placeholders(self) -> None:
        """Guide: the template's "[Brief Title]", "[time]", "[count]" ... left in, and TODO, TBD, FIXME.

        Outside front matter, code blocks and code spans, as markdown-it
        reads the document: links (also a ``[label]`` that a reference
        definition elsewhere makes a link), link references, footnote
        references (``[^note]``), images, task boxes and brackets without a
        letter ("[14:05]") are not placeholders. A template's time or date
        format left unfilled ("HH:mm", "YYYY-MM-DD") is.
        """
        text = self.doc.text
        for start, end in self._prose_spans():
            masked = _CODE_SPAN.sub(lambda match: " " * len(match.group()), text[start:end])
            for match in _BRACKETED.finditer(masked):
                inner = match.group(1)
                if inner in _TASK_BOXES or not _LETTER.search(inner) or inner.startswith("^"):
                    continue
                if self.doc.is_reference(inner):
                    continue
                message = f"template text {match.group()!r} left in: {_TEMPLATE}"
                self.add(start + match.start(), start + match.end(), "postmortem.placeholder", message)
            for match in _UNFINISHED.finditer(masked):
                message = f"{match.group()!r} left in: the document is unfinished ({_TEMPLATE})"
                self.add(start + match.start(), start + match.end(), "postmortem.placeholder", message)

    def _prose_spans(self) -> list[tuple[int, int]]:
        """The spans of the text outside front matter, fenced and indented code blocks."""
        spans, done = [], self.doc.front_matter_end
        for token in self.doc.tokens:
            if token.type in {"fence", "code_block"} and token.map:
                start = self.doc.offset(token.map[0])
                spans.append((done, start))
                done = self.doc.offset(token.map[1])
        spans.append((done, len(self.doc.text)))
        return [(start, end) for start, end in spans if end > start]

    def blame(self, rows: Sequence[_Row], policy: Policy) -> None:
        """Guide: "NO blame, only learning": blame phrases, and a person named as the cause.

        The words are the external linter's (``policy.communication.external``):
        a blame phrase anywhere ("human error", "Bob's mistake", "at fault");
        a cause phrase followed in the same clause, within four words, by a
        person ("caused by Bob", "due to an engineer"); or a person just
        before a blame action ("Bob accidentally ..."). A person, anywhere in
        the document, is a word of the policy's ``people``, an @-mention, a
        name from the Owner column of the Action Items table, or a
        capitalised name right after a cause phrase ("caused by Bob's
        deploy" makes "Bob forgot ..." in another section blame too). Other
        than that, case is ignored: a lower-case name in none of these is
        not known to be a person.
        """
        rules = compiled_phrases(policy.communication.external)
        folded = fold(self.doc.text)
        names = {
            fold_phrase(part)
            for row in rows
            for part in _OWNER_SEPARATORS.split(row.cells[1] if len(row.cells) > 1 else "")
            if _WORD_CHAR.search(part)
        }
        names |= cause_names(self.doc.text, folded, rules)
        spans = blame_spans(
            folded.text,
            rules,
            people=with_people(rules, frozenset(names)),
            clause_end=_CLAUSE_END,
        )
        for start, end, _ in spans:
            original = folded.original(start, end)
            message = f"blameful language {self.doc.text[original[0] : original[1]]!r}: {_NO_BLAME}"
            self.add(*original, "postmortem.blame", message)


def _iso_date(cell: str) -> dt.date | None:
    """*cell* as an ISO date YYYY-MM-DD (emphasis ignored), or ``None``."""
    cell = cell.translate(_MARKUP).strip()
    if not _ISO_DATE.fullmatch(cell):
        return None
    try:
        return dt.date.fromisoformat(cell)
    except ValueError:
        return None


# --- the public functions --------------------------------------------------------------------


def validate_postmortem(markdown_text: str, policy: Policy = DEFAULT_POLICY) -> list[Finding]:
    r"""Check a post-incident document against the guide's template; return what is wrong.

    Guide, "Post-Incident Document": "Required sections: # Incident Report:
    [Brief Title]; ## Summary; ## Impact; ## Timeline; ## Root Cause;
    ## Resolution; ## Lessons Learned; ## Action Items", and "Goals": "NO
    blame, only learning". The shape is ``policy.post_incident.document``
    (:class:`PostIncidentDocument`); the blame words are
    ``policy.communication.external``. :data:`POSTMORTEM_RULES` lists the
    rules.

    Each finding's ``start:end`` is its span in *markdown_text*: the
    offending text, or the whole line of the heading, bullet or table row
    concerned. A finding about something missing has an empty span: a
    missing title at offset 0, a missing section where it belongs (at the
    heading of the next required section present, else at the end of the
    text), a missing Impact field or lesson at the section's heading line.
    Findings are sorted by start, then end, then rule id. A section is an
    H2 heading matched by name (case, emphasis and a trailing colon
    ignored); the first of two with the same name counts.

    >>> for finding in validate_postmortem("# Incident Report: [Brief Title]\n\n## Summary\nTBD\n"):
    ...     print(finding.line, finding.rule)
    1 postmortem.placeholder
    4 postmortem.placeholder
    5 postmortem.missing_section
    5 postmortem.missing_section
    5 postmortem.missing_section
    5 postmortem.missing_section
    5 postmortem.missing_section
    5 postmortem.missing_section

    Raises:
        TypeError: for an argument of the wrong type, naming it (issue 19, defect 10).
    """
    check_type("markdown_text", markdown_text, str, "Markdown text (str)")
    check_type("policy", policy, Policy, "a Policy")
    document = _Document(markdown_text)
    check = _Check(document, policy.post_incident.document)
    check.title()
    check.sections()
    check.impact()
    check.lessons()
    check.timeline()
    rows = check.action_items()
    check.placeholders()
    check.blame(rows, policy)
    return [
        Finding(rule=rule, message=message, start=start, end=end, line=document.line_of(start))
        for start, end, rule, message in sorted(set(check.found))
    ]


def parse_action_items(markdown_text: str) -> list[ParsedActionItem]:
    r"""The rows of the first table in the "## Action Items" section.

    Guide, "Post-Incident Document": the table ``| Action | Owner | Due Date
    | Status |`` under "## Action Items". Columns are found by their names in the header (case
    and emphasis ignored; the default policy's ``action_item_columns``, read
    by position as action, owner, due date, status); a column that is
    absent reads as "". ``due`` is ``None`` unless the cell is an ISO date.
    No section or no table gives ``[]``.

    >>> text = (
    ...     "## Action Items\n| Action | Owner | Due Date | Status |\n|-|-|-|-|\n"
    ...     "| Add alert | Ana | 2026-12-01 | Open |\n"
    ... )
    >>> parse_action_items(text)  # doctest: +NORMALIZE_WHITESPACE
    [ParsedActionItem(action='Add alert', owner='Ana', due=datetime.date(2026, 12, 1), status='Open', line=4)]

    Raises:
        TypeError: if *markdown_text* is not text (issue 19, defect 10).
    """
    check_type("markdown_text", markdown_text, str, "Markdown text (str)")
    document = _Document(markdown_text)
    columns = DEFAULT_POLICY.post_incident.document.action_item_columns
    tokens = document.section_tokens("Action Items")
    table = None if tokens is None else next(document.tables(tokens), None)
    if table is None:
        return []
    header = [_plain(cell) for cell in table.header]
    where = [
        header.index(fold_phrase(column)) if fold_phrase(column) in header else None for column in columns
    ]

    def cell(row: _Row, column: int) -> str:
        k = where[column] if column < len(where) else None
        return row.cells[k] if k is not None and k < len(row.cells) else ""

    return [
        ParsedActionItem(
            action=cell(row, 0),
            owner=cell(row, 1),
            due=_iso_date(cell(row, 2)),
            status=cell(row, 3),
            line=row.line + 1,
        )
        for row in table.rows
    ]
