"""What every benchmark script shares: print a Markdown section, or write it into the docs."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Sequence
from pathlib import Path

PERFORMANCE = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def write_section(name: str, heading: str, section: str, path: Path = PERFORMANCE) -> None:
    """Replace the text between the ``<!-- name:start -->`` and ``:end`` markers, or append it."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = path.read_text()
    block = f"{start}\n{section}\n{end}"
    if start in text and end in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.DOTALL)
    else:
        text = text.rstrip("\n") + f"\n\n## {heading}\n\n{block}\n"
    path.write_text(text)


def run(
    description: str, name: str, heading: str, report: Callable[[], str], argv: Sequence[str] | None = None
) -> int:
    """Print *report*'s section; with ``--write``, also put it into docs/performance.md."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    arguments = parser.parse_args(argv)
    section = report()
    print(section)
    if arguments.write:
        write_section(name, heading, section)
    return 0
