"""A guard against unbounded work in tests: a hang fails, a slow run does not (speed is benchmarked)."""

import signal
from collections.abc import Iterator
from contextlib import contextmanager

#: Seconds one call may take before it counts as a hang.
HANG = 10


@contextmanager
def no_hang(seconds: int = HANG) -> Iterator[None]:
    """Fail the test if the block runs longer than *seconds* (a hang, not a slow run)."""

    def hung(*_: object) -> None:
        msg = f"still running after {seconds} s: unbounded work"
        raise AssertionError(msg)

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
