r"""What the command line writes: nothing a record, a file name or a message holds can act on the reader.

Issue 19, defects 5 and 8. The command line's output is read by people at a
terminal and by CI runners (the shipped pre-commit hook and GitHub Actions
show it in their logs), and what it prints comes in good part from its input:
record keys and values, file names, titles, messages. So every line it
writes goes through one guard, whatever the command and the format:

- Text (every ``--format`` but ``json``) drops the control characters:
  C0 (U+0000 to U+001F) except the tab and the line feed, DEL (U+007F) and
  C1 (U+0080 to U+009F, among them U+009B, the one-character CSI). So no
  escape sequence reaches a terminal, no carriage return rewrites a line, no
  NUL or BEL is written.
- No line of text starts a GitHub Actions workflow command. The runner
  reads a line as a command when, leading white space trimmed, it starts with
  ``::`` (``::error ...``, ``::stop-commands::TOKEN``), and in the older
  syntax when ``##[`` occurs anywhere in it. A line that would start with
  ``::`` is written with a backslash before it (``\::error ...``), and
  ``##[`` is written ``##\[``; in Markdown, which the review and ``render``
  write, a backslash before punctuation shows the punctuation itself, so the
  report reads the same.
- JSON (and the TOML ``policy check --show`` prints) keeps its values:
  ``##[`` is written ``##\u005b``, the same string once decoded; a JSON or
  TOML line never starts with ``::`` and holds no control character.
- The workflow commands the command line means to write (its annotations
  and notices, :class:`Command`) are built with :func:`escape_data` and
  :func:`escape_property` and written as they are.

The rules of the workflow commands: GitHub's "Workflow commands for GitHub
Actions" (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands)
gives their syntax and ``stop-commands``; the escaping and how a line is
recognised are the runner's own, in ``src/Runner.Common/ActionCommand.cs`` of
https://github.com/actions/runner (``TryParseV2`` trims leading white space
and looks for ``::``; ``TryParse`` looks for ``##[`` anywhere; data unescapes
``%25``, ``%0D``, ``%0A``, properties also ``%3A`` and ``%2C``), which the
toolkit's ``escapeData`` and ``escapeProperty``
(https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts)
mirror.

A reader that leaves early (``audit ... | head -1``) closes the pipe: the
first write that finds it closed points standard output at ``/dev/null``, as
Python's documentation recommends
(https://docs.python.org/3/library/signal.html#note-on-sigpipe), every later
write is dropped, and the command still finishes and returns the exit code it
computed, so ``set -o pipefail`` sees findings as findings.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from typing import TextIO

from incident_process._limits import printable

__all__ = [
    "Command",
    "Output",
    "escape_data",
    "escape_property",
    "guard_line",
    "one_line",
    "structured_text",
]

#: The controls a workflow command's value drops: all but CR and LF, which it escapes.
_DATA_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: The older workflow command syntax, which the runner finds anywhere in a line.
_V1_COMMAND = "##["
#: What the runner's ``TrimStart`` skips before it looks for ``::`` (and what a reader does not see).
_LEADING = frozenset({"Zs", "Zl", "Zp", "Cf", "Cc"})


class Command(str):
    """A workflow command line the command line writes on purpose, its values escaped; ends in a newline."""

    __slots__ = ()


def one_line(value: object) -> str:
    r"""*value* as part of one line of text: its line breaks shown as ``\n``, other controls dropped.

    For what comes from input (a file name, a record key, a message) in a
    line the command line writes: it stays on its line, and on its own cannot
    start one.
    """
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return printable(text.replace("\t", " "))  # no line break nor tab is left to keep


def _leading(line: str) -> int:
    """Where *line*'s first visible character is (white space and format characters skipped)."""
    for index, character in enumerate(line):
        if not character.isspace() and unicodedata.category(character) not in _LEADING:
            return index
    return len(line)


def guard_line(line: str) -> str:
    r"""One line of text (no line feed in it) that cannot act on a terminal or a CI runner.

    Controls dropped; ``::`` at its start (after white space) and ``##[``
    anywhere are escaped with a backslash (issue 19, defect 5).

    >>> guard_line("  ::error file=x::pwned")
    '  \\::error file=x::pwned'
    >>> guard_line("title ##[warning]x")
    'title ##\\[warning]x'
    """
    line = printable(line).replace(_V1_COMMAND, "##\\[")
    start = _leading(line)
    if line.startswith("::", start):
        line = f"{line[:start]}\\{line[start:]}"
    return line


def _guard_structured(line: str) -> str:
    r"""A line of JSON or TOML: ``##[`` written with the escape ``\u005b``, the same value decoded."""
    return line.replace(_V1_COMMAND, "##\\u005b")


def structured_text(text: str) -> str:
    r"""JSON or TOML (``tomli_w``'s basic strings) made safe to print as text, its values kept.

    C1 controls, which both formats allow raw in a string, and the ``[`` of
    ``##[`` become ``\uXXXX`` escapes: the same strings once read back.
    """
    escaped = re.sub("[\x7f-\x9f]", lambda match: f"\\u{ord(match.group()):04x}", text)
    return _guard_structured(escaped)


def escape_data(text: str) -> str:
    """*text* as the message of a workflow command: ``%``, CR and LF escaped, other controls dropped."""
    text = _DATA_CONTROL.sub("", text.replace("\t", " "))
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """*text* as a property of a workflow command (``file=``, ``title=``): also ``:`` and ``,`` escaped."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class Output(io.TextIOBase):
    r"""Standard output (or another stream) with every line guarded; see the module's rules.

    Lines are written whole: a line is held until its line feed comes (or
    :meth:`flush`), so a guard never sees half of one. ``structured`` is
    for JSON: values are kept, only ``##[`` is escaped (as ``\u005b``).
    """

    def __init__(self, stream: TextIO, *, structured: bool = False) -> None:
        super().__init__()
        self._stream = stream
        self._structured = structured
        self._pending: list[str] = []
        #: Whether the reader closed the pipe: from then on, output is dropped.
        self.broken = False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if isinstance(text, Command):
            self._drain()
            self._emit(str(text))
            return len(text)
        if "\n" not in text:
            self._pending.append(text)
            return len(text)
        lines = ("".join(self._pending) + text).split("\n")
        self._pending = [lines.pop()]
        self._emit("".join(self._guarded(line) + "\n" for line in lines))
        return len(text)

    def _guarded(self, line: str) -> str:
        return _guard_structured(line) if self._structured else guard_line(line)

    def _drain(self) -> None:
        """Write what is held of a line (at the end, or before a command)."""
        rest = "".join(self._pending)
        self._pending = []
        if rest:
            self._emit(self._guarded(rest))

    def flush(self) -> None:
        self._drain()
        if not self.broken:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._broke()

    def _emit(self, text: str) -> None:
        if self.broken or not text:
            return
        try:
            self._stream.write(text)
        except BrokenPipeError:
            self._broke()

    def _broke(self) -> None:
        """The reader has gone: point the stream's descriptor at ``/dev/null`` and write no more."""
        self.broken = True
        try:
            descriptor = self._stream.fileno()
        except (OSError, ValueError):  # not a file (a StringIO): nothing to redirect
            return
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, descriptor)
        finally:
            os.close(null)
