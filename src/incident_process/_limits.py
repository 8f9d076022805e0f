"""The limits of what the readers accept, in one place (docs/limits.md lists each with its reason).

Every reader (policy files, records, webhook payloads, post-incident
documents, external text, templates, the command line's arguments) refuses
input beyond these limits with the library's own error, naming the path,
before any costly work: a hostile or broken input costs at most what the
largest accepted one costs, and never ends in a raw Python exception.
"""

from __future__ import annotations

import os
import re
import stat
from datetime import date, timedelta

__all__ = [
    "EARLIEST_YEAR",
    "LATEST_YEAR",
    "MAX_BUSINESS_DAYS",
    "MAX_DEPTH",
    "MAX_DURATION",
    "MAX_INTEGER_DIGITS",
    "MAX_KEYS",
    "MAX_PAYLOAD_BYTES",
    "MAX_POLICY_BYTES",
    "MAX_RECORD_BYTES",
    "MAX_TEMPLATE_BITS",
    "MAX_TEMPLATE_BYTES",
    "MAX_TEMPLATE_CHARACTERS",
    "MAX_TEMPLATE_LOOPS",
    "MAX_TEMPLATE_NESTING",
    "MAX_TEMPLATE_NODES",
    "MAX_TEMPLATE_RANGE",
    "MAX_TEMPLATE_STEPS",
    "MAX_TEXT_CHARACTERS",
    "MAX_ZONE_NAME",
    "SURROGATE_PROBLEM",
    "Refused",
    "has_surrogate",
    "printable",
    "read_regular_file",
    "time_problem",
]

#: A policy file: the guide's full policy written out is about 20 KB.
MAX_POLICY_BYTES = 1 << 20
#: A record file: about 200 bytes an event, so some 150,000 events.
MAX_RECORD_BYTES = 32 << 20
#: A webhook payload (an Alertmanager group of many alerts is the largest).
MAX_PAYLOAD_BYTES = 4 << 20
#: A text to lint or a post-incident document, in characters.
MAX_TEXT_CHARACTERS = 4 << 20
#: Nesting of tables, arrays and objects in a policy, record or payload.
MAX_DEPTH = 32
#: Keys in a policy file, counted over every table.
MAX_KEYS = 10_000
#: Digits of an integer anywhere in a file (a 64-bit integer has at most 19).
MAX_INTEGER_DIGITS = 18
#: An elapsed duration in a policy (a cadence, a quiet period, a window).
MAX_DURATION = timedelta(days=366)
#: A number of business days in a policy (a year of working days and then some).
MAX_BUSINESS_DAYS = 366
#: Years of the times accepted (local years): far from both ends of the calendar, so any deadline
#: the policy can set (at most MAX_DURATION or MAX_BUSINESS_DAYS later) is still a date.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999
#: Characters of a time zone name (the longest IANA name has 32).
MAX_ZONE_NAME = 64

#: A template file, in bytes (the guide's are about 200 bytes; Jinja compiles 16 KiB in about 0.2 s).
MAX_TEMPLATE_BYTES = 16 * 1024
#: Characters one render may produce, output and computed values together (a Slack message is 3,000).
MAX_TEMPLATE_CHARACTERS = 1_000_000
#: Steps one render may run: each node of the template run is one, a call or filter two, a load ten.
MAX_TEMPLATE_STEPS = 50_000
#: Numbers ``range()`` may give in a template (Jinja's own sandbox allows 100,000).
MAX_TEMPLATE_RANGE = 10_000
#: Expressions and statements in a template (Jinja compiles about 10,000 a second; the guide's have 20).
MAX_TEMPLATE_NODES = 2_000
#: Nesting of expressions and blocks in a template (Python's own compiler refuses deeper code).
MAX_TEMPLATE_NESTING = 48
#: Nesting of loops, macros and call blocks in a template (Python allows 20 nested blocks).
MAX_TEMPLATE_LOOPS = 8
#: Bits of an integer a template may compute (about 1,200 decimal digits).
MAX_TEMPLATE_BITS = 4096

#: What every reader says of text with a lone surrogate.
SURROGATE_PROBLEM = "not valid Unicode (a lone surrogate)"

_SURROGATE = re.compile("[\ud800-\udfff]")
#: C0 controls but tab and line feed, DEL, and the C1 controls: what no output carries.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Refused(ValueError):  # noqa: N818 - a reason, raised for the reader to put in its own error
    """Input beyond a limit, or a file that is not a regular file; the message says which."""


def has_surrogate(text: str) -> bool:
    """Whether *text* holds a lone surrogate, which a JSON escape can make and no encoder writes."""
    return _SURROGATE.search(text) is not None


def printable(text: str) -> str:
    """*text* without control characters: C0 but tab and line feed, DEL and C1 (issue 19).

    What every output drops from values that came from input (the command
    line's text, the messages, the post-incident document), so no value acts
    on a terminal or a CI runner.
    """
    return _CONTROLS.sub("", text)


def time_problem(value: date) -> str | None:
    """Why the time or date *value* is outside the accepted years (its local year), or ``None``."""
    if EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return None
    return f"{value.isoformat()} is outside the accepted years {EARLIEST_YEAR} to {LATEST_YEAR}"


def read_regular_file(path: str, limit: int) -> bytes:
    """The bytes of the regular file at *path*, at most *limit* of them.

    A FIFO, a device (``/dev/zero``), a socket or a directory is refused
    without reading from it, so it can neither block nor fill memory; a file
    over *limit* bytes is refused before it is read whole.

    Raises:
        Refused: the file is not a regular file, or is too large.
        OSError: the file cannot be opened or read.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            msg = "not a regular file (a directory, FIFO, device or socket is not read)"
            raise Refused(msg)
        if status.st_size > limit:
            msg = f"{status.st_size:,} bytes, over the limit of {limit:,}"
            raise Refused(msg)
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(descriptor, min(1 << 20, limit + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(descriptor)
    if size > limit:
        msg = f"more than {limit:,} bytes, over the limit"
        raise Refused(msg)
    return b"".join(chunks)
