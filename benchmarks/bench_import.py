"""Measure the start-up cost of ``import incident_process``.

Three commands are run as fresh subprocesses of the current interpreter
(``sys.executable``), interleaved round-robin after a few warm-up rounds:

* ``python -c pass``: the bare interpreter;
* ``python -c "import attrs, cattrs, statemachine, pendulum, tomli_w, holidays"``:
  the runtime dependencies alone;
* ``python -c "import attrs"`` (or whichever of them the package loads): the
  dependencies ``import incident_process`` actually loads, a stricter
  reference;
* ``python -c "import incident_process"``: the package.

The report gives the median and 90th percentile wall time of each, the ratio
of the package's median to the dependencies' median (target: at most 1.2x), the
same ratio for the cost *above* the bare interpreter, the slowest modules
according to ``python -X importtime``, and which runtime dependencies
``import incident_process`` actually loads.

Usage::

    python benchmarks/bench_import.py [--runs N] [--warmup N] [--write]

The report is a Markdown section printed to standard output; with ``--write``
it also replaces the section between the ``bench_import`` markers in
``docs/performance.md``.  A benchmark reports, it does not fail: the exit
status is zero whether or not the target is met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from _report import BenchmarkError, non_negative_int, positive_int, round_robin, write_section

TARGET_RATIO = 1.2
"""``import incident_process`` may take at most this multiple of importing its dependencies alone."""

DEPENDENCIES: dict[str, str] = {
    # import name: distribution name
    "attrs": "attrs",
    "cattrs": "cattrs",
    "statemachine": "python-statemachine",
    "pendulum": "pendulum",
    "tomli_w": "tomli-w",
    "holidays": "holidays",
}

BARE = "pass"
DEPS_ALONE = f"import {', '.join(DEPENDENCIES)}"
PACKAGE = "import incident_process"
COMMANDS: tuple[str, ...] = (BARE, DEPS_ALONE, PACKAGE)

TOP_MODULES = 10
IMPORTTIME_RUNS = 5

DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "performance.md"

_IMPORTTIME_LINE = re.compile(r"^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|( *)(\S+)\s*$")

_LOADED_CODE = """\
import json, sys
import incident_process
print(json.dumps({name: name in sys.modules for name in sys.argv[1:]}))
"""


@dataclass(frozen=True)
class Timing:
    """Wall times of one command, in milliseconds."""

    code: str
    samples_ms: tuple[float, ...]

    @property
    def median(self) -> float:
        """Median wall time."""
        return statistics.median(self.samples_ms)

    @property
    def p90(self) -> float:
        """90th percentile wall time (inclusive method; the only sample if there is one)."""
        if len(self.samples_ms) < 2:
            return self.samples_ms[0]
        return statistics.quantiles(self.samples_ms, n=10, method="inclusive")[-1]


@dataclass(frozen=True)
class ModuleTime:
    """One module's import time from ``-X importtime``, in milliseconds (median over runs)."""

    name: str
    parent: str | None
    """The module whose import first imported this one; ``None`` at the top level."""
    self_ms: float
    cumulative_ms: float


