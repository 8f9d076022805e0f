"""The ``incident-process`` command line, for CI pipelines and people, and its demonstration.

``policy check`` validates policy files; ``audit`` and ``deadlines`` replay
incident records and report every duty met, missed or overdue (guide, every
timed rule); ``render`` writes the guide's messages and the post-incident
report; ``lint`` checks external text and post-incident documents;
``review`` makes the quarterly review; ``schema`` prints the record format;
``demo`` walks an example incident through the guide. Exit codes: 0 clean, 1
findings, 2 usage or unreadable input. Every command's module loads only when
it runs, so ``--help`` stays quick.
"""

from ._main import main

__all__ = [
    "main",
]
