"""The one exception tree of the library.

Every error the library raises on purpose derives from
:class:`IncidentProcessError`, so a caller can catch the library's refusals
with one ``except`` clause. Errors about a bad *value* also derive from
:class:`ValueError`, where a caller would expect it::

    IncidentProcessError
    ├── PolicyError          (also ValueError) a policy value or file is invalid;
    │                        ``.problems`` lists every problem with its key path
    ├── RecordError          (also ValueError) an incident record cannot be read:
    │                        ``.problems`` lists every problem with its JSON path
    ├── PayloadError         (also ValueError) a webhook or API payload of another
    │   │                    tool cannot be read: ``.problems`` lists every
    │   │                    problem with its JSON path
    │   └── SignatureError   a request's signature is missing, stale (a
    │                        replay) or wrong: answer 401, not 400
    ├── ExternalTextError    (also ValueError) text for customers breaks the
    │                        guide's rules: ``.findings`` lists them by field
    ├── SeverityError        (also ValueError) not a severity, or no severity
    │                        criterion matched the impact
    ├── UnknownMetricError   (also KeyError) a metric the policy does not have
    ├── CalendarError        (also ValueError) an unknown zone, country or
    │                        subdivision, or a bad date or count
    ├── MessageError         (also ValueError) a message cannot be rendered:
    │                        missing or unknown fields, a bad format or template
    ├── InvalidEventError    (also ValueError) an event's own fields are wrong
    ├── DetectionError       (also ValueError) a detection or SLO argument is
    │   │                    wrong: a threshold, a baseline, a count, a window
    │   └── SampleError      a sample of a time series is wrong (naive, out of
    │                        order, not a finite number); ``.index`` says which
    ├── ReviewError          (also ValueError) a quarterly review argument is
    │                        wrong: a malformed quarter (``"2026Q5"``), a naive
    │                        ``now``, an unknown chart format
    ├── MissingExtraError    (also ImportError) an optional dependency is not
    │                        installed; the message names the extra to install
    ├── PlaybookError        (also ValueError) a playbook argument is wrong: an
    │                        option to choose from, an on-call profile, a
    │                        shift hand-off
    ├── CommandRefusedError  a command the lifecycle refuses; ``.command``,
    │                        ``.phase`` and ``.rule`` say which, where and why
    ├── ReplayError          (also ValueError) recorded events that no sequence
    │                        of accepted commands produces; ``.index`` says where
    └── StoreError           an incident store cannot do what was asked: it
        │                    cannot be opened or read, or was written by a
        │                    newer version
        ├── ConflictError    someone else wrote first: the stored history is
        │                    no longer a prefix of the incident's, or the id
        │                    is taken; nothing was written
        └── UnknownIncidentError  (also LookupError) no incident has that id
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from incident_process.comms import Finding

__all__ = [
    "CalendarError",
    "CommandRefusedError",
    "ConflictError",
    "DetectionError",
    "ExternalTextError",
    "IncidentProcessError",
    "InvalidEventError",
    "MessageError",
    "MissingExtraError",
    "PayloadError",
    "PlaybookError",
    "PolicyError",
    "Problem",
    "RecordError",
    "ReplayError",
    "ReviewError",
    "SampleError",
    "SeverityError",
    "SignatureError",
    "StoreError",
    "UnknownIncidentError",
    "UnknownMetricError",
]


class IncidentProcessError(Exception):
    """The root of every error this library raises on purpose."""


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with an input, and where it is.

    Attributes:
        path: Where the problem is, as a dotted key path with ``[index]`` for
            array items (``escalation.levels[2].window``); empty for the input
            as a whole.
        message: What is wrong, in words a person can act on.
        line: The 1-based line in the source text, where it is known.
    """

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where = f"{where} (line {self.line})" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message


class _ProblemsError(IncidentProcessError, ValueError):
    """A document is invalid: every problem found, each with its path."""

    #: What is invalid, as the message's first line names it.
    _what = "document"

    problems: tuple[Problem, ...]
    source: str | None

    def __init__(self, problems: Iterable[Problem], *, source: str | None = None) -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(self._describe())

    def _describe(self) -> str:
        origin = f" in {self.source}" if self.source else ""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"invalid {self._what}{origin}: {count} {noun}"]
        lines.extend(f"  {problem}" for problem in self.problems)
        return "\n".join(lines)


class PolicyError(_ProblemsError):
    """A policy is invalid: every problem found, each with its key path.

    Attributes:
        problems: Every problem, in the order they were found.
        source: The file or text the policy came from, if any.
    """

    _what = "policy"


class RecordError(_ProblemsError):
    """An incident record cannot be read: every problem found, each with its JSON path.

    Attributes:
        problems: Every problem, in the order they were found
            (``events[3].at: naive datetime ...``).
        source: The file or text the record came from, if any.
    """

    _what = "record"


class PayloadError(_ProblemsError):
    """A payload of another tool (a webhook, an API response) cannot be read.

    Attributes:
        problems: Every problem, each with its JSON path
            (``alerts[0].startsAt: expected an RFC 3339 time ...``).
        source: Which format was expected (``"Alertmanager webhook"``).
    """

    _what = "payload"


