"""What every benchmark script shares: print a Markdown section, or write it into the docs."""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import time
import timeit
from collections.abc import Callable, Hashable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)

PERFORMANCE = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def best(function: Callable[[], object], *, number: int = 1, repeat: int = 5) -> float:
    """Seconds per call of *function*: the best of *repeat* runs of *number* calls each."""
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number


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


def run(  # noqa: PLR0913 - the section, how to make it, and the script's own options
    description: str,
    name: str,
    heading: str,
    report: Callable[..., str],
    argv: Sequence[str] | None = None,
    *,
    options: Callable[[argparse.ArgumentParser], object] | None = None,
) -> int:
    """Print *report*'s section; with ``--write``, also put it into docs/performance.md.

    *options* adds a script's own options to the parser; *report* is then
    called with the parsed arguments.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    if options is not None:
        options(parser)
    arguments = parser.parse_args(argv)
    section = report(arguments) if options is not None else report()
    print(section)
    if arguments.write:
        write_section(name, heading, section)
    return 0


class BenchmarkError(Exception):
    """A command the benchmark needs could not be run."""


def time_command(command: Sequence[str]) -> float:
    """Wall time of *command* in a fresh subprocess, in milliseconds; a failure is an error."""
    start = time.perf_counter_ns()
    returncode = subprocess.call(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter_ns() - start
    if returncode != 0:
        msg = f"{shlex.join(command)} exited with status {returncode}"
        raise BenchmarkError(msg)
    return elapsed / 1e6


def round_robin(commands: Mapping[Key, Sequence[str]], runs: int, warmup: int) -> dict[Key, list[float]]:
    """Milliseconds per run of each command, timed in turn *runs* times after *warmup* rounds.

    Round-robin, so that a slow spell on the machine affects every command alike.
    """
    for _ in range(warmup):
        for command in commands.values():
            time_command(command)
    samples: dict[Key, list[float]] = {key: [] for key in commands}
    for _ in range(runs):
        for key, command in commands.items():
            samples[key].append(time_command(command))
    return samples


def positive_int(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    return _at_least(value, 1)


def non_negative_int(value: str) -> int:
    """An argparse type: a whole number of at least 0."""
    return _at_least(value, 0)


def _at_least(value: str, lowest: int) -> int:
    number = int(value)
    if number < lowest:
        msg = f"must be at least {lowest}, not {number}"
        raise argparse.ArgumentTypeError(msg)
    return number
