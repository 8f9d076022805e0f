"""The files the command line itself reads and writes: standard input, and the review's charts.

Issue 19, defect 7.

Standard input (``lint external -``) is read by the rule the lint commands
read a file by: at most :data:`TEXT_LIMIT` bytes (a larger input is refused,
not read whole), UTF-8 only, and every failure a :class:`PolicyError` the
lint reports with exit code 2. A closed standard input (``<&-``) is such a
failure, not a crash.

The charts (``review --charts DIR``) are drawn into a private temporary
directory first and then placed in *DIR*, each file opened relative to *DIR*
and never through a symbolic link:

- *DIR* is created if missing; a *DIR* that is a file, or that cannot be
  created or written, is a usage error (exit 2) naming it.
- A chart whose name is taken is not overwritten unless ``--force``; a
  name taken by a symbolic link (or anything but a regular file) is refused
  even with ``--force``. Every name is checked before any file is written.
- Without ``--force`` a file is created with ``O_CREAT | O_EXCL |
  O_NOFOLLOW``, which fails rather than follow a link that appears meanwhile;
  with ``--force`` it is written under a fresh name and renamed over the old
  file, and a rename replaces a link itself, never what it points to.
"""

from __future__ import annotations

import os
import secrets
import stat
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from incident_process._limits import MAX_TEXT_CHARACTERS
from incident_process.errors import PolicyError, Problem

from ._common import Usage

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["TEXT_LIMIT", "place_charts", "read_standard_input"]

#: The most bytes the lint commands read of a message or a document, from a file or from standard input.
TEXT_LIMIT = MAX_TEXT_CHARACTERS
_STDIN = "<stdin>"
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _refused(message: str) -> PolicyError:
    return PolicyError([Problem(path="", message=message)], source=_STDIN)


def read_standard_input() -> str:
    """The text on standard input, by the rules of a message file.

    Raises:
        PolicyError: standard input is closed or unreadable, holds more than
            :data:`TEXT_LIMIT` bytes, or is not UTF-8.
    """
    stream = sys.stdin
    if stream is None or stream.closed:  # started with ``<&-``: no descriptor 0 to read
        msg = "standard input is closed: give the message on it, or name a file"
        raise _refused(msg)
    try:
        buffer = getattr(stream, "buffer", None)
        data = buffer.read(TEXT_LIMIT + 1) if buffer is not None else stream.read(TEXT_LIMIT + 1).encode()
    except OSError as problem:
        msg = f"cannot read standard input: {problem.strerror or problem}"
        raise _refused(msg) from None
    except UnicodeDecodeError as problem:  # a text stream without a buffer, decoding as it reads
        msg = f"not UTF-8 text (byte {problem.start}): {problem.reason}"
        raise _refused(msg) from None
    if len(data) > TEXT_LIMIT:
        msg = f"cannot read standard input: more than {TEXT_LIMIT:,} bytes, over the limit"
        raise _refused(msg)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as problem:  # the message a file with these bytes gets
        msg = f"not UTF-8 text (byte {problem.start}): {problem.reason}"
        raise _refused(msg) from None


def _directory(directory: str) -> int:
    """A descriptor of *directory*, made if missing; a usage error if it is no directory one can write."""
    path = Path(directory)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        msg = f"--charts: {directory} is not a directory"
        raise Usage(msg) from None
    except OSError as error:
        msg = f"--charts: cannot make the directory {directory}: {error.strerror or error}"
        raise Usage(msg) from None
    try:
        descriptor = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as error:
        msg = f"--charts: cannot open the directory {directory}: {error.strerror or error}"
        raise Usage(msg) from None
    if not os.access(directory, os.W_OK | os.X_OK):
        os.close(descriptor)
        msg = f"--charts: cannot write into {directory}: permission denied"
        raise Usage(msg)
    return descriptor


def _taken(names: Sequence[str], folder: int, directory: str, *, force: bool) -> list[str]:
    """Why each name cannot be written (nothing when every one can)."""
    problems = []
    for name in names:
        try:
            status = os.stat(name, dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            continue
        shown = os.path.join(directory, name)  # noqa: PTH118 - the path as the user gave it
        if stat.S_ISLNK(status.st_mode):
            problems.append(f"{shown} is a symbolic link: not written through, even with --force")
        elif not stat.S_ISREG(status.st_mode):
            problems.append(f"{shown} exists and is not a regular file")
        elif not force:
            problems.append(f"{shown} exists: not overwritten without --force")
    return problems


def _place(data: bytes, name: str, folder: int, *, force: bool) -> None:
    """Write *data* as *name* in the directory *folder*, through no symbolic link."""
    target = f".{name}.{secrets.token_hex(8)}.tmp" if force else name
    descriptor = os.open(target, _CREATE, 0o644, dir_fd=folder)
    try:
        with os.fdopen(descriptor, "wb", closefd=False) as file:
            file.write(data)
    finally:
        os.close(descriptor)
    if force:
        try:
            os.replace(target, name, src_dir_fd=folder, dst_dir_fd=folder)
        except OSError:
            os.unlink(target, dir_fd=folder)
            raise


def place_charts(draw: Callable[[str], Sequence[Path]], directory: str, *, force: bool) -> list[str]:
    """Draw the charts with *draw* (into the directory it is given) and place them in *directory*.

    Returns the paths written. Raises :class:`Usage` for a directory that
    cannot take them or a name taken (see the module's rules); then nothing
    is written.
    """
    folder = _directory(directory)
    try:
        with tempfile.TemporaryDirectory(prefix="incident-process-charts-") as scratch:
            drawn = [Path(path) for path in draw(scratch)]
            problems = _taken([path.name for path in drawn], folder, directory, force=force)
            if problems:
                raise Usage("--charts: " + "; ".join(problems))
            written = []
            for path in drawn:
                try:
                    _place(path.read_bytes(), path.name, folder, force=force)
                except OSError as error:
                    shown = os.path.join(directory, path.name)  # noqa: PTH118 - as the user gave it
                    msg = f"--charts: cannot write {shown}: {error.strerror or error}"
                    raise Usage(msg) from None
                written.append(os.path.join(directory, path.name))  # noqa: PTH118
            return written
    finally:
        os.close(folder)