class SignatureError(PayloadError):
    """A signed request (Slack's) is not what its sender signed, or was signed too long ago.

    ``.problems`` names the header at fault (``X-Slack-Signature``,
    ``X-Slack-Request-Timestamp``). A service answers it with 401: the
    request is not from whom it says.
    """


class ExternalTextError(IncidentProcessError, ValueError):
    """Text meant for customers breaks "What NOT to communicate externally"; nothing was built.

    Attributes:
        findings: The linter's findings, by the payload field whose text has
            them (``{"body": (Finding(...), ...)}``).
    """

    findings: Mapping[str, tuple[Finding, ...]]

    def __init__(self, findings: Mapping[str, tuple[Finding, ...]]) -> None:
        self.findings = findings
        count = sum(len(found) for found in findings.values())
        lines = [f"external text refused: {count} finding{'' if count == 1 else 's'}"]
        lines.extend(f"  {field}: {finding}" for field, found in findings.items() for finding in found)
        super().__init__("\n".join(lines))


class SeverityError(IncidentProcessError, ValueError):
    """A value is not a severity, or an impact matches no severity criterion."""


class UnknownMetricError(IncidentProcessError, KeyError):
    """A metric name the policy does not have; the message lists the ones it has."""

    def __str__(self) -> str:
        # KeyError shows its argument's repr; this error's argument is a sentence.
        return str(self.args[0]) if self.args else ""


class CalendarError(IncidentProcessError, ValueError):
    """A business calendar cannot be built or asked that (unknown zone or country, naive time)."""


class MessageError(IncidentProcessError, ValueError):
    """A message cannot be rendered: every missing or unknown field is named."""


class InvalidEventError(IncidentProcessError, ValueError):
    """An event's own fields are wrong (``Declared.at: naive datetime ...``)."""


class DetectionError(IncidentProcessError, ValueError):
    """A detection or SLO argument is wrong (``baseline: required for 'p95_latency'``)."""


class SampleError(DetectionError):
    """A sample of a time series is wrong: ``samples[3]: naive datetime ...``.

    Attributes:
        index: The position of the sample in the series (counted from the
            series' first sample, across every chunk a detector was fed).
        reason: What is wrong with it.
    """

    index: int
    reason: str

    def __init__(self, index: int, reason: str) -> None:
        self.index = index
        self.reason = reason
        super().__init__(f"samples[{index}]: {reason}")


class ReviewError(IncidentProcessError, ValueError):
    """A quarterly review argument is wrong (``quarter: expected 'YYYYQn' ..., got '2026Q5'``)."""


class PlaybookError(IncidentProcessError, ValueError):
    """A playbook argument is wrong: an option to choose from, an on-call profile, a shift hand-off."""


class MissingExtraError(IncidentProcessError, ImportError):
    """An optional dependency is missing; the message names the extra that installs it."""


class CommandRefusedError(IncidentProcessError):
    """The lifecycle refuses a command; the incident it was sent to is unchanged.

    Attributes:
        command: The command's name (``"resolve"``).
        phase: The value of the phase the incident was in (``"responding"``).
        rule: The rule that refused it (``"resolution.quiet_period"``).
        reason: Why, in words.
        contradicts: The id of the recorded event the command contradicts,
            for a command dated before events already recorded
            (``"INC-7:4"``); ``None`` otherwise.
    """

    command: str
    phase: str
    rule: str
    reason: str
    contradicts: str | None

    def __init__(
        self, *, command: str, phase: str, rule: str, reason: str, contradicts: str | None = None
    ) -> None:
        self.command = command
        self.phase = phase
        self.rule = rule
        self.reason = reason
        self.contradicts = contradicts
        super().__init__(f"{command} refused in phase {phase!r} by rule {rule}: {reason}")


class ReplayError(IncidentProcessError, ValueError):
    """Recorded events that the lifecycle would not have accepted in that order.

    Attributes:
        index: The position of the first offending event in the sequence.
        refusal: The refusal of that event's command, when it was one.
    """

    index: int
    refusal: CommandRefusedError | None

    def __init__(self, index: int, reason: str, *, refusal: CommandRefusedError | None = None) -> None:
        self.index = index
        self.refusal = refusal
        super().__init__(f"events[{index}]: {reason}")


class StoreError(IncidentProcessError):
    """An incident store cannot do what was asked (see :mod:`incident_process.store`).

    The message names the store and what went wrong: it cannot be opened or
    read, it was written by a newer version of the library, a stored event
    does not read, an incident judged under another policy.
    """


class ConflictError(StoreError):
    """Someone else wrote first; nothing was written.

    The stored history is no longer a prefix of the incident's (another
    writer appended events since it was read), or the id of a new incident
    is taken. Read the incident again and decide again:
    :meth:`~incident_process.store.SQLiteStore.update` does it for you.

    Attributes:
        incident_id: The incident concerned.
    """

    incident_id: str

    def __init__(self, message: str, *, incident_id: str) -> None:
        self.incident_id = incident_id
        super().__init__(message)


class UnknownIncidentError(StoreError, LookupError):
    """No incident in the store has that id.

    Attributes:
        incident_id: The id asked for.
    """

    incident_id: str

    def __init__(self, message: str, *, incident_id: str) -> None:
        self.incident_id = incident_id
        super().__init__(message)