def _run(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    """Run the current interpreter with ``args``; raise `BenchmarkError` if it fails."""
    command = [sys.executable, *args]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        msg = f"{shlex.join(command)} exited with status {result.returncode}:\n{result.stderr.strip()}"
        raise BenchmarkError(msg)
    return result


def measure(runs: int, warmup: int, commands: Sequence[str] = COMMANDS) -> dict[str, Timing]:
    """Time each command ``runs`` times, round-robin, after ``warmup`` discarded rounds."""
    for code in commands:
        _run(["-c", code])  # fail early, with the child's error message
    samples = round_robin({code: [sys.executable, "-c", code] for code in commands}, runs, warmup)
    return {code: Timing(code, tuple(values)) for code, values in samples.items()}


def parse_importtime(stderr: str) -> list[ModuleTime]:
    """Parse the ``-X importtime`` report (microseconds) into `ModuleTime` values (milliseconds).

    The report lists a module after the modules it imports, indented one level
    deeper, so a module's parent is the next line with one level less.
    """
    rows: list[tuple[str, int, int]] = []
    parents: dict[int, str] = {}
    waiting: dict[int, list[int]] = {}  # depth -> rows still looking for their parent
    for line in stderr.splitlines():
        match = _IMPORTTIME_LINE.match(line)
        if match is None:
            continue  # the header, or anything else the child printed
        self_us, cumulative_us, indent, name = match.groups()
        depth = (len(indent) - 1) // 2
        for child in waiting.pop(depth + 1, []):
            parents[child] = name
        waiting.setdefault(depth, []).append(len(rows))
        rows.append((name, int(self_us), int(cumulative_us)))
    return [
        ModuleTime(name, parents.get(index), self_us / 1000, cumulative_us / 1000)
        for index, (name, self_us, cumulative_us) in enumerate(rows)
    ]


def slowest_modules(runs: int) -> list[ModuleTime]:
    """The modules with the largest cumulative import time, medians over ``runs`` runs."""
    self_ms: dict[str, list[float]] = {}
    cumulative_ms: dict[str, list[float]] = {}
    parents: dict[str, str | None] = {}
    for _ in range(runs):
        for module in parse_importtime(_run(["-X", "importtime", "-c", PACKAGE]).stderr):
            self_ms.setdefault(module.name, []).append(module.self_ms)
            cumulative_ms.setdefault(module.name, []).append(module.cumulative_ms)
            parents.setdefault(module.name, module.parent)
    medians = [
        ModuleTime(
            name,
            parents[name],
            statistics.median(self_ms[name]),
            statistics.median(cumulative_ms[name]),
        )
        for name in cumulative_ms
    ]
    medians.sort(key=lambda module: module.cumulative_ms, reverse=True)
    return medians[:TOP_MODULES]


def loaded_dependencies() -> dict[str, bool]:
    """Which runtime dependencies are in ``sys.modules`` after ``import incident_process``."""
    result = _run(["-c", _LOADED_CODE, *DEPENDENCIES])
    loaded: dict[str, bool] = json.loads(result.stdout)
    return loaded


def _loaded_code(loaded: dict[str, bool]) -> str:
    """The import line of the dependencies the package loads (``pass`` if none)."""
    names = [name for name, is_loaded in loaded.items() if is_loaded]
    return f"import {', '.join(names)}" if names else BARE


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def _command(code: str) -> str:
    return f'`python -c "{code}"`' if " " in code else f"`python -c {code}`"


def _module_row(module: ModuleTime) -> str:
    parent = f"`{module.parent}`" if module.parent else "(top level)"
    return f"| `{module.name}` | {parent} | {module.cumulative_ms:.1f} | {module.self_ms:.1f} |"


def render(
    timings: dict[str, Timing],
    modules: Sequence[ModuleTime],
    loaded: dict[str, bool],
    *,
    warmup: int,
) -> str:
    """The Markdown report."""
    bare, deps, package = timings[BARE], timings[DEPS_ALONE], timings[PACKAGE]
    loaded_code = _loaded_code(loaded)
    used = timings[loaded_code]
    ratio = package.median / deps.median
    verdict = "met" if ratio <= TARGET_RATIO else "not met"
    deps_above_bare = deps.median - bare.median
    if deps_above_bare > 0:
        incremental = f"{(package.median - bare.median) / deps_above_bare:.2f}x"
    else:
        incremental = "n/a (the dependencies cost no more than the bare interpreter)"
    now = dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    python = f"{platform.python_implementation()} {platform.python_version()}"
    machine = f"{platform.platform()}, {os.cpu_count()} CPUs"
    method = (
        f"{len(package.samples_ms)} runs of each command, "
        f"interleaved round-robin after {warmup} warm-up round{'' if warmup == 1 else 's'}"
    )
    versions = ", ".join(f"{name} {_version(name)}" for name in ("incident-process", *DEPENDENCIES.values()))
    not_loaded = [name for name, is_loaded in loaded.items() if not is_loaded]
    importtime_command = f'`python -X importtime -c "{PACKAGE}"`'

    lines = [
        "## Latest results",
        "",
        f"- Date: {now}",
        f"- Python: {python}",
        f"- Platform: {machine}",
        f"- Method: {method}",
        f"- Versions: {versions}",
        "",
        "### Start-up time",
        "",
        "| Command | Median (ms) | p90 (ms) |",
        "| --- | ---: | ---: |",
        *(f"| {_command(t.code)} | {t.median:.1f} | {t.p90:.1f} |" for t in (bare, deps, used, package)),
        "",
        "| Ratio of medians | Value | Target |",
        "| --- | ---: | --- |",
        f"| `{PACKAGE}` / dependencies alone | {ratio:.2f}x | at most {TARGET_RATIO}x: **{verdict}** |",
        f"| Above bare `python`: (package - pass) / (dependencies - pass) | {incremental} | none |",
        (
            f"| `{PACKAGE}` / the dependencies it loads ({_command(loaded_code)}) | "
            f"{package.median / used.median:.2f}x | none: the package's own cost, for the record |"
        ),
        "",
        "### Slowest modules",
        "",
        (
            f"The {len(modules)} modules with the largest cumulative import time under "
            f"{importtime_command}, median of {IMPORTTIME_RUNS} runs. A module's cumulative time "
            "includes the modules it imports, so nested entries overlap; "
            "it is listed under the module whose import loaded it first."
        ),
        "",
        "| Module | Imported by | Cumulative (ms) | Self (ms) |",
        "| --- | --- | ---: | ---: |",
        *(_module_row(module) for module in modules),
        "",
        f"### Runtime dependencies loaded by `{PACKAGE}`",
        "",
        "| Dependency | Loaded |",
        "| --- | --- |",
        *(f"| `{name}` | {'yes' if is_loaded else 'no'} |" for name, is_loaded in loaded.items()),
    ]
    if not_loaded:
        names = ", ".join(f"`{name}`" for name in not_loaded)
        lines += [
            "",
            (
                f"Not loaded: {names}. The dependencies-alone baseline still imports them, "
                "so it costs more than what the package needs."
            ),
        ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print the report and, with ``--write``, update the docs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--runs", type=positive_int, default=30, help="timed runs of each command (default: 30)"
    )
    parser.add_argument(
        "--warmup", type=non_negative_int, default=2, help="discarded warm-up rounds (default: 2)"
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help=f"replace the section between the markers in {DOC_PATH.parent.name}/{DOC_PATH.name}",
    )
    args = parser.parse_args(argv)

    try:
        loaded = loaded_dependencies()
        commands = tuple(dict.fromkeys((*COMMANDS, _loaded_code(loaded))))
        timings = measure(args.runs, args.warmup, commands)
        modules = slowest_modules(IMPORTTIME_RUNS)
    except BenchmarkError as error:
        print(f"bench_import: {error}", file=sys.stderr)
        return 2
    section = render(timings, modules, loaded, warmup=args.warmup)
    print(section, end="")
    if args.write:
        write_section("bench_import", "Latest results", section.rstrip("\n"))
        print(f"\nWrote the results to {DOC_PATH}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
